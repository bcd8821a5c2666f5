package smptest

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/burrow-os/burrow/qemu"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQEMUSMPCPUAccounting boots the Go kernel on four cores and reads the
// per-CPU time two ways: from busybox at EL0, /proc/stat, and the kernel
// console's cpus command. Every core must be online in both, and each
// /proc/stat cpuN line must carry Linux's ten fields.
func TestQEMUSMPCPUAccounting(t *testing.T) {
	needSMPTier(t, "kernel8.img", "initramfs.cpio")
	res, err := qemu.Run(context.Background(), qemu.Config{
		Board: "raspi4b", Kernel: testenv.Build(t, "kernel8.img"), Root: testenv.Root(t),
		Initrd: testenv.Build(t, "initramfs.cpio"), Append: "semihosting=1 cpus=4",
		Semihosting: true, Backstop: 4 * time.Minute,
		Input: []qemu.Input{
			// Boot ends in busybox's shell; its exit returns to the
			// kernel console.
			{After: "burrow$ ", Text: "cat /proc/stat; exit\r"},
			{After: "burrow> ", Text: "cpus\r"},
			{After: "CPUs online;", Text: "poweroff\r"},
		},
	})
	console := strings.Join(res.Lines, "\n")
	require.NoError(t, err, "console:\n%s", console)
	assert.Equal(t, 0, res.ExitCode, "console:\n%s", console)
	assert.Contains(t, console, "4 of 4 CPUs online", "the cpus command")
	for _, n := range []string{"0", "1", "2", "3"} {
		assert.Regexp(t, `(?m)^\s*`+n+`\s+online\s+\S+\s+\d+\.\d%\s+\S+\s+\d+\.\d%`, console, "cpus row %s", n)
		assert.Regexp(t, `(?m)^cpu`+n+`( \d+){10}\r?$`, console, "/proc/stat cpu%s line", n)
	}
	m := regexp.MustCompile(`(?m)^cpu  (\d+) \d+ (\d+) (\d+)`).FindStringSubmatch(console)
	require.NotNil(t, m, "/proc/stat total line; console:\n%s", console)
	assert.NotEqual(t, "0", m[3], "idle ticks in /proc/stat (four cores mostly wait for input)")
}
