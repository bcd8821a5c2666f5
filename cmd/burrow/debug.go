package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/burrow-os/burrow/debugger"
	"github.com/burrow-os/burrow/debugger/tui"
	"github.com/burrow-os/burrow/qemu"
)

func init() {
	register(command{
		name:    "debug",
		summary: "debug the kernel under QEMU (or any GDB stub): TUI, or --batch scripts",
		run:     runDebug,
	})
}

func runDebug(args []string) int {
	fs := flag.NewFlagSet("burrow debug", flag.ContinueOnError)
	attach := fs.String("attach", "", "attach to a running GDB stub at host:port or a Unix socket path, instead of starting QEMU")
	batch := fs.String("batch", "", "run the commands in this file (- for stdin) and exit, instead of the TUI")
	asJSON := fs.Bool("json", false, "with --batch: print one JSON object per command")
	board := fs.String("board", "raspi4b", "QEMU board to start: "+strings.Join(qemu.BoardNames(), ", "))
	kernel := fs.String("kernel", "build/kernel8.img", "kernel to boot: a raw Image (kernel8.img) or an ELF")
	elfs := fs.String("elf", "", "comma-separated ELFs for symbols (default build/ckernel.elf and build/burrow.elf when present)")
	timeout := fs.Duration("timeout", 30*time.Second, "with --batch: interrupt a continue that has not stopped after this long")
	console := fs.String("console", "build/debug-console.log", "where the started QEMU's console output goes")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	root := os.Getenv("BURROW_ROOT")
	if root == "" {
		root = "."
	}
	build := func(n string) string { return filepath.Join(root, "build", n) }
	var symFiles []string
	if *elfs != "" {
		symFiles = strings.Split(*elfs, ",")
	} else {
		for _, n := range []string{"ckernel.elf", "burrow.elf"} {
			if _, err := os.Stat(build(n)); err == nil {
				symFiles = append(symFiles, build(n))
			}
		}
	}

	addr := *attach
	if addr == "" {
		k := *kernel
		if !filepath.IsAbs(k) {
			k = filepath.Join(root, k)
		}
		if _, err := os.Stat(k); err != nil {
			fmt.Fprintf(os.Stderr, "burrow debug: no kernel at %s: run make kernel (%v)\n", k, err)
			return 1
		}
		dir, err := os.MkdirTemp("", "burrow-debug")
		if err != nil {
			fmt.Fprintln(os.Stderr, "burrow debug:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		addr = filepath.Join(dir, "gdb.sock")
		stop, err := startQEMU(qemu.Config{Board: *board, Kernel: k, Root: root, GDBSocket: addr, Halted: true}, *console)
		if err != nil {
			fmt.Fprintln(os.Stderr, "burrow debug:", err)
			return 1
		}
		defer stop()
	}

	s, err := debugger.Attach(addr, symFiles, 5*time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, "burrow debug:", err)
		return 1
	}
	defer s.Close()

	if *batch == "" && !isTerminal(os.Stdin) {
		*batch = "-"
	}
	if *batch != "" {
		var in io.Reader = os.Stdin
		if *batch != "-" {
			f, err := os.Open(*batch)
			if err != nil {
				fmt.Fprintln(os.Stderr, "burrow debug:", err)
				return 1
			}
			defer f.Close()
			in = f
		}
		s.WaitTimeout = *timeout
		failed, err := debugger.Batch(s, in, os.Stdout, *asJSON)
		if err != nil {
			fmt.Fprintln(os.Stderr, "burrow debug:", err)
			return 1
		}
		if failed > 0 {
			return 1
		}
		return 0
	}
	if err := tui.Run(s); err != nil {
		fmt.Fprintln(os.Stderr, "burrow debug:", err)
		return 1
	}
	return 0
}

// startQEMU starts QEMU halted with its gdbstub on cfg.GDBSocket, its
// console going to the named file, and returns a function that stops it.
func startQEMU(cfg qemu.Config, console string) (func(), error) {
	args, err := cfg.Args(false)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(console), 0o755); err != nil {
		return nil, err
	}
	out, err := os.Create(console)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(qemu.DefaultQEMU, args...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		out.Close()
		return nil, fmt.Errorf("starting QEMU: %w", err)
	}
	stop := func() {
		cmd.Process.Kill()
		cmd.Wait()
		out.Close()
	}
	for i := 0; i < 100; i++ {
		if _, err := os.Stat(cfg.GDBSocket); err == nil {
			return stop, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	return nil, fmt.Errorf("QEMU's gdbstub never appeared at %s (see %s)", cfg.GDBSocket, console)
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
