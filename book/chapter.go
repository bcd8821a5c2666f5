package book

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/burrow-os/burrow/book/include"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// chapter is one page of the book while it is being built.
type chapter struct {
	Entry
	Src     string // path for messages: book/src/boot.md, or generated/syscalls.md
	Out     string // output page, relative to the site root: boot.html
	Slug    string // Out without .html and with / turned to -, for print-view ids
	FM      FrontMatter
	Gen     string // for a generated page, the tree file it was generated from
	Base    string // for a generated page, the tree directory its relative links start from
	body    []byte // Markdown after include expansion
	lineMap []int  // body line (0-based) -> line in Src (1-based)
	quotes  []include.Quote

	anchors  map[string]bool // heading and footnote ids on the page
	headings []heading       // h2 and h3, for the on-page table of contents
}

type heading struct {
	Level int
	ID    string
	Text  string
}

// PageTitle is the title the page shows: the front matter's, else the
// table of contents'.
func (c *chapter) PageTitle() string {
	if c.FM.Title != "" {
		return c.FM.Title
	}
	return c.Title
}

// expand replaces each include directive outside fenced code with a
// placeholder fenced block that the code renderer turns into the quote. It
// records errors with the chapter's file:line; they fail the build.
func (b *builder) expand(c *chapter, body string, firstLine int) {
	var out bytes.Buffer
	fence := ""
	for i, line := range strings.Split(body, "\n") {
		srcLine := firstLine + i
		emit := func(s string) {
			out.WriteString(s)
			out.WriteByte('\n')
			c.lineMap = append(c.lineMap, srcLine)
		}
		trim := strings.TrimLeft(line, " ")
		if fence != "" {
			if strings.HasPrefix(trim, fence) && strings.TrimSpace(strings.TrimLeft(trim, fence[:1])) == "" {
				fence = ""
			}
			emit(line)
			continue
		}
		if f := fenceOpen(trim); f != "" {
			fence = f
			emit(line)
			continue
		}
		dirBody, ok := include.Match(line)
		if !ok {
			if strings.Contains(codeSpanRE.ReplaceAllString(line, ""), "{{#include") {
				b.warnf("%s:%d: an include directive must stand alone on its line; this one is left as text", c.Src, srcLine)
			}
			emit(line)
			continue
		}
		d, err := include.Parse(dirBody)
		if err == nil {
			var q include.Quote
			q, err = include.Resolve(b.cfg.Root, d)
			if err == nil {
				emit(fmt.Sprintf("```%s %d", quoteInfo, len(c.quotes)))
				emit("```")
				c.quotes = append(c.quotes, q)
				b.sources[q.Path] = true
				b.deps[q.Path] = true
				continue
			}
		}
		b.errorf("%s:%d: %v", c.Src, srcLine, err)
		emit("")
	}
	c.body = out.Bytes()
}

// codeSpanRE matches inline code, where a directive is only being shown.
var codeSpanRE = regexp.MustCompile("`+[^`]*`+")

// fenceOpen returns the fence a line opens (``` or ~~~, possibly longer),
// or "".
func fenceOpen(trim string) string {
	for _, ch := range []string{"`", "~"} {
		n := 0
		for n < len(trim) && trim[n:n+1] == ch {
			n++
		}
		if n >= 3 {
			return strings.Repeat(ch, n)
		}
	}
	return ""
}

// mode says which view a chapter is rendered for.
type mode int

const (
	pageMode  mode = iota // one HTML page per chapter
	printMode             // all chapters on print.html; ids prefixed by the chapter slug
)

// markdown returns a goldmark instance for one rendering of c.
func (b *builder) markdown(c *chapter, m mode) goldmark.Markdown {
	fnOpts := []extension.FootnoteOption{}
	if m == printMode {
		fnOpts = append(fnOpts, extension.WithFootnoteIDPrefix(c.Slug+"--"))
	}
	cr := &codeRenderer{quotes: c.quotes, quoteURL: func(q include.Quote) string {
		return b.rel(c, m, sourceURL(q.Path)) + fmt.Sprintf("#L%d", q.First)
	}, symURL: func(q include.Quote, name string) string {
		d, ok := b.lookupIn(q.Lang, name)
		if !ok || len(name) < 3 || (d.Path == q.Path && d.Line >= q.First && d.Line <= q.Last) {
			return "" // unknown, too short to be sure, or defined right here
		}
		b.sources[d.Path] = true
		return b.rel(c, m, sourceURL(d.Path)) + fmt.Sprintf("#L%d", d.Line)
	}}
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList,
			extension.NewFootnote(fnOpts...)),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithHeadingAttribute()),
		goldmark.WithRendererOptions(html.WithUnsafe(),
			renderer.WithNodeRenderers(util.Prioritized(cr, 10))),
	)
}

// parse parses the expanded body.
func (b *builder) parse(c *chapter, md goldmark.Markdown) ast.Node {
	return md.Parser().Parse(text.NewReader(c.body))
}

// collectAnchors records the ids a chapter's headings get, and its on-page
// table of contents. It runs on every chapter before any link is checked.
func (b *builder) collectAnchors(c *chapter) {
	doc := b.parse(c, b.markdown(c, pageMode))
	c.anchors = map[string]bool{}
	c.headings = nil
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			id := attr(n, "id")
			c.anchors[id] = true
			if n.Level == 2 || n.Level == 3 {
				c.headings = append(c.headings, heading{Level: n.Level, ID: id, Text: plainText(n, c.body)})
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

func attr(n ast.Node, name string) string {
	v, ok := n.AttributeString(name)
	if !ok {
		return ""
	}
	switch v := v.(type) {
	case []byte:
		return string(v)
	case string:
		return v
	}
	return fmt.Sprint(v)
}

// plainText returns the text of an inline subtree, as a reader sees it.
func plainText(n ast.Node, src []byte) string {
	var sb strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			sb.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				sb.WriteByte(' ')
			}
		case *ast.String:
			sb.Write(c.Value)
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return sb.String()
}

// lineOf returns the chapter source line a node comes from.
func (c *chapter) lineOf(n ast.Node) int {
	pos := -1
	ast.Walk(n, func(x ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := x.(*ast.Text); ok && entering {
			pos = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	for p := n; pos < 0 && p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			pos = p.Lines().At(0).Start
		}
	}
	return c.lineAt(pos)
}

// lineAt returns the chapter source line of a byte offset in the body.
func (c *chapter) lineAt(pos int) int {
	if pos < 0 {
		return 0
	}
	line := bytes.Count(c.body[:pos], []byte("\n"))
	if line < len(c.lineMap) {
		return c.lineMap[line]
	}
	return 0
}
