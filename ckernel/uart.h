// uart.h: the console, an ARM PrimeCell PL011 UART (ARM DDI 0183G).
#pragma once
#include "types.h"

// uart_init programs the PL011 at base for 115200 8N1, with the baud
// divisor computed from the UART reference clock clk_hz.
void uart_init(u64 base, u32 clk_hz);
// uart_rebase moves the console to a new address for the same device,
// when boot turns the MMU on and the direct map replaces the physical one.
void uart_rebase(u64 base);
void uart_putc(char c);
void uart_puts(const char *s);
// uart_getc returns the next received byte, or -1 if none is waiting.
int uart_getc(void);
