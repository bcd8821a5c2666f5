// Command sysfuzz makes random system calls with random arguments, pointers
// into unmapped, kernel and read-only memory among them, to show that no
// argument from EL0 can panic the kernel. It draws from an allowlist: calls
// that cannot end or block the program (no exit, no kill, no sleeping, no
// unmapping its own memory), so a run always finishes and prints the same
// line. The first argument is the number of calls (default 100000).
package main

import (
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

// allowed are the system call numbers (asm-generic/unistd.h) the fuzzer
// makes, with arguments forced where a random one could hang or end it.
var allowed = []uintptr{
	17, 19, 20, 23, 25, 29, 34, 48, 56, 59, 61, 62, 63, 64, 65, 66, 67, 68,
	71, 78, 79, 80, 88, 113, 114, 124, 148, 153, 155, 156, 160, 163,
	165, 166, 169, 172, 173, 174, 178, 179, 214, 222, 260, 261, 278, 291, 9999,
}

var rodata = "read-only data"

func main() {
	n := 100000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	os.MkdirAll("/tmp/fuzz", 0o755)
	var fds []uintptr
	for _, p := range []string{"/dev/null", "/dev/zero", "/tmp/fuzz", "/tmp/fuzz/file"} {
		f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			f, _ = os.Open(p)
		}
		if f != nil {
			fds = append(fds, f.Fd())
		}
	}
	os.Chdir("/tmp/fuzz")
	// The valid buffer is a mapping of its own, larger than any length the
	// kernel copies (1 MiB), so no call can write into Go's own memory.
	buf, err := syscall.Mmap(-1, 0, 4<<20, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		fmt.Println("mmap:", err)
		os.Exit(1)
	}
	valid := uintptr(unsafe.Pointer(&buf[0]))
	values := []uintptr{
		0, 0x10, 0xfff, 8, 64, 4096, 1 << 20, 1 << 40, ^uintptr(0), ^uintptr(0) - 4095,
		0x1234_0000_0000,      // unmapped
		0xffff_0000_0000_0000, // the C core's direct map (kernel)
		0x8000_0001_0000,      // the Go kernel's image (kernel)
		uintptr(unsafe.Pointer(unsafe.StringData(rodata))), // read-only
		valid, valid + 65536 - 3, // a valid buffer, and a misaligned pointer into it
		1000, // an fd that is not open
	}
	values = append(values, fds...)
	rng := rand.New(rand.NewSource(1))
	arg := func() uintptr {
		if rng.Intn(4) == 0 {
			return uintptr(rng.Uint32()) | 1<<32 // flags and sizes; as a pointer, unmapped
		}
		return values[rng.Intn(len(values))]
	}
	for i := 0; i < n; i++ {
		nr := allowed[rng.Intn(len(allowed))]
		a := [6]uintptr{arg(), arg(), arg(), arg(), arg(), arg()}
		switch nr {
		case 63, 65, 67: // reads: only from the fuzzer's own files, which never block
			a[0] = fds[rng.Intn(len(fds))]
		case 71: // sendfile: between the fuzzer's own files
			a[0], a[1] = fds[rng.Intn(len(fds))], fds[rng.Intn(len(fds))]
		case 64, 66, 68: // writes: never to the output
			a[0] = fds[rng.Intn(len(fds))]
		case 222: // mmap: never over existing memory
			a[3] &^= 0x10 | 0x100000
		case 260: // wait4: never block
			a[2] = 1
		case 20, 19, 59, 56, 23: // calls that make descriptors: keep the table from filling
			if i%16 != 0 {
				nr = 172
			}
		}
		if nr == 56 && a[1] == valid {
			buf[0] = 0 // an empty path, not whatever the last call wrote
		}
		syscall.Syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5])
	}
	fmt.Printf("sysfuzz: %d calls done\n", n)
}
