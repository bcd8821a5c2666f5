package main

import (
	"fmt"
	"runtime/debug"
	"syscall"
)

func init() { checks["mprotect"] = mprotects }

// mprotects narrows and widens the protection of part of a mapping: a
// write to the read-only middle faults (Go turns the fault into a panic
// with SetPanicOnFault), the pages around it stay writable, the data
// survives, and a write system call into read-only memory fails with
// EFAULT.
func mprotects() {
	const page = 4096
	m, err := syscall.Mmap(-1, 0, 3*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	check("mmap", err)
	m[page] = 7
	check("mprotect read-only", syscall.Mprotect(m[page:2*page], syscall.PROT_READ))
	fmt.Println("read after narrowing:", m[page])
	fmt.Println("write to the read-only page:", tryWrite(m, page))
	fmt.Println("write before it:", tryWrite(m, 0), "write after it:", tryWrite(m, 2*page))
	var fds [2]int
	check("pipe", syscall.Pipe(fds[:]))
	r, w := fds[0], fds[1]
	syscall.Write(w, []byte("x"))
	_, err = syscall.Read(r, m[page:page+1])
	fmt.Println("read(2) into the read-only page:", err)
	check("mprotect writable", syscall.Mprotect(m[page:2*page], syscall.PROT_READ|syscall.PROT_WRITE))
	fmt.Println("write after widening:", tryWrite(m, page), "data kept:", m[page+1] == 0 && m[0] == 1)
	check("munmap", syscall.Munmap(m))
}

// tryWrite writes 1 at m[i] and reports whether it faulted.
func tryWrite(m []byte, i int) (result string) {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		if recover() != nil {
			result = "fault"
		}
	}()
	m[i] = 1
	return "ok"
}
