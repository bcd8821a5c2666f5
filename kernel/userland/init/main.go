// Command init is Burrow's first user process (/init in the initramfs).
// It mounts the file systems (the SD card's boot partition at /boot when
// there is a card), starts busybox's shell on the console in a session of
// its own, reaps whatever is orphaned, syncs, and exits with the shell's
// status when the shell exits.
//
// It is a static linux/arm64 Go program running at EL0; it follows the
// Linux conventions for init (mount(2), setsid(2), TIOCSCTTY) so it would
// run the same on Linux.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// mounts are the file systems init makes sure of, as a Linux initramfs's
// init does: Burrow provides them already, and answers mount(2) for them.
var mounts = []struct{ source, target, fstype string }{
	{"proc", "/proc", "proc"},
	{"devtmpfs", "/dev", "devtmpfs"},
	{"tmpfs", "/tmp", "tmpfs"},
}

// bootSources are where the boot partition may be: the first partition
// of the SD card (a real Pi 4, QEMU raspi4b with -drive if=sd) or of the
// virtio disk (QEMU virt).
var bootSources = []string{"/dev/mmcblk0p1", "/dev/vda1"}

// mountBoot mounts the FAT32 boot partition at /boot, as Raspberry Pi OS
// does, so config.txt and kernel8.img can be read and changed from the
// shell. No card is not an error: one line says so.
func mountBoot() {
	for _, src := range bootSources {
		if _, err := os.Stat(src); err != nil {
			continue
		}
		os.MkdirAll("/boot", 0o755)
		if err := syscall.Mount(src, "/boot", "vfat", 0, ""); err != nil {
			fmt.Fprintf(os.Stderr, "init: mount %s on /boot: %v\n", src, err)
			return
		}
		fmt.Printf("init: %s (FAT32) mounted on /boot\n", src)
		return
	}
	fmt.Println("init: no SD card (no /dev/mmcblk0p1 or /dev/vda1): /boot is not mounted")
}

func main() {
	for _, m := range mounts {
		os.MkdirAll(m.target, 0o755)
		if err := syscall.Mount(m.source, m.target, m.fstype, 0, ""); err != nil && !errors.Is(err, syscall.EBUSY) {
			fmt.Fprintf(os.Stderr, "init: mount %s on %s: %v\n", m.fstype, m.target, err)
		}
	}
	mountBoot()
	shell := "/bin/sh"
	if len(os.Args) > 1 {
		shell = os.Args[1]
	}
	fmt.Printf("Burrow init: starting %s (type exit to return to the kernel console)\n", shell)
	cmd := exec.Command(shell)
	cmd.Args = []string{"-sh"} // a login shell, as getty starts it
	cmd.Env = []string{"HOME=/", "PATH=/bin:/sbin:/usr/bin", "TERM=vt100", "PS1=burrow$ ", "USER=root"}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Dir = "/"
	// The console becomes the shell's controlling terminal; without one
	// (a test runs init with /dev/null as input) the shell runs without.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: isTerminal(0), Ctty: 0}
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		fmt.Fprintln(os.Stderr, "init:", err)
		code = 1
	}
	// Reap the orphans the shell left behind.
	for {
		var ws syscall.WaitStatus
		if _, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil); err != nil {
			break
		}
	}
	// Writes to /boot are on the card already (write-through); sync is
	// what any init does before the machine goes down, and costs nothing.
	syscall.Sync()
	os.Exit(code)
}
