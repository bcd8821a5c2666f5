// Package gotest runs a kernel package's ordinary Go tests inside the
// kernel: `go test -c` builds the package's test binary for linux/arm64, the
// build links it in place of the Go kernel, the C core runs it at EL1, and
// Main turns the testing package's verdicts into protocol lines carrying
// the run's nonce (qemu/PROTOCOL.md), one per test.
//
// A package opts in with a TestMain:
//
//	func TestMain(m *testing.M) { gotest.Main(m) }
//
// On the host (no nonce= argument) Main simply runs the tests.
package gotest

import (
	"bufio"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/burrow-os/burrow/kernel/ktest"
)

// Main runs the tests and exits with the testing package's status.
func Main(m *testing.M) {
	if _, ok := ktest.Arg(os.Args, "nonce"); !ok {
		os.Exit(m.Run())
	}
	rep := ktest.NewReporter(os.Stdout, os.Args)
	// The testing package parses flags from os.Args and stops at the first
	// word that is not one, so keep only the -test.* flags the boot
	// arguments carried, and ask for verbose output to learn each verdict.
	args := []string{os.Args[0], "-test.v"}
	for _, a := range os.Args[1:] {
		if strings.HasPrefix(a, "-") {
			args = append(args, a)
		}
	}
	os.Args = args
	// The testing package writes to os.Stdout when each test runs, so a
	// pipe swapped in here carries its output through scan.
	console := os.Stdout
	r, w, err := os.Pipe()
	if err != nil {
		rep.Report("result", "name", "gotest-setup", "status", "fail", "detail", err.Error())
		os.Exit(1)
	}
	os.Stdout = w
	done := make(chan bool)
	go func() { done <- scan(r, console, rep) }()
	code := m.Run()
	w.Close()
	sawFailure := <-done
	if code == 0 && sawFailure {
		code = 1
	}
	rep.Report("done", "status", map[bool]string{true: "pass", false: "fail"}[code == 0])
	os.Exit(code)
}

// scan copies the test output to the console and reports every verdict
// line; it returns whether any test failed.
func scan(r io.Reader, console io.Writer, rep *ktest.Reporter) (failed bool) {
	s := bufio.NewScanner(r)
	for s.Scan() {
		line := s.Text()
		io.WriteString(console, line+"\n")
		name, status, ok := Verdict(line)
		if !ok {
			continue
		}
		failed = failed || status == "fail"
		rep.Report("result", "name", name, "status", status)
	}
	return failed
}

// Verdict parses a testing package verdict line such as
// "    --- PASS: TestWalk/level_2 (0.01s)" into the test's name and pass,
// fail or skip.
func Verdict(line string) (name, status string, ok bool) {
	t := strings.TrimLeft(line, " \t")
	for prefix, st := range map[string]string{"--- PASS: ": "pass", "--- FAIL: ": "fail", "--- SKIP: ": "skip"} {
		if rest, found := strings.CutPrefix(t, prefix); found {
			name, _, _ = strings.Cut(rest, " ")
			if name == "" {
				return "", "", false
			}
			return name, st, true
		}
	}
	return "", "", false
}
