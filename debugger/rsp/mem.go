package rsp

import (
	"encoding/hex"
	"fmt"
)

// MaxRead is the most bytes one m packet asks for: QEMU answers at most
// 0x800 bytes per packet.
const MaxRead = 0x800

// maxWrite keeps an M packet (two hex digits per byte) under QEMU's
// 0x1000-byte packet buffer.
const maxWrite = 0x400

// ReadMemory reads n bytes at addr, split into MaxRead-sized m packets.
// Addresses are virtual, translated by the selected CPU's MMU, unless
// SetPhysical(true) is in force.
func (c *Client) ReadMemory(addr uint64, n int) ([]byte, error) {
	out := make([]byte, 0, n)
	for len(out) < n {
		chunk := min(n-len(out), MaxRead)
		a := addr + uint64(len(out))
		reply, err := c.Request(fmt.Sprintf("m%x,%x", a, chunk))
		if err != nil {
			return out, fmt.Errorf("reading %d bytes at %#x: %w", chunk, a, err)
		}
		b, err := hex.DecodeString(reply)
		if err != nil {
			return out, fmt.Errorf("rsp: bad m reply at %#x: %w", a, err)
		}
		if len(b) == 0 {
			return out, fmt.Errorf("rsp: empty read at %#x", a)
		}
		out = append(out, b...)
	}
	return out[:n], nil
}

// WriteMemory writes data at addr in M packets.
func (c *Client) WriteMemory(addr uint64, data []byte) error {
	for off := 0; off < len(data); off += maxWrite {
		end := min(off+maxWrite, len(data))
		a := addr + uint64(off)
		if err := c.ok(fmt.Sprintf("M%x,%x:%s", a, end-off, hex.EncodeToString(data[off:end]))); err != nil {
			return fmt.Errorf("writing %d bytes at %#x: %w", end-off, a, err)
		}
	}
	return nil
}

// SetPhysical switches memory packets between virtual addresses (the
// default) and physical ones, with QEMU's Qqemu.PhyMemMode packet.
func (c *Client) SetPhysical(on bool) error {
	c.mu.Lock()
	same := c.physMem == on
	c.mu.Unlock()
	if same {
		return nil
	}
	mode := "0"
	if on {
		mode = "1"
	}
	if err := c.ok("Qqemu.PhyMemMode:" + mode); err != nil {
		return err
	}
	c.mu.Lock()
	c.physMem = on
	c.mu.Unlock()
	return nil
}

// ReadPhysical reads n bytes of physical memory, restoring virtual mode
// afterwards.
func (c *Client) ReadPhysical(addr uint64, n int) ([]byte, error) {
	if err := c.SetPhysical(true); err != nil {
		return nil, err
	}
	b, err := c.ReadMemory(addr, n)
	if perr := c.SetPhysical(false); err == nil && perr != nil {
		err = perr
	}
	return b, err
}
