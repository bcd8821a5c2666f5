package gen

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// Contract makes the C/Go contract page from ckernel/CONTRACT.md when it
// exists (the page is that file, under a header saying where it comes
// from), else from the doc comments of kernel/core/contract.go.
func Contract(root string) (*Page, error) {
	md := filepath.Join(root, "ckernel", "CONTRACT.md")
	if data, err := os.ReadFile(md); err == nil {
		body := stripTitle(string(data))
		return &Page{
			Title: "The C/Go contract",
			Markdown: "*This page is generated from [ckernel/CONTRACT.md](/ckernel/CONTRACT.md); edit that file, not this page.*\n\n" +
				demoteH1(body),
			Source: "ckernel/CONTRACT.md", Sources: []string{"ckernel/CONTRACT.md"}, Base: "ckernel",
		}, nil
	}
	gofile := filepath.Join(root, "kernel", "core", "contract.go")
	if _, err := os.Stat(gofile); err == nil {
		return contractFromGo(gofile)
	}
	return nil, Skipped("neither ckernel/CONTRACT.md nor kernel/core/contract.go exists yet")
}

// stripTitle drops a leading "# Title" line, since the page has its own.
func stripTitle(s string) string {
	t := strings.TrimLeft(s, "\n")
	if strings.HasPrefix(t, "# ") {
		if i := strings.IndexByte(t, '\n'); i >= 0 {
			return t[i+1:]
		}
		return ""
	}
	return s
}

// demoteH1 turns any further top-level headings into second-level ones, so
// the page has one title. Fenced code is left alone.
func demoteH1(s string) string {
	lines := strings.Split(s, "\n")
	fence := false
	for i, l := range lines {
		if strings.HasPrefix(l, "```") || strings.HasPrefix(l, "~~~") {
			fence = !fence
		}
		if !fence && strings.HasPrefix(l, "# ") {
			lines[i] = "#" + l
		}
	}
	return strings.Join(lines, "\n")
}

// contractFromGo lists the documented declarations of contract.go in a table.
func contractFromGo(file string) (*Page, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("*This page is generated from the doc comments of [kernel/core/contract.go](/kernel/core/contract.go).*\n\n")
	if f.Doc != nil {
		b.WriteString(f.Doc.Text() + "\n")
	}
	b.WriteString("| Name | Kind | Line | What it is |\n|---|---|---|---|\n")
	row := func(name, kind string, pos token.Pos, doc *ast.CommentGroup) {
		text := ""
		if doc != nil {
			text = strings.Join(strings.Fields(doc.Text()), " ")
		}
		line := fset.Position(pos).Line
		fmt.Fprintf(&b, "| `%s` | %s | [%d](/kernel/core/contract.go#L%d) | %s |\n", name, kind, line, line, escapeCell(text))
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			row(d.Name.Name, "func", d.Pos(), d.Doc)
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.ValueSpec:
					doc := s.Doc
					if doc == nil && len(d.Specs) == 1 {
						doc = d.Doc
					}
					for _, n := range s.Names {
						row(n.Name, d.Tok.String(), n.Pos(), doc)
					}
				case *ast.TypeSpec:
					doc := s.Doc
					if doc == nil {
						doc = d.Doc
					}
					row(s.Name.Name, "type", s.Pos(), doc)
				}
			}
		}
	}
	return &Page{Title: "The C/Go contract", Markdown: b.String(), Source: "kernel/core/contract.go",
		Sources: []string{"kernel/core/contract.go"}}, nil
}

func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
