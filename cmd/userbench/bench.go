package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// A benchmark runs its operation n times and returns nanoseconds of guest
// time per operation.
type benchmark struct {
	name  string
	iters int // at -scale 1
	run   func(n int) (float64, error)
}

// benchmarks are run in this order. The counts keep a Burrow run plus a
// Linux run to a minute or two of wall time under QEMU's icount.
var benchmarks = []benchmark{
	{"getppid", 100000, nullSyscall},
	{"pipe-roundtrip", 10000, pipeRoundTrip},
	{"vfork-exec-wait-true", 200, func(n int) (float64, error) { return spawn(n, "/bin/true") }},
	{"vfork-exec-wait-self", 80, func(n int) (float64, error) { return spawn(n, os.Args[0], "-noop") }},
	{"page-fault", 100, pageFaults},
}

// perOp times f and divides by n. time.Since reads CLOCK_MONOTONIC through
// the vDSO, which under icount counts instructions.
func perOp(n int, f func() error) (float64, error) {
	start := time.Now()
	err := f()
	return float64(time.Since(start).Nanoseconds()) / float64(n), err
}

// nullSyscall is the cheapest trip into the kernel and back: getppid with
// RawSyscall, which skips the Go scheduler's entersyscall/exitsyscall.
func nullSyscall(n int) (float64, error) {
	return perOp(n, func() error {
		for range n {
			syscall.RawSyscall(syscall.SYS_GETPPID, 0, 0, 0)
		}
		return nil
	})
}

// pipeRoundTrip sends one byte to an echoing goroutine through one pipe
// and reads it back through another, n times. Each round trip is two
// writes, two reads and two wake-ups (on Linux through Go's netpoller, since
// os.Pipe's ends are non-blocking; on Burrow blocking reads, since its epoll
// refuses pipes).
func pipeRoundTrip(n int) (float64, error) {
	toR, toW, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	backR, backW, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	defer func() {
		for _, f := range []*os.File{toR, toW, backR, backW} {
			f.Close()
		}
	}()
	echoed := make(chan error, 1)
	go func() {
		b := make([]byte, 1)
		for range n {
			if _, err := toR.Read(b); err != nil {
				echoed <- err
				return
			}
			if _, err := backW.Write(b); err != nil {
				echoed <- err
				return
			}
		}
		echoed <- nil
	}()
	ns, err := perOp(n, func() error {
		b := []byte{'x'}
		for i := range n {
			if _, err := toW.Write(b); err != nil {
				return err
			}
			if _, err := backR.Read(b); err != nil {
				return err
			}
			if b[0] != 'x' {
				return fmt.Errorf("round trip %d read %q, want %q", i, b[0], 'x')
			}
		}
		return nil
	})
	return ns, errors.Join(err, <-echoed)
}

// spawn starts a program and waits for it, n times, through os/exec, which
// on linux/arm64 clones with CLONE_VFORK|CLONE_VM and then execs.
func spawn(n int, path string, args ...string) (float64, error) {
	return perOp(n, func() error {
		for range n {
			if err := exec.Command(path, args...).Run(); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
		}
		return nil
	})
}

// faultPages is the size of each mapping the page-fault benchmark touches:
// 1 MiB, too small for a 2 MiB transparent huge page (Debian's Linux has
// them on for every mapping), so each touch takes one 4 KiB fault.
const faultPages = 256

// pageFaults maps faultPages of anonymous memory, writes one byte in each
// page (a demand-zero fault: the kernel allocates and zeroes a page and
// maps it) and unmaps it, n times. The figure is per fault, with the mmap
// and munmap shared among the mapping's faults.
func pageFaults(n int) (float64, error) {
	size := faultPages * os.Getpagesize()
	ns, err := perOp(n, func() error {
		for range n {
			mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
			if err != nil {
				return fmt.Errorf("mmap: %w", err)
			}
			syscall.Madvise(mem, syscall.MADV_NOHUGEPAGE) // advice: Burrow may refuse it, nothing depends on it
			for off := 0; off < size; off += os.Getpagesize() {
				mem[off] = 1
			}
			if err := syscall.Munmap(mem); err != nil {
				return fmt.Errorf("munmap: %w", err)
			}
		}
		return nil
	})
	return ns / faultPages, err
}
