// Package book builds Burrow's course book: Markdown chapters in book/src,
// rendered with goldmark into a static site in build/book that quotes live
// code from the tree and fails on any broken reference.
//
// It runs on the host (burrow book build, burrow book serve). Chapters are
// CommonMark with GitHub tables, strikethrough, task lists and footnotes;
// the table of contents is book/src/SUMMARY.md in mdBook's format (see TOC);
// the include directive is described in package include. Highlighting is
// done at build time with chroma, search runs in the browser from a JSON
// index written at build time, and the site loads nothing from the network.
//
// The build fails, naming the chapter file and line, when a quoted file or
// region is missing or an internal link or anchor does not resolve.
// Warnings (an unknown code-block language, a chapter not in the table of
// contents) are printed, and are failures with Config.Strict, which
// `make test` sets.
package book

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/burrow-os/burrow/book/gen"
	"github.com/burrow-os/burrow/book/symbols"
)

// Config says what to build and where.
type Config struct {
	Root   string    // top of the Burrow tree
	Out    string    // output directory; default Root/build/book
	Strict bool      // treat warnings as errors
	Serve  bool      // add the live-reload script (burrow book serve)
	Log    io.Writer // progress, warnings and skipped generators; default stderr
}

// Result describes a finished build.
type Result struct {
	Chapters  int      // pages, generated ones included
	Sources   int      // source-file pages
	SymLinks  int      // code spans linked to definitions
	Sections  int      // entries in the search index
	Warnings  []string // warnings printed during the build
	Deps      []string // tree files the build read, for serve to watch
	Generated []string // generated pages that were written
}

// Error is a failed build: every problem found, one per line, each
// starting with file:line.
type Error struct{ Problems []string }

func (e *Error) Error() string {
	return fmt.Sprintf("book: %d problem(s):\n  %s", len(e.Problems), strings.Join(e.Problems, "\n  "))
}

type builder struct {
	cfg      Config
	toc      *TOC
	chapters []*chapter
	byFile   map[string]*chapter
	syms     *symbols.Index
	sources  map[string]bool // tree files that get a source page
	assets   map[string]bool // files under book/src copied to the site
	dirs     map[string]bool // tree directories that get a listing page
	deps     map[string]bool
	errs     []string
	warns    []string
	symLinks int
}

func (b *builder) errorf(format string, args ...any) {
	b.errs = append(b.errs, fmt.Sprintf(format, args...))
}

func (b *builder) warnf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	b.warns = append(b.warns, msg)
	fmt.Fprintf(b.cfg.Log, "warning: %s\n", msg)
}

// Build builds the whole site.
func Build(cfg Config) (*Result, error) {
	if cfg.Out == "" {
		cfg.Out = filepath.Join(cfg.Root, "build", "book")
	}
	if cfg.Log == nil {
		cfg.Log = os.Stderr
	}
	b := &builder{cfg: cfg, byFile: map[string]*chapter{}, sources: map[string]bool{},
		assets: map[string]bool{}, dirs: map[string]bool{}, deps: map[string]bool{}}
	srcDir := filepath.Join(cfg.Root, "book", "src")
	b.deps["book/src/SUMMARY.md"] = true
	toc, err := ReadTOC(srcDir)
	if err != nil {
		return nil, err
	}
	b.toc = toc
	if b.syms, err = symbols.Build(cfg.Root); err != nil {
		return nil, fmt.Errorf("book: symbol index: %v", err)
	}
	for _, e := range toc.Chapters() {
		b.loadChapter(e, srcDir)
	}
	b.checkOrphans(srcDir)
	res := &Result{}
	b.generate(res)
	for _, c := range b.chapters {
		b.collectAnchors(c)
	}
	if err := b.write(res); err != nil {
		return nil, err
	}
	if len(b.errs) > 0 {
		return nil, &Error{b.errs}
	}
	res.Warnings = b.warns
	if cfg.Strict && len(b.warns) > 0 {
		return res, &Error{append([]string{"warnings are errors in a strict build:"}, b.warns...)}
	}
	res.Chapters = len(b.chapters)
	res.Sources = len(b.sources)
	res.SymLinks = b.symLinks
	for d := range b.deps {
		res.Deps = append(res.Deps, d)
	}
	sort.Strings(res.Deps)
	return res, nil
}

func (b *builder) loadChapter(e Entry, srcDir string) {
	src := "book/src/" + e.File
	b.deps[src] = true
	data, err := os.ReadFile(filepath.Join(srcDir, filepath.FromSlash(e.File)))
	if err != nil {
		b.errorf("book/src/SUMMARY.md:%d: chapter %s: %v", e.Line, e.File, err)
		return
	}
	b.addChapter(e, src, "", string(data))
}

// addChapter adds a page, from a chapter file or from a generator.
func (b *builder) addChapter(e Entry, src, gen, text string) *chapter {
	c := &chapter{Entry: e, Src: src, Gen: gen}
	c.Out = strings.TrimSuffix(e.File, ".md") + ".html"
	c.Slug = strings.ReplaceAll(strings.TrimSuffix(e.File, ".md"), "/", "-")
	fm, body, skipped, warns, err := splitFrontMatter(text)
	if err != nil {
		b.errorf("%s:%v", src, err)
		return nil
	}
	for _, w := range warns {
		b.warnf("%s:%s", src, w)
	}
	c.FM = fm
	b.expand(c, body, skipped+1)
	b.chapters = append(b.chapters, c)
	b.byFile[e.File] = c
	return c
}

// checkOrphans warns about chapter files the table of contents leaves out:
// they would never be built, which is almost always a mistake.
func (b *builder) checkOrphans(srcDir string) {
	filepath.WalkDir(srcDir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return nil
		}
		rel, _ := filepath.Rel(srcDir, p)
		rel = filepath.ToSlash(rel)
		if rel != "SUMMARY.md" && b.byFile[rel] == nil {
			b.warnf("book/src/%s: not listed in SUMMARY.md", rel)
		}
		return nil
	})
}

// generate runs the page generators. A generator whose source does not
// exist yet is reported as skipped and is not an error.
func (b *builder) generate(res *Result) {
	var made []Entry
	for _, g := range gen.All() {
		for _, w := range g.Watch {
			b.deps[w] = true
		}
		page, err := g.Run(b.cfg.Root)
		if err != nil {
			if skip, ok := err.(gen.Skipped); ok {
				fmt.Fprintf(b.cfg.Log, "book: %s: skipped: %s\n", g.Name, string(skip))
				continue
			}
			b.errorf("generated/%s: %v", g.Name, err)
			continue
		}
		file := "generated/" + g.Name + ".md"
		e := Entry{Title: page.Title, File: file, Level: 0}
		made = append(made, e)
		if c := b.addChapter(e, file, page.Source, page.Markdown); c != nil {
			c.Base = page.Base
		}
		for _, s := range page.Sources {
			b.deps[s] = true
		}
		res.Generated = append(res.Generated, g.Name)
	}
	if len(made) > 0 {
		b.toc.Entries = append(b.toc.Entries, Entry{Part: "Generated reference"})
		b.toc.Entries = append(b.toc.Entries, made...)
	}
}
