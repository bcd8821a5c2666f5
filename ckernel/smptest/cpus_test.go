package smptest

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
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
			{After: "burrow$ ", Text: "cat /proc/stat; echo nproc=$(nproc) cpuinfo=$(grep -c ^processor /proc/cpuinfo); exit\r"},
			{After: "burrow> ", Text: "cpus\r"},
			{After: "CPUs online;", Text: "poweroff\r"},
		},
	})
	console := strings.Join(res.Lines, "\n")
	require.NoError(t, err, "console:\n%s", console)
	assert.Equal(t, 0, res.ExitCode, "console:\n%s", console)
	assert.Contains(t, console, "4 of 4 CPUs online", "the cpus command")
	assert.Contains(t, console, "nproc=4 cpuinfo=4", "user space sees four CPUs (sched_getaffinity, /proc/cpuinfo)")
	for _, n := range []string{"0", "1", "2", "3"} {
		assert.Regexp(t, `(?m)^\s*`+n+`\s+online\s+\S+\s+\d+\.\d%\s+\S+\s+\d+\.\d%`, console, "cpus row %s", n)
		assert.Regexp(t, `(?m)^cpu`+n+`( \d+){10}\r?$`, console, "/proc/stat cpu%s line", n)
	}
	m := regexp.MustCompile(`(?m)^cpu  (\d+) \d+ (\d+) (\d+)`).FindStringSubmatch(console)
	require.NotNil(t, m, "/proc/stat total line; console:\n%s", console)
	assert.NotEqual(t, "0", m[3], "idle ticks in /proc/stat (four cores mostly wait for input)")
}

// TestQEMUSMPUserProcesses: four busy user processes (busybox shells
// spinning at EL0) run in parallel, one per core: between two reads of
// /proc/stat three seconds apart, every core spent at least 80% of its
// time in user mode. The quotes in the markers keep the echo of the
// command line from matching.
func TestQEMUSMPUserProcesses(t *testing.T) {
	needSMPTier(t, "kernel8.img", "initramfs.cpio")
	res, err := qemu.Run(context.Background(), qemu.Config{
		Board: "raspi4b", Kernel: testenv.Build(t, "kernel8.img"), Root: testenv.Root(t),
		Initrd: testenv.Build(t, "initramfs.cpio"), Append: "semihosting=1 cpus=4",
		Semihosting: true, Backstop: 4 * time.Minute,
		Input: []qemu.Input{
			{After: "burrow$ ", Text: "for i in 1 2 3 4; do (while :; do :; done) & done; sleep 1; " +
				"echo snap-\"\"A; grep cpu /proc/stat; sleep 3; echo snap-\"\"B; grep cpu /proc/stat; " +
				"kill %1 %2 %3 %4; exit\r"},
			{After: "burrow> ", Text: "poweroff\r"},
		},
	})
	console := strings.Join(res.Lines, "\n")
	require.NoError(t, err, "console:\n%s", console)
	a, b := statAfter(res.Lines, "snap-A"), statAfter(res.Lines, "snap-B")
	require.Len(t, a, 4, "cpuN lines after snap-A; console:\n%s", console)
	require.Len(t, b, 4, "cpuN lines after snap-B; console:\n%s", console)
	var figs []string
	for n := 0; n < 4; n++ {
		var total, user uint64
		for i := range b[n] {
			total += b[n][i] - a[n][i]
		}
		user = b[n][0] - a[n][0]
		require.NotZero(t, total, "cpu%d: no time passed", n)
		pct := 100 * float64(user) / float64(total)
		assert.GreaterOrEqual(t, pct, 80.0, "cpu%d user share between the reads", n)
		figs = append(figs, fmt.Sprintf("cpu%d %.0f%%", n, pct))
	}
	t.Logf("user time, four spinning shells: %s", strings.Join(figs, ", "))
}

// statAfter returns the cpuN lines' ten fields that follow the line marker.
func statAfter(lines []string, marker string) [][]uint64 {
	re := regexp.MustCompile(`^cpu(\d) ((?:\d+ ){9}\d+)\r?$`)
	var out [][]uint64
	seen := false
	for _, l := range lines {
		if strings.TrimRight(l, "\r") == marker {
			seen = true
			continue
		}
		m := re.FindStringSubmatch(l)
		if !seen || m == nil {
			if seen && len(out) > 0 {
				break
			}
			continue
		}
		var f []uint64
		for _, s := range strings.Fields(m[2]) {
			v, _ := strconv.ParseUint(s, 10, 64)
			f = append(f, v)
		}
		out = append(out, f)
	}
	return out
}
