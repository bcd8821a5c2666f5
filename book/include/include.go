// Package include resolves the course book's live-code directive,
// {{#include path:selector}}, into the lines of source it quotes.
//
// It runs on the host, at book build time (burrow book build). The syntax
// follows mdBook's include directive, extended with regex line ranges:
//
//	{{#include ckernel/boot.S}}                    the whole file (at most MaxWholeLines lines)
//	{{#include ckernel/boot.S:el2_to_el1}}         the named region
//	{{#include ckernel/trap.c:/^void trap/,/^}/}}  from the first line matching the first
//	                                               regex to the next line matching the second
//	{{#include ckernel/trap.c:/^void trap/,+5}}    that line and the 5 lines after it
//	{{#include ckernel/trap.c:@trap_handler}}       the definition of a C function or type,
//	{{#include kernel/mm/buddy.go:@Buddy.Alloc}}    or a Go func, method or type, with the
//	                                               comment right above it
//
// A region is marked in the source by two comment lines, written after
// "//", "#" or "/*":
//
//	// ANCHOR: el2_to_el1
//	...
//	// ANCHOR_END: el2_to_el1
//
// Regions may nest or overlap; every ANCHOR line is dropped from a quote, so
// quoting an outer region never shows the markers of an inner one. Paths are
// relative to the top of the tree and may not leave it.
package include

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// MaxWholeLines is the longest file a directive may quote whole. A longer
// file must be quoted by region or range, so a chapter shows what it talks
// about and not a wall of code.
const MaxWholeLines = 150

// Directive is one parsed {{#include ...}}.
type Directive struct {
	Path   string         // file, relative to the tree root, slash-separated
	Region string         // named region, or ""
	Symbol string         // Go or C definition (after @), or ""
	Start  *regexp.Regexp // first line of a regex range, or nil
	End    *regexp.Regexp // last line of a regex range, or nil when Extra is used
	Extra  int            // with Start and no End: lines after the start line
}

// Quote is the text a directive resolves to.
type Quote struct {
	Path  string   // as in the directive
	Label string   // what the quote header shows after the path ("alloc", "lines 10-20")
	First int      // 1-based source line number of Lines[0]
	Last  int      // 1-based source line number of the last quoted line
	Lines []string // the quoted lines, marker lines removed
	Nums  []int    // source line number of each of Lines
	Lang  string   // highlighter language for the file
}

var directiveRE = regexp.MustCompile(`^\s*\{\{#include\s+(.+?)\s*\}\}\s*$`)

// Match reports whether line is an include directive, and returns its body.
func Match(line string) (body string, ok bool) {
	m := directiveRE.FindStringSubmatch(line)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// Parse parses the body of a directive (what stands between "{{#include "
// and "}}").
func Parse(body string) (Directive, error) {
	p, sel, hasSel := strings.Cut(strings.TrimSpace(body), ":")
	if p == "" {
		return Directive{}, fmt.Errorf("include: empty path")
	}
	clean := path.Clean(p)
	if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
		return Directive{}, fmt.Errorf("include: path %q leaves the tree", p)
	}
	d := Directive{Path: clean}
	if !hasSel {
		return d, nil
	}
	if sym, ok := strings.CutPrefix(sel, "@"); ok {
		if !symbolNameRE.MatchString(sym) {
			return Directive{}, fmt.Errorf("include: %q is not a definition name (Name or Type.Method)", sym)
		}
		d.Symbol = sym
		return d, nil
	}
	if !strings.HasPrefix(sel, "/") {
		if !regionNameRE.MatchString(sel) {
			return Directive{}, fmt.Errorf("include: %q is not a region name (letters, digits, _ . -) or a /regex/ range", sel)
		}
		d.Region = sel
		return d, nil
	}
	start, rest, err := cutRegex(sel)
	if err != nil {
		return Directive{}, err
	}
	if d.Start, err = regexp.Compile(start); err != nil {
		return Directive{}, fmt.Errorf("include: start regex: %v", err)
	}
	rest, ok := strings.CutPrefix(rest, ",")
	if !ok {
		return Directive{}, fmt.Errorf("include: range %q needs ,/end/ or ,+N after the start regex", sel)
	}
	if n, ok := strings.CutPrefix(rest, "+"); ok {
		d.Extra, err = strconv.Atoi(n)
		if err != nil || d.Extra < 0 {
			return Directive{}, fmt.Errorf("include: %q: +N needs a line count", sel)
		}
		return d, nil
	}
	end, tail, err := cutRegex(rest)
	if err != nil {
		return Directive{}, err
	}
	if tail != "" {
		return Directive{}, fmt.Errorf("include: unexpected %q after the end regex", tail)
	}
	if d.End, err = regexp.Compile(end); err != nil {
		return Directive{}, fmt.Errorf("include: end regex: %v", err)
	}
	return d, nil
}

var (
	regionNameRE = regexp.MustCompile(`^[\w.-]+$`)
	symbolNameRE = regexp.MustCompile(`^[A-Za-z_]\w*(\.[A-Za-z_]\w*)?$`)
)

// cutRegex splits "/re/rest" into re and rest; "\/" inside re is a slash.
func cutRegex(s string) (re, rest string, err error) {
	if !strings.HasPrefix(s, "/") {
		return "", "", fmt.Errorf("include: %q: a regex starts with /", s)
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '/':
			b.WriteByte('/')
			i++
		case s[i] == '/':
			return b.String(), s[i+1:], nil
		default:
			b.WriteByte(s[i])
		}
	}
	return "", "", fmt.Errorf("include: %q: regex has no closing /", s)
}

// Resolve reads the file the directive names under root and returns the
// quote. Its errors say what is missing, for the build to print after the
// chapter's file:line.
func Resolve(root string, d Directive) (Quote, error) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(d.Path)))
	if err != nil {
		if os.IsNotExist(err) {
			return Quote{}, fmt.Errorf("%s: no such file", d.Path)
		}
		return Quote{}, err
	}
	lines := splitLines(data)
	q := Quote{Path: d.Path, Lang: Lang(d.Path)}
	switch {
	case d.Region != "":
		regions, err := Regions(lines)
		if err != nil {
			return Quote{}, fmt.Errorf("%s: %v", d.Path, err)
		}
		r, ok := regions[d.Region]
		if !ok {
			return Quote{}, fmt.Errorf("%s: no region %q (mark it with ANCHOR: %s and ANCHOR_END: %s comment lines)", d.Path, d.Region, d.Region, d.Region)
		}
		q.Label = d.Region
		q.First, q.Last = r.First, r.Last
	case d.Symbol != "":
		first, last, err := symbolSpan(d.Path, lines, data, d.Symbol)
		if err != nil {
			return Quote{}, err
		}
		q.Label = d.Symbol
		q.First, q.Last = first, last
	case d.Start != nil:
		first := findLine(lines, d.Start, 0)
		if first < 0 {
			return Quote{}, fmt.Errorf("%s: no line matches /%s/", d.Path, d.Start)
		}
		last := first + d.Extra
		if d.End != nil {
			last = findLine(lines, d.End, first+1)
			if last < 0 {
				return Quote{}, fmt.Errorf("%s: no line after line %d matches /%s/", d.Path, first+1, d.End)
			}
		}
		if last >= len(lines) {
			return Quote{}, fmt.Errorf("%s: range %d+%d runs past the end of the file (%d lines)", d.Path, first+1, d.Extra, len(lines))
		}
		q.First, q.Last = first+1, last+1
		q.Label = fmt.Sprintf("lines %d–%d", q.First, q.Last)
	default:
		if len(lines) > MaxWholeLines {
			return Quote{}, fmt.Errorf("%s: %d lines is too long to quote whole (at most %d); quote a region or a range", d.Path, len(lines), MaxWholeLines)
		}
		q.First, q.Last = 1, len(lines)
	}
	for i := q.First - 1; i < q.Last; i++ {
		if _, _, ok := marker(lines[i]); !ok {
			q.Lines = append(q.Lines, lines[i])
			q.Nums = append(q.Nums, i+1)
		}
	}
	return q, nil
}

func findLine(lines []string, re *regexp.Regexp, from int) int {
	for i := from; i < len(lines); i++ {
		if re.MatchString(lines[i]) {
			return i
		}
	}
	return -1
}

// Region is the span of a named region: First is the line after its ANCHOR
// line and Last the line before its ANCHOR_END line (1-based).
type Region struct{ First, Last int }

var markerRE = regexp.MustCompile(`^\s*(?://|#|/\*)\s*ANCHOR(_END)?:\s*([\w.-]+)\s*(?:\*/)?\s*$`)

// marker reports whether line is an ANCHOR or ANCHOR_END comment line.
func marker(line string) (name string, end, ok bool) {
	m := markerRE.FindStringSubmatch(line)
	if m == nil {
		return "", false, false
	}
	return m[2], m[1] != "", true
}

// Regions finds every named region in a file's lines. A region opened twice,
// closed without being opened, or never closed is an error.
func Regions(lines []string) (map[string]Region, error) {
	open := map[string]int{}
	done := map[string]Region{}
	for i, l := range lines {
		name, end, ok := marker(l)
		if !ok {
			continue
		}
		if !end {
			if _, dup := open[name]; dup {
				return nil, fmt.Errorf("line %d: region %q opened twice", i+1, name)
			}
			if _, dup := done[name]; dup {
				return nil, fmt.Errorf("line %d: region %q defined twice", i+1, name)
			}
			open[name] = i + 1
			continue
		}
		start, ok := open[name]
		if !ok {
			return nil, fmt.Errorf("line %d: ANCHOR_END: %s without ANCHOR: %s", i+1, name, name)
		}
		delete(open, name)
		done[name] = Region{First: start + 1, Last: i}
	}
	for name, at := range open {
		return nil, fmt.Errorf("line %d: region %q has no ANCHOR_END", at, name)
	}
	return done, nil
}

func splitLines(data []byte) []string {
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 4<<20)
	for sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	return lines
}

// Lang names the chroma lexer for a file, from its name.
func Lang(p string) string {
	base := path.Base(p)
	switch base {
	case "Makefile", "GNUmakefile":
		return "make"
	}
	switch path.Ext(base) {
	case ".go":
		return "go"
	case ".c", ".h":
		return "c"
	case ".S", ".s":
		return "gas"
	case ".mk":
		return "make"
	case ".sh":
		return "bash"
	case ".md":
		return "markdown"
	case ".json":
		return "json"
	case ".yml", ".yaml":
		return "yaml"
	case ".ld", ".lds":
		return "c"
	}
	return "text"
}
