// Command init is Burrow's first user process (/init in the initramfs).
// It mounts the file systems, starts busybox's shell on the console in a
// session of its own, reaps whatever is orphaned, and exits with the
// shell's status when the shell exits.
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

func main() {
	for _, m := range mounts {
		os.MkdirAll(m.target, 0o755)
		if err := syscall.Mount(m.source, m.target, m.fstype, 0, ""); err != nil && !errors.Is(err, syscall.EBUSY) {
			fmt.Fprintf(os.Stderr, "init: mount %s on %s: %v\n", m.fstype, m.target, err)
		}
	}
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
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
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
	os.Exit(code)
}
