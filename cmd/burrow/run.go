package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/burrow-os/burrow/qemu"
)

func init() {
	register(command{
		name:    "run",
		summary: "boot Burrow in QEMU with the console on this terminal",
		run:     runCmd,
	})
}

func runCmd(args []string) int {
	fs := flag.NewFlagSet("burrow run", flag.ContinueOnError)
	board := fs.String("board", "raspi4b", fmt.Sprintf("QEMU board: %v", qemu.BoardNames()))
	kernel := fs.String("kernel", "build/kernel8.img", "kernel to boot: a raw Image (kernel8.img) or an ELF (ckernel.elf)")
	appendArgs := fs.String("append", "", "kernel command line")
	icount := fs.Bool("icount", false, "run under -icount shift=0,sleep=off (for measuring; idle time jumps ahead)")
	gdb := fs.String("gdb", "", "start a gdbstub on this Unix socket path")
	halted := fs.Bool("S", false, "start with the CPUs halted, for a debugger to attach")
	semihosting := fs.Bool("semihosting", false, "let the kernel exit QEMU through semihosting")
	initrd := fs.String("initrd", defaultInitrd(), "initial RAM disk: the root file system for user programs (\"\" for none)")
	sd := fs.String("sd", defaultCard(), "SD card image (make sdcard): /init mounts its FAT32 partition at /boot, and writes go to the file (\"\" for none)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: burrow run [flags]\n\nBoots a kernel in QEMU with its console on this terminal. Ctrl-A X quits, Ctrl-A C opens the QEMU monitor.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	if _, err := os.Stat(*kernel); err != nil {
		fmt.Fprintf(os.Stderr, "burrow run: %v (make kernel builds it)\n", err)
		return 1
	}
	if *icount {
		fmt.Fprintln(os.Stderr, "burrow run: note: under -icount idle time jumps ahead, so timers fire early in wall time")
	}
	cfg := qemu.Config{
		Board:       *board,
		Kernel:      *kernel,
		Append:      *appendArgs,
		Icount:      *icount,
		Semihosting: *semihosting,
		GDBSocket:   *gdb,
		Halted:      *halted,
		Initrd:      *initrd,
	}
	if *semihosting {
		cfg.Append = joinArgs(cfg.Append, "semihosting=1")
	}
	if *sd != "" {
		drive, err := cardDrive(*board, *sd)
		if err != nil {
			fmt.Fprintf(os.Stderr, "burrow run: %v\n", err)
			return 2
		}
		cfg.Extra = append(cfg.Extra, drive...)
	}
	line, err := cfg.CommandLine(true)
	if err != nil {
		fmt.Fprintf(os.Stderr, "burrow run: %v\n", err)
		return 2
	}
	fmt.Fprintf(os.Stderr, "burrow run: %s\nburrow run: Ctrl-A X quits\n", line)
	if err := qemu.Interactive(cfg); err != nil {
		fmt.Fprintf(os.Stderr, "burrow run: %v\n", err)
		return 1
	}
	return 0
}

// defaultInitrd is build/initramfs.cpio (make initramfs) when it exists.
func defaultInitrd() string {
	const p = "build/initramfs.cpio"
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// defaultCard is build/sdcard.img (make sdcard) when it exists.
func defaultCard() string {
	const p = "build/sdcard.img"
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// cardDrive returns the QEMU arguments that attach a card image: on
// raspi4b the SD card slot (QEMU wires -drive if=sd to the legacy SDHCI,
// and wants a power-of-two size), on virt a virtio disk.
func cardDrive(board, path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("SD card image: %w (make sdcard builds one)", err)
	}
	if strings.HasPrefix(board, "virt") {
		return []string{"-drive", "if=none,id=sd,format=raw,file=" + path, "-device", "virtio-blk-device,drive=sd"}, nil
	}
	if size := st.Size(); size <= 0 || size&(size-1) != 0 {
		return nil, fmt.Errorf("SD card image %s is %d bytes: QEMU's SD card must be a power of two (truncate -s 64M %s)", path, size, path)
	}
	return []string{"-drive", "if=sd,format=raw,file=" + path}, nil
}

// joinArgs joins two kernel command lines with a space.
func joinArgs(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}
