package debugger

import (
	"debug/dwarf"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/burrow-os/burrow/debugger/sym"
)

// maxPrint caps how much of a variable print reads.
const maxPrint = 4096

func cmdPrint(s *Session, a []string) (string, any, error) {
	if len(a) != 1 {
		return "", nil, errUsage("print")
	}
	name := a[0]
	if v, err := s.Syms.Variable(name); err == nil {
		size := int(v.Type.Size())
		if size <= 0 {
			size = 8
		}
		b, err := s.ReadMemory(v.Addr, min(size, maxPrint))
		if err != nil {
			return "", nil, err
		}
		val := FormatValueMem(v.Type, b, 0, s.ReadMemory)
		data := map[string]any{"name": name, "addr": hex64(v.Addr), "type": v.Type.String(), "value": val,
			"hex": fmt.Sprintf("%x", b)}
		return fmt.Sprintf("%s = %s  (%s at %#x)", name, val, v.Type, v.Addr), data, nil
	} else if !errors.Is(err, sym.ErrUnknownSymbol) {
		return "", nil, err
	}
	// No DWARF for it: fall back on the ELF symbol and its size.
	sy, ok := s.Syms.Symbol(name)
	if !ok {
		_, err := s.Syms.Resolve(name)
		return "", nil, err
	}
	size := int(sy.Size)
	if size == 0 {
		size = 8
	}
	b, err := s.ReadMemory(sy.Addr, min(size, maxPrint))
	if err != nil {
		return "", nil, err
	}
	var val string
	switch size {
	case 1, 2, 4, 8:
		val = fmt.Sprintf("%#x", leUint(b))
	default:
		val = fmt.Sprintf("%x", b)
	}
	data := map[string]any{"name": name, "addr": hex64(sy.Addr), "value": val, "hex": fmt.Sprintf("%x", b)}
	return fmt.Sprintf("%s = %s  (%d bytes at %#x, no DWARF type)", name, val, size, sy.Addr), data, nil
}

func leUint(b []byte) uint64 {
	var buf [8]byte
	copy(buf[:], b)
	return binary.LittleEndian.Uint64(buf[:])
}

// FormatValue renders bytes as a value of a DWARF type: integers in
// decimal (and hex when large), pointers in hex, enums by name, structs as
// {field: value}, arrays as [a, b, ...] up to eight elements.
func FormatValue(t dwarf.Type, b []byte, depth int) string {
	return FormatValueMem(t, b, depth, nil)
}

// FormatValueMem is FormatValue with a memory reader, which lets it follow
// Go strings and slices to their contents.
func FormatValueMem(t dwarf.Type, b []byte, depth int, read func(uint64, int) ([]byte, error)) string {
	t = sym.Underlying(t)
	if st, ok := t.(*dwarf.StructType); ok && read != nil && int(st.Size()) <= len(b) {
		if s, ok := goValue(st, b, depth, read); ok {
			return s
		}
	}
	size := int(t.Size())
	if size > len(b) {
		return "<unread>"
	}
	if size > 0 {
		b = b[:size]
	}
	switch t := t.(type) {
	case *dwarf.BoolType:
		return fmt.Sprint(b[0] != 0)
	case *dwarf.CharType, *dwarf.UcharType:
		c := b[0]
		if c >= 32 && c < 127 {
			return fmt.Sprintf("%d '%c'", c, c)
		}
		return fmt.Sprint(c)
	case *dwarf.IntType:
		v := int64(leUint(b) << (64 - 8*size) >> (64 - 8*size))
		return fmt.Sprint(v)
	case *dwarf.UintType:
		v := leUint(b)
		if v > 0xffff {
			return fmt.Sprintf("%#x", v)
		}
		return fmt.Sprint(v)
	case *dwarf.FloatType:
		if size == 8 {
			return fmt.Sprint(math.Float64frombits(leUint(b)))
		}
		return fmt.Sprint(math.Float32frombits(uint32(leUint(b))))
	case *dwarf.PtrType:
		return fmt.Sprintf("%#x", leUint(b))
	case *dwarf.EnumType:
		v := int64(leUint(b) << (64 - 8*size) >> (64 - 8*size))
		for _, e := range t.Val {
			if e.Val == v {
				return e.Name
			}
		}
		return fmt.Sprint(v)
	case *dwarf.StructType:
		if depth > 2 {
			return "{...}"
		}
		var parts []string
		for i, f := range t.Field {
			if i == 16 {
				parts = append(parts, "...")
				break
			}
			if int(f.ByteOffset) >= len(b) {
				break
			}
			parts = append(parts, f.Name+": "+FormatValueMem(f.Type, b[f.ByteOffset:], depth+1, read))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case *dwarf.ArrayType:
		es := int(t.Type.Size())
		if es <= 0 {
			return fmt.Sprintf("%x", b)
		}
		n := len(b) / es
		if _, ok := sym.Underlying(t.Type).(*dwarf.CharType); ok {
			return fmt.Sprintf("%q", strings.TrimRight(string(b), "\x00"))
		}
		var parts []string
		for i := 0; i < n && i < 8; i++ {
			parts = append(parts, FormatValueMem(t.Type, b[i*es:], depth+1, read))
		}
		if n > 8 {
			parts = append(parts, fmt.Sprintf("... (%d elements)", n))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	if size > 0 && size <= 8 {
		return fmt.Sprintf("%#x", leUint(b))
	}
	return fmt.Sprintf("%x", b)
}

// goValue formats Go's string and slice headers by what they point to.
// Go's DWARF names them "string" ({str, len}) and "[]T" ({array, len, cap}).
func goValue(st *dwarf.StructType, b []byte, depth int, read func(uint64, int) ([]byte, error)) (string, bool) {
	switch {
	case st.StructName == "string":
		p, ok1 := field(st, b, "str")
		n, ok2 := field(st, b, "len")
		if !ok1 || !ok2 {
			return "", false
		}
		if n == 0 {
			return `""`, true
		}
		data, err := read(p, int(min(n, 256)))
		if err != nil {
			return fmt.Sprintf("string at %#x (len %d, unreadable)", p, n), true
		}
		s := fmt.Sprintf("%q", data)
		if n > 256 {
			s += fmt.Sprintf("... (len %d)", n)
		}
		return s, true
	case strings.HasPrefix(st.StructName, "[]"):
		p, ok1 := field(st, b, "array")
		n, ok2 := field(st, b, "len")
		c, _ := field(st, b, "cap")
		_, at, ok3 := sym.Field(st, "array")
		pt, ok4 := sym.Underlying(at).(*dwarf.PtrType)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return "", false
		}
		head := fmt.Sprintf("%s len %d cap %d", st.StructName, n, c)
		es := int(pt.Type.Size())
		if n == 0 || es <= 0 || depth > 1 {
			return head, true
		}
		k := int(min(n, 8))
		data, err := read(p, k*es)
		if err != nil {
			return head + " (elements unreadable)", true
		}
		var parts []string
		for i := 0; i < k; i++ {
			parts = append(parts, FormatValueMem(pt.Type, data[i*es:], depth+1, read))
		}
		if n > 8 {
			parts = append(parts, "...")
		}
		return head + " [" + strings.Join(parts, ", ") + "]", true
	}
	return "", false
}
