package grader

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sampleReport has one test of each kind of outcome.
func sampleReport() *Report {
	r := &Report{
		Student:  "ada",
		Status:   RunGraded,
		Build:    BuildResult{OK: true, Command: "make --no-print-directory kernel", Duration: 2 * time.Second},
		Duration: 12 * time.Second,
		Tests: []*TestResult{
			{Name: "boot-virt", Board: "virt", Status: StatusPass, Score: 5, Max: 5, Points: 2, Passed: true, Message: "passed",
				Checks:   []CheckResult{{Name: "memory", Score: 1, Max: 1, Passed: true}, {Name: "ticks", Score: 2, Max: 2, Passed: true}},
				ExitCode: 0, Insns: 50_000_000, Budget: 2e9, Nonce: "0123456789abcdef", Seed: 42, Wall: 300 * time.Millisecond},
			{Name: "boot-raspi4b", Board: "raspi4b", Status: StatusPartial, Score: 3, Max: 5, Points: 2, Passed: true,
				Message: "1 of 2 checks failed",
				Checks: []CheckResult{{Name: "memory", Score: 1, Max: 1, Passed: true}, {Name: "ticks", Max: 2, Failures: []Failure{
					{Check: "ticks", What: "expect tick n>=5", Expected: `a "tick" report with n>=5`, Got: "tick n=3"}}}},
				Console: []string{"@burrow 0123456789abcdef tick n=3", "@burrow 0123456789abcdef done status=pass"},
				Insns:   40_000_000, Budget: 2e9, Nonce: "0123456789abcdef", Seed: 43, Wall: 2 * time.Second},
			{Name: "fault-null", Board: "virt", Status: StatusPanic, Score: 0, Max: 3, Points: 3, Message: `kernel panic: panic class="data abort" far=0x8`,
				Failures: []Failure{{What: "no panic", Expected: "no kernel panic", Got: `panic class="data abort" far=0x8`}},
				Panic:    []string{"PANIC: data abort (same EL)", "  FAR_EL1 0x8", "backtrace:", "  #0 0xffff800000083494 kmain+0x14"},
				Console:  []string{"PANIC: data abort (same EL)", "  FAR_EL1 0x8"}, ExitCode: 1, Insns: 1_000_000, Budget: 2e9,
				Nonce: "0123456789abcdef", Seed: 44, Wall: 100 * time.Millisecond},
			{Name: "hang", Board: "virt", Status: StatusTimeout, Score: 0, Max: 2, Points: 2,
				Message: "did not finish within its budget of 2000000000 instructions (2s of virtual time)",
				Console: []string{"console> "}, ExitCode: -1, Insns: 2_000_100_000, Budget: 2e9, Nonce: "0123456789abcdef", Seed: 45, Wall: 8 * time.Second},
			{Name: "after-hang", Board: "virt", Status: StatusSkipped, Max: 1, Points: 1, Message: "not run: depends on hang, which did not pass",
				DependsOn: []string{"hang"}, Seed: 46, Budget: 2e9},
			{Name: "secret", Hidden: true, Board: "virt", Status: StatusInfraError, Max: 4, Points: 4,
				Message:  "infrastructure error: the 2m0s wall-clock backstop fired before the virtual-time budget; the host is overloaded, rerun",
				ExitCode: -1, Budget: 2e9, Nonce: "0123456789abcdef", Seed: 47, Wall: 2 * time.Minute},
		},
	}
	r.total()
	r.Infra = []string{"secret: the 2m0s wall-clock backstop fired before the virtual-time budget; the host is overloaded, rerun"}
	return r
}

func buildFailedReport() *Report {
	r := &Report{Student: "bob", Status: RunBuildFailed, Build: BuildResult{Command: "make --no-print-directory kernel",
		Errors: []string{"ckernel/main.c:3:1: error: expected ';' before '}' token", "    3 | }", "      | ^"}}}
	r.Tests = []*TestResult{{Name: "boot-virt", Board: "virt", Status: StatusBuildError, Max: 5, Message: "not run: the kernel did not build"}}
	r.total()
	return r
}

func disqualifiedReport() *Report {
	r := &Report{Student: "eve", Status: RunDisqualified,
		Integrity: []IntegrityIssue{{Path: "grader/tests/boot.spec", Problem: "changed"}, {Path: "grader/tests/easy.spec", Problem: "added"}}}
	r.Tests = []*TestResult{{Name: "boot-virt", Board: "virt", Status: StatusDisqualified, Max: 5,
		Message: "not run: 2 protected files differ from the instructor's copy"}}
	r.total()
	return r
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", p, got)
	}
}

func TestReportGolden(t *testing.T) {
	writers := []struct {
		ext   string
		write func(io.Writer, *Report) error
	}{
		{"txt", WriteText}, {"json", WriteJSON}, {"xml", WriteJUnit}, {"gradescope.json", WriteGradescope}, {"md", WriteMarkdown},
	}
	reports := map[string]*Report{"graded": sampleReport(), "build": buildFailedReport(), "disqualified": disqualifiedReport()}
	for name, r := range reports {
		for _, w := range writers {
			var b bytes.Buffer
			if err := w.write(&b, r); err != nil {
				t.Fatalf("%s.%s: %v", name, w.ext, err)
			}
			golden(t, "report-"+name+"."+w.ext, b.Bytes())
		}
	}
}

// JUnit XML must parse, and its counts must agree with its test cases.
func TestJUnitValid(t *testing.T) {
	for _, r := range []*Report{sampleReport(), buildFailedReport(), disqualifiedReport()} {
		var b bytes.Buffer
		if err := WriteJUnit(&b, r); err != nil {
			t.Fatal(err)
		}
		// Well-formed: every token decodes.
		d := xml.NewDecoder(bytes.NewReader(b.Bytes()))
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: JUnit XML is not well formed: %v", r.Student, err)
			}
		}
		var doc struct {
			XMLName  xml.Name `xml:"testsuites"`
			Tests    int      `xml:"tests,attr"`
			Failures int      `xml:"failures,attr"`
			Errors   int      `xml:"errors,attr"`
			Skipped  int      `xml:"skipped,attr"`
			Suites   []struct {
				Name  string `xml:"name,attr"`
				Tests int    `xml:"tests,attr"`
				Cases []struct {
					Name    string    `xml:"name,attr"`
					Failure *struct{} `xml:"failure"`
					Error   *struct{} `xml:"error"`
					Skipped *struct{} `xml:"skipped"`
				} `xml:"testcase"`
			} `xml:"testsuite"`
		}
		if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatalf("%s: %v", r.Student, err)
		}
		if len(doc.Suites) != 1 || doc.Suites[0].Tests != len(doc.Suites[0].Cases) || doc.Tests != doc.Suites[0].Tests {
			t.Fatalf("%s: test counts disagree: %+v", r.Student, doc)
		}
		var f, e, s int
		for _, c := range doc.Suites[0].Cases {
			switch {
			case c.Error != nil:
				e++
			case c.Failure != nil:
				f++
			case c.Skipped != nil:
				s++
			}
		}
		if f != doc.Failures || e != doc.Errors || s != doc.Skipped {
			t.Errorf("%s: counted %d failures, %d errors, %d skipped; header says %d, %d, %d", r.Student, f, e, s, doc.Failures, doc.Errors, doc.Skipped)
		}
	}
}

// The Gradescope results carry the fields and values its specification
// (gradescope-autograders.readthedocs.io, "Autograder Specifications") names.
func TestGradescopeSchema(t *testing.T) {
	var b bytes.Buffer
	if err := WriteGradescope(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	visibilities := map[string]bool{"hidden": true, "after_due_date": true, "after_published": true, "visible": true}
	formats := map[string]bool{"text": true, "html": true, "simple_format": true, "md": true, "ansi": true}
	if _, ok := doc["score"].(float64); !ok {
		t.Errorf("score = %v, want a number", doc["score"])
	}
	if _, ok := doc["execution_time"].(float64); !ok {
		t.Errorf("execution_time = %v, want a number", doc["execution_time"])
	}
	for _, k := range []string{"visibility", "stdout_visibility"} {
		if !visibilities[doc[k].(string)] {
			t.Errorf("%s = %v", k, doc[k])
		}
	}
	if !formats[doc["output_format"].(string)] {
		t.Errorf("output_format = %v", doc["output_format"])
	}
	tests := doc["tests"].([]any)
	if len(tests) != 6 {
		t.Fatalf("%d tests, want 6", len(tests))
	}
	var sum float64
	for _, x := range tests {
		tc := x.(map[string]any)
		for _, k := range []string{"name", "number", "output", "status", "visibility", "output_format"} {
			if _, ok := tc[k].(string); !ok {
				t.Errorf("test %v: %s = %v, want a string", tc["name"], k, tc[k])
			}
		}
		score, ok1 := tc["score"].(float64)
		max, ok2 := tc["max_score"].(float64)
		if !ok1 || !ok2 || score > max {
			t.Errorf("test %v: score %v of %v", tc["name"], tc["score"], tc["max_score"])
		}
		sum += score
		if st := tc["status"]; st != "passed" && st != "failed" {
			t.Errorf("test %v: status %v", tc["name"], st)
		}
		if !visibilities[tc["visibility"].(string)] || !formats[tc["output_format"].(string)] {
			t.Errorf("test %v: visibility %v, output_format %v", tc["name"], tc["visibility"], tc["output_format"])
		}
		if want := map[bool]string{true: "after_published", false: "visible"}[tc["name"] == "secret"]; tc["visibility"] != want {
			t.Errorf("test %v: visibility %v, want %s", tc["name"], tc["visibility"], want)
		}
	}
	if sum != doc["score"].(float64) {
		t.Errorf("score %v is not the sum of the tests' %v", doc["score"], sum)
	}
}

func TestGradebookGolden(t *testing.T) {
	gb := &Gradebook{Tests: []string{"boot-virt", "boot-raspi4b", "fault-null", "hang", "after-hang", "secret"},
		Reports: []*Report{sampleReport(), buildFailedReport(), disqualifiedReport()}}
	var csvOut, md bytes.Buffer
	if err := WriteGradebookCSV(&csvOut, gb); err != nil {
		t.Fatal(err)
	}
	if err := WriteGradebookMarkdown(&md, gb); err != nil {
		t.Fatal(err)
	}
	golden(t, "gradebook.csv", csvOut.Bytes())
	golden(t, "gradebook.md", md.Bytes())
	if !strings.Contains(csvOut.String(), "bob,0,5,build-failed,0,,,,,") {
		t.Errorf("bob's row is wrong:\n%s", csvOut.String())
	}
}
