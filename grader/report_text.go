package grader

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// fmtPoints prints points without trailing zeros: 2, 0.5, 12.25.
func fmtPoints(p float64) string { return strconv.FormatFloat(p, 'f', -1, 64) }

// WriteText writes the terminal summary: points per test, then the details
// of every failure (expected, got, the last console lines).
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	if r.Student != "" {
		fmt.Fprintf(&b, "student: %s\n", r.Student)
	}
	if r.Build.Command != "" {
		if r.Build.OK {
			fmt.Fprintf(&b, "build: ok (%s)\n", r.Build.Command)
		} else {
			fmt.Fprintf(&b, "build: FAILED (%s)\n", r.Build.Command)
			for _, l := range r.Build.Errors {
				fmt.Fprintf(&b, "    %s\n", l)
			}
		}
	}
	if len(r.Integrity) > 0 {
		fmt.Fprintf(&b, "integrity: DISQUALIFIED: protected files differ from the instructor's copy\n")
		for _, i := range r.Integrity {
			fmt.Fprintf(&b, "    %-8s %s\n", i.Problem, i.Path)
		}
	}
	for _, e := range r.Infra {
		fmt.Fprintf(&b, "infrastructure error: %s\n", e)
	}
	fmt.Fprintf(&b, "\n  %-26s %9s  %s\n", "TEST", "POINTS", "STATUS")
	for _, t := range r.Tests {
		name := t.Name
		if t.Hidden {
			name += " (hidden)"
		}
		fmt.Fprintf(&b, "  %-26s %9s  %-12s %s\n", name, fmtPoints(t.Score)+"/"+fmtPoints(t.Max), t.Status, t.Message)
		for _, c := range t.Checks {
			mark := "ok"
			if !c.Passed {
				mark = "FAIL"
			}
			fmt.Fprintf(&b, "    %-24s %9s  %s\n", c.Name, fmtPoints(c.Score)+"/"+fmtPoints(c.Max), mark)
		}
	}
	fmt.Fprintf(&b, "  %-26s %9s  %s\n", "total", fmtPoints(r.Score)+"/"+fmtPoints(r.Max), r.Status)

	for _, t := range r.Tests {
		if t.Status == StatusPass || t.Status == StatusDisqualified || t.Status == StatusBuildError {
			continue
		}
		fmt.Fprintf(&b, "\n--- %s: %s, %s/%s: %s\n", t.Name, t.Status, fmtPoints(t.Score), fmtPoints(t.Max), t.Message)
		for _, f := range allFailures(t) {
			writeFailure(&b, f)
		}
		if len(t.Panic) > 0 {
			b.WriteString("  panic report:\n")
			for _, l := range t.Panic {
				fmt.Fprintf(&b, "    | %s\n", l)
			}
		}
		if len(t.Console) > 0 {
			b.WriteString("  last console lines:\n")
			for _, l := range t.Console {
				fmt.Fprintf(&b, "    | %s\n", l)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// allFailures lists a test's own failures, then its checks'.
func allFailures(t *TestResult) []Failure {
	out := append([]Failure(nil), t.Failures...)
	for _, c := range t.Checks {
		out = append(out, c.Failures...)
	}
	return out
}

func writeFailure(b *strings.Builder, f Failure) {
	where := "test"
	if f.Check != "" {
		where = "check " + f.Check
	}
	fmt.Fprintf(b, "  %s: %s\n      expected: %s\n      got:      %s\n", where, f.What, f.Expected, f.Got)
}

// WriteMarkdown writes a summary for a CI job page (GitHub's step summary,
// a GitLab job artifact).
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	title := "Burrow grade"
	if r.Student != "" {
		title += ": " + r.Student
	}
	fmt.Fprintf(&b, "## %s: %s / %s (%s)\n\n", title, fmtPoints(r.Score), fmtPoints(r.Max), r.Status)
	if !r.Build.OK && r.Build.Command != "" {
		fmt.Fprintf(&b, "**The kernel did not build** (`%s`):\n\n```text\n%s\n```\n\n", r.Build.Command, strings.Join(r.Build.Errors, "\n"))
	}
	if len(r.Integrity) > 0 {
		b.WriteString("**Disqualified:** protected files differ from the instructor's copy:\n\n")
		for _, i := range r.Integrity {
			fmt.Fprintf(&b, "- `%s` (%s)\n", i.Path, i.Problem)
		}
		b.WriteString("\n")
	}
	for _, e := range r.Infra {
		fmt.Fprintf(&b, "**Infrastructure error** (not the submission's fault; rerun): %s\n\n", mdCell(e))
	}
	b.WriteString("| Test | Points | Status | Notes |\n|---|---:|---|---|\n")
	for _, t := range r.Tests {
		name := t.Name
		if t.Hidden {
			name += " (hidden)"
		}
		fmt.Fprintf(&b, "| %s | %s / %s | %s | %s |\n", mdCell(name), fmtPoints(t.Score), fmtPoints(t.Max), t.Status, mdCell(t.Message))
		for _, c := range t.Checks {
			mark := "ok"
			if !c.Passed {
				mark = "fail"
			}
			fmt.Fprintf(&b, "| &nbsp;&nbsp;%s | %s / %s | %s | |\n", mdCell(c.Name), fmtPoints(c.Score), fmtPoints(c.Max), mark)
		}
	}
	fmt.Fprintf(&b, "| **total** | **%s / %s** | %s | |\n", fmtPoints(r.Score), fmtPoints(r.Max), r.Status)
	for _, t := range r.Tests {
		fs := allFailures(t)
		if len(fs) == 0 && len(t.Console) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n<details><summary>%s: %s</summary>\n\n", mdCell(t.Name), mdCell(t.Message))
		for _, f := range fs {
			where := "test"
			if f.Check != "" {
				where = "check " + f.Check
			}
			fmt.Fprintf(&b, "- %s: `%s`\n  - expected: %s\n  - got: %s\n", where, mdCode(f.What), mdCell(f.Expected), mdCell(f.Got))
		}
		if len(t.Panic) > 0 {
			fmt.Fprintf(&b, "\nPanic report:\n\n```text\n%s\n```\n", strings.Join(t.Panic, "\n"))
		}
		if len(t.Console) > 0 {
			fmt.Fprintf(&b, "\nLast console lines:\n\n```text\n%s\n```\n", strings.Join(t.Console, "\n"))
		}
		b.WriteString("\n</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell makes text safe inside a Markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "<", "&lt;")
	return strings.ReplaceAll(s, "\n", " ")
}

func mdCode(s string) string { return strings.ReplaceAll(s, "`", "'") }
