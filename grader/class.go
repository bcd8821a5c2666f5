package grader

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Submission is one student's entry in a class directory: a checkout (a
// directory) or an archive (.tar, .tar.gz, .tgz, .zip).
type Submission struct {
	Student string
	Path    string
}

// archiveExts are the archive kinds a class directory may hold.
var archiveExts = []string{".tar.gz", ".tgz", ".tar", ".zip"}

// ListSubmissions lists the entries of a class directory, sorted by name.
// Hidden files and anything that is neither a directory nor an archive are
// skipped.
func ListSubmissions(dir string) ([]Submission, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var subs []Submission
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			subs = append(subs, Submission{Student: name, Path: p})
			continue
		}
		for _, ext := range archiveExts {
			if strings.HasSuffix(name, ext) {
				subs = append(subs, Submission{Student: strings.TrimSuffix(name, ext), Path: p})
				break
			}
		}
	}
	sort.Slice(subs, func(i, j int) bool { return subs[i].Student < subs[j].Student })
	return subs, nil
}

// Gradebook is a class's results, one report per student.
type Gradebook struct {
	Tests   []string // test names, in suite order
	Reports []*Report
}

// GradeClass grades every submission in dir with o (whose Tree and Student
// it sets per submission). One broken submission never stops the others: a
// submission that cannot even be unpacked gets a report saying so. Each
// report is written to outDir/<student>.json and .md, and the gradebook to
// outDir/gradebook.csv and .md.
func GradeClass(ctx context.Context, dir, outDir string, o Options) (*Gradebook, error) {
	subs, err := ListSubmissions(dir)
	if err != nil {
		return nil, err
	}
	if len(subs) == 0 {
		return nil, fmt.Errorf("grader: no submissions (directories or archives) in %s", dir)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	gb := &Gradebook{}
	for _, t := range o.Suite.Tests {
		gb.Tests = append(gb.Tests, t.Name)
	}
	for _, s := range subs {
		if ctx.Err() != nil {
			return gb, ctx.Err()
		}
		if o.Log != nil {
			fmt.Fprintf(o.Log, "== %s\n", s.Student)
		}
		rep := gradeSubmission(ctx, s, o)
		gb.Reports = append(gb.Reports, rep)
		if err := writeReports(outDir, rep); err != nil {
			return gb, err
		}
		if o.Log != nil {
			fmt.Fprintf(o.Log, "   %s: %s/%s (%s)\n", s.Student, fmtPoints(rep.Score), fmtPoints(rep.Max), rep.Status)
		}
	}
	for _, w := range []struct {
		name  string
		write func(io.Writer, *Gradebook) error
	}{{"gradebook.csv", WriteGradebookCSV}, {"gradebook.md", WriteGradebookMarkdown}} {
		f, err := os.Create(filepath.Join(outDir, w.name))
		if err != nil {
			return gb, err
		}
		err = w.write(f, gb)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return gb, err
		}
	}
	return gb, nil
}

// gradeSubmission unpacks (if need be) and grades one submission, turning
// any failure, even a panic in the grader, into a report.
func gradeSubmission(ctx context.Context, s Submission, o Options) (rep *Report) {
	o.Student = s.Student
	defer func() {
		if p := recover(); p != nil {
			rep = brokenReport(o, fmt.Sprintf("the grader failed on this submission: %v", p))
		}
	}()
	tree := s.Path
	if st, err := os.Stat(s.Path); err == nil && !st.IsDir() {
		tmp, err := os.MkdirTemp("", "burrow-sub-")
		if err != nil {
			return brokenReport(o, err.Error())
		}
		defer os.RemoveAll(tmp)
		if tree, err = Unpack(s.Path, tmp); err != nil {
			return brokenReport(o, "cannot unpack the submission: "+err.Error())
		}
	}
	o.Tree = tree
	return Grade(ctx, o)
}

// brokenReport is the report of a submission that could not be graded at
// all. It scores zero; the message says why.
func brokenReport(o Options, msg string) *Report {
	rep := &Report{Student: o.Student, Status: RunBuildFailed, Build: BuildResult{Command: "unpack", Errors: []string{msg}}}
	for _, t := range o.Suite.Tests {
		rep.Tests = append(rep.Tests, &TestResult{Name: t.Name, Hidden: t.Hidden, Board: t.Board,
			Max: t.Max(), Points: t.Points, Status: StatusBuildError, Message: "not run: " + msg})
	}
	rep.total()
	return rep
}

func writeReports(outDir string, rep *Report) error {
	for _, w := range []struct {
		ext   string
		write func(io.Writer, *Report) error
	}{{".json", WriteJSON}, {".md", WriteMarkdown}} {
		f, err := os.Create(filepath.Join(outDir, safeName(rep.Student)+w.ext))
		if err != nil {
			return err
		}
		err = w.write(f, rep)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// safeName makes a student name usable as a file name.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 {
			return '_'
		}
		return r
	}, s)
}

// Unpack extracts an archive into dir and returns the tree's root: dir, or
// the archive's single top-level directory if it has exactly one. Entries
// that would land outside dir are refused.
func Unpack(archive, dir string) (string, error) {
	var err error
	switch {
	case strings.HasSuffix(archive, ".zip"):
		err = unzip(archive, dir)
	case strings.HasSuffix(archive, ".tar.gz"), strings.HasSuffix(archive, ".tgz"):
		err = untar(archive, dir, true)
	case strings.HasSuffix(archive, ".tar"):
		err = untar(archive, dir, false)
	default:
		err = fmt.Errorf("unknown archive kind: %s", filepath.Base(archive))
	}
	if err != nil {
		return "", err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	if len(entries) == 1 && entries[0].IsDir() {
		return filepath.Join(dir, entries[0].Name()), nil
	}
	return dir, nil
}

// within returns dir/name, or an error if name escapes dir.
func within(dir, name string) (string, error) {
	p := filepath.Join(dir, name)
	if p != dir && !strings.HasPrefix(p, dir+string(filepath.Separator)) {
		return "", fmt.Errorf("archive entry %q points outside the archive", name)
	}
	return p, nil
}

func untar(archive, dir string, gz bool) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if gz {
		z, err := gzip.NewReader(f)
		if err != nil {
			return err
		}
		defer z.Close()
		r = z
	}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		p, err := within(dir, h.Name)
		if err != nil {
			return err
		}
		switch h.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(p, 0o755)
		case tar.TypeReg:
			err = writeFrom(p, tr, os.FileMode(h.Mode).Perm())
		case tar.TypeSymlink:
			if err = os.MkdirAll(filepath.Dir(p), 0o755); err == nil {
				err = os.Symlink(h.Linkname, p)
			}
		}
		if err != nil {
			return err
		}
	}
}

func unzip(archive, dir string) error {
	z, err := zip.OpenReader(archive)
	if err != nil {
		return err
	}
	defer z.Close()
	for _, f := range z.File {
		p, err := within(dir, f.Name)
		if err != nil {
			return err
		}
		if f.FileInfo().IsDir() {
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		err = writeFrom(p, rc, f.Mode().Perm())
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func writeFrom(p string, r io.Reader, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm|0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// WriteGradebookCSV writes one row per student: name, total, maximum,
// status, then each test's points.
func WriteGradebookCSV(w io.Writer, gb *Gradebook) error {
	cw := csv.NewWriter(w)
	cw.Write(append([]string{"student", "score", "max_score", "status"}, gb.Tests...))
	for _, r := range gb.Reports {
		row := []string{r.Student, fmtPoints(r.Score), fmtPoints(r.Max), r.Status}
		for _, name := range gb.Tests {
			row = append(row, testScore(r, name))
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// WriteGradebookMarkdown writes the gradebook as a Markdown table.
func WriteGradebookMarkdown(w io.Writer, gb *Gradebook) error {
	var b strings.Builder
	b.WriteString("## Gradebook\n\n| Student | Score | Status |")
	for _, t := range gb.Tests {
		b.WriteString(" " + mdCell(t) + " |")
	}
	b.WriteString("\n|---|---:|---|" + strings.Repeat("---:|", len(gb.Tests)) + "\n")
	for _, r := range gb.Reports {
		fmt.Fprintf(&b, "| %s | %s / %s | %s |", mdCell(r.Student), fmtPoints(r.Score), fmtPoints(r.Max), r.Status)
		for _, name := range gb.Tests {
			b.WriteString(" " + testScore(r, name) + " |")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func testScore(r *Report, name string) string {
	for _, t := range r.Tests {
		if t.Name == name {
			return fmtPoints(t.Score)
		}
	}
	return ""
}
