// drv_pl011.c: the critical (C) half of the PL011 driver pair (ARM PrimeCell
// UART PL011 TRM, DDI 0183G, chapter 3). The Go kernel's drivers/pl011
// package has the same transmit and receive-drain paths in Go; these are
// called from Go through the direct-call trampoline (core.CCall), with IRQs
// masked on the calling thread's C stack, so each call is short and never
// blocks: transmit gives up when the FIFO stays full, receive takes only
// what the FIFO already holds. The kernel measures the two against each
// other (test=drivers).
#include "cfuncs.h"
#include "arch.h"
#include "memlayout.h"

// Register offsets and flags, DDI 0183G table 3-1 and 3.3.3.
enum { UARTDR = 0x00, UARTFR = 0x18, UARTICR = 0x44 };
enum { FR_RXFE = 1 << 4, FR_TXFF = 1 << 5 };
enum { INT_RX = 1 << 4, INT_RT = 1 << 6 };
enum { DR_ERRORS = 0xf00 }; // framing, parity, break, overrun (3.3.1)

static u64 base; // the UART's registers in the direct map; 0 until attached

// c_pl011_attach points the C driver at the PL011 at physical address pa,
// which the Go framework found in the device tree. Returns 0.
u64 c_pl011_attach(u64 pa) {
	base = (u64)PHYS_TO_VIRT(pa);
	return 0;
}

// c_pl011_write transmits len bytes at buf (a Go kernel address: the Go
// heap is mapped at EL1 in every address space). It returns how many went
// out; it stops early if the FIFO stays full for ~1M polls.
u64 c_pl011_write(u64 buf, u64 len) {
	const u8 *p = (const u8 *)buf;
	if (!base)
		return 0;
	for (u64 i = 0; i < len; i++) {
		u32 spins = 0;
		while (mmio_read32(base + UARTFR) & FR_TXFF)
			if (++spins == 1u << 20)
				return i;
		mmio_write32(base + UARTDR, p[i]);
	}
	return len;
}

// c_pl011_drain moves what the receive FIFO holds, at most cap bytes, to
// buf, drops characters with errors, clears the receive interrupts and
// returns the count: the bottom half of the receive interrupt in C.
u64 c_pl011_drain(u64 buf, u64 cap) {
	u8 *p = (u8 *)buf;
	u64 n = 0;
	if (!base)
		return 0;
	while (n < cap && !(mmio_read32(base + UARTFR) & FR_RXFE)) {
		u32 dr = mmio_read32(base + UARTDR);
		if (!(dr & DR_ERRORS))
			p[n++] = (u8)dr;
	}
	mmio_write32(base + UARTICR, INT_RX | INT_RT);
	return n;
}
