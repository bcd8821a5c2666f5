package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/kernel/core"
)

// console is the Go kernel's console: a line editor on the UART and a few
// commands. It reads from consoleIn, the PL011 driver's interrupt-driven
// receive ring (or the C core's polled fd 0 if no UART driver bound),
// through the keyboard router it shares with the shell. Later subsystems
// add commands to the commands table.
func console() {
	fmt.Print("Burrow kernel console. Type 'help' for commands.\n")
	in := bufio.NewReader(keyboard)
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

// command is one console command.
type command struct {
	name, help string
	run        func()
}

// commands is the console's table; help lists it in this order.
var commands = []command{
	{"devices", "the device list: state, driver, IRQ counts, errors, init time", showDevices},
	{"irq", "interrupt counts per line", showIRQs},
	{"mem", "memory: the C core's pages and the Go heap", showMem},
	{"log", "the kernel log ring, from the start", showLog},
	{"threads", "the C core's threads and counters", showThreads},
	{"cpus", "per-CPU time: busy, idle, interrupts, user, system (console_cpus.go)", showCPUs},
	{"goroutines", "every goroutine's stack", showGoroutines},
	{"gc", "run the garbage collector and return memory to the C core", func() {
		debug.FreeOSMemory()
		fmt.Println("collected; free pages returned to the C core")
	}},
	{"poweroff", "stop the machine", func() { core.PowerOff(0) }},
}

// aliases are the commands' earlier names.
var aliases = map[string]string{"info": "threads", "stack": "goroutines", "klog": "log"}

func run(line string) {
	if line == "" {
		return
	}
	if a, ok := aliases[line]; ok {
		line = a
	}
	if line == "help" {
		help()
		return
	}
	for _, c := range commands {
		if c.name == line {
			c.run()
			return
		}
	}
	fmt.Printf("unknown command %q; try help\n", line)
}

func help() {
	fmt.Println("commands:")
	fmt.Printf("  %-11s %s\n", "help", "this list")
	for _, c := range commands {
		fmt.Printf("  %-11s %s\n", c.name, c.help)
	}
}

func showDevices() {
	if devices == nil {
		fmt.Println("no devices: probing failed at boot")
		return
	}
	for _, d := range devices.Devices {
		if d.State == drivers.Found && d.Binding == nil {
			continue // the report at boot lists nodes without a driver
		}
		fmt.Println(d)
		var s string
		if d.State == drivers.Bound && d.Driver.Control(drivers.ControlDescribe, &s) == nil {
			fmt.Println("    " + s)
		}
		if e := d.LastError(); e != "" {
			fmt.Println("    last error: " + e)
		}
	}
	for _, b := range devices.Missing {
		fmt.Printf("%-32s absent    no %s in the device tree\n", b.Name, b.Compatible[0])
	}
}

func showIRQs() {
	s, err := core.ReadStats()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d interrupts taken by the C core (its timer tick included)\n", s.IRQs)
	if devices == nil {
		return
	}
	var lines []string
	for _, d := range devices.Devices {
		if d.State == drivers.Bound && d.Serving {
			lines = append(lines, fmt.Sprintf("  %4s  %-8s %-32s %d", fmt.Sprint(d.ServedLines()), d.Binding.Name, d.Path, d.IRQCount()))
		}
	}
	sort.Strings(lines)
	fmt.Println("  lines driver   device                           count")
	for _, l := range lines {
		fmt.Println(l)
	}
}

func showMem() {
	s, err := core.ReadStats()
	if err == nil {
		fmt.Printf("RAM pages (C core): %d free of %d (%d MiB of %d MiB)\n",
			s.FreePages, s.TotalPages, s.FreePages>>8, s.TotalPages>>8)
		fmt.Printf("Go kernel memory committed: %d KiB in %d areas\n", s.CommittedPages*4, s.VMAs)
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Printf("Go heap: %d KiB in use, %d KiB from the OS, %d GC cycles, %d goroutines\n",
		m.HeapInuse>>10, m.Sys>>10, m.NumGC, runtime.NumGoroutine())
}

func showLog() {
	buf := make([]byte, 64<<10)
	n, _ := core.KlogRead(buf, 0)
	os.Stdout.Write(buf[:n])
}

func showThreads() {
	s, err := core.ReadStats()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d C core threads (the Go runtime's Ms), %d context switches, %d system calls, %d interrupts\n",
		s.Threads, s.Switches, s.Syscalls, s.IRQs)
}

func showGoroutines() {
	buf := make([]byte, 1<<16)
	os.Stdout.Write(buf[:runtime.Stack(buf, true)])
}
