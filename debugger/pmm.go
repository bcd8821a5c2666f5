package debugger

import (
	"debug/dwarf"
	"fmt"
	"strings"

	"github.com/burrow-os/burrow/debugger/sym"
)

// The Go kernel's physical memory manager is found by type: a global
// *mm.KernelMemoryManager (its Phys field is the page allocator) or a
// global *mm.Buddy, whatever it is named.
const (
	mmPkg     = "github.com/burrow-os/burrow/kernel/mm."
	kmmType   = "*" + mmPkg + "KernelMemoryManager"
	buddyType = "*" + mmPkg + "Buddy"
)

// PMMStats is the page allocator's state, from its BuddyStats.
type PMMStats struct {
	Var        string   `json:"var"` // the global it was found through
	Total      uint64   `json:"total_pages"`
	Free       uint64   `json:"free_pages"`
	Reserved   uint64   `json:"reserved_pages"`
	FreeBlocks []uint64 `json:"free_blocks"` // per order
	Allocs     uint64   `json:"allocs"`
	Frees      uint64   `json:"frees"`
	Failed     uint64   `json:"failed"`
}

// PMM reads the page allocator's statistics.
func (s *Session) PMM() (PMMStats, error) {
	var st PMMStats
	var buddyPtr uint64
	var buddy dwarf.Type
	if vs := s.Syms.GlobalsOfType(kmmType); len(vs) > 0 {
		v := vs[0]
		p, err := s.ReadMemory(v.Addr, 8)
		if err != nil {
			return st, err
		}
		if leUint(p) == 0 {
			return st, fmt.Errorf("debugger: %s is nil: the memory manager is not initialised yet", v.Name)
		}
		kt := sym.Underlying(v.Type).(*dwarf.PtrType).Type
		kb, err := s.ReadMemory(leUint(p), int(kt.Size()))
		if err != nil {
			return st, fmt.Errorf("debugger: %s points to unreadable memory: %w", v.Name, err)
		}
		buddyPtr, _ = field(kt, kb, "Phys")
		_, bt, ok := sym.Field(kt, "Phys")
		if !ok {
			return st, fmt.Errorf("debugger: mm.KernelMemoryManager has no Phys field")
		}
		buddy = sym.Underlying(bt).(*dwarf.PtrType).Type
		st.Var = v.Name + ".Phys"
	} else if vs := s.Syms.GlobalsOfType(buddyType); len(vs) > 0 {
		p, err := s.ReadMemory(vs[0].Addr, 8)
		if err != nil {
			return st, err
		}
		buddyPtr, buddy, st.Var = leUint(p), sym.Underlying(vs[0].Type).(*dwarf.PtrType).Type, vs[0].Name
	} else {
		return st, fmt.Errorf("the physical memory view is not available: no global %s or %s in the loaded ELFs (the Go kernel's memory manager has not landed in this build)", kmmType, buddyType)
	}
	if buddyPtr == 0 {
		return st, fmt.Errorf("debugger: %s is nil: the memory manager is not initialised yet", st.Var)
	}
	b, err := s.ReadMemory(buddyPtr, int(buddy.Size()))
	if err != nil {
		return st, err
	}
	st.Total, _ = field(buddy, b, "stats.TotalPages")
	st.Free, _ = field(buddy, b, "stats.FreePages")
	st.Reserved, _ = field(buddy, b, "stats.ReservedPages")
	st.Allocs, _ = field(buddy, b, "stats.Allocs")
	st.Frees, _ = field(buddy, b, "stats.Frees")
	st.Failed, _ = field(buddy, b, "stats.Failed")
	// Stats() fills FreeBlocks from the free-list lengths in nfree; read
	// those directly.
	if off, ft, ok := nestedField(buddy, "nfree"); ok {
		if at, ok := sym.Underlying(ft).(*dwarf.ArrayType); ok && at.Type.Size() == 8 {
			for i := int64(0); i < at.Count && off+8*(i+1) <= int64(len(b)); i++ {
				st.FreeBlocks = append(st.FreeBlocks, leUint(b[off+8*i:off+8*i+8]))
			}
		}
	}
	return st, nil
}

// nestedField finds "a.b" in a struct type.
func nestedField(t dwarf.Type, path string) (int64, dwarf.Type, bool) {
	var off int64
	for _, name := range strings.Split(path, ".") {
		o, ft, ok := sym.Field(t, name)
		if !ok {
			return 0, nil, false
		}
		off += o
		t = ft
	}
	return off, t, true
}

func cmdPMM(s *Session, a []string) (string, any, error) {
	st, err := s.PMM()
	if err != nil {
		return "", nil, err
	}
	mib := func(pages uint64) float64 { return float64(pages) * 4096 / (1 << 20) }
	var sb strings.Builder
	fmt.Fprintf(&sb, "page allocator %s\n", st.Var)
	fmt.Fprintf(&sb, "  total    %8d pages  %8.1f MiB\n", st.Total, mib(st.Total))
	pct := 0.0
	if st.Total > 0 {
		pct = 100 * float64(st.Free) / float64(st.Total)
	}
	fmt.Fprintf(&sb, "  free     %8d pages  %8.1f MiB  (%.1f%%)\n", st.Free, mib(st.Free), pct)
	fmt.Fprintf(&sb, "  used     %8d pages  %8.1f MiB\n", st.Total-st.Free, mib(st.Total-st.Free))
	fmt.Fprintf(&sb, "  reserved %8d pages  %8.1f MiB\n", st.Reserved, mib(st.Reserved))
	fmt.Fprintf(&sb, "  allocs %d, frees %d, failed %d\n", st.Allocs, st.Frees, st.Failed)
	sb.WriteString("  free blocks by order:")
	for k, n := range st.FreeBlocks {
		if n != 0 {
			fmt.Fprintf(&sb, " %d:%d", k, n)
		}
	}
	sb.WriteString("\n")
	return sb.String(), st, nil
}
