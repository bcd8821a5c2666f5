package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/burrow-os/burrow/kernel/core"
)

// console is the Go kernel's console: a line editor on the UART (the C core
// serves reads of fd 0 from the PL011) and a few commands.
func console() {
	fmt.Print("Type 'help' for commands.\n")
	in := bufio.NewReader(os.Stdin)
	for {
		fmt.Print("burrow> ")
		line, err := readLine(in)
		if err != nil {
			fmt.Println("console:", err)
			return
		}
		run(strings.TrimSpace(line))
	}
}

// readLine reads one line, echoing what is typed and handling backspace,
// because the UART gives raw characters.
func readLine(in *bufio.Reader) (string, error) {
	var b []byte
	for {
		c, err := in.ReadByte()
		if err != nil {
			return "", err
		}
		switch {
		case c == '\r' || c == '\n':
			fmt.Print("\n")
			return string(b), nil
		case (c == 0x7f || c == '\b') && len(b) > 0:
			b = b[:len(b)-1]
			fmt.Print("\b \b")
		case c >= ' ' && c < 0x7f:
			b = append(b, c)
			fmt.Printf("%c", c)
		}
	}
}

func run(line string) {
	switch line {
	case "":
	case "help":
		fmt.Print("commands:\n" +
			"  help      this list\n" +
			"  info      the C core's counters: memory, threads, system calls\n" +
			"  mem       the Go heap (runtime.MemStats)\n" +
			"  gc        run the garbage collector and return memory to the C core\n" +
			"  stack     every goroutine's stack\n" +
			"  klog      the kernel log ring, from the start\n" +
			"  poweroff  stop the machine\n")
	case "info":
		s, err := core.ReadStats()
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("committed %d KiB of Go kernel memory; %d of %d pages free\n",
			s.CommittedPages*4, s.FreePages, s.TotalPages)
		fmt.Printf("%d threads, %d switches, %d system calls, %d interrupts, %d areas\n",
			s.Threads, s.Switches, s.Syscalls, s.IRQs, s.VMAs)
	case "mem":
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		fmt.Printf("heap %d KiB in use, %d KiB from the OS, %d GC cycles, %d goroutines\n",
			m.HeapInuse>>10, m.Sys>>10, m.NumGC, runtime.NumGoroutine())
	case "gc":
		debug.FreeOSMemory()
		fmt.Println("collected; free pages returned to the C core")
	case "stack":
		buf := make([]byte, 1<<16)
		os.Stdout.Write(buf[:runtime.Stack(buf, true)])
	case "klog":
		buf := make([]byte, 64<<10)
		n, _ := core.KlogRead(buf, 0)
		os.Stdout.Write(buf[:n])
	case "poweroff":
		core.PowerOff(0)
	default:
		fmt.Printf("unknown command %q; try help\n", line)
	}
}
