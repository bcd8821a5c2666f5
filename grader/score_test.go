package grader

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/burrow-os/burrow/qemu"
)

const nonce = "0123456789abcdef"

// fakeResult is what qemu.Run would return for this console and exit status.
// In lines, N stands for this run's nonce.
func fakeResult(exit int, lines ...string) *qemu.Result {
	res := &qemu.Result{ExitCode: exit, Nonce: nonce}
	p := qemu.Protocol{Nonce: nonce}
	for i, l := range lines {
		l = strings.ReplaceAll(l, " N ", " "+nonce+" ")
		res.Lines = append(res.Lines, l)
		p.Feed(i, l)
	}
	res.Reports, res.Rejected = p.Reports, p.Rejected
	return res
}

const scoreSpec = `
test boot
	points 2
	board virt
	expect done status=pass
	check banner 1
		match ^Burrow
	check ram 1
		expect boot ram=0x40000000
	check ticks 2
		expect tick n>=5

test fault
	points 1
	exit nonzero
	expect boot
	check decoded 2
		expect panic class~abort
`

var goodBoot = []string{
	"Burrow C core on virt",
	"@burrow N boot board=virt el=1 ram=1073741824",
	"@burrow N tick n=5",
	"@burrow N done status=pass",
}

func TestScore(t *testing.T) {
	s := mustParse(t, "score.spec", scoreSpec)
	boot, fault := s.Tests[0], s.Tests[1]
	tests := []struct {
		name   string
		test   *Test
		res    *qemu.Result
		err    error
		status string
		score  float64
		passed bool
		msg    string
	}{
		{"full marks", boot, fakeResult(0, goodBoot...), nil, StatusPass, 6, true, "passed"},
		{"a broken check loses its points", boot, fakeResult(0, goodBoot[0], goodBoot[1], "@burrow N tick n=3", goodBoot[3]),
			nil, StatusPartial, 4, true, "1 of 3 checks failed"},
		{"the boot fails, checks still count", boot, fakeResult(1, goodBoot[0], goodBoot[1], "@burrow N done status=fail"),
			nil, StatusPartial, 2, false, "the boot itself failed; 1 of 3 checks failed"},
		{"fake lines without the nonce", boot, fakeResult(0, "Burrow C core on virt", "@burrow boot board=virt ram=0x40000000",
			"@burrow tick n=5", "@burrow done status=pass"), nil, StatusFail, 0, false, "no line carried this run's nonce (3 protocol lines rejected"},
		{"another run's nonce", boot, fakeResult(0, "Burrow", "@burrow 1111111111111111 done status=pass"),
			nil, StatusFail, 0, false, "no line carried this run's nonce (1 protocol lines"},
		{"budget overrun", boot, fakeResult(-1, goodBoot[:2]...), &qemu.BudgetError{Budget: time.Second, Virtual: time.Second + 1},
			StatusTimeout, 0, false, "did not finish within its budget of 1000000000 instructions"},
		{"idle hang", boot, fakeResult(-1, goodBoot[:2]...), &qemu.BudgetError{Budget: time.Second, Virtual: 5, Stalled: true},
			StatusTimeout, 0, false, "hung: every CPU idle"},
		{"backstop is the host's fault", boot, fakeResult(-1, goodBoot[:2]...), &qemu.TimeoutError{After: time.Minute},
			StatusInfraError, 0, false, "infrastructure error: the 1m0s wall-clock backstop fired"},
		{"unexpected panic", boot, fakeResult(1, goodBoot[0], goodBoot[1], "PANIC: data abort", "  x0 0",
			"@burrow N panic class=\"data abort\" far=0x0"), nil, StatusPanic, 2, false, `kernel panic: panic class="data abort" far=0x0`},
		{"expected panic", fault, fakeResult(1, goodBoot[1], "PANIC: data abort", "@burrow N panic class=\"data abort\" far=0x0"),
			nil, StatusPass, 3, true, "passed"},
		{"expected panic, wrong exit", fault, fakeResult(0, goodBoot[1], "@burrow N panic class=\"data abort\""),
			nil, StatusPartial, 2, false, "the boot itself failed"},
	}
	for _, tt := range tests {
		tr := &TestResult{Max: tt.test.Max()}
		Score(tt.test, tt.res, tt.err, tr)
		if tr.Status != tt.status || tr.Score != tt.score || tr.Passed != tt.passed || !strings.HasPrefix(tr.Message, tt.msg) {
			t.Errorf("%s: Score = %s %v passed=%v %q; want %s %v passed=%v %q...",
				tt.name, tr.Status, tr.Score, tr.Passed, tr.Message, tt.status, tt.score, tt.passed, tt.msg)
		}
		if tr.Status != StatusPass && len(tr.Console) == 0 {
			t.Errorf("%s: a %s result keeps no console lines", tt.name, tr.Status)
		}
	}
}

func TestScorePanicReport(t *testing.T) {
	s := mustParse(t, "score.spec", scoreSpec)
	res := fakeResult(1, "boot", "@burrow N boot", "PANIC: unexpected exception", "  ESR 0x96", "backtrace:",
		"  #0 fault_read_null", "@burrow N panic class=x", "after")
	tr := &TestResult{}
	Score(s.Tests[1], res, nil, tr)
	want := "PANIC: unexpected exception|  ESR 0x96|backtrace:|  #0 fault_read_null|@burrow " + nonce + " panic class=x"
	if got := strings.Join(tr.Panic, "|"); got != want {
		t.Errorf("panic report = %q, want %q", got, want)
	}
}

func TestAssertionFailures(t *testing.T) {
	s := mustParse(t, "a.spec", `test a
	expect boot el=2
	forbid result status=fail
	count tick >= 2
	match ^never
	reject ^Burrow
`)
	res := fakeResult(0, "Burrow", "@burrow N boot el=1", "@burrow N result name=x status=fail", "@burrow N tick n=1")
	want := []Failure{
		{What: "expect boot el=2", Expected: `a "boot" report with el=2`, Got: "boot el=1"},
		{What: "forbid result status=fail", Expected: `no "result" report with status=fail`, Got: "result name=x status=fail"},
		{What: "count tick >= 2", Expected: ">= 2 tick reports", Got: "1"},
		{What: "match ^never", Expected: "a console line matching ^never", Got: "no such line"},
		{What: "reject ^Burrow", Expected: "no console line matching ^Burrow", Got: "Burrow"},
	}
	for i, a := range s.Tests[0].Asserts {
		ok, f := a.Holds(res)
		if ok || f != want[i] {
			t.Errorf("Holds(%s) = %v, %+v; want false, %+v", a.Src, ok, f, want[i])
		}
	}
}

// TestRunSuite checks dependencies and hidden tests with a fake QEMU.
func TestRunSuite(t *testing.T) {
	visible := mustParse(t, "v.spec", `test a
	points 1
	expect done status=pass
test b
	points 1
	depends a
	expect done status=pass
test c
	points 1
	expect done status=pass
test d
	points 1
	depends c
	expect done status=pass
`)
	hidden := mustParse(t, "h.spec", "test secret\n\tpoints 3\n\tdepends a\n\texpect done status=pass\n")
	for _, h := range hidden.Tests {
		h.Hidden = true
	}
	suite, err := Merge(visible, hidden)
	if err != nil {
		t.Fatal(err)
	}
	defer func(f func(context.Context, qemu.Config) (*qemu.Result, error)) { boot = f }(boot)
	var booted []string
	boot = func(_ context.Context, cfg qemu.Config) (*qemu.Result, error) {
		// c fails; everything else passes. The seed tells the tests apart.
		for _, tt := range suite.Tests {
			if tt.Seed == cfg.Seed {
				booted = append(booted, tt.Name)
				if tt.Name == "c" {
					return fakeResult(1, "@burrow N done status=fail"), nil
				}
			}
		}
		if !cfg.Icount || !cfg.Protocol || !cfg.Semihosting || cfg.Budget != DefaultBudget || !strings.HasSuffix(cfg.Append, "semihosting=1") {
			return nil, fmt.Errorf("bad config %+v", cfg)
		}
		return fakeResult(0, "@burrow N done status=pass"), nil
	}
	var results []*TestResult
	for _, tt := range suite.Tests {
		results = append(results, &TestResult{Name: tt.Name, Max: tt.Max()})
	}
	runSuite(context.Background(), Options{Suite: suite, Jobs: 1}, t.TempDir(), results, func(string, ...any) {})
	got := ""
	for _, r := range results {
		got += fmt.Sprintf("%s:%s:%v ", r.Name, r.Status, r.Score)
	}
	want := "a:pass:1 b:pass:1 c:fail:0 d:skipped:0 secret:pass:3 "
	if got != want {
		t.Errorf("results = %s, want %s", got, want)
	}
	if len(booted) != 4 {
		t.Errorf("booted %v; d should not boot", booted)
	}
	rep := &Report{Status: RunGraded, Tests: results}
	rep.total()
	if rep.Score != 5 || rep.Max != 7 || rep.FullMarks() {
		t.Errorf("total = %v/%v", rep.Score, rep.Max)
	}
}
