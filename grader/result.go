package grader

import "time"

// Test statuses. A test scores only when it ran to the end by itself.
const (
	StatusPass         = "pass"         // full marks
	StatusPartial      = "partial"      // some checks passed
	StatusFail         = "fail"         // ran, scored nothing
	StatusPanic        = "panic"        // the kernel panicked when no panic was expected
	StatusTimeout      = "timeout"      // overran its virtual-time budget, or hung idle
	StatusSkipped      = "skipped"      // a test it depends on failed
	StatusBuildError   = "build-error"  // the kernel did not build
	StatusInfraError   = "infra-error"  // the wall-clock backstop fired, or QEMU did not start
	StatusDisqualified = "disqualified" // a protected file was changed
)

// Run statuses (Report.Status).
const (
	RunGraded       = "graded"
	RunBuildFailed  = "build-failed"
	RunDisqualified = "disqualified"
	RunInfraError   = "infra-error" // some test hit an infrastructure error: rerun
)

// Report is the outcome of grading one tree.
type Report struct {
	Student   string           `json:"student,omitempty"`
	Status    string           `json:"status"`
	Score     float64          `json:"score"`
	Max       float64          `json:"max_score"`
	Build     BuildResult      `json:"build"`
	Integrity []IntegrityIssue `json:"integrity,omitempty"`
	Tests     []*TestResult    `json:"tests"`
	Infra     []string         `json:"infrastructure_errors,omitempty"`
	Duration  time.Duration    `json:"duration_ns"`
}

// BuildResult is what building the student's kernel gave.
type BuildResult struct {
	OK       bool          `json:"ok"`
	Command  string        `json:"command"`
	Errors   []string      `json:"errors,omitempty"` // the compiler's own error lines
	Duration time.Duration `json:"duration_ns"`
}

// IntegrityIssue is a protected file that differs from the instructor's copy.
type IntegrityIssue struct {
	Path    string `json:"path"`
	Problem string `json:"problem"` // changed, missing, added
}

// TestResult is one test's outcome.
type TestResult struct {
	Name      string        `json:"name"`
	Hidden    bool          `json:"hidden,omitempty"`
	Board     string        `json:"board"`
	Status    string        `json:"status"`
	Score     float64       `json:"score"`
	Max       float64       `json:"max_score"`
	Points    float64       `json:"points"`  // the test's own points (the parent boot)
	Passed    bool          `json:"passed"`  // the test's own assertions held
	Message   string        `json:"message"` // one line: why it scored what it did
	Checks    []CheckResult `json:"checks,omitempty"`
	Failures  []Failure     `json:"failures,omitempty"`
	Panic     []string      `json:"panic,omitempty"`   // the decoded panic report
	Console   []string      `json:"console,omitempty"` // last console lines, on failure
	ExitCode  int           `json:"exit_code"`
	Insns     int64         `json:"instructions"` // virtual time used (a lower bound)
	Budget    int64         `json:"budget_instructions"`
	Rejected  int           `json:"rejected_lines"` // protocol lines without this run's nonce
	Nonce     string        `json:"nonce,omitempty"`
	Seed      uint64        `json:"seed"`
	Wall      time.Duration `json:"wall_ns"`
	DependsOn []string      `json:"depends_on,omitempty"`
}

// CheckResult is one child check's outcome.
type CheckResult struct {
	Name     string    `json:"name"`
	Score    float64   `json:"score"`
	Max      float64   `json:"max_score"`
	Passed   bool      `json:"passed"`
	Failures []Failure `json:"failures,omitempty"`
}

// ConsoleLines is how many final console lines a failed test keeps.
const ConsoleLines = 20

// total fills in the report's score and status from its tests.
func (r *Report) total() {
	r.Score, r.Max = 0, 0
	for _, t := range r.Tests {
		r.Score += t.Score
		r.Max += t.Max
		if t.Status == StatusInfraError && r.Status == RunGraded {
			r.Status = RunInfraError
		}
	}
}

// FullMarks reports whether every test scored everything.
func (r *Report) FullMarks() bool { return r.Status == RunGraded && r.Score == r.Max }
