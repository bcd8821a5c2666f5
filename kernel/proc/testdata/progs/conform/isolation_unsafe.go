package main

import (
	"fmt"
	"os/exec"
	"runtime/debug"
	"strconv"
	"syscall"
	"unsafe"
)

func init() { checks["isolation"] = isolation }

// isolation puts a secret in a page of its own and starts a child process
// that looks at the same virtual address: the child must fault, since the
// page belongs to this process's address space only.
func isolation() {
	m, err := syscall.Mmap(-1, 0, 4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	check("mmap", err)
	copy(m, "secret")
	addr := uintptr(unsafe.Pointer(&m[0]))
	out, err := exec.Command("/bin/conform", "peek", strconv.FormatUint(uint64(addr), 10)).Output()
	fmt.Printf("child: %s", out)
	fmt.Println("child error:", err)
	fmt.Println("parent still reads:", string(m[:6]))
}

// peek (conform peek ADDR) reads six bytes at ADDR, reporting a fault
// instead of dying of it.
func peek(arg string) {
	addr, _ := strconv.ParseUint(arg, 10, 64)
	debug.SetPanicOnFault(true)
	defer func() {
		if recover() != nil {
			fmt.Println("fault reading the other process's address")
		}
	}()
	b := unsafe.Slice((*byte)(unsafe.Pointer(uintptr(addr))), 6)
	fmt.Printf("read %q\n", b)
}
