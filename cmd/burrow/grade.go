package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/burrow-os/burrow/grader"
)

func init() {
	register(command{
		name:    "grade",
		summary: "build a tree, boot its tests in QEMU and score them (grader/README.md)",
		run:     gradeCmd,
	})
}

// Exit statuses of burrow grade.
const (
	gradeFull  = 0 // full marks
	gradeLost  = 1 // points lost, build failed or disqualified
	gradeUsage = 2
	gradeInfra = 3 // an infrastructure error: rerun
)

func gradeCmd(args []string) int {
	fs := flag.NewFlagSet("burrow grade", flag.ContinueOnError)
	tests := fs.String("tests", "", "directory of *.spec tests (default: the suite built into burrow)")
	hidden := fs.String("hidden", "", "directory of hidden *.spec tests (only with -class or -gradescope)")
	reference := fs.String("reference", "", "the instructor's copy of the tree, for protected files (default: $BURROW_ROOT, else the graded tree)")
	jobs := fs.Int("j", 0, "QEMU runs in parallel (default: one per CPU)")
	run := fs.String("run", "", "only tests whose names match this regexp (and what they depend on)")
	backstop := fs.Duration("backstop", 0, "wall-clock backstop per QEMU run (default: 1m + 60x the test's virtual budget)")
	jsonOut := fs.String("json", "", "write the JSON report to this file")
	junitOut := fs.String("junit", "", "write a JUnit XML report to this file")
	mdOut := fs.String("markdown", "", "write a Markdown summary to this file (for example $GITHUB_STEP_SUMMARY)")
	resultsOut := fs.String("results", "", "write Gradescope's results.json to this file")
	class := fs.String("class", "", "instructor mode: grade every checkout or archive in this directory")
	out := fs.String("out", "grades", "with -class: directory for the gradebook and per-student reports")
	gradescope := fs.Bool("gradescope", false, "Gradescope mode: grade /autograder/submission into /autograder/results/results.json")
	verbose := fs.Bool("v", false, "stream every test's console")
	keep := fs.Bool("keep", false, "keep the work copy of the tree (its path is printed)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `usage: burrow grade [flags] [TREE]
       burrow grade -class DIR [-hidden DIR] [-reference DIR] [flags]
       burrow grade -gradescope [flags]

Builds TREE (default: the current directory) with make kernel in a private
copy, boots each test in QEMU under icount, and scores the in-kernel
protocol reports. Exit status: 0 full marks, 1 points lost, 3 infrastructure
error (rerun).

flags:`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return gradeUsage
	}
	if fs.NArg() > 1 || (*class != "" && fs.NArg() > 0) {
		fs.Usage()
		return gradeUsage
	}
	fail := func(format string, args ...any) int {
		fmt.Fprintf(os.Stderr, "burrow grade: "+format+"\n", args...)
		return gradeUsage
	}
	tree := "."
	if fs.NArg() == 1 {
		tree = fs.Arg(0)
	}
	if *gradescope {
		tree = "/autograder/submission"
		if *reference == "" {
			*reference = "/autograder/source"
		}
		if *resultsOut == "" {
			*resultsOut = "/autograder/results/results.json"
		}
		if *hidden == "" {
			if st, err := os.Stat("/autograder/source/hidden"); err == nil && st.IsDir() {
				*hidden = "/autograder/source/hidden"
			}
		}
	}
	if *reference == "" {
		*reference = os.Getenv("BURROW_ROOT")
		if *reference == "" && *class == "" {
			*reference = tree
		}
		if *reference == "" {
			return fail("-class needs -reference (the instructor's checkout) or $BURROW_ROOT")
		}
	}

	// The suite: the grader's own copy, never the graded tree's.
	var suite *grader.Suite
	var err error
	if *tests != "" {
		suite, err = grader.LoadDir(os.DirFS(*tests), ".", false)
	} else {
		suite, err = grader.Builtin()
	}
	if err != nil {
		return fail("%v", err)
	}
	var hiddenSuite *grader.Suite
	if *hidden != "" {
		// A workflow the student controls cannot keep tests hidden, so
		// hidden tests run only where the student's tree is not in charge.
		if *class == "" && !*gradescope {
			return fail("-hidden works only with -class or -gradescope: hidden tests never run from a student's own checkout")
		}
		if inside(*hidden, tree) && *class == "" {
			return fail("the hidden tests are inside the graded tree")
		}
		if hiddenSuite, err = grader.LoadDir(os.DirFS(*hidden), ".", true); err != nil {
			return fail("%v", err)
		}
	}
	if suite, err = grader.Merge(suite, hiddenSuite); err != nil {
		return fail("%v", err)
	}
	if *run != "" {
		re, err := regexp.Compile(*run)
		if err != nil {
			return fail("-run: %v", err)
		}
		if suite = suite.Select(re); len(suite.Tests) == 0 {
			return fail("-run %q matches no test", *run)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opts := grader.Options{Reference: abs(*reference), Suite: suite, Jobs: *jobs, Backstop: *backstop,
		Log: os.Stderr, KeepWork: *keep}
	if *verbose {
		opts.Console = os.Stderr
	}

	if *class != "" {
		gb, err := grader.GradeClass(ctx, *class, *out, opts)
		if err != nil {
			fmt.Fprintf(os.Stderr, "burrow grade: %v\n", err)
			return gradeInfra
		}
		grader.WriteGradebookMarkdown(os.Stdout, gb)
		fmt.Printf("\ngradebook: %s, %s\n", filepath.Join(*out, "gradebook.csv"), filepath.Join(*out, "gradebook.md"))
		return gradeFull
	}

	opts.Tree = abs(tree)
	start := time.Now()
	rep := grader.Grade(ctx, opts)
	fmt.Fprintf(os.Stderr, "graded in %v\n\n", time.Since(start).Round(time.Millisecond))
	grader.WriteText(os.Stdout, rep)
	for _, o := range []struct {
		path  string
		write func(io.Writer, *grader.Report) error
	}{{*jsonOut, grader.WriteJSON}, {*junitOut, grader.WriteJUnit}, {*mdOut, grader.WriteMarkdown}, {*resultsOut, grader.WriteGradescope}} {
		if o.path == "" {
			continue
		}
		if err := writeFile(o.path, rep, o.write); err != nil {
			fmt.Fprintf(os.Stderr, "burrow grade: %v\n", err)
			return gradeInfra
		}
	}
	switch {
	case rep.Status == grader.RunInfraError:
		return gradeInfra
	case rep.FullMarks():
		return gradeFull
	}
	return gradeLost
}

// writeFile writes one report to path.
func writeFile(path string, rep *grader.Report, write func(io.Writer, *grader.Report) error) error {
	if dir := filepath.Dir(path); dir != "." {
		os.MkdirAll(dir, 0o755)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f, rep); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func abs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// inside reports whether path p lies within dir.
func inside(p, dir string) bool {
	rel, err := filepath.Rel(abs(dir), abs(p))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}
