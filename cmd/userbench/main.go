// Command userbench measures what an operating system charges a user
// program for the four things issue #10 names: a null system call (raw
// getppid), a pipe round trip between two goroutines, vfork+exec+wait of a
// small static program, and a demand-zero page fault.
//
// It is a static linux/arm64 Go program (CGO_ENABLED=0) that runs at EL0,
// the same binary as /init under Debian's Linux and as /init on Burrow
// (kernel/proc), both on QEMU virt under -icount shift=0, where one
// nanosecond of guest time (clock_gettime(CLOCK_MONOTONIC), through the
// vDSO on both) is one instruction. `make bench-user` runs both and
// reports the ratios.
//
// Each benchmark prints a line "bench <name> <iterations> <ns/op>" and,
// when a nonce is known, a protocol line (qemu/PROTOCOL.md) with the same
// figures. The nonce comes from the arguments (nonce=...), the environment
// (Linux passes unknown boot words to init there), or the file /etc/nonce
// that the harness writes into the initramfs (Burrow's init gets no boot
// words). Likewise /etc/benchscale, when present, overrides -scale.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"syscall"
)

func main() {
	noop := flag.Bool("noop", false, "exit at once (the program the exec benchmark starts)")
	scale := flag.Float64("scale", 1, "multiply every iteration count by this (0.01 for a smoke test)")
	flag.Parse()
	if *noop {
		return
	}
	if b, err := os.ReadFile("/etc/benchscale"); err == nil { // written by the harness
		if _, err := fmt.Sscan(string(b), scale); err != nil || *scale <= 0 {
			fmt.Printf("userbench: /etc/benchscale: %q is not a positive number\n", b)
			os.Exit(2)
		}
	}
	if os.Getpid() == 1 {
		// As init, make sure of /dev (os/exec opens /dev/null for the
		// children's standard files), as kernel/userland/init does: Linux
		// starts init with an empty /dev; Burrow has devfs there already
		// and answers mount(2) for it.
		if err := syscall.Mount("devtmpfs", "/dev", "devtmpfs", 0, ""); err != nil && err != syscall.EBUSY {
			fmt.Println("userbench: mount devtmpfs on /dev:", err)
		}
	}
	id := nonceFrom(flag.Args(), os.Getenv, "/etc/nonce")
	failed := false
	for _, b := range benchmarks {
		n := max(1, int(float64(b.iters)**scale))
		ns, err := b.run(n)
		if err != nil {
			fmt.Printf("userbench: %s: %v\n", b.name, err)
			if id != "" {
				fmt.Printf("@burrow %s result name=%s status=fail detail=%q\n", id, b.name, err.Error())
			}
			failed = true
			continue
		}
		fmt.Printf("bench %s %d %.1f\n", b.name, n, ns)
		if id != "" {
			fmt.Printf("@burrow %s bench name=%s iters=%d ns_per_op=%.1f\n", id, b.name, n, ns)
		}
	}
	status := map[bool]string{false: "pass", true: "fail"}[failed]
	fmt.Println("userbench: done,", status)
	if id != "" {
		fmt.Printf("@burrow %s done status=%s\n", id, status)
	}
	if os.Getpid() == 1 {
		// As Linux's init: stop the machine rather than panic it by
		// exiting. Burrow has no reboot(2) (ENOSYS); the harness stops
		// QEMU once it has seen the done line.
		syscall.Reboot(syscall.LINUX_REBOOT_CMD_POWER_OFF)
	}
}

// nonceFrom finds this run's protocol nonce in args (nonce=...), else in
// the environment, else in file; it returns "" if there is none.
func nonceFrom(args []string, getenv func(string) string, file string) string {
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "nonce="); ok {
			return v
		}
	}
	if v := getenv("nonce"); v != "" {
		return v
	}
	if b, err := os.ReadFile(file); err == nil {
		return strings.TrimSpace(string(b))
	}
	return ""
}
