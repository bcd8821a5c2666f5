// Package symbols indexes where the Burrow tree defines its functions and
// types, so the course book can link an identifier written in backticks to
// its definition.
//
// It runs on the host, at book build time. Go files are parsed with
// go/parser (top-level funcs, methods, types); C and assembly files are read
// by a deliberately simple line scanner that recognises the conventions the C
// core keeps (K&R-style function definitions at column 0, struct and typedef
// definitions, .global labels). It is an index for a book, not a compiler:
// a definition it misses only costs a link.
package symbols

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Def is one definition in the tree.
type Def struct {
	Name string // as a reader writes it: "trap", "Frame", "Buddy.Alloc"
	Pkg  string // Go package name, or "" for C and assembly
	Kind string // "func", "method", "type", "label"
	Path string // file, relative to the root, slash-separated
	Line int    // 1-based
}

// Index maps the names a chapter may write to their definitions.
type Index struct {
	byName map[string][]Def
}

// skipDirs are directories the scan never enters.
var skipDirs = map[string]bool{".git": true, "build": true, "testdata": true, "node_modules": true, "vendor": true}

// Build scans every .go, .c, .h, .S and .s file under root.
func Build(root string) (*Index, error) {
	ix := &Index{byName: map[string][]Def{}}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && (skipDirs[d.Name()] || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		switch filepath.Ext(p) {
		case ".go":
			if strings.HasSuffix(p, "_test.go") {
				return nil
			}
			ix.addGo(p, rel)
		case ".c", ".h", ".S", ".s":
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, d := range ScanC(rel, string(data)) {
				ix.add(d)
			}
		}
		return nil
	})
	return ix, err
}

func (ix *Index) add(d Def) {
	ix.byName[d.Name] = append(ix.byName[d.Name], d)
	if d.Pkg != "" {
		q := d.Pkg + "." + d.Name
		ix.byName[q] = append(ix.byName[q], d)
	}
}

// addGo indexes one Go file; a file that does not parse is skipped, since
// the Go build reports it far better than the book could.
func (ix *Index) addGo(p, rel string) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
	if err != nil {
		return
	}
	pkg := f.Name.Name
	for _, decl := range f.Decls {
		switch decl := decl.(type) {
		case *ast.FuncDecl:
			d := Def{Name: decl.Name.Name, Pkg: pkg, Kind: "func", Path: rel, Line: fset.Position(decl.Name.Pos()).Line}
			if decl.Recv != nil && len(decl.Recv.List) == 1 {
				if recv := recvName(decl.Recv.List[0].Type); recv != "" {
					d.Name, d.Kind = recv+"."+decl.Name.Name, "method"
				}
			}
			ix.add(d)
		case *ast.GenDecl:
			if decl.Tok != token.TYPE {
				continue
			}
			for _, s := range decl.Specs {
				ts := s.(*ast.TypeSpec)
				ix.add(Def{Name: ts.Name.Name, Pkg: pkg, Kind: "type", Path: rel, Line: fset.Position(ts.Name.Pos()).Line})
			}
		}
	}
}

func recvName(e ast.Expr) string {
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

var (
	// A function definition starts at column 0 with its return type and
	// name on one line; opensBody then tells it from a prototype.
	cFuncRE       = regexp.MustCompile(`^(?:[A-Za-z_]\w*[\s*]+)+?\**([A-Za-z_]\w*)\s*\(`)
	cStructRE     = regexp.MustCompile(`^(?:typedef\s+)?(struct|union|enum)\s+([A-Za-z_]\w*)\s*\{`)
	cTypedefRE    = regexp.MustCompile(`^typedef\s.*?\b([A-Za-z_]\w*)\s*;\s*(?://.*|/\*.*)?$`)
	cTypedefEndRE = regexp.MustCompile(`^\}\s*([A-Za-z_]\w*)\s*;`)
	asmGlobalRE   = regexp.MustCompile(`^\s*\.globa?l\s+([A-Za-z_.$][\w.$]*)`)
	asmLabelRE    = regexp.MustCompile(`^([A-Za-z_.$][\w.$]*):`)
	cKeywords     = map[string]bool{"if": true, "for": true, "while": true, "switch": true, "return": true, "sizeof": true, "else": true, "do": true}
)

// ScanC finds the definitions in one C, header or assembly file.
func ScanC(rel, src string) []Def {
	var defs []Def
	lines := strings.Split(src, "\n")
	asm := strings.HasSuffix(rel, ".S") || strings.HasSuffix(rel, ".s")
	if asm {
		globals := map[string]bool{}
		for _, l := range lines {
			if m := asmGlobalRE.FindStringSubmatch(l); m != nil {
				globals[m[1]] = true
			}
		}
		for i, l := range lines {
			if m := asmLabelRE.FindStringSubmatch(l); m != nil && globals[m[1]] {
				defs = append(defs, Def{Name: m[1], Kind: "label", Path: rel, Line: i + 1})
			}
		}
		return defs
	}
	for i, l := range lines {
		if l == "" || l[0] == ' ' || l[0] == '\t' || l[0] == '#' || l[0] == '/' || l[0] == '}' {
			if m := cTypedefEndRE.FindStringSubmatch(l); m != nil {
				defs = append(defs, Def{Name: m[1], Kind: "type", Path: rel, Line: i + 1})
			}
			continue
		}
		if m := cStructRE.FindStringSubmatch(l); m != nil {
			defs = append(defs, Def{Name: m[2], Kind: "type", Path: rel, Line: i + 1})
			continue
		}
		if m := cTypedefRE.FindStringSubmatch(l); m != nil && !strings.Contains(l, "{") {
			defs = append(defs, Def{Name: m[1], Kind: "type", Path: rel, Line: i + 1})
			continue
		}
		m := cFuncRE.FindStringSubmatch(l)
		if m == nil || cKeywords[m[1]] || strings.HasPrefix(l, "typedef") || strings.HasPrefix(l, "extern") {
			continue
		}
		// The body must open on this line or the next non-empty one;
		// otherwise this is a multi-line prototype or a macro use.
		if !opensBody(lines, i) {
			continue
		}
		defs = append(defs, Def{Name: m[1], Kind: "func", Path: rel, Line: i + 1})
	}
	return defs
}

func opensBody(lines []string, i int) bool {
	depth := 0
	for j := i; j < len(lines) && j < i+12; j++ {
		l := lines[j]
		if c := strings.Index(l, "//"); c >= 0 {
			l = l[:c]
		}
		for _, r := range l {
			switch r {
			case '(':
				depth++
			case ')':
				depth--
			case ';':
				if depth == 0 {
					return false
				}
			case '{':
				return depth == 0
			}
		}
	}
	return false
}

// Lookup resolves a name written in a chapter, such as "trap", "trap()",
// "Buddy.Alloc" or "mm.Buddy". It returns the definition only when the name
// is unambiguous: a name defined in two places gets no link, and the writer
// can qualify it with its package.
func (ix *Index) Lookup(name string) (Def, bool) {
	name = strings.TrimSuffix(name, "()")
	defs := ix.byName[name]
	if len(defs) == 0 {
		return Def{}, false
	}
	first := defs[0]
	for _, d := range defs[1:] {
		if d.Path != first.Path || d.Line != first.Line {
			return Def{}, false
		}
	}
	return first, true
}

// LookupGo and LookupC are Lookup restricted to one language, for names
// inside quoted code: a C quote's isb() is the C core's, never a Go
// function that happens to share the name.
func (ix *Index) LookupGo(name string) (Def, bool) {
	return ix.lookup(name, func(d Def) bool { return d.Pkg != "" })
}

// LookupC is Lookup restricted to C and assembly definitions.
func (ix *Index) LookupC(name string) (Def, bool) {
	return ix.lookup(name, func(d Def) bool { return d.Pkg == "" })
}

func (ix *Index) lookup(name string, keep func(Def) bool) (Def, bool) {
	var found []Def
	for _, d := range ix.byName[name] {
		if keep(d) && (len(found) == 0 || d.Path != found[0].Path || d.Line != found[0].Line) {
			found = append(found, d)
		}
	}
	if len(found) != 1 {
		return Def{}, false
	}
	return found[0], true
}

// Files lists every file holding a definition, sorted.
func (ix *Index) Files() []string {
	seen := map[string]bool{}
	for _, defs := range ix.byName {
		for _, d := range defs {
			seen[d.Path] = true
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// InFile returns the definitions in one file, in line order, each once
// (a Go definition is indexed under its plain and its qualified name).
func (ix *Index) InFile(path string) []Def {
	seen := map[int]bool{}
	var out []Def
	for _, defs := range ix.byName {
		for _, d := range defs {
			if d.Path == path && !seen[d.Line] {
				seen[d.Line] = true
				out = append(out, d)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// Len returns the number of names the index resolves, ambiguous ones
// included.
func (ix *Index) Len() int { return len(ix.byName) }
