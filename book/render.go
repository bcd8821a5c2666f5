package book

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// section is one searchable piece of a page: the text under one heading.
type section struct {
	Title   string `json:"title"`   // chapter title
	Heading string `json:"heading"` // heading text, "" for the text before the first heading
	URL     string `json:"url"`     // root-relative, with #anchor
	Text    string `json:"text"`    // plain text, code included
}

// render renders chapter c for view m: it checks and rewrites links, links
// backticked identifiers to their definitions, gives headings anchor links,
// and in page mode returns the search sections.
func (b *builder) render(c *chapter, m mode) (string, []section) {
	md := b.markdown(c, m)
	doc := b.parse(c, md)
	var links []*ast.Link
	var codes []*ast.CodeSpan
	var heads []*ast.Heading
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			links = append(links, n)
		case *ast.Image:
			if href, err := b.resolveLink(c, m, string(n.Destination)); err != nil {
				if m == pageMode {
					b.errorf("%s:%d: %v", c.Src, c.lineOf(n), err)
				}
			} else {
				n.Destination = []byte(href)
			}
		case *ast.CodeSpan:
			codes = append(codes, n)
		case *ast.Heading:
			heads = append(heads, n)
		case *ast.FencedCodeBlock:
			// Generated pages come from files the book does not own; an
			// unknown language there is shown plain, without a warning.
			if m == pageMode && n.Info != nil && c.Gen == "" {
				lang := strings.Fields(string(n.Info.Segment.Value(c.body)))
				if len(lang) > 0 && lang[0] != quoteInfo && !knownLang(lang[0]) {
					b.warnf("%s:%d: code block language %q is not known to the highlighter", c.Src, c.lineAt(n.Info.Segment.Start), lang[0])
				}
			}
		}
		return ast.WalkContinue, nil
	})
	for _, l := range links {
		href, err := b.resolveLink(c, m, string(l.Destination))
		if err != nil {
			if m == pageMode {
				b.errorf("%s:%d: %v", c.Src, c.lineOf(l), err)
			}
			continue
		}
		l.Destination = []byte(href)
	}
	for _, cs := range codes {
		b.linkSymbol(c, m, cs)
	}
	for _, h := range heads {
		id := attr(h, "id")
		if m == printMode {
			id = c.Slug + "--" + id
			h.SetAttributeString("id", []byte(id))
		}
		a := ast.NewLink()
		a.Destination = []byte("#" + id)
		a.SetAttributeString("class", []byte("anchor"))
		a.SetAttributeString("aria-label", []byte("link to this section"))
		a.AppendChild(a, ast.NewString([]byte("#")))
		h.AppendChild(h, a)
	}
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, c.body, doc); err != nil {
		b.errorf("%s: render: %v", c.Src, err)
	}
	if m != pageMode {
		return buf.String(), nil
	}
	return buf.String(), b.sections(c, doc)
}

// identRE matches what a code span must look like to be looked up as a
// symbol: an identifier, optionally qualified (pkg.Name, Type.Method) and
// optionally called ("trap()").
var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\(\))?$`)

// linkSymbol wraps a code span that names a definition in the tree in a
// link to it. Spans already inside a link are left alone.
func (b *builder) linkSymbol(c *chapter, m mode, cs *ast.CodeSpan) {
	for p := cs.Parent(); p != nil; p = p.Parent() {
		if _, ok := p.(*ast.Link); ok {
			return
		}
		if _, ok := p.(*ast.Heading); ok {
			return
		}
	}
	name := plainText(cs, c.body)
	if !identRE.MatchString(name) || b.syms == nil {
		return
	}
	d, ok := b.syms.Lookup(name)
	if !ok {
		return
	}
	b.sources[d.Path] = true
	l := ast.NewLink()
	l.Destination = []byte(fmt.Sprintf("%s#L%d", b.rel(c, m, sourceURL(d.Path)), d.Line))
	l.Title = []byte(fmt.Sprintf("%s %s, %s:%d", d.Kind, d.Name, d.Path, d.Line))
	l.SetAttributeString("class", []byte("sym"))
	parent := cs.Parent()
	parent.ReplaceChild(parent, cs, l)
	l.AppendChild(l, cs)
	if m == pageMode {
		b.symLinks++
	}
}

// sections splits a parsed page into search sections at its h1-h3
// headings.
func (b *builder) sections(c *chapter, doc ast.Node) []section {
	cur := section{Title: c.PageTitle(), URL: c.Out}
	var out []section
	var text strings.Builder
	flush := func() {
		cur.Text = strings.Join(strings.Fields(text.String()), " ")
		if cur.Text != "" || cur.Heading != "" {
			out = append(out, cur)
		}
		text.Reset()
	}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level <= 3 {
			flush()
			id := attr(h, "id")
			cur = section{Title: c.PageTitle(), Heading: headingText(h, c.body), URL: c.Out + "#" + id}
			continue
		}
		b.blockText(&text, c, n)
		text.WriteByte(' ')
	}
	flush()
	return out
}

// headingText is a heading's text without the anchor link added to it.
func headingText(h *ast.Heading, src []byte) string {
	var sb strings.Builder
	for n := h.FirstChild(); n != nil; n = n.NextSibling() {
		if l, ok := n.(*ast.Link); ok && attr(l, "class") == "anchor" {
			continue
		}
		sb.WriteString(plainText(n, src))
	}
	return sb.String()
}

// blockText appends the searchable text of a block: its prose and code.
func (b *builder) blockText(sb *strings.Builder, c *chapter, n ast.Node) {
	ast.Walk(n, func(x ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if x.Type() == ast.TypeBlock {
			sb.WriteByte(' ')
		}
		switch x := x.(type) {
		case *ast.FencedCodeBlock:
			if x.Info != nil {
				info := strings.Fields(string(x.Info.Segment.Value(c.body)))
				if len(info) == 2 && info[0] == quoteInfo {
					var i int
					fmt.Sscan(info[1], &i)
					sb.WriteString(c.quotes[i].Path + " " + strings.Join(c.quotes[i].Lines, " "))
					return ast.WalkSkipChildren, nil
				}
			}
			for i := 0; i < x.Lines().Len(); i++ {
				seg := x.Lines().At(i)
				sb.Write(seg.Value(c.body))
			}
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock:
			for i := 0; i < x.Lines().Len(); i++ {
				seg := x.Lines().At(i)
				sb.Write(seg.Value(c.body))
			}
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			sb.Write(x.Segment.Value(c.body))
			if x.SoftLineBreak() || x.HardLineBreak() {
				sb.WriteByte(' ')
			}
		case *ast.String:
			sb.Write(x.Value)
		case *east.FootnoteLink, *east.FootnoteBacklink:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}
