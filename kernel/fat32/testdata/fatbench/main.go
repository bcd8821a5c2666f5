// Command fatbench times file I/O on a mounted volume, for TestQEMUBootFAT:
// "fatbench read PATH" reads a file in 64 KiB calls, "fatbench write PATH
// N" writes N bytes in 64 KiB calls and closes. Each prints "ns NAME T"
// with T the elapsed nanoseconds (instructions under QEMU's icount) and
// the bytes moved.
package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: fatbench read PATH | write PATH N")
		os.Exit(2)
	}
	buf := make([]byte, 64<<10)
	var total int64
	start := time.Now()
	switch os.Args[1] {
	case "read":
		f, err := os.Open(os.Args[2])
		check(err)
		for {
			n, err := f.Read(buf)
			total += int64(n)
			if err == io.EOF {
				break
			}
			check(err)
		}
		f.Close()
	case "write":
		size, err := strconv.ParseInt(os.Args[3], 10, 64)
		check(err)
		f, err := os.Create(os.Args[2])
		check(err)
		for total < size {
			n, err := f.Write(buf[:min(int64(len(buf)), size-total)])
			check(err)
			total += int64(n)
		}
		check(f.Close())
	}
	fmt.Printf("ns %s-%dB %d\n", os.Args[1], total, time.Since(start).Nanoseconds())
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "fatbench:", err)
		os.Exit(1)
	}
}
