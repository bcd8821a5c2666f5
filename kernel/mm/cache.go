package mm

// Cache is the data-cache maintenance the DMA allocator needs.
//
// A DMA buffer is mapped non-cacheable for the CPU's own accesses, but the
// same RAM is also reachable through the cacheable direct map, and its
// previous owner may have left dirty lines in the cache. If such a line were
// evicted later, it would overwrite what the device wrote. So before a
// buffer is handed out, its lines are written back and dropped once; after
// that, nothing brings them back dirty (the kernel only touches the buffer
// through its non-cacheable alias).
type Cache interface {
	// CleanInvalidate writes back and invalidates every data-cache line of
	// physical memory [pa, pa+size), by virtual address through the direct
	// map: DC CIVAC per line, then DSB SY (ARM ARM C5.3 "DC CIVAC",
	// D7.5.9 "Data and unified caches").
	CleanInvalidate(pa, size uint64)
}
