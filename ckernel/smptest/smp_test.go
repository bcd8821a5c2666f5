package smptest

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/burrow-os/burrow/qemu"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// needSMPTier skips the test outside the smp tier (mk/smp.test.sh), and
// inside it requires QEMU and the build outputs like any QEMU test.
func needSMPTier(t *testing.T, outputs ...string) {
	t.Helper()
	testenv.NeedQEMU(t, outputs...)
	if os.Getenv("BURROW_SMP_TIER") != "1" {
		t.Skip("four vCPUs each: runs alone in the smp tier (mk/smp.test.sh, BURROW_SMP_TIER=1)")
	}
}

// boards are where every SMP test runs: the Pi 4 (spin-table, four cores
// always) and virt (PSCI; -smp 4 gives it four).
var boards = []struct {
	name  string
	extra []string
}{
	{"raspi4b", nil},
	{"virt", []string{"-smp", "4"}},
}

// boot runs kernel8.img on four cores without icount, with the protocol.
func boot(t *testing.T, board string, extra []string, args string) *qemu.Result {
	t.Helper()
	res, err := qemu.Run(context.Background(), qemu.Config{
		Board: board, Kernel: testenv.Build(t, "kernel8.img"), Root: testenv.Root(t),
		Append: "semihosting=1 cpus=4 " + args, Semihosting: true, Protocol: true,
		Backstop: 4 * time.Minute, Extra: extra,
	})
	require.NoError(t, err, "console:\n%s", strings.Join(res.Lines, "\n"))
	assert.Empty(t, res.Rejected, "protocol lines with a wrong or missing nonce")
	return res
}

// num parses a report field as an unsigned number.
func num(t *testing.T, r qemu.Report, key string) uint64 {
	t.Helper()
	n, err := strconv.ParseUint(r.Get(key), 10, 64)
	require.NoError(t, err, "%s in %s", key, r)
	return n
}

// TestQEMUSMPLockTorture: every C-core lock, taken from all four cores for
// 2 s, never lets two cores in (the guard), never loses an increment (the
// counter equals the sum of the cores' acquisitions), and every core got
// every lock.
func TestQEMUSMPLockTorture(t *testing.T) {
	needSMPTier(t, "kernel8.img")
	for _, b := range boards {
		t.Run(b.name, func(t *testing.T) {
			res := boot(t, b.name, b.extra, "test=locktorture ms=2000")
			console := strings.Join(res.Lines, "\n")
			assert.Equal(t, 0, res.ExitCode, "console:\n%s", console)
			locks := res.Find("lock")
			require.Len(t, locks, 12, "one report per lock (8 locks and 4 run queues); console:\n%s", console)
			for _, l := range locks {
				ops, count := num(t, l, "ops"), num(t, l, "count")
				assert.Equal(t, ops, count, "%s: counter after %d increments", l.Get("name"), ops)
				var sum uint64
				for c := 0; c < 4; c++ {
					n := num(t, l, "cpu"+strconv.Itoa(c))
					assert.NotZero(t, n, "%s: cpu%d never took it", l.Get("name"), c)
					sum += n
				}
				assert.Equal(t, ops, sum, "%s: ops = the cores' sum", l.Get("name"))
			}
			tort := res.Find("locktorture")
			require.Len(t, tort, 1)
			assert.Equal(t, "0", tort[0].Get("errors"), "invariant violations")
			t.Logf("%s: %s", b.name, tort[0])
			require.Len(t, res.Find("done"), 1)
			assert.Equal(t, "pass", res.Find("done")[0].Get("status"))
		})
	}
}

// TestQEMUSMPTLBShootdown: CPU 0 unmaps a page three other cores are
// reading in a loop, then reuses its memory. With the broadcast TLBI every
// reader faults afterwards and none ever reads the reused page. The
// control run flushes only CPU 0's TLB, and the readers must then be
// caught reading stale memory: the test can tell the two apart.
func TestQEMUSMPTLBShootdown(t *testing.T) {
	needSMPTier(t, "kernel8.img")
	cases := []struct {
		name, board, args string
		extra             []string
		pass              bool
	}{
		{"raspi4b broadcast", "raspi4b", "", nil, true},
		{"virt broadcast", "virt", "", []string{"-smp", "4"}, true},
		{"raspi4b local flush (control)", "raspi4b", "tlbi=local", nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := boot(t, c.board, c.extra, "test=tlbshoot rounds=200 "+c.args)
			console := strings.Join(res.Lines, "\n")
			shoot := res.Find("tlbshoot")
			require.Len(t, shoot, 1, "console:\n%s", console)
			s := shoot[0]
			t.Logf("%s: %s", c.name, s)
			if c.pass {
				assert.Equal(t, 0, res.ExitCode, "console:\n%s", console)
				assert.Equal(t, "0", s.Get("stale"), "reads of the reused page")
				assert.Equal(t, "0", s.Get("late"), "reads that succeeded after the unmap")
				assert.Equal(t, uint64(200*3), num(t, s, "faults"), "one fault per reader per round")
				assert.NotZero(t, num(t, s, "reads"), "reads while mapped")
			} else {
				assert.Equal(t, 1, res.ExitCode, "the control run must fail; console:\n%s", console)
				assert.True(t, num(t, s, "stale")+num(t, s, "late") > 0, "a local flush leaves stale entries on the readers")
			}
		})
	}
}

// TestQEMUSMPParallel: one CPU-bound goroutine per core keeps every core
// at least 90% busy by the kernel's own accounting (test=parallel checks
// it; here each core's figure is read back and logged).
func TestQEMUSMPParallel(t *testing.T) {
	needSMPTier(t, "kernel8.img")
	for _, b := range boards {
		t.Run(b.name, func(t *testing.T) {
			res := boot(t, b.name, b.extra, "test=parallel load=2s")
			console := strings.Join(res.Lines, "\n")
			assert.Equal(t, 0, res.ExitCode, "console:\n%s", console)
			cpus := res.Find("cpu")
			require.Len(t, cpus, 4, "one report per core; console:\n%s", console)
			var figs []string
			for _, c := range cpus {
				busy, err := strconv.ParseFloat(c.Get("busy_pct"), 64)
				require.NoError(t, err)
				assert.GreaterOrEqual(t, busy, 90.0, "cpu%s busy", c.Get("n"))
				figs = append(figs, "cpu"+c.Get("n")+" "+c.Get("busy_pct")+"%")
			}
			t.Logf("%s busy: %s", b.name, strings.Join(figs, ", "))
			p := res.Find("parallel")
			require.Len(t, p, 1)
			assert.Equal(t, "4", p[0].Get("gomaxprocs"), "the runtime saw four CPUs (sched_getaffinity)")
		})
	}
}

// runtimeChecks are test=runtime's checks (kernel/tests.go).
var runtimeChecks = []string{"goroutines", "select-timers", "sleep", "ticker", "gc-returns-memory",
	"maps", "defer-recover", "stack", "cpu-accounting", "wait-irq", "load", "no-unimplemented-syscalls"}

// smpTolerated are checks whose premise does not hold without icount on a
// host with fewer cores than vCPUs. cpu-accounting wants a spinning,
// thread-locked goroutine charged 90% of the time it spins; every 10 ms
// Go's preemption hands its P to another M and back, two wakeups across
// vCPUs, and each waits for the host to schedule a vCPU thread while the
// (wall-clock) counter runs on. It passes on one core under icount, and
// mostly here, but not always; its result is logged, not required.
var smpTolerated = map[string]bool{"cpu-accounting": true}

// TestQEMUSMPRuntime is the runtime stress test (issue #3) on four cores
// with GOMAXPROCS=4: every check, then all of them at once for 10 s of
// virtual time, with no fault and no unimplemented system call.
func TestQEMUSMPRuntime(t *testing.T) {
	needSMPTier(t, "kernel8.img")
	res := boot(t, "raspi4b", nil, "test=runtime GOMAXPROCS=4 load=10s")
	console := strings.Join(res.Lines, "\n")
	assert.NotContains(t, console, "PANIC", "a C-core panic")
	assert.NotContains(t, console, "fatal error", "a Go runtime crash")
	assert.NotContains(t, console, "unimplemented syscall")
	got := map[string]qemu.Report{}
	for _, r := range res.Find("result") {
		got[r.Get("name")] = r
	}
	for _, name := range runtimeChecks {
		r, ok := got[name]
		if !assert.True(t, ok, "check %s did not report; console:\n%s", name, console) {
			continue
		}
		if smpTolerated[name] {
			t.Logf("%s: %s (logged, not required on four vCPUs: see smpTolerated)", name, r.Get("status"))
			continue
		}
		assert.Equal(t, "pass", r.Get("status"), "%s: %s", name, r.Get("detail"))
	}
	stats := res.Find("stats")
	require.Len(t, stats, 1, "console:\n%s", console)
	assert.GreaterOrEqual(t, num(t, stats[0], "virtual_ms"), uint64(10000), "virtual time the run covered")
	t.Logf("4 cores, GOMAXPROCS=4: %s, wall %v", stats[0], res.Wall.Round(time.Second))
}
