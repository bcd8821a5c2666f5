package grader

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/burrow-os/burrow/internal/testenv"
)

// End-to-end tests: grade real kernel builds in QEMU. Each works on a copy
// of the tree in t.TempDir() (without .git and build/), and the real tree is
// the instructor's reference.

// e2eSpec is a short suite: three boots on virt, a few million
// instructions each.
const e2eSpec = `test boot-virt
	points 2
	board virt
	timeout 500ms
	args test=boot
	expect done status=pass
	check memory 1
		expect boot ram=0x40000000
	check ticks 2
		expect tick n>=5

test boot-virt-el2
	points 1
	board virt-el2
	timeout 500ms
	args test=boot
	depends boot-virt
	expect done status=pass
	check entry-el2 1
		expect boot el=2

test fault-null
	points 1
	board virt
	timeout 500ms
	args fault=null
	exit nonzero
	depends boot-virt
	expect boot
	check decoded 2
		expect panic far=0x0
`

// copyOfTree copies the real tree, as a student's checkout would hold it
// (no .git, no build outputs), into a temporary directory, and returns it
// with the real tree's root.
func copyOfTree(t *testing.T) (copy, root string) {
	t.Helper()
	root = testenv.Root(t)
	copy = filepath.Join(t.TempDir(), "submission")
	err := copyTree(root, copy, func(rel string, d os.DirEntry) bool {
		return rel == ".git" || rel == "build" || !d.IsDir() && !d.Type().IsRegular()
	})
	if err != nil {
		t.Fatal(err)
	}
	return copy, root
}

// patch replaces old with new in every ckernel source file of the copy,
// failing the test if old appears nowhere (the kernel changed under it).
func patch(t *testing.T, tree, old, new string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(tree, "ckernel", "*.c"))
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if s := string(b); strings.Contains(s, old) {
			n++
			os.WriteFile(f, []byte(strings.ReplaceAll(s, old, new)), 0o644)
		}
	}
	if n == 0 {
		t.Fatalf("no ckernel/*.c contains %q: update this test to the kernel's code", old)
	}
}

func e2eSuite(t *testing.T) *Suite {
	s, err := Merge(mustParse(t, "e2e.spec", e2eSpec))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func grade(t *testing.T, tree, root string, suite *Suite) *Report {
	t.Helper()
	rep := Grade(context.Background(), Options{Tree: tree, Reference: root, Suite: suite, Student: filepath.Base(tree)})
	var b strings.Builder
	WriteText(&b, rep)
	t.Logf("report:\n%s", b.String())
	return rep
}

// scores summarises a report as name:status:score for each test and check.
func scores(rep *Report) string {
	var parts []string
	for _, tr := range rep.Tests {
		parts = append(parts, tr.Name+":"+tr.Status+":"+fmtPoints(tr.Score))
		for _, c := range tr.Checks {
			parts = append(parts, tr.Name+"/"+c.Name+":"+fmtPoints(c.Score))
		}
	}
	return strings.Join(parts, " ")
}

// The real tree scores full marks on the built-in suite, twice over with
// the same result.
func TestQEMUGradeRealTree(t *testing.T) {
	testenv.NeedQEMU(t)
	tree, root := copyOfTree(t)
	suite, err := Builtin()
	if err == nil {
		suite, err = Merge(suite)
	}
	if err != nil {
		t.Fatal(err)
	}
	first := grade(t, tree, root, suite)
	if !first.FullMarks() {
		t.Fatalf("the real tree scored %v/%v (%s): %s", first.Score, first.Max, first.Status, scores(first))
	}
	second := grade(t, tree, root, suite)
	if scores(first) != scores(second) || first.Score != second.Score {
		t.Errorf("two runs of one build differ:\n  %s\n  %s", scores(first), scores(second))
	}
	if first.Tests[0].Nonce == second.Tests[0].Nonce {
		t.Errorf("two runs used the same nonce %s", first.Tests[0].Nonce)
	}
}

// A bug that stops the tick reports loses exactly the tick check's points.
func TestQEMUGradeDeliberateBug(t *testing.T) {
	testenv.NeedQEMU(t)
	tree, root := copyOfTree(t)
	patch(t, tree, `report("tick"`, `report("tock"`)
	rep := grade(t, tree, root, e2eSuite(t))
	want := "boot-virt:partial:3 boot-virt/memory:1 boot-virt/ticks:0 boot-virt-el2:pass:2 boot-virt-el2/entry-el2:1 fault-null:pass:3 fault-null/decoded:2"
	if got := scores(rep); got != want || rep.Score != rep.Max-2 {
		t.Errorf("scores = %s\nwant     %s", got, want)
	}
}

func TestQEMUGradeCompileError(t *testing.T) {
	testenv.NeedQEMU(t)
	tree, root := copyOfTree(t)
	f, _ := os.OpenFile(filepath.Join(tree, "ckernel", "main.c"), os.O_APPEND|os.O_WRONLY, 0)
	io.WriteString(f, "\n#error deliberate build failure\n")
	f.Close()
	rep := grade(t, tree, root, e2eSuite(t))
	if rep.Status != RunBuildFailed || rep.Score != 0 || rep.Build.OK {
		t.Fatalf("status %s, score %v, build ok %v; want a build failure scoring 0", rep.Status, rep.Score, rep.Build.OK)
	}
	if errs := strings.Join(rep.Build.Errors, "\n"); !strings.Contains(errs, "ckernel/main.c") || !strings.Contains(errs, "error: #error deliberate build failure") {
		t.Errorf("build errors do not quote the compiler:\n%s", errs)
	}
	for _, tr := range rep.Tests {
		if tr.Status != StatusBuildError {
			t.Errorf("%s: status %s, want %s", tr.Name, tr.Status, StatusBuildError)
		}
	}
}

// A kernel that spins where it should finish runs out of virtual time and
// scores zero for that test; the tests depending on it do not run.
func TestQEMUGradeHang(t *testing.T) {
	testenv.NeedQEMU(t)
	tree, root := copyOfTree(t)
	patch(t, tree, `report("done"`, `for (;;) {} report("done"`)
	rep := grade(t, tree, root, e2eSuite(t))
	want := "boot-virt:timeout:0 boot-virt/memory:0 boot-virt/ticks:0 boot-virt-el2:skipped:0 fault-null:skipped:0"
	if got := scores(rep); got != want {
		t.Errorf("scores = %s\nwant     %s", got, want)
	}
	hung := rep.Tests[0]
	if !strings.Contains(hung.Message, "did not finish within its budget of 500000000 instructions") || len(hung.Console) == 0 ||
		!strings.Contains(hung.Console[len(hung.Console)-1], "@burrow") || rep.Status != RunGraded {
		t.Errorf("hang reported as %q with console %q (run status %s)", hung.Message, hung.Console, rep.Status)
	}
}

// A kernel that prints the expected lines without the nonce scores nothing.
func TestQEMUGradeFakeLines(t *testing.T) {
	testenv.NeedQEMU(t)
	tree, root := copyOfTree(t)
	patch(t, tree, `kprintf("@burrow %s %s ", report_nonce, kind);`, `kprintf("@burrow %s ", kind);`)
	rep := grade(t, tree, root, e2eSuite(t))
	if rep.Score != 0 {
		t.Errorf("fake lines scored %v: %s", rep.Score, scores(rep))
	}
	if tr := rep.Tests[0]; tr.Status != StatusFail || !strings.Contains(tr.Message, "no line carried this run's nonce") || tr.Rejected < 3 {
		t.Errorf("boot-virt: %s %q, %d lines rejected", tr.Status, tr.Message, tr.Rejected)
	}
}

func TestQEMUGradeProtectedFile(t *testing.T) {
	testenv.NeedQEMU(t)
	tree, root := copyOfTree(t)
	f, _ := os.OpenFile(filepath.Join(tree, "grader", "tests", "boot.spec"), os.O_APPEND|os.O_WRONLY, 0)
	io.WriteString(f, "\ntest free-points\n\tpoints 100\n\tmatch .\n")
	f.Close()
	rep := grade(t, tree, root, e2eSuite(t))
	if rep.Status != RunDisqualified || rep.Score != 0 || len(rep.Integrity) != 1 ||
		rep.Integrity[0] != (IntegrityIssue{Path: "grader/tests/boot.spec", Problem: "changed"}) {
		t.Errorf("status %s, score %v, integrity %v; want disqualified for grader/tests/boot.spec", rep.Status, rep.Score, rep.Integrity)
	}
}

// Instructor mode on a good checkout, a broken archive and a hanging
// checkout produces the expected gradebook.
func TestQEMUGradeClass(t *testing.T) {
	testenv.NeedQEMU(t)
	class := t.TempDir()
	good, root := copyOfTree(t)
	os.Rename(good, filepath.Join(class, "good"))
	broken, _ := copyOfTree(t)
	f, _ := os.OpenFile(filepath.Join(broken, "ckernel", "main.c"), os.O_APPEND|os.O_WRONLY, 0)
	io.WriteString(f, "\nthis is not C\n")
	f.Close()
	tarGz(t, broken, filepath.Join(class, "broken.tar.gz"))
	hanging, _ := copyOfTree(t)
	patch(t, hanging, `report("done"`, `for (;;) {} report("done"`)
	os.Rename(hanging, filepath.Join(class, "hanging"))

	out := t.TempDir()
	gb, err := GradeClass(context.Background(), class, out, Options{Reference: root, Suite: e2eSuite(t)})
	if err != nil {
		t.Fatal(err)
	}
	csvData, _ := os.ReadFile(filepath.Join(out, "gradebook.csv"))
	want := `student,score,max_score,status,boot-virt,boot-virt-el2,fault-null
broken,0,10,build-failed,0,0,0
good,10,10,graded,5,2,3
hanging,0,10,graded,0,0,0
`
	if string(csvData) != want {
		t.Errorf("gradebook.csv =\n%s\nwant\n%s", csvData, want)
	}
	if len(gb.Reports) != 3 {
		t.Errorf("%d reports, want 3", len(gb.Reports))
	}
	for _, name := range []string{"gradebook.md", "good.json", "good.md", "broken.json", "hanging.md"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("missing output: %v", err)
		}
	}
	md, _ := os.ReadFile(filepath.Join(out, "broken.md"))
	if !strings.Contains(string(md), "this is not C") && !strings.Contains(string(md), "error") {
		t.Errorf("broken.md does not show the compiler's errors:\n%s", md)
	}
}

// tarGz packs dir as archive, under one top-level directory.
func tarGz(t *testing.T, dir, archive string) {
	t.Helper()
	f, err := os.Create(archive)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	err = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(filepath.Dir(dir), p)
		h, err := tar.FileInfoHeader(info, "")
		if err != nil || !(info.IsDir() || info.Mode().IsRegular()) {
			return err
		}
		h.Name = filepath.ToSlash(rel)
		if err := tw.WriteHeader(h); err != nil || info.IsDir() {
			return err
		}
		src, err := os.Open(p)
		if err != nil {
			return err
		}
		defer src.Close()
		_, err = io.Copy(tw, src)
		return err
	})
	if err == nil {
		err = tw.Close()
	}
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
}
