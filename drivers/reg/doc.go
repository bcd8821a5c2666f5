// Package reg is the one place Burrow's Go drivers touch device registers:
// 32-bit reads and writes, setting and clearing bits, and waiting for a
// field with a timeout. Every MMIO access in drivers/ goes through a Block,
// so each one is greppable, and a Fake backing lets driver logic run under
// `go test` on the host with simulated hardware behind it.
//
// It follows no spec beyond the AMBA rule every SoC here obeys: device
// registers are 32 bits wide and 32-bit aligned (BCM2711 ARM Peripherals,
// section 1.2; the PL011, GIC-400 and SDHCI manuals say the same).
//
// Where it runs: in the Go kernel at EL1 after the runtime has started, with
// the MMIO backing, which reaches physical address PA through the C core's
// direct map at DirectMap+PA (device memory, nGnRE, below 4 GiB); and on the
// host with Fake.
package reg
