package pl011

import (
	"fmt"
	"sync"
	"time"

	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/drivers/reg"
)

// Config is the board's part of bringing a UART up.
type Config struct {
	Baud    uint32 // 115200 when 0
	ClockHz uint32 // the UART reference clock; 48 MHz (the Pi 4 firmware's) when 0
	// Pins routes the UART to its pins (GPIO 14/15 to ALT0 on the Pi),
	// or is nil where nothing needs routing (QEMU virt).
	Pins func() error
}

// UART is the standard (Go) PL011 driver.
type UART struct {
	drivers.Base
	regs reg.Block
	cfg  Config
	rx   *ring

	txMu   sync.Mutex // one writer at a time, so lines do not interleave
	errors uint64     // receive errors (framing, parity, break, overrun)
}

// New returns a driver for the PL011 at regs. Nothing is touched until
// Initialize.
func New(regs reg.Block, cfg Config) *UART {
	if cfg.Baud == 0 {
		cfg.Baud = 115200
	}
	if cfg.ClockHz == 0 {
		cfg.ClockHz = 48_000_000
	}
	return &UART{regs: regs, cfg: cfg, rx: newRing()}
}

// Initialize is the real-hardware bring-up sequence (3.3.8's note on
// reprogramming: disable, wait, flush, program, enable).
func (u *UART) Initialize() error {
	ibrd, fbrd, err := Divisor(u.cfg.ClockHz, u.cfg.Baud)
	if err != nil {
		return err
	}
	r := u.regs
	// 1. Disable the UART, then let the character in flight leave.
	r.Write(UARTCR, 0)
	if _, err := r.WaitFor(UARTFR, FR_BUSY, 0, 100*time.Millisecond); err != nil {
		return err
	}
	// 2. Flush the transmit FIFO by turning the FIFOs off (FEN = 0).
	r.Clear(UARTLCR_H, LCRH_FEN)
	// 3. Route the pins: before enabling, so no glitch goes out.
	if u.cfg.Pins != nil {
		if err := u.cfg.Pins(); err != nil {
			return fmt.Errorf("pl011: pins: %w", err)
		}
	}
	// 4. Divisors, then LCR_H, whose write latches them: 8N1, FIFOs on.
	r.Write(UARTIBRD, ibrd)
	r.Write(UARTFBRD, fbrd)
	r.Write(UARTLCR_H, LCRH_WLEN8|LCRH_FEN)
	// 5. Receive interrupts at 1/8 full and on timeout (a lone keystroke
	//    sits below the level until the timeout of 32 bit periods fires).
	r.Write(UARTIFLS, IFLS_RX_1_8)
	r.Write(UARTICR, INT_ALL)
	r.Write(UARTIMSC, INT_RX|INT_RT)
	// 6. Enable the transmitter, the receiver and the UART.
	r.Write(UARTCR, CR_UARTEN|CR_TXE|CR_RXE)
	return nil
}

// HandleInterrupt clears the receive interrupts, then drains the receive
// FIFO into the ring. It runs in the device's interrupt goroutine. Clearing
// first matters: a character that arrives after the last look at the FIFO
// raises the interrupt again, where clearing after the drain would erase
// its interrupt and leave it (and everything behind it) waiting in the
// FIFO, never signalled again (QEMU raises RX only when the FIFO reaches
// the trigger level, not while it stays above it).
func (u *UART) HandleInterrupt() error {
	u.regs.Write(UARTICR, INT_RX|INT_RT)
	var buf [32]byte // the FIFO is 32 deep
	n := 0
	var bad uint64
	for u.regs.Read(UARTFR)&FR_RXFE == 0 {
		dr := u.regs.Read(UARTDR)
		if dr&DR_ERRORS != 0 {
			bad++
			u.regs.Write(UARTRSR, 0) // clear the error flags (3.3.2)
			continue
		}
		buf[n] = byte(dr)
		n++
		if n == len(buf) {
			u.rx.put(buf[:n])
			n = 0
		}
	}
	u.rx.put(buf[:n])
	if bad > 0 {
		u.errors += bad
		return fmt.Errorf("pl011: %d received characters had errors", bad)
	}
	return nil
}

// Read blocks until received bytes wait in the ring, then returns them.
func (u *UART) Read(p []byte) (int, error) { return u.rx.get(p), nil }

// Write transmits p, waiting for room in the transmit FIFO byte by byte.
// It is the driver's io.Writer; it writes bytes as they are (no CR added).
func (u *UART) Write(p []byte) (int, error) {
	u.txMu.Lock()
	defer u.txMu.Unlock()
	for i, c := range p {
		if u.regs.Read(UARTFR)&FR_TXFF != 0 {
			if _, err := u.regs.WaitFor(UARTFR, FR_TXFF, 0, 100*time.Millisecond); err != nil {
				return i, err
			}
		}
		u.regs.Write(UARTDR, uint32(c))
	}
	return len(p), nil
}

// Dropped is how many received bytes the full ring had to drop.
func (u *UART) Dropped() uint64 {
	u.rx.mu.Lock()
	defer u.rx.mu.Unlock()
	return u.rx.dropped
}

// Control answers ControlDescribe.
func (u *UART) Control(cmd drivers.ControlCommand, arg any) error {
	if s, ok := arg.(*string); ok && cmd == drivers.ControlDescribe {
		ibrd, fbrd, _ := Divisor(u.cfg.ClockHz, u.cfg.Baud)
		*s = fmt.Sprintf("%d baud from a %d Hz clock (IBRD %d, FBRD %d), rx ring dropped %d",
			Baud(u.cfg.ClockHz, ibrd, fbrd), u.cfg.ClockHz, ibrd, fbrd, u.Dropped())
		return nil
	}
	return drivers.ErrUnsupported
}
