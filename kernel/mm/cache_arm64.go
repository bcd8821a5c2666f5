package mm

// ArchCache is the Cache for the kernel at EL1, working on the direct map.
type ArchCache struct {
	Direct *DirectMap
}

func (c ArchCache) CleanInvalidate(pa, size uint64) {
	if size == 0 {
		return
	}
	dcCIVACRange(c.Direct.virt(pa), uintptr(size))
}

// dcCIVACRange cleans and invalidates [va, va+size) line by line, then waits
// with DSB SY. Implemented in cache_arm64.s. EL0 may execute DC CIVAC only
// if SCTLR_EL1.UCI is set, so like ArchTLB this is for the kernel.
func dcCIVACRange(va, size uintptr)
