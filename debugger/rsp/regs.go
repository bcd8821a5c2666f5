package rsp

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// Value is a register's contents in target byte order (little-endian on
// AArch64), as wide as the register.
type Value []byte

// Uint64 returns the low 64 bits of the value.
func (v Value) Uint64() uint64 {
	var b [8]byte
	copy(b[:], v)
	return binary.LittleEndian.Uint64(b[:])
}

// SelectThread makes tid the thread that register packets address (Hg).
// Thread ids are hex as the stub spells them; QEMU numbers CPUs from 1.
func (c *Client) SelectThread(tid string) error {
	c.mu.Lock()
	same := c.thread == tid
	c.mu.Unlock()
	if same {
		return nil
	}
	if err := c.ok("Hg" + tid); err != nil {
		return err
	}
	c.mu.Lock()
	c.thread = tid
	c.mu.Unlock()
	return nil
}

// ReadCore reads the registers of the g packet (x0-x30, sp, pc, cpsr on
// AArch64) of the selected thread, keyed by name.
func (c *Client) ReadCore() (map[string]Value, error) {
	t, err := c.Target()
	if err != nil {
		return nil, err
	}
	reply, err := c.Request("g")
	if err != nil {
		return nil, err
	}
	raw, err := hex.DecodeString(strings.ReplaceAll(reply, "x", "0"))
	if err != nil {
		return nil, fmt.Errorf("rsp: bad g reply: %w", err)
	}
	out := map[string]Value{}
	off := 0
	for _, r := range t.Registers {
		if !r.InG {
			continue
		}
		n := r.Bits / 8
		if off+n > len(raw) {
			break
		}
		out[r.Name] = Value(raw[off : off+n])
		off += n
	}
	return out, nil
}

// ReadRegister reads one register of the selected thread with p.
func (c *Client) ReadRegister(name string) (Value, error) {
	t, err := c.Target()
	if err != nil {
		return nil, err
	}
	r, ok := t.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("rsp: the target has no register %q", name)
	}
	reply, err := c.Request(fmt.Sprintf("p%x", r.Num))
	if err != nil {
		return nil, err
	}
	v, err := hex.DecodeString(strings.ReplaceAll(reply, "x", "0"))
	if err != nil {
		return nil, fmt.Errorf("rsp: bad p reply for %s: %w", name, err)
	}
	return Value(v), nil
}

// WriteRegister sets one register of the selected thread with P. QEMU
// accepts writes to the core and FP registers; most system registers it
// publishes are read-only through the stub and answer with an error.
func (c *Client) WriteRegister(name string, v uint64) error {
	t, err := c.Target()
	if err != nil {
		return err
	}
	r, ok := t.Lookup(name)
	if !ok {
		return fmt.Errorf("rsp: the target has no register %q", name)
	}
	buf := make([]byte, r.Bits/8)
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	copy(buf, b[:])
	return c.ok(fmt.Sprintf("P%x=%s", r.Num, hex.EncodeToString(buf)))
}
