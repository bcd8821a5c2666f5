package main

import (
	"fmt"
	"unsafe"
)

// kernelmem reads an address in the kernel's half: a user program must get
// a fault there, which Go turns into a panic that recover sees.
func kernelmem() {
	defer func() { fmt.Println("recovered:", recover()) }()
	debugSetPanicOnFault()
	p := (*int)(unsafe.Pointer(uintptr(0xffff_0000_0000_1000)))
	fmt.Println(*p)
}
