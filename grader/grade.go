package grader

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/burrow-os/burrow/qemu"
)

// Options says what to grade and how.
type Options struct {
	Tree         string // the student's tree
	Reference    string // the instructor's copy: protected files, device trees
	Student      string // a name for the report
	Suite        *Suite
	Jobs         int           // parallel QEMU runs; 0 means one per CPU
	Backstop     time.Duration // wall-clock backstop per run; 0 means Backstop(test)
	BuildTimeout time.Duration // build time limit; 0 means 10 minutes
	Log          io.Writer     // progress lines; nil discards them
	Console      io.Writer     // every test's console as it runs; nil discards it
	QEMU         string        // QEMU binary; "" means qemu-system-aarch64
	KeepWork     bool          // leave the work copy behind (its path goes to Log)
}

// DefaultBackstop is the wall-clock limit on one test's QEMU run: generous,
// because a loaded host is slow but the score must not change. One virtual
// second is roughly 2-10 wall seconds on QEMU's TCG.
func DefaultBackstop(t *Test) time.Duration {
	return time.Minute + time.Duration(60*t.Budget.Seconds())*time.Second
}

// Grade checks, builds and tests one tree. It never fails: every problem
// ends up in the report.
func Grade(ctx context.Context, o Options) *Report {
	start := time.Now()
	rep := &Report{Student: o.Student, Status: RunGraded}
	defer func() {
		rep.total()
		rep.Duration = time.Since(start)
	}()
	logf := func(format string, args ...any) {
		if o.Log != nil {
			fmt.Fprintf(o.Log, format+"\n", args...)
		}
	}
	for _, t := range o.Suite.Tests {
		rep.Tests = append(rep.Tests, &TestResult{Name: t.Name, Hidden: t.Hidden, Board: t.Board,
			Max: t.Max(), Points: t.Points, Seed: t.Seed, Budget: t.Budget.Nanoseconds(), DependsOn: t.Depends})
	}
	setAll := func(status, msg string) {
		for _, tr := range rep.Tests {
			tr.Status, tr.Message = status, msg
		}
	}

	// 1. Integrity: the protected files must be the instructor's.
	pats, err := LoadProtected(o.Reference)
	if err == nil {
		rep.Integrity, err = CheckIntegrity(o.Tree, o.Reference, pats)
	}
	if err != nil {
		rep.Status = RunInfraError
		rep.Infra = append(rep.Infra, err.Error())
		setAll(StatusInfraError, "not run: "+err.Error())
		return rep
	}
	if len(rep.Integrity) > 0 {
		rep.Status = RunDisqualified
		setAll(StatusDisqualified, fmt.Sprintf("not run: %d protected files differ from the instructor's copy", len(rep.Integrity)))
		logf("disqualified: %d protected files differ from the instructor's copy", len(rep.Integrity))
		return rep
	}

	// 2. Build a private copy of the tree.
	work, err := os.MkdirTemp("", "burrow-grade-")
	if err == nil {
		err = PrepareTree(o.Tree, o.Reference, work, pats)
	}
	if err != nil {
		rep.Status = RunInfraError
		rep.Infra = append(rep.Infra, "preparing the work copy: "+err.Error())
		setAll(StatusInfraError, "not run: could not copy the tree")
		return rep
	}
	if o.KeepWork {
		logf("work copy: %s", work)
	} else {
		defer os.RemoveAll(work)
	}
	limit := o.BuildTimeout
	if limit == 0 {
		limit = 10 * time.Minute
	}
	logf("building: %s", "make kernel")
	rep.Build = Build(ctx, work, limit)
	if !rep.Build.OK {
		rep.Status = RunBuildFailed
		setAll(StatusBuildError, "not run: the kernel did not build")
		logf("build failed:\n  %s", strings.Join(rep.Build.Errors, "\n  "))
		return rep
	}

	// 3. Boot the tests, each after the tests it depends on.
	runSuite(ctx, o, work, rep.Tests, logf)
	for _, tr := range rep.Tests {
		if tr.Status == StatusInfraError {
			rep.Infra = append(rep.Infra, tr.Name+": "+strings.TrimPrefix(tr.Message, "infrastructure error: "))
		}
	}
	return rep
}

// boot runs QEMU; tests replace it with a fake.
var boot = qemu.Run

// runSuite boots every test of o.Suite into results (in suite order), up to
// o.Jobs at a time. A test starts once the tests it depends on are done,
// and only if each of them passed its own assertions.
func runSuite(ctx context.Context, o Options, work string, results []*TestResult, logf func(string, ...any)) {
	jobs := o.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	sem := make(chan struct{}, jobs)
	done := map[string]chan struct{}{}
	byName := map[string]*TestResult{}
	for i, t := range o.Suite.Tests {
		done[t.Name] = make(chan struct{})
		byName[t.Name] = results[i]
	}
	var logMu sync.Mutex
	var wg sync.WaitGroup
	for i, t := range o.Suite.Tests {
		wg.Add(1)
		go func(t *Test, tr *TestResult) {
			defer wg.Done()
			defer close(done[t.Name])
			for _, d := range t.Depends {
				<-done[d]
				if !byName[d].Passed {
					tr.Status = StatusSkipped
					tr.Message = fmt.Sprintf("not run: depends on %s, which did not pass", d)
					return
				}
			}
			sem <- struct{}{}
			defer func() { <-sem }()
			runTest(ctx, o, t, work, tr)
			logMu.Lock()
			logf("  %-12s %-24s %5s/%-5s %s", tr.Status, t.Name, fmtPoints(tr.Score), fmtPoints(tr.Max), tr.Message)
			logMu.Unlock()
		}(t, results[i])
	}
	wg.Wait()
}

// runTest boots one test and scores it into tr.
func runTest(ctx context.Context, o Options, t *Test, work string, tr *TestResult) {
	kernel := "kernel8.img"
	if t.Kernel == "elf" {
		kernel = "ckernel.elf"
	}
	backstop := o.Backstop
	if backstop == 0 {
		backstop = DefaultBackstop(t)
	}
	args := t.Args
	if args != "" {
		args += " "
	}
	cfg := qemu.Config{
		Board:       t.Board,
		Kernel:      filepath.Join(work, "build", kernel),
		Append:      args + "semihosting=1",
		Root:        work,
		Icount:      true,
		Semihosting: true,
		Protocol:    true,
		Seed:        t.Seed,
		Budget:      t.Budget,
		Backstop:    backstop,
		Input:       t.Input,
		Console:     o.Console,
		QEMU:        o.QEMU,
	}
	res, err := boot(ctx, cfg)
	tr.Nonce, tr.ExitCode, tr.Wall = res.Nonce, res.ExitCode, res.Wall
	tr.Insns, tr.Rejected = res.Virtual.Nanoseconds(), len(res.Rejected)
	Score(t, res, err, tr)
}

// Score judges a finished (or killed) run. A test scores only when the
// kernel ended the run itself and at least one line carried the nonce:
// every other outcome fails closed.
func Score(t *Test, res *qemu.Result, err error, tr *TestResult) {
	fail := func(status, msg string) {
		tr.Status, tr.Message, tr.Score, tr.Passed = status, msg, 0, false
		tr.Console = res.Last(ConsoleLines)
		for _, c := range t.Checks {
			tr.Checks = append(tr.Checks, CheckResult{Name: c.Name, Max: c.Points})
		}
	}
	var budget *qemu.BudgetError
	var backstop *qemu.TimeoutError
	switch {
	case errors.As(err, &budget):
		if budget.Stalled {
			fail(StatusTimeout, fmt.Sprintf("hung: every CPU idle with no timer armed, after %d instructions", budget.Virtual.Nanoseconds()))
		} else {
			fail(StatusTimeout, fmt.Sprintf("did not finish within its budget of %d instructions (%v of virtual time)",
				budget.Budget.Nanoseconds(), budget.Budget))
		}
		return
	case errors.As(err, &backstop):
		fail(StatusInfraError, fmt.Sprintf("infrastructure error: the %v wall-clock backstop fired before the virtual-time budget; the host is overloaded, rerun", backstop.After))
		return
	case err != nil:
		fail(StatusInfraError, "infrastructure error: "+err.Error())
		return
	case len(res.Reports) == 0:
		msg := "no line carried this run's nonce"
		if n := len(res.Rejected); n > 0 {
			msg += fmt.Sprintf(" (%d protocol lines rejected for a missing or wrong nonce)", n)
		}
		fail(StatusFail, msg)
		return
	}

	// The test's own assertions decide its own points.
	tr.Passed = true
	if !t.Exit.Allows(res.ExitCode) {
		tr.Passed = false
		tr.Failures = append(tr.Failures, Failure{What: "exit " + t.Exit.String(),
			Expected: "exit status " + t.Exit.String(), Got: fmt.Sprintf("exit status %d", res.ExitCode)})
	}
	for _, a := range t.Asserts {
		if ok, f := a.Holds(res); !ok {
			tr.Passed = false
			tr.Failures = append(tr.Failures, f)
		}
	}
	panics := res.Find("panic")
	if len(panics) > 0 {
		tr.Panic = panicReport(res, panics[0])
		if !t.expectsPanic() {
			tr.Passed = false
			tr.Failures = append(tr.Failures, Failure{What: "no panic", Expected: "no kernel panic", Got: panics[0].String()})
		}
	}
	if tr.Passed {
		tr.Score = t.Points
	}
	// Each check scores on its own: partial credit.
	for _, c := range t.Checks {
		cr := CheckResult{Name: c.Name, Max: c.Points, Passed: true}
		for _, a := range c.Asserts {
			if ok, f := a.Holds(res); !ok {
				cr.Passed = false
				f.Check = c.Name
				cr.Failures = append(cr.Failures, f)
			}
		}
		if cr.Passed {
			cr.Score = c.Points
		}
		tr.Score += cr.Score
		tr.Checks = append(tr.Checks, cr)
	}
	failed := 0
	for _, c := range tr.Checks {
		if !c.Passed {
			failed++
		}
	}
	switch {
	case len(panics) > 0 && !t.expectsPanic():
		tr.Status = StatusPanic
		tr.Message = "kernel panic: " + panics[0].String()
	case tr.Passed && failed == 0:
		tr.Status, tr.Message = StatusPass, "passed"
	case tr.Score > 0:
		tr.Status, tr.Message = StatusPartial, fmt.Sprintf("%d of %d checks failed", failed, len(tr.Checks))
		if !tr.Passed {
			tr.Message = "the boot itself failed; " + tr.Message
		}
	default:
		tr.Status, tr.Message = StatusFail, "failed"
	}
	if tr.Status != StatusPass {
		tr.Console = res.Last(ConsoleLines)
	}
}

// panicStart matches the first line of the kernel's human-readable panic
// report.
var panicStart = regexp.MustCompile(`^\s*(PANIC|panic)\b`)

// panicReport returns the console lines of the kernel's panic report: from
// the PANIC banner before the panic report line up to it.
func panicReport(res *qemu.Result, r qemu.Report) []string {
	end := r.Line - res.Dropped
	if end < 0 || end >= len(res.Lines) {
		return []string{r.String()}
	}
	start := end
	for i := end; i >= 0 && end-i < 80; i-- {
		if panicStart.MatchString(res.Lines[i]) {
			start = i
			break
		}
	}
	return append([]string(nil), res.Lines[start:end+1]...)
}
