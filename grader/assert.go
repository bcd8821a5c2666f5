package grader

import (
	"fmt"
	"strings"

	"github.com/burrow-os/burrow/qemu"
)

// Failure is one assertion that did not hold, phrased for a student.
type Failure struct {
	Check    string `json:"check,omitempty"` // "" for the test itself
	What     string `json:"what"`            // the assertion, as written in the spec
	Expected string `json:"expected"`
	Got      string `json:"got"`
}

// Holds evaluates the assertion against a finished run. When it fails,
// the Failure says what was expected and what the run gave instead.
func (a *Assertion) Holds(run *qemu.Result) (bool, Failure) {
	f := Failure{What: a.Src}
	switch a.Op {
	case "expect":
		var near []string
		for _, r := range run.Reports {
			if r.Kind != a.Kind {
				continue
			}
			if matchAll(r, a.Conds) {
				return true, f
			}
			near = append(near, r.String())
		}
		f.Expected = describe(a.Kind, a.Conds)
		f.Got = gotReports(a.Kind, near, run)
	case "forbid":
		for _, r := range run.Reports {
			if r.Kind == a.Kind && matchAll(r, a.Conds) {
				f.Expected = "no" + strings.TrimPrefix(describe(a.Kind, a.Conds), "a")
				f.Got = r.String()
				return false, f
			}
		}
		return true, f
	case "count":
		n := len(run.Find(a.Kind))
		if compareInt(int64(n), a.CountOp, int64(a.Count)) {
			return true, f
		}
		f.Expected = fmt.Sprintf("%s %d %s reports", a.CountOp, a.Count, a.Kind)
		f.Got = fmt.Sprintf("%d", n)
	case "match":
		for _, l := range run.Lines {
			if a.Re.MatchString(l) {
				return true, f
			}
		}
		f.Expected = fmt.Sprintf("a console line matching %s", a.Re)
		f.Got = "no such line"
	case "reject":
		for _, l := range run.Lines {
			if a.Re.MatchString(l) {
				f.Expected = fmt.Sprintf("no console line matching %s", a.Re)
				f.Got = l
				return false, f
			}
		}
		return true, f
	default:
		f.Expected, f.Got = "a known assertion", a.Op
	}
	return false, f
}

// describe phrases a report pattern: a "boot" report with el=2 ram=0x3c000000.
func describe(kind string, conds []Cond) string {
	s := fmt.Sprintf("a %q report", kind)
	if len(conds) > 0 {
		var c []string
		for _, cd := range conds {
			c = append(c, cd.String())
		}
		s += " with " + strings.Join(c, " ")
	}
	return s
}

// gotReports says what the run produced instead of an expected report.
func gotReports(kind string, near []string, run *qemu.Result) string {
	if len(near) > 0 {
		if len(near) > 3 {
			near = append(near[:3], fmt.Sprintf("(%d more)", len(near)-3))
		}
		return strings.Join(near, "; ")
	}
	s := fmt.Sprintf("no %q report carrying this run's nonce", kind)
	if n := len(run.Rejected); n > 0 {
		s += fmt.Sprintf(" (%d protocol lines rejected for a missing or wrong nonce)", n)
	}
	return s
}

func matchAll(r qemu.Report, conds []Cond) bool {
	for _, c := range conds {
		v, ok := r.Fields[c.Key]
		if !ok || !c.holds(v) {
			return false
		}
	}
	return true
}

// holds compares a report value with the condition. Numbers (decimal or
// 0x hex) compare as numbers, so ram=1006632960 matches ram=0x3c000000.
func (c Cond) holds(v string) bool {
	if c.Op == "~" {
		return c.re.MatchString(v)
	}
	a, aok := number(v)
	b, bok := number(c.Value)
	if aok && bok {
		return compareInt(a, c.Op, b)
	}
	switch c.Op {
	case "=":
		return v == c.Value
	case "!=":
		return v != c.Value
	}
	return false // an order comparison with a non-number
}

func compareInt(a int64, op string, b int64) bool {
	switch op {
	case "=":
		return a == b
	case "!=":
		return a != b
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case ">=":
		return a >= b
	}
	return false
}
