// Command ctxbench measures what an operating system charges a Go program:
// a thread switch (two goroutines locked to their own threads, waking each
// other through futexes), a system call round trip, a goroutine switch and
// an allocation. It is a static linux/arm64 Go program, so the same source
// runs as a process under Debian's Linux on QEMU virt and as the payload of
// a Burrow image, and `make bench-linux` compares the two under icount,
// where one nanosecond of guest time is one instruction.
//
// It prints one protocol line per benchmark (qemu/PROTOCOL.md), with the
// nonce found among its arguments or, under Linux, where the kernel passes
// unknown boot parameters, its environment.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"time"
)

func nonce() string {
	for _, a := range os.Args[1:] {
		if v, ok := strings.CutPrefix(a, "nonce="); ok {
			return v
		}
	}
	return os.Getenv("nonce")
}

// perOp runs f(n) and returns nanoseconds of guest time per operation.
func perOp(n int, f func(n int)) float64 {
	start := time.Now()
	f(n)
	return float64(time.Since(start).Nanoseconds()) / float64(n)
}

func pingPong(n int, locked bool) {
	ping, pong, done := make(chan int), make(chan int), make(chan bool)
	go func() {
		if locked {
			runtime.LockOSThread()
		}
		for i := 0; i < n; i++ {
			pong <- <-ping
		}
		done <- true
	}()
	if locked {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
	}
	for i := 0; i < n; i++ {
		ping <- i
		<-pong
	}
	<-done
}

var sink *[64]byte

func main() {
	runtime.GOMAXPROCS(1)
	rows := []struct {
		name string
		ns   float64
	}{
		{"thread switch (futex ping-pong)", perOp(2000, func(n int) { pingPong(n, true) }) / 2},
		{"goroutine switch (channel ping-pong)", perOp(20000, func(n int) { pingPong(n, false) }) / 2},
		{"system call round trip (getppid)", perOp(100000, func(n int) {
			for i := 0; i < n; i++ {
				syscall.RawSyscall(syscall.SYS_GETPPID, 0, 0, 0)
			}
		})},
		{"go new 64 B", perOp(200000, func(n int) {
			for i := 0; i < n; i++ {
				sink = new([64]byte)
			}
		})},
	}
	id := nonce()
	for _, r := range rows {
		fmt.Printf("%-40s %10.1f ns/op\n", r.name, r.ns)
		if id != "" {
			fmt.Printf("@burrow %s bench name=%q ns_per_op=%.1f\n", id, r.name, r.ns)
		}
	}
	if id != "" {
		fmt.Printf("@burrow %s done status=pass\n", id)
	}
	if os.Getpid() == 1 && !onBurrow() {
		// As Linux's init: stop the machine instead of panicking it.
		syscall.Reboot(syscall.LINUX_REBOOT_CMD_POWER_OFF)
	}
}

// onBurrow reports whether the kernel is Burrow's C core, whose uname
// release says so; there, returning from main powers the machine off.
func onBurrow() bool {
	var u syscall.Utsname
	if syscall.Uname(&u) != nil {
		return false
	}
	var b strings.Builder
	for _, c := range u.Release {
		if c == 0 {
			break
		}
		b.WriteByte(byte(c))
	}
	return strings.Contains(b.String(), "burrow")
}
