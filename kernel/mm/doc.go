// Package mm is Burrow's memory manager: the physical page allocator, the
// AArch64 page tables of every address space, user memory areas with
// demand-zero and copy-on-write faults and safe user copies, fixed-size
// object pools that live outside the Go heap, and the DMA buffer allocator. README.md next to
// this file draws the memory map and the data structures; read it first.
//
// Specifications followed:
//   - Arm Architecture Reference Manual for A-profile (DDI 0487), chapter D8
//     "The AArch64 Virtual Memory System Architecture": the 4 KiB granule,
//     48-bit virtual addresses, descriptor formats (D8.3), memory attributes
//     and MAIR_EL1 (D8.5), break-before-make (D8.16) and TLB maintenance
//     (D8.13, and TLBI in C5.5);
//   - the Devicetree Specification v0.4 for where RAM, reserved memory and
//     DMA windows are (through package kernel/fdt).
//
// Where it runs: in the Go kernel at EL1, after the Go runtime has started
// (it uses the Go heap for its own bookkeeping, and sync.Mutex). All
// physical memory is reached through the PhysMem interface and all TLB and
// barrier instructions through the TLB interface, so the whole package also
// runs under `go test` on the host with a byte slice as "RAM" and a recorder
// as "TLB". The only unsafe code is in *_unsafe.go files: the direct map
// and the pools, which hand out pointers into memory the GC does not own.
package mm
