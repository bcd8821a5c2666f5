package book

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTOC(t *testing.T) {
	toc, err := ParseTOC("SUMMARY.md", `# The Book

[Preface](preface.md)

# Part one
- [Boot](boot.md)
  - [Exception levels](boot/el.md)
  - [The MMU](boot/mmu.md)
    - [Page tables](boot/pt.md)
- [Traps](traps.md)
<!-- a comment -->

# Part two
- [Running](run.md)
  - [Debugging](debug.md)
[Colophon](colophon.md)
`)
	require.NoError(t, err)
	assert.Equal(t, "The Book", toc.Title)
	var got []string
	for _, e := range toc.Entries {
		if e.Part != "" {
			got = append(got, "part:"+e.Part)
			continue
		}
		got = append(got, strings.TrimSpace(e.Number+" "+e.File))
	}
	want := []string{
		"preface.md",
		"part:Part one",
		"1 boot.md", "1.1 boot/el.md", "1.2 boot/mmu.md", "1.2.1 boot/pt.md", "2 traps.md",
		"part:Part two",
		"3 run.md", "3.1 debug.md",
		"colophon.md",
	}
	assert.Equal(t, want, got, "ParseTOC order and numbers")
	chapters := toc.Chapters()
	assert.Len(t, chapters, 9)
	assert.Equal(t, "boot/el.md", chapters[2].File)
	assert.Equal(t, 1, chapters[2].Level)
	assert.Equal(t, 7, chapters[2].Line)
}

func TestParseTOCErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"- [A](a.md)", "SUMMARY.md:1: the first heading"},
		{"# B\n- [A](a.md)\n- [A again](a.md)", "SUMMARY.md:3: a.md is already listed on line 2"},
		{"# B\n- [A](a.html)", "SUMMARY.md:2: chapter \"a.html\" must be a .md file"},
		{"# B\n- [A](../a.md)", "must be a .md file inside book/src"},
		{"# B\n- [A](a.md)\n    - [C](c.md)", "SUMMARY.md:3: \"C\" is nested more than one level"},
		{"# B\n- [A](a.md)\n   - [C](c.md)", "two spaces per level"},
		{"# B\njust text", "SUMMARY.md:2: expected"},
	}
	for _, tt := range tests {
		_, err := ParseTOC("SUMMARY.md", tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseTOC(%q) error = %v, want one containing %q", tt.in, err, tt.want)
		}
	}
}

func TestFrontMatter(t *testing.T) {
	tests := []struct {
		in       string
		fm       FrontMatter
		body     string
		skipped  int
		warnings int
		err      string
	}{
		{in: "no header\n", body: "no header\n"},
		{in: "---\ntitle: Boot\nsummary: \"From reset\"\nlab: 1\n---\nbody\n", fm: FrontMatter{"Boot", "From reset", "1"}, body: "body\n", skipped: 5},
		{in: "---\ncolour: red\n---\nx", body: "x", skipped: 3, warnings: 1},
		{in: "---\ntitle: x\n", err: "no closing ---"},
		{in: "---\nnot a pair\n---\n", err: "2: front matter line"},
	}
	for _, tt := range tests {
		fm, body, skipped, warns, err := splitFrontMatter(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("splitFrontMatter(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		require.NoError(t, err)
		if fm != tt.fm || body != tt.body || skipped != tt.skipped || len(warns) != tt.warnings {
			t.Errorf("splitFrontMatter(%q) = %+v, %q, %d, %v, want %+v, %q, %d, %d warnings",
				tt.in, fm, body, skipped, warns, tt.fm, tt.body, tt.skipped, tt.warnings)
		}
	}
}
