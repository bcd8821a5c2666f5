package mm

import (
	"errors"
	"fmt"
	"sync"

	"github.com/burrow-os/burrow/kernel/fdt"
)

// The buddy allocator hands out physically contiguous blocks of 2^order
// pages, for order 0 (one 4 KiB page) up to MaxOrder (4 MiB).
//
// The idea (Knuth, TAOCP vol. 1, 2.5; Linux mm/page_alloc.c): every block of
// order k starts at a page index that is a multiple of 2^k, and has exactly
// one "buddy", the other half of the order k+1 block containing it. The
// buddy's index differs only in bit k:
//
//	buddy(i, k) = i XOR 2^k
//
// To allocate order k, take a free block of the smallest order >= k and
// split it in halves until it is order k, putting each unused upper half on
// its free list. To free, look at the buddy: if it is free and of the same
// order, merge the two and repeat one order up. So free memory is always
// kept in the largest blocks possible, and nothing needs a search.
const (
	MaxOrder  = 10           // largest block: PageSize << MaxOrder = 4 MiB
	NumOrders = MaxOrder + 1 // orders 0..MaxOrder
	maxBlock  = PageSize << MaxOrder
)

// Errors returned by the allocators. They are wrapped with the address or
// order, so test with errors.Is.
var (
	ErrNoMemory      = errors.New("out of physical memory")
	ErrBadOrder      = errors.New("order out of range")
	ErrDoubleFree    = errors.New("double free: the block is already free")
	ErrForeign       = errors.New("address is not memory this allocator hands out")
	ErrNotBlockStart = errors.New("address is inside an allocated block, not at its start")
)

// frameState says what one page frame is, in the allocator's eyes.
type frameState uint8

const (
	// frameUnusable: not RAM (a hole between banks) or reserved. Never
	// handed out, never merged with. The zero value, so a new frame table
	// starts with nothing usable.
	frameUnusable frameState = iota
	// frameFree: the first page of a free block; order is its size and
	// prev/next link it into free[order].
	frameFree
	// frameAllocated: the first page of an allocated block; order is its
	// size, so Free needs only the address.
	frameAllocated
	// frameInside: any other page of a free or allocated block.
	frameInside
)

// frame is the allocator's record of one 4 KiB page frame, like Linux's
// struct page but 12 bytes. Invariant: state is frameFree or frameAllocated
// exactly for the first page of each block; every other usable page is
// frameInside.
type frame struct {
	state      frameState
	order      uint8
	prev, next int32 // free-list neighbours (frame indices), noFrame at the ends
}

const noFrame = -1

// Buddy is the physical page allocator. It is safe for concurrent use.
type Buddy struct {
	mu sync.Mutex // guards everything below

	// base is the physical address of frames[0]. It is aligned to maxBlock,
	// so "index aligned to 2^k" and "address aligned to 4 KiB << k" agree
	// and the XOR rule finds real buddies.
	base   uint64
	frames []frame

	free  [NumOrders]int32 // head of each order's free list, or noFrame
	nfree [NumOrders]int   // length of each free list

	stats BuddyStats
}

// BuddyStats is a snapshot of the allocator's counters, for the debugger
// and /proc/meminfo.
type BuddyStats struct {
	TotalPages    uint64            // usable pages: RAM minus reservations
	FreePages     uint64            // pages in free blocks
	ReservedPages uint64            // RAM pages kept out by reservations
	FreeBlocks    [NumOrders]uint64 // free blocks per order
	Allocs, Frees uint64            // successful calls
	Failed        uint64            // allocations refused for lack of memory
	BadFrees      uint64            // double frees and foreign frees caught
}

// maxFrames bounds the frame table (64 GiB of span), so a nonsense memory
// map is an error rather than a huge allocation.
const maxFrames = 1 << 24

// NewBuddy builds an allocator over the RAM banks, minus the reserved
// regions. RAM is trimmed inwards to whole pages and reservations are
// widened outwards, so a partly reserved page is never handed out.
func NewBuddy(ram, reserved []fdt.Region) (*Buddy, error) {
	if len(ram) == 0 {
		return nil, errors.New("mm: no RAM to manage")
	}
	// 1. The span of frames: from the lowest bank down-aligned to maxBlock
	//    to the highest bank's end up-aligned.
	lo, hi := ^uint64(0), uint64(0)
	for _, r := range ram {
		if r.Address+r.Size < r.Address {
			return nil, fmt.Errorf("mm: RAM bank %#x+%#x wraps around", r.Address, r.Size)
		}
		lo, hi = min(lo, r.Address), max(hi, r.Address+r.Size)
	}
	b := &Buddy{base: alignDown(lo, maxBlock)}
	if hi > 1<<48 || (alignUp(hi, maxBlock)-b.base)/PageSize > maxFrames {
		return nil, fmt.Errorf("mm: RAM [%#x, %#x) is larger than this allocator supports", lo, hi)
	}
	n := (alignUp(hi, maxBlock) - b.base) / PageSize
	spanEnd := b.base + n*PageSize
	b.frames = make([]frame, n)
	for k := range b.free {
		b.free[k] = noFrame
	}

	// 2. Mark the pages that are RAM, then unmark the reserved ones. A
	//    temporary bool per page keeps the two steps simple.
	usable := make([]bool, n)
	for _, r := range ram {
		for pa := alignUp(r.Address, PageSize); pa+PageSize <= r.Address+r.Size; pa += PageSize {
			usable[b.index(pa)] = true
		}
	}
	for _, r := range reserved {
		end := r.Address + r.Size
		if end < r.Address {
			end = ^uint64(0) // wraps: reserve to the top
		}
		for pa := max(alignDown(r.Address, PageSize), b.base); pa < min(end, spanEnd); pa += PageSize {
			if usable[b.index(pa)] {
				usable[b.index(pa)] = false
				b.stats.ReservedPages++
			}
		}
	}

	// 3. Hand each run of usable pages to the free lists as the largest
	//    aligned blocks that fit. Greedy is enough: two free buddies can
	//    never both come out of it, since their union would have been
	//    chosen instead.
	for i := uint64(0); i < n; {
		if !usable[i] {
			i++
			continue
		}
		k := 0
		for k < MaxOrder && i%(2<<k) == 0 && i+(2<<k) <= n && allTrue(usable[i:i+(2<<k)]) {
			k++
		}
		for j := i + 1; j < i+1<<k; j++ {
			b.frames[j].state = frameInside
		}
		b.push(int32(i), k)
		b.stats.TotalPages += 1 << k
		b.stats.FreePages += 1 << k
		i += 1 << k
	}
	return b, nil
}

// Alloc returns the physical address of a free block of 2^order pages,
// aligned to its size. The memory is not zeroed.
func (b *Buddy) Alloc(order int) (uint64, error) {
	if order < 0 || order > MaxOrder {
		return 0, fmt.Errorf("mm: alloc order %d: %w", order, ErrBadOrder)
	}
	b.mu.Lock()
	defer b.mu.Unlock()

	// 1. Find the smallest order k >= order that has a free block.
	k := order
	for k <= MaxOrder && b.free[k] == noFrame {
		k++
	}
	if k > MaxOrder {
		b.stats.Failed++
		return 0, fmt.Errorf("mm: alloc order %d: %w", order, ErrNoMemory)
	}
	// 2. Take it off its list.
	i := b.free[k]
	b.remove(i, k)
	// 3. Split it down to the requested order: each round halves the block
	//    and frees the upper half, which is the lower half's buddy.
	for k > order {
		k--
		b.push(i+1<<k, k)
	}
	b.frames[i].state = frameAllocated
	b.frames[i].order = uint8(order)
	b.stats.FreePages -= 1 << order
	b.stats.Allocs++
	return b.addr(i), nil
}

// Free returns the block that starts at pa, of the order it was allocated
// with. Freeing anything else (a free block again, an address inside a
// block, reserved memory, an address outside RAM) changes nothing and
// returns an error wrapping ErrDoubleFree, ErrNotBlockStart or ErrForeign.
func (b *Buddy) Free(pa uint64) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.checkFree(pa); err != nil {
		b.stats.BadFrees++
		return fmt.Errorf("mm: free %#x: %w", pa, err)
	}
	i := int32(b.index(pa))
	k := int(b.frames[i].order)
	b.stats.FreePages += 1 << k
	b.stats.Frees++

	// Merge with the buddy for as long as it is free and whole: same order,
	// head of a free block. The merged block starts at the lower of the two,
	// and the upper head becomes an inside page.
	for k < MaxOrder {
		bud := i ^ 1<<k
		if int(bud) >= len(b.frames) || b.frames[bud].state != frameFree || int(b.frames[bud].order) != k {
			break
		}
		b.remove(bud, k)
		lower, upper := min(i, bud), max(i, bud)
		b.frames[upper].state = frameInside
		i = lower
		k++
	}
	b.push(i, k)
	return nil
}

// checkFree decides whether pa is the start of an allocated block.
func (b *Buddy) checkFree(pa uint64) error {
	if pa%PageSize != 0 || pa < b.base || b.index(pa) >= uint64(len(b.frames)) {
		return ErrForeign
	}
	i := b.index(pa)
	switch b.frames[i].state {
	case frameAllocated:
		return nil
	case frameFree:
		return ErrDoubleFree
	case frameUnusable:
		return ErrForeign
	}
	// An inside page: of a free block (so this is a double free of a block
	// that has since merged) or of an allocated one. Look for the head of an
	// enclosing free block, one candidate per order.
	for k := 1; k <= MaxOrder; k++ {
		head := i &^ (1<<k - 1)
		if f := b.frames[head]; f.state == frameFree && int(f.order) >= k {
			return ErrDoubleFree
		}
	}
	return ErrNotBlockStart
}

// push puts block i of order k at the head of free[k].
func (b *Buddy) push(i int32, k int) {
	f := &b.frames[i]
	f.state, f.order = frameFree, uint8(k)
	f.prev, f.next = noFrame, b.free[k]
	if f.next != noFrame {
		b.frames[f.next].prev = i
	}
	b.free[k] = i
	b.nfree[k]++
}

// remove unlinks free block i from free[k]. It is O(1) because the list is
// doubly linked; that is what lets Free merge with a buddy in the middle of
// a list.
func (b *Buddy) remove(i int32, k int) {
	f := &b.frames[i]
	if f.prev != noFrame {
		b.frames[f.prev].next = f.next
	} else {
		b.free[k] = f.next
	}
	if f.next != noFrame {
		b.frames[f.next].prev = f.prev
	}
	f.prev, f.next = noFrame, noFrame
	b.nfree[k]--
}

// Stats returns a snapshot of the counters.
func (b *Buddy) Stats() BuddyStats {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.stats
	for k := range s.FreeBlocks {
		s.FreeBlocks[k] = uint64(b.nfree[k])
	}
	return s
}

func (b *Buddy) index(pa uint64) uint64 { return (pa - b.base) / PageSize }
func (b *Buddy) addr(i int32) uint64    { return b.base + uint64(i)*PageSize }

// OrderFor returns the smallest order whose blocks hold size bytes.
func OrderFor(size uint64) int {
	k := 0
	for k <= MaxOrder && PageSize<<k < size {
		k++
	}
	return k // MaxOrder+1 if too big: Alloc rejects it
}

func alignDown(x, a uint64) uint64 { return x &^ (a - 1) }
func alignUp(x, a uint64) uint64   { return (x + a - 1) &^ (a - 1) }

func allTrue(s []bool) bool {
	for _, v := range s {
		if !v {
			return false
		}
	}
	return true
}
