package book

import (
	"fmt"
	"html"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/burrow-os/burrow/book/include"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// quoteInfo is the info string the include pass puts on the fenced block
// that stands for quote number N: "burrow-quote N".
const quoteInfo = "burrow-quote"

// lexer returns the chroma lexer for a language name, or nil when chroma
// does not know it.
func lexer(lang string) chroma.Lexer {
	if lang == "" || lang == "text" {
		return nil
	}
	l := lexers.Get(lang)
	if l == nil {
		return nil
	}
	return chroma.Coalesce(l)
}

// knownLang reports whether a fence language is highlighted or is one of
// the plain ones the book uses on purpose.
func knownLang(lang string) bool {
	switch lang {
	case "", "text", "plain", "console", "output":
		return true
	}
	return lexers.Get(lang) != nil
}

// highlight writes code as a highlighted <pre>, with source line numbers
// starting at first when first > 0. Highlighting is done here, at build
// time, into CSS classes; the page needs no script to show it.
func highlight(w io.Writer, code, lang string, first int, lineLink string) error {
	l := lexer(lang)
	if l == nil {
		l = chroma.Coalesce(lexers.Fallback)
	}
	// Expand tabs here: in the browser, tab stops count from the start of
	// the line box, line number included, which would misalign the code.
	width := 8
	if lang == "go" {
		width = 4
	}
	it, err := l.Tokenise(nil, expandTabs(code, width))
	if err != nil {
		return err
	}
	opts := []chromahtml.Option{chromahtml.WithClasses(true)}
	if first > 0 {
		opts = append(opts, chromahtml.WithLineNumbers(true), chromahtml.BaseLineNumber(first))
		if lineLink != "" {
			opts = append(opts, chromahtml.WithLinkableLineNumbers(true, lineLink))
		}
	}
	return chromahtml.New(opts...).Format(w, styles.Fallback, it)
}

// expandTabs replaces each tab with spaces up to the next multiple of
// width, column by column.
func expandTabs(s string, width int) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		switch r {
		case '\t':
			n := width - col%width
			b.WriteString(strings.Repeat(" ", n))
			col += n
		case '\n':
			b.WriteRune(r)
			col = 0
		default:
			b.WriteRune(r)
			col++
		}
	}
	return b.String()
}

// themeCSS writes the highlighting colours of the light and the dark theme,
// each scoped under its [data-theme] attribute.
func themeCSS(w io.Writer) {
	for _, t := range []struct{ theme, style string }{{"light", "github"}, {"dark", "github-dark"}} {
		st := styles.Get(t.style)
		bg := chromahtml.StyleEntryToCSS(st.Get(chroma.Background))
		fmt.Fprintf(w, "[data-theme=%s] .chroma { %s }\n", t.theme, bg)
		types := st.Types()
		sort.Slice(types, func(i, j int) bool { return types[i] < types[j] })
		for _, tt := range types {
			class := chroma.StandardTypes[tt]
			if class == "" || tt == chroma.Background {
				continue
			}
			css := chromahtml.StyleEntryToCSS(st.Get(tt))
			if css == "" {
				continue
			}
			// Token colours only; backgrounds stay with the block.
			css = dropBackground(css)
			if css != "" {
				fmt.Fprintf(w, "[data-theme=%s] .chroma .%s { %s }\n", t.theme, class, css)
			}
		}
	}
}

func dropBackground(css string) string {
	var keep []string
	for _, d := range strings.Split(css, ";") {
		d = strings.TrimSpace(d)
		if d != "" && !strings.HasPrefix(d, "background") {
			keep = append(keep, d)
		}
	}
	if len(keep) == 0 {
		return ""
	}
	return strings.Join(keep, "; ") + ";"
}

// codeRenderer renders fenced and indented code blocks with chroma, and the
// placeholder blocks of include directives as quotes with a header naming
// and linking the quoted file.
type codeRenderer struct {
	quotes []include.Quote
	// quoteURL returns the href of the source page for a quote.
	quoteURL func(q include.Quote) string
	// symURL returns the href of the definition of an identifier in a
	// quote, or "" to leave it plain.
	symURL func(q include.Quote, name string) string
}

func (r *codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.render)
	reg.Register(ast.KindCodeBlock, r.render)
}

func (r *codeRenderer) render(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	lang := ""
	if fb, ok := n.(*ast.FencedCodeBlock); ok && fb.Info != nil {
		info := strings.Fields(string(fb.Info.Segment.Value(source)))
		if len(info) == 2 && info[0] == quoteInfo {
			var i int
			fmt.Sscan(info[1], &i)
			return ast.WalkSkipChildren, r.renderQuote(w, r.quotes[i])
		}
		if len(info) > 0 {
			lang = info[0]
		}
	}
	var code strings.Builder
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		code.Write(seg.Value(source))
	}
	w.WriteString(`<div class="code">`)
	if err := highlight(w, code.String(), lang, 0, ""); err != nil {
		return ast.WalkStop, err
	}
	w.WriteString("</div>\n")
	return ast.WalkSkipChildren, nil
}

func (r *codeRenderer) renderQuote(w util.BufWriter, q include.Quote) error {
	label := q.Path
	if q.Label != "" {
		label += " · " + q.Label
	}
	fmt.Fprintf(w, `<figure class="quote"><figcaption><a href="%s">%s</a></figcaption>`,
		html.EscapeString(r.quoteURL(q)), html.EscapeString(label))
	code := strings.Join(dedent(q.Lines), "\n") + "\n"
	var b strings.Builder
	if err := highlight(&b, code, q.Lang, 1, ""); err != nil {
		return err
	}
	// Chroma numbers lines consecutively; marker lines dropped from the
	// middle of a quote make the source numbers jump, so put them back.
	i := 0
	out := lineNumRE.ReplaceAllStringFunc(b.String(), func(m string) string {
		if i >= len(q.Nums) {
			return m
		}
		i++
		return fmt.Sprintf(`<span class="ln">%d</span>`, q.Nums[i-1])
	})
	if r.symURL != nil {
		out = linkIdents(out, func(name string) string { return r.symURL(q, name) })
	}
	w.WriteString(out)
	w.WriteString("</figure>\n")
	return nil
}

// identSpanRE matches a name token in chroma's output: functions, types,
// labels and plain names.
var identSpanRE = regexp.MustCompile(`<span class="(nf|nx|n|nc|nl|kt|nt)">([A-Za-z_][A-Za-z0-9_]*)</span>`)

// linkIdents turns the name tokens of highlighted code into links where
// href returns one, so quoted code can be read like a code browser.
func linkIdents(code string, href func(name string) string) string {
	return identSpanRE.ReplaceAllStringFunc(code, func(m string) string {
		sub := identSpanRE.FindStringSubmatch(m)
		h := href(sub[2])
		if h == "" {
			return m
		}
		return fmt.Sprintf(`<a class="sym" href="%s">%s</a>`, html.EscapeString(h), m)
	})
}

var lineNumRE = regexp.MustCompile(`<span class="ln">\s*\d+</span>`)

// dedent removes the indentation every non-blank line shares, so a region
// from inside a function does not start half-way across the page.
func dedent(lines []string) []string {
	prefix := ""
	first := true
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		ind := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		if first {
			prefix, first = ind, false
			continue
		}
		for !strings.HasPrefix(ind, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimPrefix(l, prefix)
	}
	return out
}
