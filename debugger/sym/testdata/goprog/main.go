// Command goprog is a tiny linux/arm64 Go program whose ELF the sym tests
// symbolize, standing in for the Go kernel until build/burrow.elf exists.
package main

import "os"

//go:noinline
func add(a, b int) int {
	return a + b
}

func main() {
	os.Exit(add(len(os.Args), -1))
}
