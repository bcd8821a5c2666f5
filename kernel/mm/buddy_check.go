package mm

import "fmt"

// Check verifies the allocator's invariants and returns the first one that
// does not hold. It walks every frame, so it is for tests and the debugger,
// not for hot paths.
//
// The invariants:
//  1. The frames split into blocks: each usable frame is either the head of
//     a free or allocated block of order k, aligned to 2^k, followed by
//     2^k - 1 inside frames, or belongs to such a block. No two blocks
//     overlap and no inside frame is orphaned.
//  2. Every free head is on the free list of its order, and the lists hold
//     nothing else; the per-order counts match the lists.
//  3. Coalescing is complete: no free block's buddy is a free block of the
//     same order.
//  4. FreePages equals the pages in free blocks.
func (b *Buddy) Check() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	var freeHeads [NumOrders]int
	var freePages uint64
	for i := 0; i < len(b.frames); {
		f := b.frames[i]
		switch f.state {
		case frameUnusable:
			i++
			continue
		case frameInside:
			return fmt.Errorf("frame %#x is inside no block", b.addr(int32(i)))
		}
		k := int(f.order)
		if k > MaxOrder || i%(1<<k) != 0 || i+1<<k > len(b.frames) {
			return fmt.Errorf("block %#x has bad order %d for its position", b.addr(int32(i)), k)
		}
		for j := i + 1; j < i+1<<k; j++ {
			if b.frames[j].state != frameInside {
				return fmt.Errorf("block %#x order %d overlaps frame %#x (state %d)", b.addr(int32(i)), k, b.addr(int32(j)), b.frames[j].state)
			}
		}
		if f.state == frameFree {
			freeHeads[k]++
			freePages += 1 << k
			if bud := i ^ 1<<k; k < MaxOrder && bud < len(b.frames) &&
				b.frames[bud].state == frameFree && int(b.frames[bud].order) == k {
				return fmt.Errorf("free buddies %#x and %#x of order %d were not merged", b.addr(int32(i)), b.addr(int32(bud)), k)
			}
		}
		i += 1 << k
	}
	for k := range NumOrders {
		n, prev := 0, int32(noFrame)
		for i := b.free[k]; i != noFrame; i = b.frames[i].next {
			f := b.frames[i]
			if f.state != frameFree || int(f.order) != k || f.prev != prev {
				return fmt.Errorf("free list %d holds %#x (state %d order %d)", k, b.addr(i), f.state, f.order)
			}
			if n++; n > len(b.frames) {
				return fmt.Errorf("free list %d has a cycle", k)
			}
			prev = i
		}
		if n != b.nfree[k] || n != freeHeads[k] {
			return fmt.Errorf("order %d: list has %d blocks, count says %d, frames say %d", k, n, b.nfree[k], freeHeads[k])
		}
	}
	if freePages != b.stats.FreePages {
		return fmt.Errorf("FreePages = %d, want %d", b.stats.FreePages, freePages)
	}
	return nil
}
