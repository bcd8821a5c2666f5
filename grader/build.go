package grader

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"
)

// BuildCommand is what builds a student's kernel, run in the work copy.
var BuildCommand = []string{"make", "--no-print-directory", "kernel"}

// PrepareTree makes the work copy the grader builds and boots: the
// student's tree without .git and build outputs, with every protected file
// replaced by the instructor's copy (so the build runs the instructor's
// Makefile even when a changed one has already disqualified the run), and
// the device trees from the reference's build/deps.
func PrepareTree(student, reference, work string, protected []string) error {
	if err := copyTree(student, work, func(rel string, d fs.DirEntry) bool {
		return rel == ".git" || rel == "build"
	}); err != nil {
		return err
	}
	files, err := protectedFiles(reference, protected)
	if err != nil {
		return err
	}
	for _, rel := range files {
		if err := copyFile(filepath.Join(reference, rel), filepath.Join(work, rel)); err != nil {
			return err
		}
	}
	dtbs, _ := filepath.Glob(filepath.Join(reference, "build", "deps", "*.dtb"))
	for _, d := range dtbs {
		if err := copyFile(d, filepath.Join(work, "build", "deps", filepath.Base(d))); err != nil {
			return err
		}
	}
	return nil
}

// copyTree copies src to dst, skipping what skip says (by slash path
// relative to src). Symbolic links are copied as links.
func copyTree(src, dst string, skip func(rel string, d fs.DirEntry) bool) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if rel != "." && skip(filepath.ToSlash(rel), d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case d.Type().IsRegular():
			return copyFile(p, target)
		}
		return nil // sockets, devices: nothing a build needs
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	os.Remove(dst) // a link or read-only file in the way
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, st.Mode().Perm()|0o200)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// errorLine picks the lines of a build log that say what went wrong: the
// compiler's and the linker's errors, and make's summary.
var errorLine = regexp.MustCompile(`(?i)(\berror\b|undefined reference|multiple definition|\*\*\*|cannot find)`)

// MaxBuildErrors bounds the error lines a report carries.
const MaxBuildErrors = 40

// Build runs BuildCommand in work and returns the outcome, with the
// compiler's own error lines when it fails.
func Build(ctx context.Context, work string, timeout time.Duration) BuildResult {
	res := BuildResult{Command: strings.Join(BuildCommand, " ")}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	args := append(BuildCommand[1:len(BuildCommand):len(BuildCommand)], fmt.Sprintf("-j%d", runtime.NumCPU()))
	cmd := exec.CommandContext(ctx, BuildCommand[0], args...)
	cmd.Dir = work
	cmd.Env = buildEnv(work)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	res.Duration = time.Since(start)
	if err == nil {
		res.OK = true
		return res
	}
	res.Errors = buildErrors(out.String())
	if ctx.Err() == context.DeadlineExceeded {
		res.Errors = append(res.Errors, fmt.Sprintf("the build did not finish within %v", timeout))
	} else if len(res.Errors) == 0 {
		res.Errors = []string{err.Error()}
	}
	return res
}

// buildEnv is the environment for the build: ours, pointed at the work
// copy, without the make variables of any make that started us.
func buildEnv(work string) []string {
	var env []string
	for _, e := range os.Environ() {
		k, _, _ := strings.Cut(e, "=")
		switch k {
		case "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEFILES", "BURROW_ROOT":
			continue
		}
		env = append(env, e)
	}
	return append(env, "BURROW_ROOT="+work)
}

// buildErrors extracts the error lines from a build log, each with the
// source and caret lines GCC prints under it; if none match, the log's tail.
func buildErrors(log string) []string {
	lines := strings.Split(strings.TrimRight(log, "\n"), "\n")
	var out []string
	for i := 0; i < len(lines) && len(out) < MaxBuildErrors; i++ {
		if !errorLine.MatchString(lines[i]) {
			continue
		}
		out = append(out, lines[i])
		// GCC follows an error with the source line and a caret line,
		// both starting with a space and containing '|'.
		for i+1 < len(lines) && strings.HasPrefix(lines[i+1], " ") && strings.Contains(lines[i+1], "|") && len(out) < MaxBuildErrors {
			i++
			out = append(out, lines[i])
		}
	}
	if len(out) == 0 {
		if len(lines) > 20 {
			lines = lines[len(lines)-20:]
		}
		out = lines
	}
	return out
}
