package grader

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// WriteJSON writes the report in Burrow's own JSON form (the Report type).
func WriteJSON(w io.Writer, r *Report) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// JUnit XML, the format every CI system reads. Each test is a testcase, and
// each of its checks is one more, named test/check; the build is a testcase
// of its own. A backstop or QEMU failure is an <error> (infrastructure), a
// lost point a <failure>.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Body    string `xml:",chardata"`
}

// WriteJUnit writes the report as JUnit XML.
func WriteJUnit(w io.Writer, r *Report) error {
	name := "burrow"
	if r.Student != "" {
		name = "burrow." + r.Student
	}
	s := junitSuite{Name: name, Time: seconds(r.Duration.Seconds()), Properties: []junitProperty{
		{"score", fmtPoints(r.Score)}, {"max_score", fmtPoints(r.Max)}, {"status", r.Status}}}
	add := func(c junitCase) {
		s.Tests++
		switch {
		case c.Error != nil:
			s.Errors++
		case c.Failure != nil:
			s.Failures++
		case c.Skipped != nil:
			s.Skipped++
		}
		s.Cases = append(s.Cases, c)
	}
	build := junitCase{Name: "build", Classname: name, Time: seconds(r.Build.Duration.Seconds())}
	if r.Build.Command != "" && !r.Build.OK {
		build.Failure = &junitProblem{Message: "the kernel did not build", Type: "build", Body: strings.Join(r.Build.Errors, "\n")}
	}
	if len(r.Integrity) > 0 {
		var lines []string
		for _, i := range r.Integrity {
			lines = append(lines, i.Problem+" "+i.Path)
		}
		add(junitCase{Name: "integrity", Classname: name, Time: "0", Failure: &junitProblem{
			Message: "protected files differ from the instructor's copy", Type: "integrity", Body: strings.Join(lines, "\n")}})
	} else {
		add(build)
	}
	for _, t := range r.Tests {
		c := junitCase{Name: t.Name, Classname: name, Time: seconds(t.Wall.Seconds()),
			SystemOut: strings.Join(t.Console, "\n")}
		msg := fmt.Sprintf("%s/%s points: %s", fmtPoints(t.Score), fmtPoints(t.Max), t.Message)
		var body strings.Builder
		for _, f := range t.Failures {
			fmt.Fprintf(&body, "%s\n  expected: %s\n  got: %s\n", f.What, f.Expected, f.Got)
		}
		if len(t.Panic) > 0 {
			fmt.Fprintf(&body, "panic report:\n%s\n", strings.Join(t.Panic, "\n"))
		}
		switch t.Status {
		case StatusInfraError:
			c.Error = &junitProblem{Message: msg, Type: t.Status, Body: body.String()}
		case StatusSkipped, StatusBuildError, StatusDisqualified:
			c.Skipped = &junitProblem{Message: t.Message}
		default:
			if !t.Passed {
				c.Failure = &junitProblem{Message: msg, Type: t.Status, Body: body.String()}
			}
		}
		add(c)
		for _, ch := range t.Checks {
			cc := junitCase{Name: t.Name + "/" + ch.Name, Classname: name, Time: "0"}
			switch {
			case c.Error != nil || c.Skipped != nil:
				cc.Skipped = &junitProblem{Message: "not judged: " + t.Message}
			case t.Status == StatusTimeout || t.Status == StatusFail && !ch.Passed && len(ch.Failures) == 0:
				cc.Failure = &junitProblem{Message: t.Message, Type: t.Status}
			case !ch.Passed:
				var b strings.Builder
				for _, f := range ch.Failures {
					fmt.Fprintf(&b, "%s\n  expected: %s\n  got: %s\n", f.What, f.Expected, f.Got)
				}
				cc.Failure = &junitProblem{Message: fmt.Sprintf("0/%s points", fmtPoints(ch.Max)), Type: "check", Body: b.String()}
			}
			add(cc)
		}
	}
	all := junitSuites{Name: "burrow-grade", Tests: s.Tests, Failures: s.Failures, Errors: s.Errors, Skipped: s.Skipped, Suites: []junitSuite{s}}
	out, err := xml.MarshalIndent(all, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s%s\n", xml.Header, out)
	return err
}

func seconds(s float64) string { return fmt.Sprintf("%.3f", s) }

// Gradescope's autograder results format
// (https://gradescope-autograders.readthedocs.io/en/latest/specs/).
type gradescopeResults struct {
	Score            float64          `json:"score"`
	ExecutionTime    float64          `json:"execution_time"`
	Output           string           `json:"output"`
	OutputFormat     string           `json:"output_format"`
	Visibility       string           `json:"visibility"`
	StdoutVisibility string           `json:"stdout_visibility"`
	Tests            []gradescopeTest `json:"tests"`
}

type gradescopeTest struct {
	Name         string   `json:"name"`
	Number       string   `json:"number"`
	Score        float64  `json:"score"`
	MaxScore     float64  `json:"max_score"`
	Status       string   `json:"status"`
	Output       string   `json:"output"`
	OutputFormat string   `json:"output_format"`
	Visibility   string   `json:"visibility"`
	Tags         []string `json:"tags,omitempty"`
}

// WriteGradescope writes Gradescope's results.json. Hidden tests are
// visible to students only after grades are published.
func WriteGradescope(w io.Writer, r *Report) error {
	var out strings.Builder
	if err := WriteText(&out, r); err != nil {
		return err
	}
	g := gradescopeResults{Score: r.Score, ExecutionTime: float64(int(r.Duration.Seconds())),
		Output: out.String(), OutputFormat: "text", Visibility: "visible", StdoutVisibility: "hidden",
		Tests: []gradescopeTest{}}
	for i, t := range r.Tests {
		var b strings.Builder
		fmt.Fprintf(&b, "%s\n", t.Message)
		for _, f := range allFailures(t) {
			where := "test"
			if f.Check != "" {
				where = "check " + f.Check
			}
			fmt.Fprintf(&b, "%s: %s\n  expected: %s\n  got: %s\n", where, f.What, f.Expected, f.Got)
		}
		for _, c := range t.Checks {
			fmt.Fprintf(&b, "check %s: %s/%s\n", c.Name, fmtPoints(c.Score), fmtPoints(c.Max))
		}
		if len(t.Panic) > 0 {
			fmt.Fprintf(&b, "panic report:\n%s\n", strings.Join(t.Panic, "\n"))
		}
		if len(t.Console) > 0 {
			fmt.Fprintf(&b, "last console lines:\n%s\n", strings.Join(t.Console, "\n"))
		}
		status := "failed"
		if t.Status == StatusPass {
			status = "passed"
		}
		vis := "visible"
		if t.Hidden {
			vis = "after_published"
		}
		g.Tests = append(g.Tests, gradescopeTest{Name: t.Name, Number: fmt.Sprint(i + 1), Score: t.Score,
			MaxScore: t.Max, Status: status, Output: b.String(), OutputFormat: "text", Visibility: vis,
			Tags: []string{t.Board, t.Status}})
	}
	b, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
