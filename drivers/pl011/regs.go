package pl011

// Register offsets, DDI 0183G table 3-1.
const (
	UARTDR    = 0x00 // data
	UARTRSR   = 0x04 // receive status / error clear
	UARTFR    = 0x18 // flags
	UARTIBRD  = 0x24 // integer baud divisor
	UARTFBRD  = 0x28 // fractional baud divisor
	UARTLCR_H = 0x2c // line control
	UARTCR    = 0x30 // control
	UARTIFLS  = 0x34 // interrupt FIFO level select
	UARTIMSC  = 0x38 // interrupt mask set/clear
	UARTRIS   = 0x3c // raw interrupt status
	UARTMIS   = 0x40 // masked interrupt status
	UARTICR   = 0x44 // interrupt clear
)

// UARTFR bits (3.3.3).
const (
	FR_BUSY = 1 << 3
	FR_RXFE = 1 << 4 // receive FIFO empty
	FR_TXFF = 1 << 5 // transmit FIFO full
)

// UARTLCR_H bits (3.3.7): FEN enables the FIFOs, WLEN = 0b11 is 8 bits.
const (
	LCRH_FEN   = 1 << 4
	LCRH_WLEN8 = 3 << 5
)

// UARTCR bits (3.3.8).
const (
	CR_UARTEN = 1 << 0
	CR_TXE    = 1 << 8
	CR_RXE    = 1 << 9
)

// Interrupt bits of UARTIMSC, UARTRIS, UARTMIS and UARTICR (3.3.10-14).
const (
	INT_RX      = 1 << 4 // receive FIFO reached its level
	INT_RT      = 1 << 6 // receive timeout: data waits below the level
	INT_ALL     = 0x7ff  // every interrupt source
	IFLS_RX_1_8 = 0 << 3 // RXIFLSEL = 0b000: interrupt at 1/8 full (4 bytes)
)

// UARTDR error bits (3.3.1): framing, parity, break, overrun.
const DR_ERRORS = 0xf00
