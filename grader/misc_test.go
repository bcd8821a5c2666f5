package grader

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestIntegrity(t *testing.T) {
	ref, student := t.TempDir(), t.TempDir()
	common := map[string]string{
		ProtectedList:         "# protected\ngrader/**\nMakefile\nmk/*.mk\n",
		"grader/tests/a.spec": "test a\n",
		"grader/grade.go":     "package grader\n",
		"Makefile":            "all:\n",
		"mk/kernel.mk":        "kernel:\n",
		"ckernel/main.c":      "int main;\n",
	}
	writeFiles(t, ref, common)
	writeFiles(t, student, common)
	pats, err := LoadProtected(ref)
	if err != nil {
		t.Fatal(err)
	}
	if issues, err := CheckIntegrity(student, ref, pats); err != nil || len(issues) != 0 {
		t.Fatalf("identical trees: %v, %v", issues, err)
	}
	// Students may change their own code, not the protected files.
	writeFiles(t, student, map[string]string{
		"ckernel/main.c":         "int main(void) { return 0; }\n",
		"grader/tests/a.spec":    "test a\n\tpoints 1000\n",
		"grader/tests/easy.spec": "test easy\n",
		"mk/extra.mk":            "x:\n",
	})
	os.Remove(filepath.Join(student, "Makefile"))
	issues, err := CheckIntegrity(student, ref, pats)
	if err != nil {
		t.Fatal(err)
	}
	want := []IntegrityIssue{{"Makefile", "missing"}, {"grader/tests/a.spec", "changed"}, {"grader/tests/easy.spec", "added"}, {"mk/extra.mk", "added"}}
	if !reflect.DeepEqual(issues, want) {
		t.Errorf("CheckIntegrity = %v, want %v", issues, want)
	}
}

func TestLoadProtectedBad(t *testing.T) {
	for _, pat := range []string{"/etc/passwd", "../x", "a/[b"} {
		ref := t.TempDir()
		writeFiles(t, ref, map[string]string{ProtectedList: pat + "\n"})
		if _, err := LoadProtected(ref); err == nil || !strings.Contains(err.Error(), ProtectedList+":1") {
			t.Errorf("LoadProtected(%q) error = %v", pat, err)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	log := `  CC      ckernel/main.c
ckernel/main.c: In function 'kmain':
ckernel/main.c:12:9: error: 'x' undeclared (first use in this function)
   12 |         x = 1;
      |         ^
ckernel/main.c:12:9: note: each undeclared identifier is reported only once
aarch64-linux-gnu-ld: build/ckernel/a.o: in function 'f': undefined reference to 'g'
make: *** [mk/kernel.mk:30: build/ckernel/main.c.o] Error 1
`
	want := []string{
		"ckernel/main.c:12:9: error: 'x' undeclared (first use in this function)",
		"   12 |         x = 1;",
		"      |         ^",
		"aarch64-linux-gnu-ld: build/ckernel/a.o: in function 'f': undefined reference to 'g'",
		"make: *** [mk/kernel.mk:30: build/ckernel/main.c.o] Error 1",
	}
	if got := buildErrors(log); !reflect.DeepEqual(got, want) {
		t.Errorf("buildErrors =\n%q\nwant\n%q", got, want)
	}
	if got := buildErrors("something odd\nhappened"); len(got) != 2 {
		t.Errorf("buildErrors without error lines = %q, want the log's tail", got)
	}
}

func TestUnpack(t *testing.T) {
	dir := t.TempDir()
	// A .tar.gz with one top-level directory: that directory is the tree.
	tgz := filepath.Join(dir, "ada.tar.gz")
	f, _ := os.Create(tgz)
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	tw.WriteHeader(&tar.Header{Name: "burrow/", Typeflag: tar.TypeDir, Mode: 0o755})
	tw.WriteHeader(&tar.Header{Name: "burrow/Makefile", Typeflag: tar.TypeReg, Mode: 0o644, Size: 4})
	tw.Write([]byte("all:"))
	tw.Close()
	zw.Close()
	f.Close()
	root, err := Unpack(tgz, t.TempDir())
	if err != nil || filepath.Base(root) != "burrow" {
		t.Fatalf("Unpack(tar.gz) = %s, %v", root, err)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "Makefile")); string(b) != "all:" {
		t.Errorf("Makefile = %q", b)
	}
	// A .zip with files at the top.
	zp := filepath.Join(dir, "bob.zip")
	f, _ = os.Create(zp)
	w := zip.NewWriter(f)
	fw, _ := w.Create("Makefile")
	fw.Write([]byte("zip:"))
	w.Create("ckernel/")
	w.Close()
	f.Close()
	out := t.TempDir()
	if root, err := Unpack(zp, out); err != nil || root != out {
		t.Errorf("Unpack(zip) = %s, %v; want %s", root, err, out)
	}
	// An entry that climbs out of the directory is refused.
	evil := filepath.Join(dir, "eve.tar")
	f, _ = os.Create(evil)
	tw = tar.NewWriter(f)
	tw.WriteHeader(&tar.Header{Name: "../../evil", Typeflag: tar.TypeReg, Mode: 0o644})
	tw.Close()
	f.Close()
	if _, err := Unpack(evil, t.TempDir()); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("Unpack(../../evil) = %v, want a refusal", err)
	}
}

func TestListSubmissions(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"ada/Makefile": "", "bob.tar.gz": "", "carol.zip": "", "notes.txt": "", ".hidden/x": ""})
	subs, err := ListSubmissions(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range subs {
		names = append(names, s.Student)
	}
	if strings.Join(names, " ") != "ada bob carol" {
		t.Errorf("students = %v", names)
	}
}
