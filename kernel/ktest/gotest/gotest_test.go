package gotest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/burrow-os/burrow/kernel/ktest"
	"github.com/stretchr/testify/assert"
)

func TestVerdict(t *testing.T) {
	cases := []struct {
		line, name, status string
		ok                 bool
	}{
		{"--- PASS: TestWalk (0.01s)", "TestWalk", "pass", true},
		{"    --- FAIL: TestWalk/level_2 (0.00s)", "TestWalk/level_2", "fail", true},
		{"--- SKIP: TestBig (0.00s)", "TestBig", "skip", true},
		{"=== RUN   TestWalk", "", "", false},
		{"PASS", "", "", false},
		{"--- PASS: ", "", "", false},
	}
	for _, c := range cases {
		name, status, ok := Verdict(c.line)
		if name != c.name || status != c.status || ok != c.ok {
			t.Errorf("Verdict(%q) = %q, %q, %v, want %q, %q, %v", c.line, name, status, ok, c.name, c.status, c.ok)
		}
	}
}

func TestScanReportsEachVerdictWithTheNonce(t *testing.T) {
	out := "=== RUN   TestA\n--- PASS: TestA (0.00s)\n=== RUN   TestB\n    b_test.go:9: got 1\n--- FAIL: TestB (0.00s)\nFAIL\n"
	var console, reports bytes.Buffer
	rep := ktest.NewReporter(&reports, []string{"x", "nonce=00000000000000aa"})
	failed := scan(strings.NewReader(out), &console, rep)
	assert.True(t, failed)
	assert.Equal(t, out, console.String(), "the output is copied to the console unchanged")
	assert.Equal(t, "@burrow 00000000000000aa result name=TestA status=pass\n"+
		"@burrow 00000000000000aa result name=TestB status=fail\n", reports.String())
}
