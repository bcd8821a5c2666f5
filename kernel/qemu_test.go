package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/burrow-os/burrow/qemu"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bootGo boots the image with the Go kernel under icount and returns the run.
// The whole console also goes to build/test-logs/<test>.log: a Go crash
// with every goroutine's stack can outgrow qemu.MaxLines, and the cause is
// at the top. A failed test names the file and the run's seed.
func bootGo(t *testing.T, board, args string) *qemu.Result {
	t.Helper()
	logPath := filepath.Join(testenv.Build(t, "test-logs"), strings.NewReplacer("/", "-", " ", "_").Replace(t.Name())+".log")
	require.NoError(t, os.MkdirAll(filepath.Dir(logPath), 0o755))
	log, err := os.Create(logPath)
	require.NoError(t, err)
	defer log.Close()
	var res *qemu.Result
	t.Cleanup(func() {
		if t.Failed() && res != nil {
			t.Logf("whole console: %s; seed=%d reproduces the run", logPath, res.Seed)
		}
	})
	res, err = qemu.Run(context.Background(), qemu.Config{
		Console:     log,
		Board:       board,
		Kernel:      testenv.Build(t, "kernel8.img"),
		Root:        testenv.Root(t),
		Append:      "semihosting=1 " + args,
		Icount:      true,
		Semihosting: true,
		Protocol:    true,
		Backstop:    10 * time.Minute,
	})
	require.NoError(t, err, "console:\n%s", strings.Join(res.Lines, "\n"))
	return res
}

// assertAllPassed checks that the run exited 0, that every reported check
// passed, and that each named check was among them.
func assertAllPassed(t *testing.T, res *qemu.Result, want ...string) {
	t.Helper()
	console := strings.Join(res.Lines, "\n")
	assert.Equal(t, 0, res.ExitCode, "console:\n%s", console)
	got := map[string]string{}
	for _, r := range res.Find("result") {
		got[r.Get("name")] = r.Get("status")
		assert.Equal(t, "pass", r.Get("status"), "%s: %s", r.Get("name"), r.Get("detail"))
	}
	for _, name := range want {
		assert.Equal(t, "pass", got[name], "check %s", name)
	}
}

// TestQEMURuntime is the hybrid core's acceptance test: the unmodified Go
// runtime's stress test passes at EL1, then runs for 10 s of virtual time
// under load, with no unimplemented system call along the way.
func TestQEMURuntime(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img")
	cases := []struct{ board, args string }{
		{"raspi4b", "test=runtime"},
		{"virt", "test=runtime GOMAXPROCS=4"}, // several Ps: needs preemption
	}
	for _, c := range cases {
		t.Run(c.board, func(t *testing.T) {
			t.Parallel()
			res := bootGo(t, c.board, c.args)
			console := strings.Join(res.Lines, "\n")
			assert.Equal(t, 0, res.ExitCode, "console:\n%s", console)
			assert.NotContains(t, console, "unimplemented syscall")
			assert.Empty(t, res.Rejected)
			want := []string{"goroutines", "select-timers", "sleep", "ticker", "gc-returns-memory",
				"maps", "defer-recover", "stack", "cpu-accounting", "wait-irq", "load", "no-unimplemented-syscalls"}
			got := map[string]string{}
			for _, r := range res.Find("result") {
				got[r.Get("name")] = r.Get("status")
				if r.Get("status") != "pass" {
					t.Errorf("%s: %s", r.Get("name"), r.Get("detail"))
				}
			}
			for _, name := range want {
				assert.Equal(t, "pass", got[name], "check %s", name)
			}
			stats := res.Find("stats")
			require.Len(t, stats, 1)
			ms, err := strconv.Atoi(stats[0].Get("virtual_ms"))
			require.NoError(t, err)
			assert.GreaterOrEqual(t, ms, 10000, "virtual time the run covered")
			t.Logf("%s: %s", c.board, stats[0])
			done := res.Find("done")
			require.Len(t, done, 1)
			assert.Equal(t, "pass", done[0].Get("status"))
		})
	}
}

// TestQEMUGoPanic: a Go panic prints the runtime's own traceback on the
// console and stops the machine with the runtime's exit status, 2.
func TestQEMUGoPanic(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img")
	res := bootGo(t, "virt", "test=gopanic")
	console := strings.Join(res.Lines, "\n")
	assert.Equal(t, 2, res.ExitCode, "console:\n%s", console)
	assert.Contains(t, console, "panic: assignment to entry in nil map")
	assert.Contains(t, console, "goroutine 1 [running]:")
	assert.Regexp(t, `main\.runTest\(.*\)\n\s+/.*kernel/tests\.go:\d+`, console)
	assert.Empty(t, res.Find("done"))
}

// TestQEMUDeterministic: with the same seed= under icount, two runs execute
// the same instructions, so every figure they report is identical.
func TestQEMUDeterministic(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img")
	run := func() []string {
		res, err := qemu.Run(context.Background(), qemu.Config{
			Board: "virt", Kernel: testenv.Build(t, "kernel8.img"), Root: testenv.Root(t),
			Append: "semihosting=1 test=bench", Icount: true, Semihosting: true,
			Protocol: true, Seed: 42, Backstop: 5 * time.Minute,
		})
		require.NoError(t, err)
		require.Equal(t, 0, res.ExitCode)
		var figures []string
		for _, r := range res.Reports {
			figures = append(figures, r.String())
		}
		return figures
	}
	first, second := run(), run()
	require.NotEmpty(t, first)
	assert.Equal(t, first, second, "two runs with seed=42 under icount")
}

// TestQEMUMemoryManager brings up kernel/mm at EL1 on the machine's own
// device tree and hand-over region, adopting the C core's live kernel page
// tables, and runs its checks, including ones the real MMU must agree with.
func TestQEMUMemoryManager(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img")
	for _, board := range []string{"raspi4b", "virt"} {
		t.Run(board, func(t *testing.T) {
			t.Parallel()
			res := bootGo(t, board, "test=mm")
			require.GreaterOrEqual(t, len(res.Find("result")), 10, "checks reported")
			assertAllPassed(t, res, "mm-init", "mm-mmu-two-aliases", "mm-mmu-unmap-faults", "mm-mmu-dma-buffer")
			assert.NotEmpty(t, res.Find("bench"))
		})
	}
}

// TestQEMUUserMode: the Switch model end to end. A Go task enters a user
// program at EL0 through core.SwitchToUser, and a system call, a page fault
// (then resumed), the tick, a privileged instruction and a load from kernel
// memory each return to Go with the program's registers saved.
func TestQEMUUserMode(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img")
	for _, board := range []string{"raspi4b", "virt"} {
		t.Run(board, func(t *testing.T) {
			t.Parallel()
			res := bootGo(t, board, "test=user")
			assertAllPassed(t, res, "user-svc", "user-fault-and-resume", "user-preempted-by-tick",
				"user-fp-state", "user-privilege", "user-bad-arguments")
		})
	}
}

// scenarioLines returns the "ai-scenario" lines of a transcript.
func scenarioLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.HasPrefix(l, "ai-scenario ") {
			out = append(out, strings.TrimRight(l, "\r"))
		}
	}
	return out
}

// TestQEMUAIEngine: the Go kernel makes its boot-time AI decision, and its
// engine answers the fixed scenarios token for token (and logit bit for
// bit) like the same engine built for linux/arm64 and run under Linux's ABI
// by qemu-aarch64 (Debian's qemu-user).
func TestQEMUAIEngine(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img")
	user, err := exec.LookPath("qemu-aarch64")
	require.NoError(t, err, "qemu-aarch64 (Debian qemu-user) is installed by scripts/setup.sh")
	bin := filepath.Join(t.TempDir(), "aidemo")
	build := exec.Command("go", "build", "-o", bin, "./ai/cmd/aidemo")
	build.Dir = testenv.Root(t)
	build.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command(user, bin).Output()
	require.NoError(t, err)
	want := scenarioLines(strings.Split(string(out), "\n"))
	require.NotEmpty(t, want)

	res := bootGo(t, "virt", "test=ai")
	console := strings.Join(res.Lines, "\n")
	assert.Equal(t, 0, res.ExitCode, "console:\n%s", console)
	assert.Equal(t, want, scenarioLines(res.Lines), "the kernel's transcript against linux/arm64's")
	demo := res.Find("ai")
	require.Len(t, demo, 1, "the boot-time demonstration decision")
	assert.Equal(t, "true", demo[0].Get("model"), "the shipped model loaded")
	ns, err := strconv.ParseInt(demo[0].Get("demo_ns"), 10, 64)
	require.NoError(t, err)
	assert.Less(t, ns, int64(time.Second), "decision latency in virtual time (plan: under 1 s)")
	t.Logf("boot-time AI decision: %d instructions", ns)
}
