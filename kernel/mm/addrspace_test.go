package mm

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	MiB = 1 << 20
	GiB = 1 << 30
)

func TestMapTranslate(t *testing.T) {
	v := newTestVM(t, 32*MiB)
	as, err := v.NewSpace()
	require.NoError(t, err)
	// 4 MiB + 8 KiB at a 2 MiB-aligned VA and PA: two blocks and two pages.
	require.NoError(t, as.Map(0x400000, 0x80200000, 4*MiB+8192, AttrNormal, ProtRead|ProtWrite))
	// A page-aligned but not block-aligned range: all pages.
	require.NoError(t, as.Map(0x1001000, 0x80001000, 3*PageSize, AttrNormal, ProtRead|ProtExec))
	// A 1 GiB block for device memory.
	require.NoError(t, as.Map(0x40000000, 0xc0000000, GiB, AttrDevice, ProtRead|ProtWrite))
	tests := []struct {
		va    uint64
		want  Translation
		fails bool
	}{
		{va: 0x400000, want: Translation{0x80200000, AttrNormal, ProtRead | ProtWrite | ProtUser, 2}},
		{va: 0x612345, want: Translation{0x80412345, AttrNormal, ProtRead | ProtWrite | ProtUser, 2}},
		{va: 0x800fff, want: Translation{0x80600fff, AttrNormal, ProtRead | ProtWrite | ProtUser, 3}},
		{va: 0x801000, want: Translation{0x80601000, AttrNormal, ProtRead | ProtWrite | ProtUser, 3}},
		{va: 0x802000, fails: true},
		{va: 0x3ff000, fails: true},
		{va: 0x1003008, want: Translation{0x80003008, AttrNormal, ProtRead | ProtExec | ProtUser, 3}},
		{va: 0x40000000 + 0x3e201000, want: Translation{0xfe201000, AttrDevice, ProtRead | ProtWrite | ProtUser, 1}},
		{va: 0, fails: true},
		{va: KernelBase, fails: true},
		{va: KernelTop, fails: true},
	}
	for _, tt := range tests {
		got, err := as.Translate(tt.va)
		if tt.fails {
			require.ErrorIs(t, err, ErrNotMapped, "Translate(%#x)", tt.va)
			continue
		}
		require.NoError(t, err, "Translate(%#x)", tt.va)
		require.Equal(t, tt.want, got, "Translate(%#x)", tt.va)
	}
	require.Equal(t, uint64(4*MiB+8192+3*PageSize+GiB), as.Mapped())
}

func TestMapRejectsBadInput(t *testing.T) {
	v := newTestVM(t, 8*MiB)
	as, err := v.NewSpace()
	require.NoError(t, err)
	require.NoError(t, as.Map(0x10000, 0x40400000, 4*PageSize, AttrNormal, ProtRead))
	k := v.Kernel()
	tests := []struct {
		name         string
		space        *AddressSpace
		va, pa, size uint64
		attr         Attr
		prot         Prot
		want         error
	}{
		{"misaligned va", as, 0x10800, 0x40000000, PageSize, AttrNormal, ProtRead, ErrBadArgument},
		{"misaligned pa", as, 0x20000, 0x40000010, PageSize, AttrNormal, ProtRead, ErrBadArgument},
		{"misaligned size", as, 0x20000, 0x40000000, 100, AttrNormal, ProtRead, ErrBadArgument},
		{"empty", as, 0x20000, 0x40000000, 0, AttrNormal, ProtRead, ErrBadArgument},
		{"user maps kernel VA", as, KernelBase, 0x40000000, PageSize, AttrNormal, ProtRead, ErrBadArgument},
		{"user range crosses into kernel", as, UserTop - PageSize, 0x40000000, 2 * PageSize, AttrNormal, ProtRead, ErrBadArgument},
		{"kernel maps user VA", k, 0x20000, 0x40000000, PageSize, AttrNormal, ProtRead, ErrBadArgument},
		{"kernel page with ProtUser", k, KernelBase, 0x40000000, PageSize, AttrNormal, ProtRead | ProtUser, ErrBadArgument},
		{"write-only", as, 0x20000, 0x40000000, PageSize, AttrNormal, ProtWrite, ErrBadArgument},
		{"unknown attr", as, 0x20000, 0x40000000, PageSize, Attr(3), ProtRead, ErrBadArgument},
		{"pa beyond 48 bits", as, 0x20000, MaxPhys - PageSize, 2 * PageSize, AttrNormal, ProtRead, ErrBadArgument},
		{"va wraps", k, KernelTop - PageSize, 0x40000000, ^uint64(0) &^ pageMask, AttrNormal, ProtRead, ErrBadArgument},
		{"overlaps start", as, 0xf000, 0x40000000, 2 * PageSize, AttrNormal, ProtRead, ErrOverlap},
		{"overlaps end", as, 0x13000, 0x40000000, 2 * PageSize, AttrNormal, ProtRead, ErrOverlap},
		{"covers", as, 0, 0x40000000, 2 * MiB, AttrNormal, ProtRead, ErrOverlap},
	}
	for _, tt := range tests {
		before := tt.space.Mapped()
		err := tt.space.Map(tt.va, tt.pa, tt.size, tt.attr, tt.prot)
		require.ErrorIs(t, err, tt.want, "%s: Map(%#x, %#x, %#x, %v, %v)", tt.name, tt.va, tt.pa, tt.size, tt.attr, tt.prot)
		require.Equal(t, before, tt.space.Mapped(), "%s: a refused Map must change nothing", tt.name)
	}
	for _, r := range []struct{ va, size uint64 }{{0x10001, PageSize}, {0x10000, 0}, {UserTop, PageSize}} {
		require.ErrorIs(t, as.Unmap(r.va, r.size), ErrBadArgument, "Unmap(%#x, %#x)", r.va, r.size)
	}
	require.ErrorIs(t, as.Protect(0x10000, 8*PageSize, ProtRead), ErrNotMapped, "Protect over a hole")
	tr, err := as.Translate(0x14000 - 1)
	require.NoError(t, err)
	require.Equal(t, ProtRead|ProtUser, tr.Prot, "a refused Protect must change nothing")
}

// With RAM for only a few tables, Map runs out of memory half way; it must
// return ErrNoMemory and leave nothing mapped and no table leaked.
func TestMapOutOfMemory(t *testing.T) {
	v := newTestVM(t, 2*MiB) // 1 MiB goes to the kernel L1 tables
	as, err := v.NewSpace()
	require.NoError(t, err)
	free := v.buddy.Stats().FreePages
	// Eat all but three pages: L1 and L2 tables fit, the second L3 does not.
	var hog []uint64
	for v.buddy.Stats().FreePages > 3 {
		pa, err := v.buddy.Alloc(0)
		require.NoError(t, err)
		hog = append(hog, pa)
	}
	err = as.Map(0x1ff000, 0x40000000, 2*PageSize, AttrNormal, ProtRead) // straddles two L2 entries
	require.ErrorIs(t, err, ErrNoMemory)
	_, err = as.Translate(0x1ff000)
	require.ErrorIs(t, err, ErrNotMapped, "after a failed Map the first page must be unmapped again")
	require.Zero(t, as.Mapped())
	for _, pa := range hog {
		require.NoError(t, v.buddy.Free(pa))
	}
	as.Destroy()
	require.Equal(t, free+1, v.buddy.Stats().FreePages, "Destroy must free every table, root included")
}

func TestUnmapSplitsBlockWithBreakBeforeMake(t *testing.T) {
	v := newTestVM(t, 8*MiB)
	as, err := v.NewSpace()
	require.NoError(t, err)
	require.NoError(t, as.Map(2*MiB, 0x40200000, 2*MiB, AttrNormal, ProtRead|ProtWrite))
	slot, level, _ := as.lookup(2 * MiB)
	require.Equal(t, 2, level, "2 MiB-aligned map uses a block")

	hole := uint64(2*MiB + 5*PageSize)
	events := v.record(func() { require.NoError(t, as.Unmap(hole, PageSize)) })
	l2 := PTE(v.mem.Load64(slot))
	require.True(t, l2.IsTable(2), "the block became a table")
	_, level, first := as.lookup(2 * MiB)
	require.True(t, level == 3 && first.IsLeaf(3), "2 MiB is now mapped by a page")
	requireSubsequence(t, events, []string{
		fmt.Sprintf("store %#x 0x0", slot), // break
		"dsb ishst",
		fmt.Sprintf("tlbi vae1is %d %#x", as.ASID(), 2*MiB), // drop the block
		"dsb ish",
		fmt.Sprintf("store %#x %#x", slot, uint64(l2)), // make
		"dsb ishst",
		fmt.Sprintf("tlbi vae1is %d %#x", as.ASID(), hole), // then the page itself goes
		"dsb ish",
		"isb",
	}, "Unmap of one page inside a block")

	for _, tt := range []struct {
		va     uint64
		pa     uint64
		mapped bool
	}{{2 * MiB, 0x40200000, true}, {hole - PageSize, 0x40204000, true}, {hole, 0, false}, {hole + PageSize, 0x40206000, true}, {4*MiB - 1, 0x403fffff, true}} {
		got, err := as.Translate(tt.va)
		if !tt.mapped {
			require.ErrorIs(t, err, ErrNotMapped, "Translate(%#x) after Unmap", tt.va)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tt.pa, got.PA, "Translate(%#x) after split", tt.va)
		require.Equal(t, 3, got.Level)
		require.Equal(t, ProtRead|ProtWrite|ProtUser, got.Prot)
	}
	require.Equal(t, uint64(2*MiB-PageSize), as.Mapped())
}

func TestMapNeedsNoTLBI(t *testing.T) {
	v := newTestVM(t, 8*MiB)
	as, _ := v.NewSpace()
	events := v.record(func() { require.NoError(t, as.Map(0x1000, 0x40000000, PageSize, AttrNormal, ProtRead)) })
	for _, e := range events {
		require.NotContains(t, e, "tlbi", "Map of unmapped pages must not invalidate: %v", events)
	}
	require.Equal(t, []string{"dsb ishst", "isb"}, events[len(events)-2:], "Map ends with DSB ISHST; ISB")
}

func TestProtect(t *testing.T) {
	v := newTestVM(t, 8*MiB)
	k := v.Kernel()
	va := uint64(KernelBase + 4*MiB)
	require.NoError(t, k.Map(va, 0x40400000, 2*MiB, AttrNormal, ProtRead|ProtWrite))
	events := v.record(func() { require.NoError(t, k.Protect(va+MiB, PageSize, ProtRead)) })
	// Kernel entries are global: invalidation is for all ASIDs.
	requireSubsequence(t, events, []string{fmt.Sprintf("tlbi vaae1is %#x", va), fmt.Sprintf("tlbi vaae1is %#x", va+MiB), "dsb ish", "isb"}, "kernel Protect")
	for _, tt := range []struct {
		va   uint64
		want Prot
	}{{va, ProtRead | ProtWrite}, {va + MiB, ProtRead}, {va + MiB + PageSize, ProtRead | ProtWrite}} {
		got, err := k.Translate(tt.va)
		require.NoError(t, err)
		require.Equal(t, tt.want, got.Prot, "Translate(%#x).Prot after Protect", tt.va)
	}
	// Protecting a whole block keeps it a block.
	require.NoError(t, k.Map(va+2*MiB, 0x40600000, 2*MiB, AttrNormal, ProtRead))
	require.NoError(t, k.Protect(va+2*MiB, 2*MiB, ProtRead|ProtExec))
	got, _ := k.Translate(va + 2*MiB)
	require.Equal(t, Translation{0x40600000, AttrNormal, ProtRead | ProtExec, 2}, got)
	require.ErrorIs(t, k.Protect(va, PageSize, ProtRead|ProtUser), ErrBadArgument)
}

// Kernel mappings made after a space exists appear in it at once, through
// the shared L1 tables; user mappings stay private to their space.
func TestKernelRegionShared(t *testing.T) {
	v := newTestVM(t, 8*MiB)
	a, err := v.NewSpace()
	require.NoError(t, err)
	kva := uint64(KernelBase + 0x123<<30 + 0x5000)
	require.NoError(t, v.Kernel().Map(kva, 0x40005000, PageSize, AttrNormal, ProtRead|ProtWrite))
	b, err := v.NewSpace()
	require.NoError(t, err)
	for _, s := range []*AddressSpace{a, b, v.Kernel()} {
		got, err := s.Translate(kva + 8)
		require.NoError(t, err, "Translate(kernel VA) in ASID %d", s.ASID())
		require.Equal(t, uint64(0x40005008), got.PA)
		require.Equal(t, ProtRead|ProtWrite, got.Prot, "kernel page: EL1-only")
		_, _, d := s.lookup(kva)
		require.True(t, d.Global(), "kernel page must be global")
	}
	// Same user VA, different memory.
	require.NoError(t, a.Map(0x400000, 0x40100000, PageSize, AttrNormal, ProtRead))
	require.NoError(t, b.Map(0x400000, 0x40200000, PageSize, AttrNormal, ProtRead))
	ta, _ := a.Translate(0x400000)
	tb, _ := b.Translate(0x400000)
	require.NotEqual(t, ta.PA, tb.PA)
	_, err = v.Kernel().Translate(0x400000)
	require.ErrorIs(t, err, ErrNotMapped, "user pages are not in the kernel space")
	_, _, d := a.lookup(0x400000)
	require.False(t, d.Global(), "user page must be nG")
	require.NotEqual(t, a.ASID(), b.ASID())
	require.NotZero(t, a.ASID())
	require.Equal(t, uint64(a.ASID())<<48|a.root, a.TTBR0())
}

func TestDestroyFreesEverything(t *testing.T) {
	v := newTestVM(t, 16*MiB)
	before := v.buddy.Stats().FreePages
	tables := v.Stats().TablePages
	as, err := v.NewSpace()
	require.NoError(t, err)
	require.NoError(t, as.Map(0x1000, 0x40000000, 3*MiB, AttrNormal, ProtRead))
	require.NoError(t, as.Map(0x7fff_0000_0000, 0x40000000, PageSize, AttrNormal, ProtRead))
	require.NoError(t, as.Unmap(0x2000, PageSize))
	require.Equal(t, 1, v.Stats().Spaces)
	events := v.record(as.Destroy)
	require.Equal(t, fmt.Sprintf("tlbi aside1is %d", as.ASID()), events[0], "Destroy drops the ASID's TLB entries first")
	require.Equal(t, before, v.buddy.Stats().FreePages)
	require.Equal(t, tables, v.Stats().TablePages)
	require.Equal(t, 0, v.Stats().Spaces)
	require.NoError(t, v.buddy.Check())
}

// TestMapUnmapModel applies random map, unmap and protect calls to a space
// and to a plain Go map of page -> (pa, prot), and checks they agree.
func TestMapUnmapModel(t *testing.T) {
	type page struct {
		pa   uint64
		prot Prot
	}
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 3))
		v := newTestVM(t, 16*MiB)
		as, err := v.NewSpace()
		require.NoError(t, err)
		model := map[uint64]page{}
		const span = 8 * MiB // VAs [0, 8 MiB) so blocks and pages mix
		for step := range 300 {
			va := uint64(rng.IntN(span/PageSize)) * PageSize
			n := uint64(1 + rng.IntN(4))
			if rng.IntN(4) == 0 {
				va, n = alignDown(va, 2*MiB), 512*uint64(1+rng.IntN(2))
			}
			size := min(n*PageSize, span-va)
			switch rng.IntN(3) {
			case 0:
				pa := 0x40000000 + alignDown(uint64(rng.IntN(8*MiB)), 2*MiB) + va%(2*MiB)
				prot := ProtRead | Prot(rng.IntN(2))*ProtWrite
				err := as.Map(va, pa, size, AttrNormal, prot)
				overlap := false
				for p := va; p < va+size; p += PageSize {
					_, overlap = model[p]
					if overlap {
						break
					}
				}
				if overlap {
					require.ErrorIs(t, err, ErrOverlap, "seed %d step %d", seed, step)
					break
				}
				require.NoError(t, err, "seed %d step %d: Map(%#x, %#x, %#x)", seed, step, va, pa, size)
				for off := uint64(0); off < size; off += PageSize {
					model[va+off] = page{pa + off, prot | ProtUser}
				}
			case 1:
				require.NoError(t, as.Unmap(va, size))
				for off := uint64(0); off < size; off += PageSize {
					delete(model, va+off)
				}
			case 2:
				err := as.Protect(va, size, ProtRead|ProtWrite)
				all := true
				for off := uint64(0); off < size; off += PageSize {
					_, ok := model[va+off]
					all = all && ok
				}
				if !all {
					require.ErrorIs(t, err, ErrNotMapped)
					break
				}
				require.NoError(t, err)
				for off := uint64(0); off < size; off += PageSize {
					p := model[va+off]
					p.prot = ProtRead | ProtWrite | ProtUser
					model[va+off] = p
				}
			}
			// Check the pages around this call against the model, and
			// every 25 steps (and at the end) the whole span.
			lo, hi := va-min(va, PageSize), min(va+size+PageSize, span)
			if step%25 == 24 || step == 299 {
				lo, hi = 0, span
			}
			for p := lo; p < hi; p += PageSize {
				got, err := as.Translate(p + 0x10)
				want, ok := model[p]
				if !ok {
					require.True(t, errors.Is(err, ErrNotMapped), "seed %d step %d: Translate(%#x) = %v, want unmapped", seed, step, p, got)
					continue
				}
				require.NoError(t, err, "seed %d step %d: Translate(%#x)", seed, step, p)
				require.Equal(t, want.pa+0x10, got.PA, "seed %d step %d: Translate(%#x).PA", seed, step, p)
				require.Equal(t, want.prot, got.Prot, "seed %d step %d: Translate(%#x).Prot", seed, step, p)
			}
			require.Equal(t, uint64(len(model))*PageSize, as.Mapped(), "seed %d step %d: Mapped", seed, step)
		}
		as.Destroy()
		require.NoError(t, v.buddy.Check())
	}
}

// BenchmarkMapUnmapPage and BenchmarkMapUnmapBlock are the issue's "map
// plus unmap of one 4 KiB page and of one 2 MiB block" (tables already
// present, as in steady state).
func BenchmarkMapUnmapPage(b *testing.B)  { benchmarkMapUnmap(b, PageSize) }
func BenchmarkMapUnmapBlock(b *testing.B) { benchmarkMapUnmap(b, 2*MiB) }

func benchmarkMapUnmap(b *testing.B, size uint64) {
	v := newTestVM(b, 16*MiB)
	as, err := v.NewSpace()
	require.NoError(b, err)
	for b.Loop() {
		if err := as.Map(4*MiB, 0x40400000, size, AttrNormal, ProtRead|ProtWrite); err != nil {
			b.Fatal(err)
		}
		if err := as.Unmap(4*MiB, size); err != nil {
			b.Fatal(err)
		}
	}
}

// After pages inside a 2 MiB span are unmapped, their empty L3 table must
// not stop a block from being mapped there later: Map frees it (after
// invalidating it from the walk caches) and writes the block.
func TestMapReclaimsEmptyTable(t *testing.T) {
	v := newTestVM(t, 8*MiB)
	as, err := v.NewSpace()
	require.NoError(t, err)
	require.NoError(t, as.Map(2*MiB, 0x40000000, PageSize, AttrNormal, ProtRead))
	require.NoError(t, as.Unmap(2*MiB, PageSize))
	tables := v.Stats().TablePages
	events := v.record(func() { require.NoError(t, as.Map(2*MiB, 0x40200000, 2*MiB, AttrNormal, ProtRead)) })
	got, err := as.Translate(2*MiB + 0x1234)
	require.NoError(t, err)
	require.Equal(t, 2, got.Level, "a block, not 512 pages")
	require.Equal(t, tables-1, v.Stats().TablePages, "the empty L3 table was freed")
	requireSubsequence(t, events, []string{"dsb ishst", fmt.Sprintf("tlbi vae1is %d %#x", as.ASID(), 2*MiB), "dsb ish"}, "table removal")

}

// Unmapping many pages of a user space drops its ASID once instead of
// broadcasting one TLBI per page; a few pages are invalidated one by one.
func TestUnmapManyPagesDropsASID(t *testing.T) {
	v := newTestVM(t, 8*MiB)
	as, _ := v.NewSpace()
	require.NoError(t, as.Map(0x1000, 0x40000000, 100*PageSize, AttrNormal, ProtRead))
	events := v.record(func() { require.NoError(t, as.Unmap(0x1000, 100*PageSize)) })
	require.Equal(t, []string{"dsb ishst", fmt.Sprintf("tlbi aside1is %d", as.ASID()), "dsb ish", "isb"}, events[len(events)-4:])
	for _, e := range events {
		require.NotContains(t, e, "tlbi vae1is", "no per-page TLBI for a 100-page unmap")
	}
	require.NoError(t, as.Map(0x1000, 0x40000000, 3*PageSize, AttrNormal, ProtRead))
	events = v.record(func() { require.NoError(t, as.Unmap(0x1000, 3*PageSize)) })
	n := 0
	for _, e := range events {
		if strings.HasPrefix(e, "tlbi vae1is") {
			n++
		}
	}
	require.Equal(t, 3, n, "a 3-page unmap invalidates 3 pages")
}

func TestPages(t *testing.T) {
	v := newTestVM(t, 8*MiB)
	as, _ := v.NewSpace()
	require.NoError(t, as.Map(0x3000, 0x40001000, 2*PageSize, AttrNormal, ProtRead))
	require.NoError(t, as.Map(0x7f00_0000_0000, 0x40200000, 2*MiB, AttrDevice, ProtRead|ProtWrite)) // a block
	got := as.Pages(0, UserTop)
	require.Len(t, got, 2+512)
	require.Equal(t, Page{0x3000, Translation{0x40001000, AttrNormal, ProtRead | ProtUser, 3}}, got[0])
	require.Equal(t, Page{0x4000, Translation{0x40002000, AttrNormal, ProtRead | ProtUser, 3}}, got[1])
	require.Equal(t, Page{0x7f00_0000_1000, Translation{0x40201000, AttrDevice, ProtRead | ProtWrite | ProtUser, 2}}, got[3])
	require.Len(t, as.Pages(0x4000, 0x7f00_0000_2000), 1+2, "a range cutting the block")
	require.Empty(t, as.Pages(0x5000, 0x7f00_0000_0000))
}
