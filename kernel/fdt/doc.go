// Package fdt parses flattened device trees (DTBs), the hardware description
// that the Raspberry Pi firmware and QEMU hand to the kernel in x0 at entry.
//
// It follows the Devicetree Specification v0.4 (devicetree.org), chapter 5
// ("Flattened Devicetree (DTB) Format") for the blob layout and chapter 2
// ("The Devicetree") for the meaning of the standard properties:
// #address-cells/#size-cells (2.3.5), reg (2.3.6), ranges (2.3.8),
// dma-ranges (2.3.9), status (2.3.4), phandle (2.3.3), the interrupt
// properties of 2.4 (interrupt-parent, interrupts, interrupts-extended,
// #interrupt-cells, and interrupt-map through an interrupt nexus),
// /memory (3.4), /reserved-memory (3.5), /aliases (3.3), /chosen (3.6)
// and the /memreserve/ block (5.3). GIC specifiers are decoded to INTIDs
// per the Linux arm,gic binding.
//
// Parse checks the whole blob once, up front: every offset, length and token
// is bounds-checked, and a malformed or truncated blob is rejected with an
// *Error naming the byte offset and the reason. After that the Tree is plain
// Go data and its accessors never touch the blob again, so they cannot read
// out of bounds either. Nothing in the package panics on bad input; the fuzz
// target FuzzParse keeps it that way.
//
// Where it runs: everywhere. The Go kernel calls Parse at EL1 after the Go
// runtime has started (it allocates), with the blob the C core found in x0;
// the host tools and tests use it on DTB files. It uses no unsafe code.
package fdt
