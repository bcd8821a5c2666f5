package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// GoArm64 builds the Go package pkg (a path or import path, resolved in
// the test's working directory) as a static linux/arm64 program at out,
// the kind of binary Burrow runs at EL0.
func GoArm64(t testing.TB, out, pkg string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s for linux/arm64: %v\n%s", pkg, err, b)
	}
}

// Cpio packs the directory root into a newc cpio archive (what QEMU's
// -initrd hands the kernel as its initramfs), in a sorted, repeatable
// order, and returns the archive's path.
func Cpio(t testing.TB, root string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "initramfs.cpio")
	cmd := exec.Command("sh", "-c", "find . | LC_ALL=C sort | cpio -o -H newc --quiet > "+out)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cpio of %s: %v\n%s", root, err, b)
	}
	return out
}

// Busybox copies Debian's busybox-static (build/deps/busybox, fetched by
// scripts/setup.sh busybox) into dir and links each applet to it there.
func Busybox(t testing.TB, dir string, applets ...string) {
	t.Helper()
	data, err := os.ReadFile(Build(t, "deps/busybox"))
	if err != nil {
		t.Fatalf("busybox: run scripts/setup.sh busybox: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "busybox"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, a := range applets {
		if err := os.Symlink("busybox", filepath.Join(dir, a)); err != nil {
			t.Fatal(err)
		}
	}
}

// ProcCase is one program the kernel's test=proc runs: a name for its
// report lines and its argv (argv[0] is the path).
type ProcCase struct {
	Name string
	Argv []string
}

// WriteProcCases writes root/test/cases, the list test=proc reads from the
// initramfs: one line per case, "name<TAB>path<TAB>argv..." (the path is
// argv[0], so argv[0] appears twice).
func WriteProcCases(t testing.TB, root string, cases ...ProcCase) {
	t.Helper()
	var list strings.Builder
	for _, c := range cases {
		fmt.Fprintf(&list, "%s\t%s\t%s\n", c.Name, c.Argv[0], strings.Join(c.Argv, "\t"))
	}
	dir := filepath.Join(root, "test")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cases"), []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
