package include

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		line string
		body string
		ok   bool
	}{
		{"{{#include ckernel/boot.S:park}}", "ckernel/boot.S:park", true},
		{"  {{#include a.c}}  ", "a.c", true},
		{"text {{#include a.c}}", "", false},
		{"{{#include }}", "", false},
		{"{{include a.c}}", "", false},
	}
	for _, tt := range tests {
		body, ok := Match(tt.line)
		if body != tt.body || ok != tt.ok {
			t.Errorf("Match(%q) = %q, %v, want %q, %v", tt.line, body, ok, tt.body, tt.ok)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"../etc/passwd", "leaves the tree"},
		{"/etc/passwd", "leaves the tree"},
		{"a.c:bad name", "not a region name"},
		{"a.c:/unclosed", "no closing /"},
		{"a.c:/start/", "needs ,/end/ or ,+N"},
		{"a.c:/start/,+x", "needs a line count"},
		{"a.c:/(/,/x/", "start regex"},
		{"a.c:/x/,/y/z", "unexpected"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) error = %v, want one containing %q", tt.in, err, tt.want)
		}
	}
}

func TestParseRegexSlash(t *testing.T) {
	d, err := Parse(`a.c:/a\/b/,+2`)
	require.NoError(t, err)
	assert.Equal(t, "a/b", d.Start.String())
	assert.Equal(t, 2, d.Extra)
}

func TestResolve(t *testing.T) {
	tests := []struct {
		dir       string
		wantFirst int
		wantNums  []int
		wantLines []string
		wantLabel string
	}{
		{
			// Quoting the outer region drops the inner regions' markers,
			// so the source line numbers jump over them.
			dir: "regions.c:outer", wantFirst: 4, wantLabel: "outer",
			wantNums: []int{4, 5, 7, 8, 9, 10, 12, 13, 14, 16, 18},
			wantLines: []string{"static int counter;", "", "void bump(void)", "{", "\tcounter++;", "}", "",
				"int read_counter(void)", "{", "\treturn counter;", "}"},
		},
		{dir: "regions.c:inner", wantFirst: 7, wantLabel: "inner", wantNums: []int{7, 8, 9, 10},
			wantLines: []string{"void bump(void)", "{", "\tcounter++;", "}"}},
		{dir: "regions.c:body", wantFirst: 16, wantLabel: "body", wantNums: []int{16}, wantLines: []string{"\treturn counter;"}},
		{dir: "start.S:park", wantFirst: 4, wantLabel: "park", wantNums: []int{4, 5, 6},
			wantLines: []string{"\tmrs\tx0, mpidr_el1", "\tand\tx0, x0, #3", "\tcbnz\tx0, park"}},
		{dir: "regions.c:/^int read_counter/,/^}/", wantFirst: 13, wantLabel: "lines 13–18", wantNums: []int{13, 14, 16, 18},
			wantLines: []string{"int read_counter(void)", "{", "\treturn counter;", "}"}},
		{dir: "regions.c:/^void bump/,+1", wantFirst: 7, wantLabel: "lines 7–8", wantNums: []int{7, 8},
			wantLines: []string{"void bump(void)", "{"}},
		{dir: "start.S", wantFirst: 1, wantLabel: "", wantNums: []int{1, 2, 4, 5, 6, 8},
			wantLines: []string{"\t.global _start", "_start:", "\tmrs\tx0, mpidr_el1", "\tand\tx0, x0, #3", "\tcbnz\tx0, park", "\tb\tmain"}},
	}
	for _, tt := range tests {
		d, err := Parse(tt.dir)
		require.NoError(t, err, tt.dir)
		q, err := Resolve("testdata", d)
		if err != nil {
			t.Errorf("Resolve(%q) error = %v, want none", tt.dir, err)
			continue
		}
		if q.First != tt.wantFirst || q.Label != tt.wantLabel {
			t.Errorf("Resolve(%q) = first %d label %q, want %d %q", tt.dir, q.First, q.Label, tt.wantFirst, tt.wantLabel)
		}
		assert.Equal(t, tt.wantLines, q.Lines, "Resolve(%q) lines", tt.dir)
		assert.Equal(t, tt.wantNums, q.Nums, "Resolve(%q) line numbers", tt.dir)
	}
}

func TestResolveErrors(t *testing.T) {
	tests := []struct{ dir, want string }{
		{"missing.c", "missing.c: no such file"},
		{"missing.c:region", "missing.c: no such file"},
		{"regions.c:nothere", `regions.c: no region "nothere"`},
		{"broken.c:open", `line 1: region "open" has no ANCHOR_END`},
		{"regions.c:/^nomatch/,+1", "no line matches /^nomatch/"},
		{"regions.c:/^int read/,/^nomatch/", "no line after line 13 matches /^nomatch/"},
		{"regions.c:/^int read/,+100", "runs past the end of the file"},
	}
	for _, tt := range tests {
		d, err := Parse(tt.dir)
		require.NoError(t, err, tt.dir)
		_, err = Resolve("testdata", d)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Resolve(%q) error = %v, want one containing %q", tt.dir, err, tt.want)
		}
	}
}

func TestRegions(t *testing.T) {
	tests := []struct {
		src  string
		want map[string]Region
		err  string
	}{
		{src: "// ANCHOR: a\nx\n// ANCHOR_END: a", want: map[string]Region{"a": {2, 2}}},
		{src: "# ANCHOR: a\n# ANCHOR: b\nx\n# ANCHOR_END: a\ny\n# ANCHOR_END: b", want: map[string]Region{"a": {2, 3}, "b": {3, 5}}},
		{src: "/* ANCHOR: a */\n/* ANCHOR_END: a */", want: map[string]Region{"a": {2, 1}}},
		{src: "// ANCHOR_END: a", err: "without ANCHOR"},
		{src: "// ANCHOR: a\n// ANCHOR: a", err: "opened twice"},
		{src: "// ANCHOR: a\n// ANCHOR_END: a\n// ANCHOR: a\n// ANCHOR_END: a", err: "defined twice"},
		// Not markers: prose that mentions the word, or code after the marker.
		{src: "x = 1 // ANCHOR: a\n// see ANCHOR: b", want: map[string]Region{}},
	}
	for _, tt := range tests {
		got, err := Regions(strings.Split(tt.src, "\n"))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Regions(%q) error = %v, want one containing %q", tt.src, err, tt.err)
			}
			continue
		}
		require.NoError(t, err, tt.src)
		assert.Equal(t, tt.want, got, "Regions(%q)", tt.src)
	}
}

func TestResolveWholeFileLimit(t *testing.T) {
	dir := t.TempDir()
	writeLines(t, dir+"/long.c", MaxWholeLines+1)
	_, err := Resolve(dir, Directive{Path: "long.c"})
	if err == nil || !strings.Contains(err.Error(), "too long to quote whole") {
		t.Errorf("Resolve(long.c) error = %v, want too long", err)
	}
}

func TestLang(t *testing.T) {
	tests := map[string]string{"a/b.go": "go", "boot.S": "gas", "x.h": "c", "Makefile": "make", "mk/book.mk": "make", "README": "text"}
	for in, want := range tests {
		if got := Lang(in); got != want {
			t.Errorf("Lang(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestResolveSymbol(t *testing.T) {
	tests := []struct {
		dir         string
		first, last int
		firstLine   string
	}{
		{"sym.go:@Buddy", 3, 6, "// Buddy is a type."},
		{"sym.go:@Buddy.Alloc", 8, 12, "// Alloc allocates."},
		{"sym.go:@A", 15, 16, "\t// A is first."},
		{"sym.go:@B", 17, 17, "\tB int"},
		{"sym.go:@plain", 20, 20, "func plain() {}"},
		{"sym.c:@helper", 3, 8, "/* A block comment"},
		{"sym.c:@point", 10, 12, "struct point {"},
		// The comment above stops at a region marker.
		{"sym.c:@marked", 17, 19, "void marked(void)"},
	}
	for _, tt := range tests {
		d, err := Parse(tt.dir)
		require.NoError(t, err, tt.dir)
		q, err := Resolve("testdata", d)
		if err != nil {
			t.Errorf("Resolve(%q) error = %v", tt.dir, err)
			continue
		}
		if q.First != tt.first || q.Last != tt.last || q.Lines[0] != tt.firstLine {
			t.Errorf("Resolve(%q) = lines %d-%d starting %q, want %d-%d starting %q", tt.dir, q.First, q.Last, q.Lines[0], tt.first, tt.last, tt.firstLine)
		}
		if q.Label != d.Symbol {
			t.Errorf("Resolve(%q).Label = %q, want %q", tt.dir, q.Label, d.Symbol)
		}
	}
	errs := []struct{ dir, want string }{
		{"sym.go:@Missing", `sym.go: no func, method or type "Missing"`},
		{"sym.go:@Alloc", `no func, method or type "Alloc"`},
		{"sym.c:@proto", `sym.c: no function or type "proto"`},
		{"start.S:@_start", "only Go and C definitions can be quoted by name"},
		{"gone.c:@x", "gone.c: no such file"},
	}
	for _, tt := range errs {
		d, err := Parse(tt.dir)
		require.NoError(t, err, tt.dir)
		_, err = Resolve("testdata", d)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Resolve(%q) error = %v, want one containing %q", tt.dir, err, tt.want)
		}
	}
	if _, err := Parse("a.c:@not a name"); err == nil {
		t.Errorf("Parse(a.c:@not a name) error = nil, want one")
	}
}
