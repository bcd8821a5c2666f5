package include

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"strings"

	"github.com/burrow-os/burrow/book/symbols"
)

// symbolSpan finds the definition of name in a Go or C file and returns its
// first and last line (1-based), with the comment block right above it
// included, since that is where the code explains itself.
//
// In Go, name is a function, a type, or Type.Method, and the span is the
// declaration as go/parser sees it. In C it is a function or a struct,
// union or enum found by package symbols' scanner, and the span runs to the
// first line after it that starts with "}". Assembly has no such end, so it
// is quoted by region or range instead.
func symbolSpan(p string, lines []string, src []byte, name string) (first, last int, err error) {
	switch path.Ext(p) {
	case ".go":
		return goSpan(p, src, name)
	case ".c", ".h":
		var found []symbols.Def
		for _, d := range symbols.ScanC(p, string(src)) {
			if d.Name == name && d.Kind != "label" {
				found = append(found, d)
			}
		}
		if len(found) == 0 {
			return 0, 0, fmt.Errorf("%s: no function or type %q defined at the start of a line", p, name)
		}
		if len(found) > 1 {
			return 0, 0, fmt.Errorf("%s: %q is defined %d times; quote a region or a range", p, name, len(found))
		}
		start := found[0].Line
		end := -1
		for i := start - 1; i < len(lines); i++ {
			if strings.HasPrefix(lines[i], "}") {
				end = i + 1
				break
			}
		}
		if end < 0 {
			return 0, 0, fmt.Errorf("%s: %q at line %d has no closing brace at the start of a line", p, name, start)
		}
		return commentAbove(lines, start), end, nil
	}
	return 0, 0, fmt.Errorf("%s: @%s: only Go and C definitions can be quoted by name; use a region or a range", p, name)
}

// commentAbove moves a start line up over the comment lines right above it.
func commentAbove(lines []string, start int) int {
	for start > 1 {
		l := strings.TrimSpace(lines[start-2])
		if _, _, isMarker := marker(l); isMarker {
			break
		}
		if !strings.HasPrefix(l, "//") && !strings.HasPrefix(l, "/*") && !strings.HasPrefix(l, "*") {
			break
		}
		start--
	}
	return start
}

func goSpan(p string, src []byte, name string) (int, int, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, p, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %v", p, err)
	}
	span := func(doc *ast.CommentGroup, from, to token.Pos) (int, int, error) {
		if doc != nil {
			from = doc.Pos()
		}
		return fset.Position(from).Line, fset.Position(to).Line, nil
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			n := d.Name.Name
			if d.Recv != nil && len(d.Recv.List) == 1 {
				n = recvType(d.Recv.List[0].Type) + "." + n
			}
			if n == name {
				return span(d.Doc, d.Pos(), d.End())
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				ts, ok := s.(*ast.TypeSpec)
				if !ok || ts.Name.Name != name {
					continue
				}
				if len(d.Specs) == 1 {
					return span(d.Doc, d.Pos(), d.End())
				}
				return span(ts.Doc, ts.Pos(), ts.End())
			}
		}
	}
	return 0, 0, fmt.Errorf("%s: no func, method or type %q", p, name)
}

func recvType(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}
