package mm

// ReadTTBR0 returns TTBR0_EL1 (ARM ARM D19.2.155): at boot, the C core's
// kernel-region L0 table (vm_ttbr0), which AdoptVM takes over. The Go
// kernel runs at EL1, where MRS of TTBR0_EL1 is allowed; at EL0 it traps.
func ReadTTBR0() uint64

// TTBRBaddr extracts the table address from a TTBR value: bits 47:1 hold
// BADDR, bits 63:48 the ASID and bit 0 CnP.
func TTBRBaddr(ttbr uint64) uint64 { return ttbr & 0x0000_ffff_ffff_fffe }
