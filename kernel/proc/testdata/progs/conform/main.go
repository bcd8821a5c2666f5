// Command conform is a conformance program: each argument names a check
// that exercises one area of the Linux system call interface and prints
// what it observes. It prints the same on Linux and on Burrow.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var checks = map[string]func(){
	"files":     files,
	"pipes":     pipes,
	"signals":   signals,
	"threads":   threads,
	"exec":      execs,
	"time":      timing,
	"memory":    memory,
	"nilpanic":  nilpanic,
	"kernelmem": kernelmem,
	"efault":    efault,
}

// exit3 is run only when named: it ends the program with status 3.
func init() { checks["exit3"] = func() { os.Exit(3) } }

func main() {
	if len(os.Args) == 3 && os.Args[1] == "peek" { // isolation's child
		peek(os.Args[2])
		return
	}
	names := os.Args[1:]
	if len(names) == 0 {
		for n := range checks {
			if n != "exit3" && n != "nap" {
				names = append(names, n)
			}
		}
		sort.Strings(names)
	}
	for _, n := range names {
		fmt.Printf("== %s\n", n)
		checks[n]()
	}
}

func check(what string, err error) {
	if err != nil {
		fmt.Printf("%s: %v\n", what, err)
	}
}

func files() {
	dir, err := os.MkdirTemp("", "conform")
	check("mkdirtemp", err)
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "a.txt")
	check("write", os.WriteFile(p, []byte("first line\nsecond line\n"), 0o644))
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	check("open append", err)
	f.WriteString("third\n")
	f.Close()
	data, err := os.ReadFile(p)
	check("read", err)
	fmt.Printf("content %q\n", data)
	st, err := os.Stat(p)
	check("stat", err)
	fmt.Println("size", st.Size(), "mode", st.Mode(), "dir", st.IsDir())
	check("mkdir", os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	check("rename", os.Rename(p, filepath.Join(dir, "sub", "b.txt")))
	check("symlink", os.Symlink("sub/b.txt", filepath.Join(dir, "link")))
	target, err := os.Readlink(filepath.Join(dir, "link"))
	fmt.Println("readlink", target, err)
	ents, err := os.ReadDir(dir)
	check("readdir", err)
	for _, e := range ents {
		fmt.Println("entry", e.Name(), e.IsDir())
	}
	_, err = os.Stat(filepath.Join(dir, "missing"))
	fmt.Println("missing:", errors.Is(err, os.ErrNotExist))
	err = os.Remove(filepath.Join(dir, "sub"))
	fmt.Println("remove non-empty:", err != nil)
	f, _ = os.Open(filepath.Join(dir, "link"))
	buf := make([]byte, 5)
	f.Seek(6, io.SeekStart)
	n, _ := f.Read(buf)
	fmt.Printf("seek+read %q\n", buf[:n])
	f.Close()
	wd, _ := os.Getwd()
	check("chdir", os.Chdir(dir))
	wd2, _ := os.Getwd()
	fmt.Println("chdir ok:", wd2 == dir || strings.HasSuffix(wd2, filepath.Base(dir)))
	os.Chdir(wd)
	_, err = os.ReadFile("/dev/null")
	fmt.Println("devnull", err)
	z := make([]byte, 4)
	zf, _ := os.Open("/dev/zero")
	zf.Read(z)
	zf.Close()
	fmt.Println("zero", z)
}

func pipes() {
	r, w, err := os.Pipe()
	check("pipe", err)
	go func() {
		for i := 0; i < 100; i++ {
			fmt.Fprintf(w, "line %d\n", i)
		}
		w.Close()
	}()
	data, err := io.ReadAll(r)
	check("readall", err)
	fmt.Println("pipe bytes", len(data), "lines", bytes.Count(data, []byte("\n")))
	big := bytes.Repeat([]byte("x"), 200000)
	r2, w2, _ := os.Pipe()
	go func() { w2.Write(big); w2.Close() }()
	got, _ := io.ReadAll(r2)
	fmt.Println("big pipe", len(got), bytes.Equal(got, big))
	r2.Close()
}

func signals() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR1)
	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	select {
	case s := <-ch:
		fmt.Println("got", s)
	case <-time.After(5 * time.Second):
		fmt.Println("no signal")
	}
	signal.Stop(ch)
	signal.Ignore(syscall.SIGUSR2)
	syscall.Kill(os.Getpid(), syscall.SIGUSR2)
	fmt.Println("ignored SIGUSR2")
	// Async preemption: a tight loop must let another goroutine run.
	done := make(chan bool)
	var stop atomic.Bool
	go func() {
		x := 0
		for !stop.Load() {
			x++
		}
		done <- true
	}()
	time.Sleep(20 * time.Millisecond)
	stop.Store(true)
	select {
	case <-done:
		fmt.Println("preempted loop finished")
	case <-time.After(5 * time.Second):
		fmt.Println("loop stuck")
	}
}

func threads() {
	runtime.GOMAXPROCS(4)
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			runtime.LockOSThread()
			for j := 0; j < 1000; j++ {
				mu.Lock()
				total += i
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	fmt.Println("total", total)
	c := make(chan int)
	go func() {
		s := 0
		for v := range c {
			s += v
		}
		fmt.Println("channel sum", s)
	}()
	for i := 1; i <= 100; i++ {
		c <- i
	}
	close(c)
	time.Sleep(10 * time.Millisecond)
}

func execs() {
	out, err := exec.Command("/bin/busybox", "echo", "from", "a", "child").Output()
	fmt.Printf("exec %q %v\n", out, err)
	cmd := exec.Command("/bin/busybox", "sh", "-c", "exit 7")
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		fmt.Println("exit code", ee.ExitCode())
	}
	cmd = exec.Command("/bin/busybox", "wc", "-c")
	cmd.Stdin = strings.NewReader("twelve bytes")
	out, err = cmd.Output()
	fmt.Printf("stdin %q %v\n", strings.TrimSpace(string(out)), err)
	_, err = exec.Command("/no/such/program").Output()
	fmt.Println("missing program:", err != nil)
}

func timing() {
	t0 := time.Now()
	time.Sleep(50 * time.Millisecond)
	d := time.Since(t0)
	fmt.Println("slept at least 50ms:", d >= 50*time.Millisecond)
	tk := time.NewTicker(5 * time.Millisecond)
	for i := 0; i < 3; i++ {
		<-tk.C
	}
	tk.Stop()
	fmt.Println("ticker ok")
	var ts syscall.Timespec
	check("clock_gettime", syscall.Gettimeofday(&syscall.Timeval{}))
	_ = ts
}

func memory() {
	var blocks [][]byte
	for i := 0; i < 64; i++ {
		b := make([]byte, 1<<20)
		b[i] = byte(i)
		blocks = append(blocks, b)
	}
	sum := 0
	for i, b := range blocks {
		sum += int(b[i])
	}
	fmt.Println("64 MiB touched, sum", sum)
	blocks = nil
	runtime.GC()
	m, err := syscall.Mmap(-1, 0, 1<<16, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	check("mmap", err)
	m[100] = 42
	fmt.Println("mmap", len(m), m[100], m[101])
	check("munmap", syscall.Munmap(m))
}

func nilpanic() {
	defer func() { fmt.Println("recovered:", recover()) }()
	var p *int
	fmt.Println(*p)
}

func efault() {
	_, _, e := syscall.Syscall(syscall.SYS_WRITE, 1, 0x10, 10)
	fmt.Println("write from a bad pointer:", e)
	_, _, e = syscall.Syscall(syscall.SYS_WRITE, 1, 0xffff_0000_0000_0000, 10)
	fmt.Println("write from a kernel pointer:", e)
	r, w, _ := os.Pipe()
	w.Write([]byte("data"))
	_, _, e = syscall.Syscall(syscall.SYS_READ, r.Fd(), 0x10, 10)
	fmt.Println("read to a bad pointer:", e)
	_, _, e = syscall.Syscall(9999, 0, 0, 0)
	fmt.Println("unknown syscall:", e)
}
