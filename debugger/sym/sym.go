// Package sym symbolizes addresses for the Burrow debugger. It loads one or
// more ELF files (the C core's build/ckernel.elf and the Go kernel's
// build/burrow.elf cover different address ranges), and answers
// address -> function+offset from the ELF symbol table and address ->
// file:line from the DWARF line tables, for C and Go alike.
//
// It follows the ELF-64 object file format (System V gABI, AArch64 ELF
// ABI) and DWARF 4/5 line-number programs, both through the standard
// library's debug/elf and debug/dwarf. It runs on the host.
package sym

import (
	"debug/dwarf"
	"debug/elf"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Symbol is one ELF symbol.
type Symbol struct {
	Name  string
	Addr  uint64
	Size  uint64
	Func  bool   // STT_FUNC, or a text symbol without a type
	Image string // base name of the ELF it came from
}

// Location is what an address symbolizes to.
type Location struct {
	Func   string // "" when no symbol covers the address
	Offset uint64 // from the start of Func
	File   string // "" without line information
	Line   int
	Image  string
}

func (l Location) String() string {
	s := "??"
	if l.Func != "" {
		s = l.Func
		if l.Offset != 0 {
			s += fmt.Sprintf("+%#x", l.Offset)
		}
	}
	if l.File != "" {
		s += fmt.Sprintf(" (%s:%d)", filepath.Base(l.File), l.Line)
	}
	return s
}

// Table holds the symbols and line tables of every loaded ELF.
type Table struct {
	Images []*Image
}

// Image is one loaded ELF.
type Image struct {
	Path    string
	Entry   uint64
	Machine elf.Machine
	syms    []Symbol // sorted by address
	byName  map[string]int
	lines   []lineRow // sorted by address
	dwarf   *dwarf.Data
}

// lineRow is one row of a DWARF line table. A row covers the addresses up
// to the next row; end marks the end of a sequence, which covers nothing.
type lineRow struct {
	addr uint64
	file string
	line int
	stmt bool
	end  bool
}

// Load reads the named ELF files.
func Load(paths ...string) (*Table, error) {
	t := &Table{}
	for _, p := range paths {
		if err := t.Add(p); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Add loads one more ELF. A file that is not ELF, or whose tables are
// corrupt, gives an error naming it; an ELF without DWARF still gives
// function names.
func (t *Table) Add(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return fmt.Errorf("sym: %s is not a usable ELF file: %w", path, err)
	}
	defer f.Close()
	im := &Image{Path: path, Entry: f.Entry, Machine: f.Machine, byName: map[string]int{}}
	syms, err := f.Symbols()
	if err != nil && !errors.Is(err, elf.ErrNoSymbols) {
		return fmt.Errorf("sym: reading the symbol table of %s: %w", path, err)
	}
	base := filepath.Base(path)
	for _, s := range syms {
		typ := elf.ST_TYPE(s.Info)
		if s.Name == "" || s.Value == 0 || typ == elf.STT_SECTION || typ == elf.STT_FILE {
			continue
		}
		// AArch64 mapping symbols ($x, $d) mark code and data, not names.
		if strings.HasPrefix(s.Name, "$") {
			continue
		}
		fn := typ == elf.STT_FUNC
		if typ == elf.STT_NOTYPE && int(s.Section) < len(f.Sections) && s.Section != elf.SHN_UNDEF &&
			f.Sections[s.Section].Flags&elf.SHF_EXECINSTR != 0 {
			fn = true
		}
		im.syms = append(im.syms, Symbol{Name: s.Name, Addr: s.Value, Size: s.Size, Func: fn, Image: base})
	}
	sort.SliceStable(im.syms, func(i, j int) bool { return im.syms[i].Addr < im.syms[j].Addr })
	for i, s := range im.syms {
		if _, dup := im.byName[s.Name]; !dup {
			im.byName[s.Name] = i
		}
	}
	if d, err := f.DWARF(); err == nil {
		im.dwarf = d
		if err := im.readLines(d); err != nil {
			return fmt.Errorf("sym: reading DWARF line tables of %s: %w", path, err)
		}
	}
	t.Images = append(t.Images, im)
	return nil
}

func (im *Image) readLines(d *dwarf.Data) error {
	r := d.Reader()
	for {
		e, err := r.Next()
		if err != nil {
			return err
		}
		if e == nil {
			break
		}
		if e.Tag != dwarf.TagCompileUnit {
			r.SkipChildren()
			continue
		}
		lr, err := d.LineReader(e)
		if err != nil {
			return err
		}
		r.SkipChildren()
		if lr == nil {
			continue
		}
		var le dwarf.LineEntry
		for {
			if err := lr.Next(&le); err != nil {
				break // io.EOF ends the table; a bad one ends it early
			}
			row := lineRow{addr: le.Address, line: le.Line, stmt: le.IsStmt, end: le.EndSequence}
			if le.File != nil {
				row.file = le.File.Name
			}
			im.lines = append(im.lines, row)
		}
	}
	sort.SliceStable(im.lines, func(i, j int) bool {
		if im.lines[i].addr != im.lines[j].addr {
			return im.lines[i].addr < im.lines[j].addr
		}
		// At one address an end of sequence comes before the next
		// sequence's start.
		return im.lines[i].end && !im.lines[j].end
	})
	return nil
}

// HasLines reports whether the image has DWARF line information.
func (im *Image) HasLines() bool { return len(im.lines) > 0 }

// DWARF returns the image's debug information, or nil.
func (im *Image) DWARF() *dwarf.Data { return im.dwarf }

// symbolAt finds the symbol covering addr: the last one at or below it,
// if addr is within its size (or the symbol has no size).
func (im *Image) symbolAt(addr uint64, funcsOnly bool) (Symbol, bool) {
	i := sort.Search(len(im.syms), func(i int) bool { return im.syms[i].Addr > addr }) - 1
	for ; i >= 0; i-- {
		s := im.syms[i]
		if funcsOnly && !s.Func {
			continue
		}
		if addr < s.Addr+s.Size || (s.Size == 0 && addr-s.Addr < 0x10000) {
			return s, true
		}
		return Symbol{}, false
	}
	return Symbol{}, false
}

// lineAt finds the line-table row covering addr.
func (im *Image) lineAt(addr uint64) (lineRow, bool) {
	i := sort.Search(len(im.lines), func(i int) bool { return im.lines[i].addr > addr }) - 1
	if i < 0 || im.lines[i].end {
		return lineRow{}, false
	}
	return im.lines[i], true
}

// Lookup symbolizes addr against every loaded image.
func (t *Table) Lookup(addr uint64) (Location, bool) {
	for _, im := range t.Images {
		loc := Location{Image: filepath.Base(im.Path)}
		s, okS := im.symbolAt(addr, false)
		if okS {
			loc.Func, loc.Offset = s.Name, addr-s.Addr
		}
		row, okL := im.lineAt(addr)
		if okL {
			loc.File, loc.Line = row.file, row.line
		}
		if okS || okL {
			return loc, true
		}
	}
	return Location{}, false
}

// Symbol finds a symbol by name, in the images in load order.
func (t *Table) Symbol(name string) (Symbol, bool) {
	for _, im := range t.Images {
		if i, ok := im.byName[name]; ok {
			return im.syms[i], true
		}
	}
	return Symbol{}, false
}

// ErrUnknownSymbol is returned for names no image defines.
var ErrUnknownSymbol = errors.New("unknown symbol")

// Resolve turns what a user typed into an address: a symbol, "symbol+off",
// a hex (0x...) or decimal number, or "file:line".
func (t *Table) Resolve(expr string) (uint64, error) {
	expr = strings.TrimSpace(expr)
	if expr == "" {
		return 0, errors.New("sym: empty address")
	}
	if a, err := parseNumber(expr); err == nil {
		return a, nil
	}
	if file, line, ok := splitFileLine(expr); ok {
		return t.LineAddr(file, line)
	}
	name, off := expr, uint64(0)
	if i := strings.LastIndex(expr, "+"); i > 0 {
		o, err := parseNumber(expr[i+1:])
		if err == nil {
			name, off = expr[:i], o
		}
	}
	s, ok := t.Symbol(name)
	if !ok {
		return 0, fmt.Errorf("sym: %w %q (no loaded ELF defines it)", ErrUnknownSymbol, name)
	}
	return s.Addr + off, nil
}

// LineAddr returns the lowest statement address of file:line; file
// matches by suffix, so "main.c" finds "/work/main/ckernel/main.c".
func (t *Table) LineAddr(file string, line int) (uint64, error) {
	best, found := uint64(0), false
	for _, im := range t.Images {
		for _, r := range im.lines {
			if r.end || r.line != line || !r.stmt || !fileMatches(r.file, file) {
				continue
			}
			if !found || r.addr < best {
				best, found = r.addr, true
			}
		}
	}
	if !found {
		return 0, fmt.Errorf("sym: no code at %s:%d", file, line)
	}
	return best, nil
}

// LineRange returns the address range [start, end) of the line-table row
// holding addr, used to step by source line.
func (t *Table) LineRange(addr uint64) (start, end uint64, ok bool) {
	for _, im := range t.Images {
		i := sort.Search(len(im.lines), func(i int) bool { return im.lines[i].addr > addr }) - 1
		if i < 0 || im.lines[i].end || i+1 >= len(im.lines) {
			continue
		}
		return im.lines[i].addr, im.lines[i+1].addr, true
	}
	return 0, 0, false
}

// Symbols returns every symbol of every image, in address order per
// image.
func (t *Table) Symbols() []Symbol {
	var out []Symbol
	for _, im := range t.Images {
		out = append(out, im.syms...)
	}
	return out
}

func fileMatches(full, want string) bool {
	return full == want || strings.HasSuffix(full, "/"+want)
}

func splitFileLine(s string) (string, int, bool) {
	i := strings.LastIndex(s, ":")
	if i <= 0 {
		return "", 0, false
	}
	line, err := strconv.Atoi(s[i+1:])
	if err != nil || line <= 0 {
		return "", 0, false
	}
	return s[:i], line, true
}

// parseNumber reads "0x..." as hex and plain digits as decimal.
func parseNumber(s string) (uint64, error) {
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		return strconv.ParseUint(strings.ReplaceAll(s[2:], "_", ""), 16, 64)
	}
	return strconv.ParseUint(s, 10, 64)
}
