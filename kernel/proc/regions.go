package proc

import "sort"

// region is one piece of a process's address map: [start, end) with its
// PROT_* bits. Unlike kernel/mm's areas it also holds PROT_NONE
// reservations, which the Go runtime makes to reserve its heap's address
// range before using it.
type region struct {
	start, end uint64
	prot       int
}

// regionMap is the sorted, non-overlapping list of a process's regions.
type regionMap struct {
	r []region
}

// remove cuts [lo, hi) out of the map and returns the pieces it removed.
func (m *regionMap) remove(lo, hi uint64) []region {
	var kept, cut []region
	for _, r := range m.r {
		if r.end <= lo || r.start >= hi {
			kept = append(kept, r)
			continue
		}
		if r.start < lo {
			kept = append(kept, region{r.start, lo, r.prot})
		}
		if r.end > hi {
			kept = append(kept, region{hi, r.end, r.prot})
		}
		cut = append(cut, region{max(r.start, lo), min(r.end, hi), r.prot})
	}
	sort.Slice(kept, func(i, j int) bool { return kept[i].start < kept[j].start })
	m.r = kept
	return cut
}

// insert records [lo, hi) with prot, replacing whatever was there.
func (m *regionMap) insert(lo, hi uint64, prot int) {
	m.remove(lo, hi)
	m.r = append(m.r, region{lo, hi, prot})
	sort.Slice(m.r, func(i, j int) bool { return m.r[i].start < m.r[j].start })
}

// free reports whether nothing is mapped in [lo, hi).
func (m *regionMap) free(lo, hi uint64) bool {
	for _, r := range m.r {
		if r.start < hi && lo < r.end {
			return false
		}
	}
	return true
}

// findFree returns the highest size-byte gap that ends at or below top and
// starts at or above bottom; ok is false if there is none.
func (m *regionMap) findFree(size, bottom, top uint64) (uint64, bool) {
	end := top
	for i := len(m.r) - 1; i >= -1; i-- {
		lo := bottom
		if i >= 0 {
			if m.r[i].start >= end {
				continue
			}
			lo = max(m.r[i].end, bottom)
		}
		if end >= lo+size && end-size >= lo {
			return end - size, true
		}
		if i >= 0 {
			end = min(end, m.r[i].start)
		}
	}
	return 0, false
}

// at returns the region holding va.
func (m *regionMap) at(va uint64) (region, bool) {
	for _, r := range m.r {
		if va >= r.start && va < r.end {
			return r, true
		}
	}
	return region{}, false
}

func (m *regionMap) clone() regionMap { return regionMap{append([]region(nil), m.r...)} }
