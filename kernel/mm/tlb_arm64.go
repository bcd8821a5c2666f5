package mm

// ArchTLB is the TLB for the kernel at EL1: each method is the instruction
// it is named after (tlb_arm64.s). At EL0, as in a test binary on an arm64
// Linux host, TLBI is undefined and traps, so only the kernel may use it.
type ArchTLB struct{}

// tlbiOperand builds the Xt operand of TLBI VAE1IS and friends (ARM ARM
// C5.5 "TLB maintenance instructions"): bits 63:48 the ASID, bits 43:0
// VA[55:12].
func tlbiOperand(asid uint16, va uint64) uint64 {
	return uint64(asid)<<48 | va>>12&(1<<44-1)
}

func (ArchTLB) DSBISHST()                         { dsbISHST() }
func (ArchTLB) TLBIVAE1IS(asid uint16, va uint64) { tlbiVAE1IS(tlbiOperand(asid, va)) }
func (ArchTLB) TLBIVAAE1IS(va uint64)             { tlbiVAAE1IS(tlbiOperand(0, va)) }
func (ArchTLB) TLBIASIDE1IS(asid uint16)          { tlbiASIDE1IS(uint64(asid) << 48) }
func (ArchTLB) DSBISH()                           { dsbISH() }
func (ArchTLB) ISB()                              { isb() }

// Implemented in tlb_arm64.s. Leaf functions: they need no stack frame and
// may run with preemption anywhere, since each is one instruction.
func dsbISHST()
func dsbISH()
func isb()
func tlbiVAE1IS(xt uint64)
func tlbiVAAE1IS(xt uint64)
func tlbiASIDE1IS(xt uint64)

func archTLB() TLB                 { return ArchTLB{} }
func archCache(d *DirectMap) Cache { return ArchCache{Direct: d} }
