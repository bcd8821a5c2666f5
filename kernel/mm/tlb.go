package mm

// TLB is the cache maintenance the page-table code needs, one method per
// instruction so the sequences in addrspace.go read like the ARM ARM's
// examples (D8.13 "TLB maintenance", D8.16.1 "Using break-before-make").
//
// At EL1, ArchTLB executes the instructions. Host tests use a recorder that
// logs each call next to each descriptor store, and check the order.
//
// The "IS" (Inner Shareable) forms broadcast to all four cores, so an
// update made on one core is seen by all without IPIs.
type TLB interface {
	// DSBISHST waits until earlier stores, descriptor writes included, are
	// visible to every core's table walker: DSB ISHST.
	DSBISHST()
	// TLBIVAE1IS drops cached translations of va tagged with asid, on every
	// core, including walk-cache entries for it: TLBI VAE1IS, Xt with
	// Xt = asid<<48 | va>>12.
	TLBIVAE1IS(asid uint16, va uint64)
	// TLBIVAAE1IS does the same for every ASID, which global (kernel)
	// entries need: TLBI VAAE1IS, Xt with Xt = va>>12.
	TLBIVAAE1IS(va uint64)
	// TLBIASIDE1IS drops every cached translation tagged with asid:
	// TLBI ASIDE1IS, Xt with Xt = asid<<48.
	TLBIASIDE1IS(asid uint16)
	// DSBISH waits for earlier TLB invalidations to finish on every core:
	// DSB ISH.
	DSBISH()
	// ISB makes this core refetch, so the new translations apply to the
	// next instruction: ISB.
	ISB()
}
