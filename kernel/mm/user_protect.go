package mm

import "fmt"

// Protect changes the protection of [va, va+size), as mprotect does: areas
// that straddle either end are cut, and the pages already present get the
// new permissions in their page-table entries (with the TLB entries
// invalidated by AddressSpace.Protect). Every page of the range must be in
// some area (ErrFault otherwise, and nothing changes).
//
// A private page still shared with another space after fork keeps its
// write permission off even when prot allows writes: the first write must
// fault so that copy on write can give this space its own copy.
func (us *UserSpace) Protect(va, size uint64, prot Prot) error {
	if err := us.as.checkRange(va, size); err != nil {
		return err
	}
	prot |= ProtUser
	if !prot.valid() {
		return fmt.Errorf("mm: protection %v: %w", prot, ErrBadArgument)
	}
	us.mu.Lock()
	defer us.mu.Unlock()
	end := va + size
	for cur := va; cur < end; { // check first: a hole fails the call before anything changed
		v := us.find(cur)
		if v == nil {
			return fmt.Errorf("mm: protect %#x+%#x: %#x is in no area: %w", va, size, cur, ErrFault)
		}
		cur = v.End
	}
	var out []VMA
	for _, v := range us.vmas {
		if v.End <= va || v.Start >= end {
			out = append(out, v)
			continue
		}
		if v.Start < va {
			out = append(out, VMA{v.Start, va, v.Prot, v.Shared})
		}
		lo, hi := max(v.Start, va), min(v.End, end)
		out = append(out, VMA{lo, hi, prot, v.Shared})
		if v.End > end {
			out = append(out, VMA{end, v.End, v.Prot, v.Shared})
		}
		for _, p := range us.as.Pages(lo, hi) {
			pte := prot
			if !v.Shared && us.vm.refs.count(p.PA) > 1 {
				pte &^= ProtWrite
			}
			if err := us.as.Protect(p.VA, PageSize, pte); err != nil {
				return err // unreachable: the page is mapped, and pte is valid
			}
		}
	}
	us.vmas = out
	return nil
}
