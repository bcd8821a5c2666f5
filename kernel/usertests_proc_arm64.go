//go:build linux && arm64

package main

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/ktest"
	"github.com/burrow-os/burrow/kernel/proc"
	"github.com/burrow-os/burrow/kernel/vfs"
)

// capture is a write-only file that keeps what a program prints.
type capture struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (c *capture) Read([]byte) (int, error) { return 0, linux.EBADF }
func (c *capture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.buf.Len() < 1<<20 {
		c.buf.Write(p)
	}
	return len(p), nil
}
func (c *capture) Close() {}

// procTests is test=proc: every line of /test/cases in the initramfs names
// a case and a command (tab-separated: name, path, argv...). Each runs as a
// process at EL0 with /dev/null as input and its output captured; the
// report gives its exit status and output, which the host compares with the
// same program on Linux. Then no user page may be left allocated.
func procTests(r *ktest.Reporter) bool {
	k, err := startUserland()
	r.Result("proc-init", err)
	if err != nil {
		return false
	}
	root, _ := userlandFS()
	cases, err := root.Lookup(nil, "/test/cases", true)
	if err != nil {
		r.Result("proc-cases", err)
		return false
	}
	null, _ := root.Lookup(nil, "/dev/null", true)
	runtime.GC()
	before := kmm.Phys.Stats().FreePages
	goroutines := runtime.NumGoroutine()
	start := time.Now()
	pass := true
	for _, line := range strings.Split(string(cases.Data()), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 2 || strings.HasPrefix(line, "#") {
			continue
		}
		name, path, argv := f[0], f[1], f[2:]
		out := &capture{}
		o := vfs.NewOpsFile(out, linux.S_IFIFO|0o600, linux.O_WRONLY)
		t0 := k.Syscalls.Load()
		p, err := k.SpawnWith(path, argv, []string{"PATH=/bin", "HOME=/"},
			[3]*vfs.File{vfs.NewFile(null, linux.O_RDONLY, "/dev/null"), o, o.Ref()})
		if err != nil {
			r.Report("proc", "name", name, "status", "fail", "detail", err.Error())
			pass = false
			continue
		}
		status := -1
		select {
		case <-waitCh(p):
			status = proc.ExitCode(p.Wait())
		case <-time.After(120 * time.Second):
			r.Report("proc", "name", name, "status", "fail", "detail", "still running after 120 s")
			pass = false
			continue
		}
		text := out.buf.String()
		for i := 0; i < len(text); i += 1024 {
			r.Report("proc-out", "name", name, "seq", i/1024, "text", text[i:min(len(text), i+1024)])
		}
		r.Report("proc", "name", name, "status", "done", "exit", status, "bytes", len(text), "syscalls", k.Syscalls.Load()-t0)
	}
	runtime.GC()
	time.Sleep(10 * time.Millisecond) // let exiting tasks finish
	r.Report("proc-cache", "pages", k.CachedPages())
	k.DropCaches() // the page cache keeps executables' pages on purpose
	after := kmm.Phys.Stats().FreePages
	var leak error
	if after < before {
		leak = fmt.Errorf("%d pages fewer free after the programs than before", before-after)
	}
	r.Result("proc-no-leaked-pages", leak)
	var gleak error
	if n := runtime.NumGoroutine(); n > goroutines {
		gleak = fmt.Errorf("%d goroutines after the programs, %d before", n, goroutines)
	}
	r.Result("proc-no-leaked-goroutines", gleak)
	r.Report("proc-stats", "syscalls", k.Syscalls.Load(), "faults", k.Faults.Load(), "signals", k.Signals.Load(),
		"preemptions", k.Preemptions.Load(), "wall_ms", time.Since(start).Milliseconds())
	return pass && leak == nil && gleak == nil
}

func waitCh(p *proc.Process) <-chan struct{} {
	ch := make(chan struct{})
	go func() { p.Wait(); close(ch) }()
	return ch
}

func userlandFS() (*vfs.FS, error) {
	if userland.k == nil {
		return nil, errors.New("no userland")
	}
	return userland.fs, nil
}
