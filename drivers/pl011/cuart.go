package pl011

import (
	"fmt"

	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/drivers/reg"
	"github.com/burrow-os/burrow/kernel/core"
)

// CUART is the critical PL011 driver: initialisation stays in Go (it is
// the same UART, and it runs once), while the paths that run per byte,
// transmit and the receive drain, are C functions in the C core
// (ckernel/drv_pl011.c) called through the direct-call trampoline.
type CUART struct {
	*UART // initialisation, the receive ring and Read are shared
	pa    uint64
	write uintptr // c_pl011_write
	drain uintptr // c_pl011_drain
	buf   [32]byte
}

// NewC returns the critical driver for the PL011 at regs. It only works on
// the machine: the C functions do MMIO themselves.
func NewC(regs reg.Block, cfg Config) (*CUART, error) {
	c := &CUART{UART: New(regs, cfg), pa: regs.Base}
	attach, err := core.CFunc(core.CFuncPL011Attach)
	if err != nil {
		return nil, fmt.Errorf("pl011: the C driver: %w", err)
	}
	if c.write, err = core.CFunc(core.CFuncPL011Write); err != nil {
		return nil, err
	}
	if c.drain, err = core.CFunc(core.CFuncPL011Drain); err != nil {
		return nil, err
	}
	core.CCall(attach, uintptr(c.pa), 0)
	return c, nil
}

// Write transmits p through c_pl011_write, in pieces so that IRQs are
// never masked for long (each call runs with them masked).
func (c *CUART) Write(p []byte) (int, error) {
	c.txMu.Lock()
	defer c.txMu.Unlock()
	n := 0
	for n < len(p) {
		chunk := min(64, len(p)-n)
		sent := int(core.CCall(c.write, bufAddr(p[n:n+chunk]), uintptr(chunk)))
		n += sent
		if sent < chunk {
			return n, fmt.Errorf("pl011: transmit FIFO stuck full")
		}
	}
	return n, nil
}

// HandleInterrupt drains the FIFO in C into a Go buffer, then into the ring.
func (c *CUART) HandleInterrupt() error {
	for {
		n := int(core.CCall(c.drain, bufAddr(c.buf[:]), uintptr(len(c.buf))))
		c.rx.put(c.buf[:n])
		if n < len(c.buf) {
			return nil
		}
	}
}

// Control answers ControlDescribe.
func (c *CUART) Control(cmd drivers.ControlCommand, arg any) error {
	err := c.UART.Control(cmd, arg)
	if s, ok := arg.(*string); ok && err == nil {
		*s += "; transmit and receive in C (drv_pl011.c)"
	}
	return err
}
