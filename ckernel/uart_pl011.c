// uart_pl011.c: the PL011 UART driver (ARM PrimeCell UART PL011 Technical
// Reference Manual, DDI 0183G, section 3 "Programmers model"). On the Pi 4
// this is UART0 (BCM2711 ARM peripherals, chapter 11); on QEMU virt, the
// only UART.
#include "uart.h"
#include "arch.h"
#include "klog.h"

// Register offsets, DDI 0183G table 3-1.
enum {
	UARTDR = 0x00,   // data
	UARTFR = 0x18,   // flags
	UARTIBRD = 0x24, // integer baud divisor
	UARTFBRD = 0x28, // fractional baud divisor
	UARTLCR_H = 0x2c,
	UARTCR = 0x30,
	UARTIMSC = 0x38,
	UARTICR = 0x44,
};
// UARTFR bits (DDI 0183G 3.3.3).
enum { FR_BUSY = 1 << 3, FR_RXFE = 1 << 4, FR_TXFF = 1 << 5 };
// UARTLCR_H: FEN enables the FIFOs; WLEN = 0b11 is 8 data bits (3.3.7).
enum { LCRH_FEN = 1 << 4, LCRH_WLEN8 = 3 << 5 };
// UARTCR: UARTEN, TXE, RXE (3.3.8).
enum { CR_UARTEN = 1 << 0, CR_TXE = 1 << 8, CR_RXE = 1 << 9 };

static u64 uart_base;

void uart_rebase(u64 base) { uart_base = base; }

void uart_init(u64 base, u32 clk_hz) {
	uart_base = base;
	// 1. Disable the UART and wait for any character in flight to leave.
	mmio_write32(base + UARTCR, 0);
	while (mmio_read32(base + UARTFR) & FR_BUSY)
		;
	// 2. Baud divisor = clk / (16 * baud), as a 16.6 fixed-point number
	//    (3.3.6): with the Pi's 48 MHz clock, 48e6 / (16 * 115200) =
	//    26.0417, so IBRD = 26 and FBRD = round(0.0417 * 64) = 3.
	u32 div64 = (u32)(((u64)clk_hz * 4 + 115200 / 2) / 115200); // = 64 * clk / (16 * baud)
	mmio_write32(base + UARTIBRD, div64 >> 6);
	mmio_write32(base + UARTFBRD, div64 & 63);
	// 3. 8 data bits, no parity, one stop bit, FIFOs on. Writing LCR_H
	//    after the divisors latches them.
	mmio_write32(base + UARTLCR_H, LCRH_WLEN8 | LCRH_FEN);
	// 4. Mask and clear every interrupt: the console polls.
	mmio_write32(base + UARTIMSC, 0);
	mmio_write32(base + UARTICR, 0x7ff);
	// 5. Enable the transmitter, the receiver and the UART.
	mmio_write32(base + UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
}

void uart_putc(char c) {
	klog_putc(c);
	if (!uart_base)
		return; // no console yet: drop the character
	if (c == '\n')
		uart_putc('\r');
	while (mmio_read32(uart_base + UARTFR) & FR_TXFF)
		;
	mmio_write32(uart_base + UARTDR, (u8)c);
}

void uart_puts(const char *s) {
	while (*s)
		uart_putc(*s++);
}

int uart_getc(void) {
	if (!uart_base || (mmio_read32(uart_base + UARTFR) & FR_RXFE))
		return -1;
	return (int)(mmio_read32(uart_base + UARTDR) & 0xff);
}
