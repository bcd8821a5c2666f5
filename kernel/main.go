// Command kernel is Burrow's Go kernel: an ordinary static linux/arm64 Go
// program, built by the standard tool chain and linked at 2^47, that the C
// core loads and runs at EL1. The Go runtime inside it believes it runs on
// Linux; the C core answers its system calls (ckernel/CONTRACT.md).
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("Burrow Go kernel: hello from the Go runtime at EL1", os.Args)
}
