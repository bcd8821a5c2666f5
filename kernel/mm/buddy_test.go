package mm

import (
	"errors"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"

	"github.com/burrow-os/burrow/kernel/fdt"
	"github.com/stretchr/testify/require"
)

// raspi4bRAM is QEMU raspi4b's memory map: 960 MiB at 0, with the first page
// (the secondary cores' spin tables) under /memreserve/.
var (
	raspi4bRAM      = []fdt.Region{{Address: 0, Size: 0x3c000000}}
	raspi4bReserved = []fdt.Region{{Address: 0, Size: 0x1000}}
)

func TestNewBuddyLayout(t *testing.T) {
	b, err := NewBuddy(raspi4bRAM, raspi4bReserved)
	require.NoError(t, err)
	require.NoError(t, b.Check())
	s := b.Stats()
	// Page 0 is reserved, so the first 4 MiB block breaks into one block of
	// each order 0..9 (pages 1, 2-3, 4-7, ... 512-1023); the other 239 are
	// whole.
	want := [NumOrders]uint64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 239}
	require.Equal(t, want, s.FreeBlocks, "FreeBlocks after NewBuddy(raspi4b)")
	require.Equal(t, uint64(0x3c000-1), s.TotalPages)
	require.Equal(t, s.TotalPages, s.FreePages)
	require.Equal(t, uint64(1), s.ReservedPages)
}

func TestNewBuddyTrimsPartialPages(t *testing.T) {
	tests := []struct {
		ram, rsv   []fdt.Region
		totalPages uint64
	}{
		{[]fdt.Region{{Address: 0x800, Size: 0x3000}}, nil, 2},                                           // [0x1000, 0x3000) whole
		{[]fdt.Region{{Address: 0, Size: 0x10000}}, []fdt.Region{{Address: 0x1fff, Size: 2}}, 14},        // touches pages 1 and 2
		{[]fdt.Region{{Address: 0, Size: 0x4000}, {Address: 0x10000, Size: 0x4000}}, nil, 8},             // two banks, hole
		{[]fdt.Region{{Address: 0, Size: 0x4000}}, []fdt.Region{{Address: 0x2000, Size: ^uint64(0)}}, 2}, // wraps: reserved to the top
	}
	for _, tt := range tests {
		b, err := NewBuddy(tt.ram, tt.rsv)
		require.NoError(t, err)
		require.NoError(t, b.Check())
		require.Equal(t, tt.totalPages, b.Stats().TotalPages, "NewBuddy(%v, %v).TotalPages", tt.ram, tt.rsv)
	}
	for _, ram := range [][]fdt.Region{nil, {{Address: 1 << 48, Size: 1 << 20}}, {{Address: ^uint64(0) - 10, Size: 100}}} {
		_, err := NewBuddy(ram, nil)
		require.Error(t, err, "NewBuddy(%v)", ram)
	}
}

func TestBuddyBadFrees(t *testing.T) {
	b, err := NewBuddy([]fdt.Region{{Address: 0x100000, Size: 0x400000}}, []fdt.Region{{Address: 0x100000, Size: 0x1000}})
	require.NoError(t, err)
	big, err := b.Alloc(2) // four pages
	require.NoError(t, err)
	freed, err := b.Alloc(0)
	require.NoError(t, err)
	require.NoError(t, b.Free(freed))
	tests := []struct {
		name string
		pa   uint64
		want error
	}{
		{"freed already", freed, ErrDoubleFree},
		{"inside an allocated block", big + PageSize, ErrNotBlockStart},
		{"reserved page", 0x100000, ErrForeign},
		{"below RAM", 0x1000, ErrForeign},
		{"above RAM", 0x10000000, ErrForeign},
		{"misaligned", big + 8, ErrForeign},
		{"never allocated", 0x4ff000, ErrDoubleFree}, // inside a free block
	}
	before := b.Stats()
	for _, tt := range tests {
		err := b.Free(tt.pa)
		require.True(t, errors.Is(err, tt.want), "%s: Free(%#x) = %v, want %v", tt.name, tt.pa, err, tt.want)
		require.NoError(t, b.Check(), "%s: invariants after a refused free", tt.name)
	}
	after := b.Stats()
	require.Equal(t, before.FreeBlocks, after.FreeBlocks, "bad frees must change nothing")
	require.Equal(t, before.BadFrees+uint64(len(tests)), after.BadFrees)
	require.NoError(t, b.Free(big))
}

func TestBuddyAllocErrors(t *testing.T) {
	b, err := NewBuddy([]fdt.Region{{Address: 0, Size: 0x8000}}, nil) // 8 pages
	require.NoError(t, err)
	for _, order := range []int{-1, MaxOrder + 1} {
		_, err := b.Alloc(order)
		require.ErrorIs(t, err, ErrBadOrder, "Alloc(%d)", order)
	}
	_, err = b.Alloc(4)
	require.ErrorIs(t, err, ErrNoMemory, "Alloc(4) with 8 pages")
	var got []uint64
	for {
		pa, err := b.Alloc(0)
		if err != nil {
			require.ErrorIs(t, err, ErrNoMemory)
			break
		}
		got = append(got, pa)
	}
	require.Len(t, got, 8)
	require.Equal(t, uint64(2), b.Stats().Failed)
	for _, pa := range got {
		require.NoError(t, b.Free(pa))
	}
	require.Equal(t, [NumOrders]uint64{3: 1}, b.Stats().FreeBlocks, "all freed: one order-3 block again")
}

// TestBuddyRandomized runs random alloc/free sequences over a memory map
// with two banks, a hole and reservations, checking every invariant after
// every step, and that live blocks never overlap and are size-aligned.
func TestBuddyRandomized(t *testing.T) {
	ram := []fdt.Region{{Address: 0x0, Size: 0x1800000}, {Address: 0x2000000, Size: 0x900000}}
	rsv := []fdt.Region{{Address: 0, Size: 0x1000}, {Address: 0x80000, Size: 0x123456}, {Address: 0x2400000, Size: 0x1000}}
	for seed := range uint64(8) {
		rng := rand.New(rand.NewPCG(seed, 1))
		b, err := NewBuddy(ram, rsv)
		require.NoError(t, err)
		initial := b.Stats()
		live := map[uint64]int{} // address -> order
		for step := 0; step < 1500; step++ {
			if len(live) > 0 && rng.IntN(2) == 0 {
				// Free a random live block.
				addrs := make([]uint64, 0, len(live))
				for a := range live {
					addrs = append(addrs, a)
				}
				sort.Slice(addrs, func(i, j int) bool { return addrs[i] < addrs[j] })
				a := addrs[rng.IntN(len(addrs))]
				require.NoError(t, b.Free(a), "seed %d step %d: Free(%#x)", seed, step, a)
				delete(live, a)
			} else {
				order := rng.IntN(NumOrders)
				if rng.IntN(4) > 0 {
					order = rng.IntN(3) // mostly small, as in a kernel
				}
				a, err := b.Alloc(order)
				if errors.Is(err, ErrNoMemory) {
					continue
				}
				require.NoError(t, err)
				require.Zero(t, a%(PageSize<<order), "Alloc(%d) = %#x, not aligned to its size", order, a)
				live[a] = order
			}
			require.NoError(t, b.Check(), "seed %d step %d", seed, step)
			requireNoOverlap(t, live, ram, rsv)
		}
		for a := range live {
			require.NoError(t, b.Free(a))
		}
		require.NoError(t, b.Check())
		require.Equal(t, initial.FreeBlocks, b.Stats().FreeBlocks, "seed %d: after freeing everything, want the initial blocks back", seed)
	}
}

// requireNoOverlap checks that the live blocks are disjoint, inside RAM and
// outside every reservation.
func requireNoOverlap(t *testing.T, live map[uint64]int, ram, rsv []fdt.Region) {
	t.Helper()
	type blk struct{ lo, hi uint64 }
	var bs []blk
	for a, k := range live {
		bs = append(bs, blk{a, a + PageSize<<k})
	}
	sort.Slice(bs, func(i, j int) bool { return bs[i].lo < bs[j].lo })
	for i, x := range bs {
		if i > 0 && bs[i-1].hi > x.lo {
			t.Fatalf("blocks [%#x, %#x) and [%#x, %#x) overlap", bs[i-1].lo, bs[i-1].hi, x.lo, x.hi)
		}
		inRAM := false
		for _, r := range ram {
			inRAM = inRAM || (x.lo >= r.Address && x.hi <= r.Address+r.Size)
		}
		if !inRAM {
			t.Fatalf("block [%#x, %#x) is not inside RAM", x.lo, x.hi)
		}
		for _, r := range rsv {
			if x.lo < r.Address+r.Size && r.Address < x.hi {
				t.Fatalf("block [%#x, %#x) overlaps reservation [%#x, +%#x)", x.lo, x.hi, r.Address, r.Size)
			}
		}
	}
}

func TestBuddyConcurrent(t *testing.T) {
	b, err := NewBuddy([]fdt.Region{{Address: 0, Size: 64 << 20}}, nil)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 2))
			var mine []uint64
			for range 2000 {
				if len(mine) > 0 && rng.IntN(2) == 0 {
					if err := b.Free(mine[len(mine)-1]); err != nil {
						t.Error(err)
						return
					}
					mine = mine[:len(mine)-1]
				} else if pa, err := b.Alloc(rng.IntN(4)); err == nil {
					mine = append(mine, pa)
				}
			}
			for _, pa := range mine {
				b.Free(pa)
			}
		}()
	}
	wg.Wait()
	require.NoError(t, b.Check())
	require.Equal(t, [NumOrders]uint64{MaxOrder: 16}, b.Stats().FreeBlocks)
}

func TestOrderFor(t *testing.T) {
	tests := []struct {
		size uint64
		want int
	}{{1, 0}, {4096, 0}, {4097, 1}, {2 << 20, 9}, {4 << 20, 10}, {4<<20 + 1, 11}}
	for _, tt := range tests {
		if got := OrderFor(tt.size); got != tt.want {
			t.Errorf("OrderFor(%#x) = %d, want %d", tt.size, got, tt.want)
		}
	}
}

func benchmarkBuddy(b *testing.B, order int) {
	bd, err := NewBuddy(raspi4bRAM, raspi4bReserved)
	require.NoError(b, err)
	for b.Loop() {
		pa, err := bd.Alloc(order)
		if err != nil {
			b.Fatal(err)
		}
		bd.Free(pa)
	}
}

// BenchmarkBuddyOrder0 and BenchmarkBuddyOrder9 are the issue's "page
// alloc/free at order 0 and order 9", one alloc plus one free per op.
func BenchmarkBuddyOrder0(b *testing.B) { benchmarkBuddy(b, 0) }
func BenchmarkBuddyOrder9(b *testing.B) { benchmarkBuddy(b, 9) }

// BenchmarkBuddyOrder0SplitMerge is the worst case for order 0: RAM is whole
// 4 MiB blocks, so each Alloc splits one ten times and each Free merges it
// back ten times.
func BenchmarkBuddyOrder0SplitMerge(b *testing.B) {
	bd, err := NewBuddy([]fdt.Region{{Address: 0, Size: 64 << 20}}, nil)
	require.NoError(b, err)
	for b.Loop() {
		pa, err := bd.Alloc(0)
		if err != nil {
			b.Fatal(err)
		}
		bd.Free(pa)
	}
}
