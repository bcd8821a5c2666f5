package symbols

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestScanC(t *testing.T) {
	src, err := os.ReadFile("testdata/tree/ckernel/trap.c")
	require.NoError(t, err)
	got := map[string]Def{}
	for _, d := range ScanC("ckernel/trap.c", string(src)) {
		got[d.Name] = d
	}
	want := []struct {
		name, kind string
		line       int
	}{
		{"trapframe", "type", 3},
		{"u64", "type", 7},
		{"pair_t", "type", 11},
		{"trap_el1_sync", "func", 18},
		{"dump", "func", 24},
		{"many_args", "func", 28},
		{"page_of", "func", 34},
	}
	for _, w := range want {
		d, ok := got[w.name]
		if !ok || d.Kind != w.kind || d.Line != w.line {
			t.Errorf("ScanC(trap.c)[%s] = %+v, %v, want %s at line %d", w.name, d, ok, w.kind, w.line)
		}
	}
	// The prototype on line 13 and the split declaration on lines 15-16
	// are not definitions.
	if d := got["not_at_col0_style"]; d.Line != 0 {
		t.Errorf("ScanC(trap.c) indexed the prototype not_at_col0_style at line %d", d.Line)
	}
	if len(got) != len(want) {
		t.Errorf("ScanC(trap.c) found %d names, want %d: %v", len(got), len(want), got)
	}
}

func TestScanAsm(t *testing.T) {
	defs := ScanC("ckernel/vectors.S", "\t.global vectors\n\t.balign 2048\nvectors:\n\tb .\nlocal_label:\n\tret\n")
	if len(defs) != 1 || defs[0].Name != "vectors" || defs[0].Line != 3 || defs[0].Kind != "label" {
		t.Errorf("ScanC(vectors.S) = %+v, want only the global label vectors at line 3", defs)
	}
}

func TestLookup(t *testing.T) {
	ix, err := Build("testdata/tree")
	require.NoError(t, err)
	tests := []struct {
		name string
		path string
		line int
		ok   bool
	}{
		{"trap_el1_sync", "ckernel/trap.c", 18, true},
		{"trap_el1_sync()", "ckernel/trap.c", 18, true},
		{"Buddy", "kernel/mm/buddy.go", 4, true},
		{"mm.Buddy", "kernel/mm/buddy.go", 4, true},
		{"Buddy.Alloc", "kernel/mm/buddy.go", 7, true},
		{"mm.Buddy.Alloc", "kernel/mm/buddy.go", 7, true},
		{"mm.New", "kernel/mm/buddy.go", 9, true},
		{"vectors", "ckernel/vectors.S", 3, true},
		// dump is defined in trap.c, dump.c and buddy.go: ambiguous, no link;
		// its Go one can still be named with its package.
		{"dump", "", 0, false},
		{"mm.dump", "kernel/mm/buddy.go", 11, true},
		{"Alloc", "", 0, false},
		{"nothing", "", 0, false},
	}
	for _, tt := range tests {
		d, ok := ix.Lookup(tt.name)
		if ok != tt.ok || d.Path != tt.path || d.Line != tt.line {
			t.Errorf("Lookup(%q) = %s:%d, %v, want %s:%d, %v", tt.name, d.Path, d.Line, ok, tt.path, tt.line, tt.ok)
		}
	}
}

func TestInFile(t *testing.T) {
	ix, err := Build("testdata/tree")
	require.NoError(t, err)
	var got []string
	for _, d := range ix.InFile("kernel/mm/buddy.go") {
		got = append(got, d.Name)
	}
	want := []string{"Buddy", "Buddy.Alloc", "New", "dump"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("InFile(buddy.go) = %v, want %v", got, want)
	}
}

func TestLookupByLanguage(t *testing.T) {
	ix, err := Build("testdata/tree")
	require.NoError(t, err)
	// dump is defined in two C files and one Go file.
	if d, ok := ix.LookupGo("dump"); !ok || d.Path != "kernel/mm/buddy.go" {
		t.Errorf("LookupGo(dump) = %s, %v, want kernel/mm/buddy.go", d.Path, ok)
	}
	if _, ok := ix.LookupC("dump"); ok {
		t.Errorf("LookupC(dump) ok, want ambiguous (trap.c and dump.c)")
	}
	if d, ok := ix.LookupC("trap_el1_sync"); !ok || d.Line != 18 {
		t.Errorf("LookupC(trap_el1_sync) = %d, %v, want line 18", d.Line, ok)
	}
	if _, ok := ix.LookupGo("trap_el1_sync"); ok {
		t.Errorf("LookupGo(trap_el1_sync) ok, want not found: it is C")
	}
}
