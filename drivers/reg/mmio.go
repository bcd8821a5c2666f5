package reg

// DirectMap is the virtual address at which the C core maps physical address
// 0 (ckernel/memlayout.h): PA is at DirectMap+PA, device memory below 4 GiB.
const DirectMap = 0xFFFF_0000_0000_0000

// MMIO is the backing of real hardware: accesses go to the direct map.
// It is only valid in the Go kernel at EL1; on the host it faults.
type MMIO struct{}

// Read32 loads the 32-bit register at physical address pa.
func (MMIO) Read32(pa uint64) uint32 { return load32(DirectMap + uintptr(pa)) }

// Write32 stores v into the 32-bit register at physical address pa.
func (MMIO) Write32(pa uint64, v uint32) { store32(DirectMap+uintptr(pa), v) }
