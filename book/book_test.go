package book

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// buildSite builds the sample book in testdata/site into a temporary
// directory.
func buildSite(t *testing.T) (string, *Result, string) {
	t.Helper()
	out := t.TempDir()
	var log bytes.Buffer
	res, err := Build(Config{Root: "testdata/site", Out: out, Strict: true, Log: &log})
	require.NoError(t, err, "Build(testdata/site); log:\n%s", log.String())
	return out, res, log.String()
}

func TestGoldenChapter(t *testing.T) {
	out, _, _ := buildSite(t)
	got, err := os.ReadFile(filepath.Join(out, "traps.html"))
	require.NoError(t, err)
	golden := "testdata/golden/traps.html"
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
		require.NoError(t, os.WriteFile(golden, got, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test ./book -run TestGoldenChapter -update to create it")
	if !bytes.Equal(got, want) {
		t.Errorf("traps.html differs from %s (rerun with -update after checking the diff):\n%s", golden, firstDiff(string(got), string(want)))
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n got:  " + a + "\n want: " + b
		}
	}
	return ""
}

// TestChapterContent checks, independently of the golden file, the things
// the renderer promises on the sample chapter.
func TestChapterContent(t *testing.T) {
	out, res, log := buildSite(t)
	page := read(t, out, "traps.html")
	checks := []struct{ what, re string }{
		{"quote header links the region's first line", `<figcaption><a href="source/ckernel/trap.c.html#L4">ckernel/trap.c · dispatch</a></figcaption>`},
		{"nested region markers are dropped, numbering jumps", `<span class="ln">5</span>.*\n.*<span class="ln">7</span>`},
		{"regex range quote", `ckernel/trap.c · lines 14–17`},
		{"symbol link to a C function", `<a href="source/ckernel/trap.c.html#L4" title="func trap_handler, ckernel/trap.c:4" class="sym"><code>trap_handler\(\)</code></a>`},
		{"symbol link to an assembly label", `<a href="source/ckernel/vectors.S.html#L3"[^>]*class="sym"><code>vectors</code></a>`},
		{"symbol link to a qualified Go type", `<a href="source/kernel/core/frame.go.html#L4"[^>]*class="sym"><code>core.Frame</code></a>`},
		{"unknown identifiers stay plain", `<code>unknown_name</code> stays`},
		{"names in quoted code link to their definitions", `<a class="sym" href="source/ckernel/svc.c.html#L3"><span class="nf">svc</span></a>`},
		{"types in quoted code too", `<a class="sym" href="source/ckernel/trap.h.html#L2"><span class="n">trapframe</span></a>`},
		{"cross-reference to another chapter's heading", `<a href="frame.html#fields">the frame</a>`},
		{"same-page anchor", `<a href="#a-range-quoted-by-regex">below</a>`},
		{"link to a source line", `<a href="source/ckernel/trap.c.html#L3">the file itself</a>`},
		{"heading anchor", `<h2 id="the-vector-table">The vector table<a href="#the-vector-table" class="anchor"`},
		{"GFM table", `<th>EC</th>`},
		{"footnote", `<a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a>`},
		{"fenced code highlighted server-side", `<span class="kt">int</span>`},
		{"on-page table of contents", `<li class="h3"><a href="#a-range-quoted-by-regex">A range quoted by regex</a></li>`},
		{"front matter summary and lab", `<p class="summary">How the CPU stops what it was doing.</p><p class="lab">Lab 2</p>`},
		{"chapter number", `<p class="number">Chapter 1</p>`},
		{"previous link", `<a class="prev" rel="prev" href="intro.html">← Welcome</a>`},
		{"next link", `<a class="next" rel="next" href="frame.html">The trap frame →</a>`},
		{"sidebar marks the current chapter", `<li class="level0 active"><a href="traps.html" aria-current="page"><span class="num">1</span> Traps</a></li>`},
		{"sidebar part heading", `<li class="part">The machine</li>`},
	}
	for _, c := range checks {
		if !regexp.MustCompile(c.re).MatchString(page) {
			t.Errorf("traps.html: %s: no match for %s", c.what, c.re)
		}
	}
	src := read(t, out, "source/ckernel/trap.c.html")
	assert.Contains(t, src, `id="L4"`, "source page has line anchors")
	assert.Contains(t, src, `href="../../assets/book.css"`, "source page links assets relative to its depth")
	assert.Contains(t, src, `href="../../traps.html"`, "source page sidebar links back to the chapters")
	assert.Equal(t, read(t, out, "intro.html"), read(t, out, "index.html"), "index.html is the first chapter")
	assert.Equal(t, 3, res.Chapters)
	assert.Equal(t, 3, res.SymLinks, "symbol links: vectors, trap_handler(), core.Frame")
	assert.Contains(t, log, "book: contract: skipped: neither ckernel/CONTRACT.md nor kernel/core/contract.go exists yet")
	assert.Contains(t, log, "book: syscalls: skipped:")
	assert.Contains(t, log, "book: labs: skipped:")
	assert.Empty(t, res.Warnings)
}

func TestPrintView(t *testing.T) {
	out, _, _ := buildSite(t)
	page := read(t, out, "print.html")
	// All chapters, in order, with ids made unique per chapter and links
	// turned into in-page anchors.
	i1 := strings.Index(page, `<section class="print-chapter" id="intro">`)
	i2 := strings.Index(page, `<section class="print-chapter" id="traps">`)
	i3 := strings.Index(page, `<section class="print-chapter" id="frame">`)
	if !(i1 >= 0 && i1 < i2 && i2 < i3) {
		t.Errorf("print.html chapter sections at %d, %d, %d, want all present and in order", i1, i2, i3)
	}
	for _, want := range []string{
		`<h2 id="traps--the-vector-table">`,
		`<a href="#frame--fields">the frame</a>`,
		`<a href="#traps--a-range-quoted-by-regex">below</a>`,
		`<a href="#traps">traps</a>`,
		`id="traps--fn:1"`,
		`<h1>1.1 The trap frame</h1>`,
	} {
		assert.Contains(t, page, want, "print.html")
	}
	assert.Contains(t, read(t, out, "assets/book.css"), "@media print", "print stylesheet")
}

func TestSearchIndex(t *testing.T) {
	out, res, _ := buildSite(t)
	var index []section
	require.NoError(t, json.Unmarshal([]byte(read(t, out, "search.json")), &index))
	assert.Equal(t, res.Sections, len(index))
	find := func(url string) *section {
		for i := range index {
			if index[i].URL == url {
				return &index[i]
			}
		}
		return nil
	}
	tests := []struct{ url, title, heading, contains string }{
		{"intro.html", "Welcome", "", "This sample book exists for the renderer's tests."},
		{"traps.html", "Traps", "", "jumps into the vector table, vectors, and from there into trap_handler()."},
		{"traps.html#the-vector-table", "Traps", "The vector table", "unsigned ec = tf->esr >> 26;"},
		{"traps.html#the-vector-table", "Traps", "The vector table", "0x15 SVC from AArch64"},
		{"traps.html#a-range-quoted-by-regex", "Traps", "A range quoted by regex", `return ec == 0x15 ? "svc" : "other";`},
		{"frame.html#fields", "The trap frame", "Fields", "type Frame struct"},
	}
	for _, tt := range tests {
		s := find(tt.url)
		if s == nil {
			t.Errorf("search.json has no section %s", tt.url)
			continue
		}
		if s.Title != tt.title || s.Heading != tt.heading || !strings.Contains(s.Text, tt.contains) {
			t.Errorf("search.json[%s] = %q, %q, %q, want %q, %q and text containing %q", tt.url, s.Title, s.Heading, s.Text, tt.title, tt.heading, tt.contains)
		}
	}
	for _, s := range index {
		assert.NotContains(t, s.Text, "ANCHOR", "search text of %s includes region markers", s.URL)
	}
}

// writeTree makes a throwaway Burrow tree from a map of path -> contents.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, data := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(data), 0o644))
	}
	return root
}

func TestBuildFailures(t *testing.T) {
	base := map[string]string{
		"book/src/SUMMARY.md": "# B\n- [One](one.md)\n- [Two](two.md)\n",
		"book/src/two.md":     "## Known heading\n",
		"ckernel/a.c":         "// ANCHOR: there\nint a;\n// ANCHOR_END: there\n",
	}
	tests := []struct {
		name string
		one  string
		want []string
	}{
		{"missing file", "---\ntitle: x\n---\ntext\n\n{{#include ckernel/gone.c:x}}\n",
			[]string{"book/src/one.md:6: ckernel/gone.c: no such file"}},
		{"missing region", "text\n{{#include ckernel/a.c:nothere}}\n",
			[]string{`book/src/one.md:2: ckernel/a.c: no region "nothere"`}},
		{"broken chapter link", "see [x](three.md)\n",
			[]string{`book/src/one.md:1: link "three.md": three.md is not a chapter in SUMMARY.md`}},
		{"broken anchor in another chapter", "a\n\nsee [x](two.md#unknown-heading)\n",
			[]string{`book/src/one.md:3: link "two.md#unknown-heading": two.md has no heading with id "unknown-heading"`}},
		{"broken same-page anchor", "## Here\n\n[x](#there)\n",
			[]string{`book/src/one.md:3: link "#there": no heading with id "there" on this page`}},
		{"broken source link", "[x](/ckernel/b.c)\n",
			[]string{`book/src/one.md:1: link "/ckernel/b.c": ckernel/b.c does not exist in the tree`}},
		{"source line out of range", "[x](/ckernel/a.c#L40)\n",
			[]string{`book/src/one.md:1: link "/ckernel/a.c#L40": ckernel/a.c has 3 lines`}},
		{"link to generated html", "[x](two.html)\n",
			[]string{`link to the chapter's .md file`}},
		{"every problem is reported", "{{#include ckernel/gone.c}}\n\n[x](#nope)\n",
			[]string{"book/src/one.md:1: ckernel/gone.c: no such file", `book/src/one.md:3: link "#nope"`}},
	}
	for _, tt := range tests {
		files := map[string]string{"book/src/one.md": tt.one}
		for k, v := range base {
			files[k] = v
		}
		root := writeTree(t, files)
		_, err := Build(Config{Root: root, Out: filepath.Join(root, "out"), Log: io.Discard})
		var be *Error
		if !errors.As(err, &be) {
			t.Errorf("%s: Build error = %v, want a *book.Error", tt.name, err)
			continue
		}
		for _, w := range tt.want {
			found := false
			for _, p := range be.Problems {
				if strings.Contains(p, w) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: Build problems = %q, want one containing %q", tt.name, be.Problems, w)
			}
		}
		if _, err := os.Stat(filepath.Join(root, "out")); err == nil {
			t.Errorf("%s: a failed build left an output directory", tt.name)
		}
	}
}

func TestWarnings(t *testing.T) {
	root := writeTree(t, map[string]string{
		"book/src/SUMMARY.md": "# B\n- [One](one.md)\n",
		"book/src/one.md":     "---\ncolour: red\n---\n```fortran77x\nx\n```\nsee {{#include a.c}} here, not `{{#include b.c}}`\n",
		"book/src/orphan.md":  "nobody links here\n",
	})
	var log bytes.Buffer
	res, err := Build(Config{Root: root, Out: filepath.Join(root, "out"), Log: &log})
	require.NoError(t, err, "warnings alone do not fail a normal build")
	want := []string{
		`book/src/one.md:2: unknown front matter key "colour"`,
		"book/src/orphan.md: not listed in SUMMARY.md",
		`book/src/one.md:4: code block language "fortran77x" is not known`,
		"book/src/one.md:7: an include directive must stand alone on its line",
	}
	assert.Len(t, res.Warnings, len(want), "warnings: %q (a directive shown in `code` is not one)", res.Warnings)
	for _, w := range want {
		assert.Contains(t, strings.Join(res.Warnings, "\n"), w)
		assert.Contains(t, log.String(), "warning: "+w)
	}
	_, err = Build(Config{Root: root, Out: filepath.Join(root, "out"), Log: io.Discard, Strict: true})
	var be *Error
	require.True(t, errors.As(err, &be), "a strict build fails on warnings, got %v", err)
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	require.NoError(t, err)
	return string(data)
}

func TestGeneratedPages(t *testing.T) {
	root := writeTree(t, map[string]string{
		"book/src/SUMMARY.md": "# B\n- [One](one.md)\n",
		"book/src/one.md":     "One.\n",
		"ckernel/CONTRACT.md": "# Contract\n\nEvery crossing is in [trap.c](trap.c#L1) and `svc_dispatch`.\n\n## Services\n\nSee [below](#services), [the table](../kernel/sys) and [lines](trap.c#L1-L2).\n\n```weirdlang\nx\n```\n",
		"ckernel/trap.c":      "void svc_dispatch(void)\n{\n}\n",
		"ckernel/syscall.c":   "enum { SYS_write = 64 };\nswitch (nr) {\ncase SYS_write: return 0;\n}\n",
		"kernel/sys/table.go": "package sys\n\nvar T = []E{{Number: 64, Name: \"write\", Support: Full}}\n",
		"labs/01-a/x.c":       "a\n",
		"labs/02-b/x.c":       "b\n",
	})
	out := filepath.Join(root, "out")
	var log bytes.Buffer
	res, err := Build(Config{Root: root, Out: out, Strict: true, Log: &log})
	require.NoError(t, err, log.String())
	assert.Equal(t, []string{"runtime-syscalls", "syscalls", "labs", "contract"}, res.Generated)
	assert.NotContains(t, log.String(), "skipped")

	contract := read(t, out, "generated/contract.html")
	assert.Contains(t, contract, `<a href="../source/ckernel/trap.c.html#L1">trap.c</a>`, "CONTRACT.md's relative links resolve from ckernel/")
	assert.Contains(t, contract, `class="sym"><code>svc_dispatch</code></a>`, "symbol links work on generated pages")
	assert.Contains(t, contract, `Generated from <a href="../source/ckernel/CONTRACT.md.html">ckernel/CONTRACT.md</a>`)
	assert.Contains(t, contract, `href="../assets/book.css"`)
	assert.Contains(t, contract, `<a href="../source/kernel/sys/index.html">the table</a>`, "a directory link gets a listing page")
	assert.Contains(t, contract, `<a href="../source/ckernel/trap.c.html#L1">lines</a>`, "GitHub-style #L1-L2 lands on the first line")
	assert.Contains(t, read(t, out, "source/kernel/sys/index.html"), `<a href="../../../source/kernel/sys/table.go.html">table.go</a>`)
	sys := read(t, out, "generated/syscalls.html")
	assert.Contains(t, sys, `<a href="../source/kernel/sys/table.go.html#L3">write</a>`)
	labs := read(t, out, "generated/labs.html")
	assert.Contains(t, labs, `<span class="gd">-a`)
	one := read(t, out, "one.html")
	for _, want := range []string{
		`<li class="part">Generated reference</li>`,
		`<a href="generated/runtime-syscalls.html">System calls the C core serves</a>`,
		`<a href="generated/syscalls.html">Linux syscall compatibility</a>`,
		`<a href="generated/contract.html">The C/Go contract</a>`,
		`<a class="next" rel="next" href="generated/runtime-syscalls.html">`,
	} {
		assert.Contains(t, one, want, "one.html links the generated pages")
	}
}

func TestImages(t *testing.T) {
	root := writeTree(t, map[string]string{
		"book/src/SUMMARY.md":     "# B\n- [One](one.md)\n",
		"book/src/one.md":         "![the map](img/map.svg)\n\n![gone](img/gone.png)\n",
		"book/src/img/map.svg":    "<svg/>",
		"book/src/img/unused.png": "x",
	})
	_, err := Build(Config{Root: root, Out: filepath.Join(root, "out"), Log: io.Discard})
	var be *Error
	require.True(t, errors.As(err, &be), "a missing image fails the build, got %v", err)
	assert.Equal(t, []string{`book/src/one.md:3: link "img/gone.png": book/src/img/gone.png does not exist`}, be.Problems)

	require.NoError(t, os.WriteFile(filepath.Join(root, "book/src/one.md"), []byte("![the map](img/map.svg)\n"), 0o644))
	_, err = Build(Config{Root: root, Out: filepath.Join(root, "out"), Log: io.Discard})
	require.NoError(t, err)
	assert.Contains(t, read(t, filepath.Join(root, "out"), "one.html"), `<img src="img/map.svg" alt="the map">`)
	assert.Equal(t, "<svg/>", read(t, filepath.Join(root, "out"), "img/map.svg"), "images are copied")
}
