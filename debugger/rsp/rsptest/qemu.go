package rsptest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// StartQEMU boots kernel halted (-S) on QEMU virt with a cortex-a72 and
// two CPUs, its gdbstub on a Unix socket in t.TempDir, and returns the
// socket path. QEMU is killed when the test ends. Callers must have
// checked testenv.NeedQEMU.
func StartQEMU(t testing.TB, kernel string, extra ...string) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "gdb.sock")
	args := append([]string{"-M", "virt", "-cpu", "cortex-a72", "-smp", "2", "-m", "256M",
		"-display", "none", "-nic", "none", "-monitor", "none", "-serial", "null", "-kernel", kernel,
		"-chardev", "socket,id=gdb0,path=" + sock + ",server=on,wait=off",
		"-gdb", "chardev:gdb0", "-S"}, extra...)
	cmd := exec.Command("qemu-system-aarch64", args...)
	cmd.Stderr = os.Stderr
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
