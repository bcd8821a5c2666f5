package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("hello from EL0", len(os.Args), os.Args[1:])
}
