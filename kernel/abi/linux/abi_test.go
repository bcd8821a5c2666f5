package linux

import (
	"testing"
	"unsafe"
)

func TestSizes(t *testing.T) {
	cases := []struct {
		name      string
		got, want uintptr
	}{
		{"Stat", unsafe.Sizeof(Stat{}), 128},
		{"Timespec", unsafe.Sizeof(Timespec{}), 16},
		{"Iovec", unsafe.Sizeof(Iovec{}), 16},
		{"Termios", unsafe.Sizeof(Termios{}), 36},
		{"Winsize", unsafe.Sizeof(Winsize{}), 8},
		{"Utsname", unsafe.Sizeof(Utsname{}), 390},
		{"Sigaction", unsafe.Sizeof(Sigaction{}), 32},
		{"Stack", unsafe.Sizeof(Stack{}), 24},
		{"Sysinfo", unsafe.Sizeof(Sysinfo{}), 112},
		{"Siginfo", unsafe.Sizeof(Siginfo{}), SizeofSiginfo},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("Sizeof(%s) = %d, want %d", c.name, c.got, c.want)
		}
	}
}

// TestNumbers spot-checks the generated tables against asm-generic/unistd.h
// and errno-base.h.
func TestNumbers(t *testing.T) {
	cases := []struct {
		name      string
		got, want uint64
	}{
		{"SYS_WRITE", SYS_WRITE, 64},
		{"SYS_EXIT_GROUP", SYS_EXIT_GROUP, 94},
		{"SYS_CLONE", SYS_CLONE, 220},
		{"SYS_EXECVE", SYS_EXECVE, 221},
		{"SYS_RT_SIGRETURN", SYS_RT_SIGRETURN, 139},
		{"SYS_STATX", SYS_STATX, 291},
		{"ENOENT", uint64(ENOENT), 2},
		{"EFAULT", uint64(EFAULT), 14},
		{"ENOSYS", uint64(ENOSYS), 38},
		{"SIGSEGV", uint64(SIGSEGV), 11},
		{"SIGURG", uint64(SIGURG), 23},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	if got := SyscallNames[SYS_OPENAT]; got != "openat" {
		t.Errorf("SyscallNames[SYS_OPENAT] = %q, want openat", got)
	}
	if got := EFAULT.Error(); got != "bad address" {
		t.Errorf("EFAULT.Error() = %q, want bad address", got)
	}
	if got := Errno(4000).Error(); got != "errno 4000" {
		t.Errorf("Errno(4000).Error() = %q, want errno 4000", got)
	}
}
