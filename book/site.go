package book

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/burrow-os/burrow/book/include"
	"github.com/burrow-os/burrow/book/symbols"
)

//go:embed assets/page.html assets/book.css assets/book.js
var assetFS embed.FS

var pageTmpl = template.Must(template.ParseFS(assetFS, "assets/page.html"))

// navItem is one line of the sidebar.
type navItem struct {
	Part, Title, Number, URL string
	Level                    int
	Current                  bool
}

type navLink struct{ Title, URL string }

// pageData is what assets/page.html renders.
type pageData struct {
	Kind                    string // "chapter", "source" or "print"
	BookTitle, Title        string
	Number, Summary, Lab    string
	Generated, GeneratedURL string
	Root                    string // prefix from the page to the site root
	Content                 template.HTML
	Sidebar                 []navItem
	OnPage                  []heading
	Prev, Next              *navLink
	Serve                   bool
}

// write renders every page and writes the site.
func (b *builder) write(res *Result) error {
	out := b.cfg.Out
	tmp := out + ".tmp"
	os.RemoveAll(tmp)
	if err := os.MkdirAll(filepath.Join(tmp, "assets"), 0o755); err != nil {
		return err
	}
	put := func(name string, data []byte) error {
		p := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, data, 0o644)
	}
	var index []section
	var printBody strings.Builder
	for i, c := range b.chapters {
		content, secs := b.render(c, pageMode)
		index = append(index, secs...)
		d := b.pageData(c, "chapter", content)
		if i > 0 {
			p := b.chapters[i-1]
			d.Prev = &navLink{p.PageTitle(), b.rel(c, pageMode, p.Out)}
		}
		if i+1 < len(b.chapters) {
			n := b.chapters[i+1]
			d.Next = &navLink{n.PageTitle(), b.rel(c, pageMode, n.Out)}
		}
		page, err := execPage(d)
		if err != nil {
			return err
		}
		if err := put(c.Out, page); err != nil {
			return err
		}
		if i == 0 {
			if !strings.Contains(c.Out, "/") {
				err = put("index.html", page)
			} else {
				err = put("index.html", []byte(fmt.Sprintf(`<!doctype html><meta http-equiv="refresh" content="0; url=%s"><a href="%s">%s</a>`, c.Out, c.Out, c.PageTitle())))
			}
			if err != nil {
				return err
			}
		}
		printed, _ := b.render(c, printMode)
		title := c.PageTitle()
		if c.Number != "" {
			title = c.Number + " " + title
		}
		fmt.Fprintf(&printBody, "<section class=\"print-chapter\" id=\"%s\">\n<h1>%s</h1>\n%s</section>\n",
			template.HTMLEscapeString(c.Slug), template.HTMLEscapeString(title), printed)
	}
	if len(b.errs) > 0 {
		os.RemoveAll(tmp)
		return nil
	}
	pd := pageData{Kind: "print", BookTitle: b.toc.Title, Title: "The whole book", Content: template.HTML(printBody.String()), Serve: b.cfg.Serve}
	page, err := execPage(pd)
	if err != nil {
		return err
	}
	if err := put("print.html", page); err != nil {
		return err
	}
	// Source pages link their identifiers only to files that have a page
	// already, so one quote does not pull in the whole tree.
	pages := map[string]bool{}
	for p := range b.sources {
		pages[p] = true
	}
	for p := range pages {
		if err := b.writeSource(p, pages, put); err != nil {
			return err
		}
	}
	for d := range b.dirs {
		if err := b.writeDir(d, pages, put); err != nil {
			return err
		}
	}
	for a := range b.assets {
		data, err := os.ReadFile(filepath.Join(b.cfg.Root, "book", "src", filepath.FromSlash(a)))
		if err != nil {
			return err
		}
		if err := put(a, data); err != nil {
			return err
		}
	}
	for _, name := range []string{"book.css", "book.js"} {
		data, _ := assetFS.ReadFile("assets/" + name)
		if err := put("assets/"+name, data); err != nil {
			return err
		}
	}
	var css bytes.Buffer
	themeCSS(&css)
	if err := put("assets/chroma.css", css.Bytes()); err != nil {
		return err
	}
	js, err := json.MarshalIndent(index, "", " ")
	if err != nil {
		return err
	}
	if err := put("search.json", js); err != nil {
		return err
	}
	res.Sections = len(index)
	// Swap the finished site in, so serve never shows half a build.
	old := out + ".old"
	os.RemoveAll(old)
	if _, err := os.Stat(out); err == nil {
		if err := os.Rename(out, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	return os.RemoveAll(old)
}

func execPage(d pageData) ([]byte, error) {
	var buf bytes.Buffer
	if err := pageTmpl.Execute(&buf, d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// pageData fills in what every page of the site shares: the sidebar
// relative to where the page is, and the book title.
func (b *builder) pageData(c *chapter, kind string, content string) pageData {
	d := pageData{Kind: kind, BookTitle: b.toc.Title, Content: template.HTML(content), Serve: b.cfg.Serve}
	outPath := ""
	if c != nil {
		d.Title, d.Number, d.Summary, d.Lab = c.PageTitle(), c.Number, c.FM.Summary, c.FM.Lab
		d.OnPage = c.headings
		outPath = c.Out
		if c.Gen != "" {
			d.Generated = c.Gen
			if fi, err := os.Stat(filepath.Join(b.cfg.Root, c.Gen)); err == nil && !fi.IsDir() {
				d.GeneratedURL = relFrom(outPath, sourceURL(c.Gen))
				b.sources[c.Gen] = true
			} else {
				d.GeneratedURL = "#"
			}
		}
	}
	d.Root = strings.Repeat("../", strings.Count(outPath, "/"))
	for _, e := range b.toc.Entries {
		if e.Part != "" {
			d.Sidebar = append(d.Sidebar, navItem{Part: e.Part})
			continue
		}
		tc := b.byFile[e.File]
		if tc == nil {
			continue
		}
		d.Sidebar = append(d.Sidebar, navItem{Title: e.Title, Number: e.Number, Level: e.Level,
			URL: relFrom(outPath, tc.Out), Current: tc == c})
	}
	return d
}

// lookupIn resolves a name found in code of the given language: Go code
// links to Go definitions, everything else to C and assembly ones.
func (b *builder) lookupIn(lang, name string) (symbols.Def, bool) {
	if b.syms == nil {
		return symbols.Def{}, false
	}
	if lang == "go" {
		return b.syms.LookupGo(name)
	}
	return b.syms.LookupC(name)
}

// treePageData is pageData for a page about the tree (a source file or a
// directory listing) at out, with the sidebar made relative to it.
func (b *builder) treePageData(out, title, content string) pageData {
	d := b.pageData(nil, "source", content)
	d.Title = title
	d.Root = strings.Repeat("../", strings.Count(out, "/"))
	for i := range d.Sidebar {
		if d.Sidebar[i].URL != "" {
			d.Sidebar[i].URL = d.Root + d.Sidebar[i].URL
		}
	}
	return d
}

// relFrom makes a root-relative target relative to the page at from.
func relFrom(from, target string) string {
	return strings.Repeat("../", strings.Count(from, "/")) + target
}

// writeSource writes the page that shows one file of the tree, highlighted,
// with an anchor on every line (#L12) for quotes and symbol links.
func (b *builder) writeSource(p string, pages map[string]bool, put func(string, []byte) error) error {
	data, err := os.ReadFile(filepath.Join(b.cfg.Root, filepath.FromSlash(p)))
	if err != nil {
		return err
	}
	var code bytes.Buffer
	code.WriteString(`<div class="code">`)
	if err := highlight(&code, string(data), include.Lang(p), 1, "L"); err != nil {
		return err
	}
	code.WriteString("</div>\n")
	out := sourceURL(p)
	lang := include.Lang(p)
	linked := linkIdents(code.String(), func(name string) string {
		d, ok := b.lookupIn(lang, name)
		if !ok || len(name) < 3 || !pages[d.Path] {
			return ""
		}
		if d.Path == p {
			return fmt.Sprintf("#L%d", d.Line)
		}
		return relFrom(out, sourceURL(d.Path)) + fmt.Sprintf("#L%d", d.Line)
	})
	code.Reset()
	code.WriteString(linked)
	d := b.treePageData(out, p, code.String())
	if b.syms != nil {
		for _, def := range b.syms.InFile(p) {
			d.OnPage = append(d.OnPage, heading{Level: 2, ID: fmt.Sprintf("L%d", def.Line), Text: def.Name})
		}
	}
	d.Summary = fmt.Sprintf("%s, %d lines, as it was when this book was built.", path.Base(p), bytes.Count(data, []byte("\n")))
	page, err := execPage(d)
	if err != nil {
		return err
	}
	return put(out, page)
}

// writeDir writes the listing of a directory of the tree that a chapter
// links to: its files, each linked to its source page when it has one.
func (b *builder) writeDir(p string, pages map[string]bool, put func(string, []byte) error) error {
	ents, err := os.ReadDir(filepath.Join(b.cfg.Root, filepath.FromSlash(p)))
	if err != nil {
		return err
	}
	out := dirURL(p)
	var list strings.Builder
	list.WriteString("<ul class=\"dir\">\n")
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		child := path.Join(p, name)
		switch {
		case e.IsDir() && b.dirs[child]:
			fmt.Fprintf(&list, "<li><a href=\"%s\">%s/</a></li>\n", relFrom(out, dirURL(child)), template.HTMLEscapeString(name))
		case e.IsDir():
			fmt.Fprintf(&list, "<li>%s/</li>\n", template.HTMLEscapeString(name))
		case pages[child]:
			fmt.Fprintf(&list, "<li><a href=\"%s\">%s</a></li>\n", relFrom(out, sourceURL(child)), template.HTMLEscapeString(name))
		default:
			fmt.Fprintf(&list, "<li>%s</li>\n", template.HTMLEscapeString(name))
		}
	}
	list.WriteString("</ul>\n")
	d := b.treePageData(out, p+"/", list.String())
	d.Summary = "A directory of the tree. Files quoted or linked in the book link to their pages."
	page, err := execPage(d)
	if err != nil {
		return err
	}
	return put(out, page)
}
