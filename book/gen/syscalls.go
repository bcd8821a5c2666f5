package gen

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// syscallRow is one entry of the kernel's syscall table, as written in Go:
// a composite literal with keyed fields Name and Support (and usually
// Number and Note), the shape ARCHITECTURE.md gives the table.
type syscallRow struct {
	Number, Name, Support, Note string
	Path                        string
	Line                        int
}

// Syscalls makes the Linux syscall compatibility page from the syscall
// table under kernel/.
func Syscalls(root string) (*Page, error) {
	var rows []syscallRow
	files := map[string]bool{}
	dir := filepath.Join(root, "kernel")
	if _, err := os.Stat(dir); err != nil {
		return nil, Skipped("kernel/ does not exist")
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		found := scanSyscalls(p, filepath.ToSlash(rel))
		if len(found) > 0 {
			files[filepath.ToSlash(rel)] = true
			rows = append(rows, found...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, Skipped("no syscall table under kernel/ yet (entries {Number, Name, Handler, Support, Note})")
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, errA := strconv.Atoi(rows[i].Number)
		c, errC := strconv.Atoi(rows[j].Number)
		if errA == nil && errC == nil {
			return a < c
		}
		return rows[i].Name < rows[j].Name
	})
	var b strings.Builder
	var srcs []string
	for f := range files {
		srcs = append(srcs, f)
	}
	sort.Strings(srcs)
	fmt.Fprintf(&b, "*Generated from the kernel's syscall table (%s). Burrow answers %d Linux arm64 system calls; any other number returns `-ENOSYS`.*\n\n", linkList(srcs), len(rows))
	b.WriteString("| Number | Name | Support | Note |\n|---:|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | [%s](/%s#L%d) | %s | %s |\n", escapeCell(r.Number), escapeCell(r.Name), r.Path, r.Line, escapeCell(r.Support), escapeCell(r.Note))
	}
	return &Page{Title: "Linux syscall compatibility", Markdown: b.String(), Source: srcs[0], Sources: srcs}, nil
}

func linkList(paths []string) string {
	var parts []string
	for _, p := range paths {
		parts = append(parts, fmt.Sprintf("[%s](/%s)", p, p))
	}
	return strings.Join(parts, ", ")
}

// scanSyscalls returns the syscall-table entries in one Go file.
func scanSyscalls(path, rel string) []syscallRow {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	var rows []syscallRow
	ast.Inspect(f, func(n ast.Node) bool {
		cl, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		fields := map[string]string{}
		for _, e := range cl.Elts {
			kv, ok := e.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			key, ok := kv.Key.(*ast.Ident)
			if !ok {
				continue
			}
			fields[strings.ToLower(key.Name)] = exprText(fset, kv.Value)
		}
		if fields["name"] == "" || fields["support"] == "" {
			return true
		}
		num := fields["number"]
		if num == "" {
			num = fields["nr"]
		}
		rows = append(rows, syscallRow{Number: num, Name: fields["name"], Support: fields["support"],
			Note: fields["note"], Path: rel, Line: fset.Position(cl.Pos()).Line})
		return false
	})
	return rows
}

// exprText renders a field value for the table: strings unquoted, anything
// else as written in the source.
func exprText(fset *token.FileSet, e ast.Expr) string {
	if bl, ok := e.(*ast.BasicLit); ok && bl.Kind == token.STRING {
		if s, err := strconv.Unquote(bl.Value); err == nil {
			return s
		}
	}
	var buf bytes.Buffer
	printer.Fprint(&buf, fset, e)
	return buf.String()
}
