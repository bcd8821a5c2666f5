package rsptest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/burrow-os/burrow/qemu"
)

// StartQEMU boots kernel halted (-S) on QEMU's virt board (cortex-a72)
// with two CPUs, through the qemu package, with its gdbstub on a Unix
// socket in t.TempDir, and returns the socket path. QEMU is killed when
// the test ends. Callers must have checked testenv.NeedQEMU.
func StartQEMU(t testing.TB, kernel string) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "gdb.sock")
	cfg := qemu.Config{Board: "virt", Kernel: kernel, GDBSocket: sock, Halted: true, Extra: []string{"-smp", "2"}}
	args, err := cfg.Args(false)
	if err != nil {
		t.Fatalf("QEMU arguments: %v", err)
	}
	cmd := exec.Command(qemu.DefaultQEMU, args...)
	cmd.Stderr = os.Stderr // the console (stdout) is not needed
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting QEMU: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	for i := 0; i < 100; i++ {
		if _, err := os.Stat(sock); err == nil {
			return sock
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("QEMU's gdbstub socket %s never appeared", sock)
	return ""
}
