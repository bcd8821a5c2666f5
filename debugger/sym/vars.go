package sym

import (
	"debug/dwarf"
	"encoding/binary"
	"fmt"
)

// Var is a global variable found in DWARF: its address and type.
type Var struct {
	Name string
	Addr uint64
	Type dwarf.Type
}

// Variable finds a global variable by name in the DWARF of every image.
// Its address comes from a DW_OP_addr location expression, the form C and
// Go compilers use for globals.
func (t *Table) Variable(name string) (Var, error) {
	for _, im := range t.Images {
		if im.dwarf == nil {
			continue
		}
		r := im.dwarf.Reader()
		for {
			e, err := r.Next()
			if err != nil || e == nil {
				break
			}
			if e.Tag != dwarf.TagVariable {
				if e.Tag != dwarf.TagCompileUnit && e.Children {
					r.SkipChildren() // globals sit directly under the unit
				}
				continue
			}
			loc, _ := e.Val(dwarf.AttrLocation).([]byte)
			if len(loc) != 9 || loc[0] != 0x03 { // DW_OP_addr, 8-byte address
				continue // a declaration, or not a plain global
			}
			// A definition that completes an extern declaration (C's
			// "extern struct thread threads[]" in a header) carries only
			// DW_AT_specification; name and type are on the declaration.
			decl := e
			if spec, ok := e.Val(dwarf.AttrSpecification).(dwarf.Offset); ok {
				sr := im.dwarf.Reader()
				sr.Seek(spec)
				if d, err := sr.Next(); err == nil && d != nil {
					decl = d
				}
			}
			if n, _ := decl.Val(dwarf.AttrName).(string); n != name {
				continue
			}
			off, ok := e.Val(dwarf.AttrType).(dwarf.Offset)
			if !ok {
				if off, ok = decl.Val(dwarf.AttrType).(dwarf.Offset); !ok {
					continue
				}
			}
			typ, err := im.dwarf.Type(off)
			if err != nil {
				return Var{}, fmt.Errorf("sym: type of %s: %w", name, err)
			}
			return Var{Name: name, Addr: binary.LittleEndian.Uint64(loc[1:]), Type: typ}, nil
		}
	}
	return Var{}, fmt.Errorf("sym: %w %q (no DWARF variable of that name)", ErrUnknownSymbol, name)
}

// Field finds a member of a struct type (through typedefs and qualifiers)
// and returns its byte offset and type.
func Field(t dwarf.Type, name string) (int64, dwarf.Type, bool) {
	st, ok := Underlying(t).(*dwarf.StructType)
	if !ok {
		return 0, nil, false
	}
	for _, f := range st.Field {
		if f.Name == name {
			return f.ByteOffset, f.Type, true
		}
	}
	return 0, nil, false
}

// Underlying strips typedefs and qualifiers.
func Underlying(t dwarf.Type) dwarf.Type {
	for {
		switch u := t.(type) {
		case *dwarf.TypedefType:
			t = u.Type
		case *dwarf.QualType:
			t = u.Type
		default:
			return t
		}
	}
}

// GlobalsOfType finds the global variables whose DWARF type is named one
// of typeNames, such as "*github.com/burrow-os/burrow/kernel/mm.Buddy":
// views find a kernel subsystem by its type, whatever the variable is
// called.
func (t *Table) GlobalsOfType(typeNames ...string) []Var {
	want := map[string]bool{}
	for _, n := range typeNames {
		want[n] = true
	}
	var out []Var
	for _, im := range t.Images {
		if im.dwarf == nil {
			continue
		}
		types := map[dwarf.Offset]bool{}
		r := im.dwarf.Reader()
		for {
			e, err := r.Next()
			if err != nil || e == nil {
				break
			}
			if n, _ := e.Val(dwarf.AttrName).(string); want[n] && e.Tag != dwarf.TagVariable {
				types[e.Offset] = true
			}
		}
		if len(types) == 0 {
			continue
		}
		r = im.dwarf.Reader()
		for {
			e, err := r.Next()
			if err != nil || e == nil {
				break
			}
			if e.Tag != dwarf.TagVariable {
				continue
			}
			off, _ := e.Val(dwarf.AttrType).(dwarf.Offset)
			loc, _ := e.Val(dwarf.AttrLocation).([]byte)
			if !types[off] || len(loc) != 9 || loc[0] != 0x03 {
				continue
			}
			typ, err := im.dwarf.Type(off)
			if err != nil {
				continue
			}
			name, _ := e.Val(dwarf.AttrName).(string)
			out = append(out, Var{Name: name, Addr: binary.LittleEndian.Uint64(loc[1:]), Type: typ})
		}
	}
	return out
}
