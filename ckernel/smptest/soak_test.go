package smptest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/burrow-os/burrow/qemu"
)

// soakRuns are the stress tests the soak cycles through, each longer than
// in the tier.
var soakRuns = []struct {
	name, board, args string
	extra             []string
}{
	{"locktorture", "raspi4b", "test=locktorture ms=10000", nil},
	{"tlbshoot", "virt", "test=tlbshoot rounds=2000", []string{"-smp", "4"}},
	{"parallel", "raspi4b", "test=parallel load=10s", nil},
	{"runtime", "raspi4b", "test=runtime GOMAXPROCS=4 load=60s", nil},
}

// TestQEMUSMPSoak runs the SMP stress tests over and over for
// BURROW_SMP_SOAK (a duration, such as 600s; make soak-smp sets it) and
// reports how many runs there were and how many faulted: a failed check,
// a C-core panic, a Go runtime crash or a hang. Any fault fails the test.
func TestQEMUSMPSoak(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("BURROW_SMP_SOAK"))
	if err != nil {
		t.Skip("a soak: runs with BURROW_SMP_SOAK=<duration> (make soak-smp)")
	}
	needSMPTier(t, "kernel8.img")
	runs, faults := map[string]int{}, map[string]int{}
	end := time.Now().Add(d)
	for i := 0; time.Now().Before(end); i++ {
		r := soakRuns[i%len(soakRuns)]
		res, err := qemu.Run(context.Background(), qemu.Config{
			Board: r.board, Kernel: testenv.Build(t, "kernel8.img"), Root: testenv.Root(t),
			Append: "semihosting=1 cpus=4 " + r.args, Semihosting: true, Protocol: true,
			Backstop: 5 * time.Minute, Extra: r.extra,
		})
		runs[r.name]++
		if why := soakFault(res, err); why != "" {
			faults[r.name]++
			t.Errorf("%s run %d: %s; the console's end:\n%s", r.name, runs[r.name], why, tail(res, 25))
		}
	}
	total, bad := 0, 0
	var parts []string
	for _, r := range soakRuns {
		total += runs[r.name]
		bad += faults[r.name]
		parts = append(parts, fmt.Sprintf("%s %d/%d", r.name, faults[r.name], runs[r.name]))
	}
	t.Logf("soak: %d runs, %d faults in %v (faults/runs: %s)", total, bad, d, strings.Join(parts, ", "))
}

// tail is the last n console lines of a run.
func tail(res *qemu.Result, n int) string {
	if res == nil {
		return ""
	}
	l := res.Lines
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return strings.Join(l, "\n")
}

// soakFault says why a run counts as a fault, or "" if it does not. The
// runtime test's cpu-accounting check is tolerated as in the tier
// (smpTolerated).
func soakFault(res *qemu.Result, err error) string {
	if err != nil {
		return err.Error()
	}
	console := strings.Join(res.Lines, "\n")
	for _, s := range []string{"PANIC", "fatal error", "unimplemented syscall"} {
		if strings.Contains(console, s) {
			return s + " on the console"
		}
	}
	for _, r := range res.Find("result") {
		if r.Get("status") != "pass" && !smpTolerated[r.Get("name")] {
			return fmt.Sprintf("check %s: %s", r.Get("name"), r.Get("detail"))
		}
	}
	if len(res.Find("done")) != 1 {
		return "no done report"
	}
	return ""
}
