package mbox

import (
	"fmt"
	"sync"
	"time"

	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/drivers/reg"
)

// Mailbox registers (BCM2835 ARM Peripherals, the "ARM control" mailbox;
// Linux's bcm2835-mailbox.c uses the same names): mailbox 0 carries the
// firmware's answers to the ARM, mailbox 1 the ARM's requests.
const (
	MBOX0_READ   = 0x00
	MBOX0_STATUS = 0x18
	MBOX1_WRITE  = 0x20
	MBOX1_STATUS = 0x38

	STATUS_FULL  = 1 << 31
	STATUS_EMPTY = 1 << 30

	// ChannelProperty is the ARM-to-VC property channel.
	ChannelProperty = 8
)

// Mailbox is the driver. A message is exchanged through one DMA buffer
// that the firmware reads and overwrites; mu serialises exchanges.
type Mailbox struct {
	drivers.Base
	regs  reg.Block
	buf   []byte // the DMA buffer, 16-byte aligned
	bus   uint32 // its bus address, as the firmware sees it
	mu    sync.Mutex
	Flush func(b []byte) // cache maintenance before and after the firmware reads; nil when coherent
}

// New returns a driver for the mailbox at regs, exchanging messages through
// buf, whose bus address is bus.
func New(regs reg.Block, buf []byte, bus uint32) *Mailbox {
	return &Mailbox{regs: regs, buf: buf, bus: bus}
}

// Initialize drains answers left in the mailbox by the firmware or an
// earlier boot stage.
func (m *Mailbox) Initialize() error {
	if m.bus&0xf != 0 {
		return fmt.Errorf("mbox: buffer at %#x is not 16-byte aligned", m.bus)
	}
	for i := 0; i < 16 && m.regs.Read(MBOX0_STATUS)&STATUS_EMPTY == 0; i++ {
		m.regs.Read(MBOX0_READ)
	}
	return nil
}

// Call sends tags and returns each tag's answer.
func (m *Mailbox) Call(tags ...Tag) ([][]uint32, error) {
	msg := Pack(tags)
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(msg) > len(m.buf) {
		return nil, fmt.Errorf("mbox: a %d-byte message does not fit the %d-byte buffer", len(msg), len(m.buf))
	}
	copy(m.buf, msg)
	if m.Flush != nil {
		m.Flush(m.buf[:len(msg)])
	}
	// 1. Wait for room in the request mailbox.
	if _, err := m.regs.WaitFor(MBOX1_STATUS, STATUS_FULL, 0, time.Second); err != nil {
		return nil, err
	}
	// 2. The buffer's bus address with the channel in its low 4 bits.
	m.regs.Write(MBOX1_WRITE, m.bus|ChannelProperty)
	// 3. Wait for the answer on our channel.
	for {
		if _, err := m.regs.WaitFor(MBOX0_STATUS, STATUS_EMPTY, 0, time.Second); err != nil {
			return nil, err
		}
		if v := m.regs.Read(MBOX0_READ); v == m.bus|ChannelProperty {
			break
		}
	}
	if m.Flush != nil {
		m.Flush(m.buf[:len(msg)])
	}
	return Parse(m.buf[:len(msg)], tags)
}

func (m *Mailbox) one(t Tag, want int) ([]uint32, error) {
	r, err := m.Call(t)
	if err != nil {
		return nil, err
	}
	if len(r[0]) < want {
		return nil, fmt.Errorf("mbox: tag %#x answered %d words, want %d", t.ID, len(r[0]), want)
	}
	return r[0], nil
}

// BoardRevision returns the revision code (0xb03115 for a Pi 4 B 1.5 with
// 2 GiB, what QEMU reports).
func (m *Mailbox) BoardRevision() (uint32, error) {
	r, err := m.one(Tag{ID: TagGetBoardRevision, Words: 1}, 1)
	if err != nil {
		return 0, err
	}
	return r[0], nil
}

// BoardSerial returns the board's serial number (0 under QEMU).
func (m *Mailbox) BoardSerial() (uint64, error) {
	r, err := m.one(Tag{ID: TagGetBoardSerial, Words: 2}, 2)
	if err != nil {
		return 0, err
	}
	return uint64(r[1])<<32 | uint64(r[0]), nil
}

// Memory returns the ARM's and the VideoCore's memory ranges (base, size).
func (m *Mailbox) Memory() (arm, vc [2]uint32, err error) {
	r, err := m.Call(Tag{ID: TagGetARMMemory, Words: 2}, Tag{ID: TagGetVCMemory, Words: 2})
	if err != nil {
		return arm, vc, err
	}
	if len(r[0]) < 2 || len(r[1]) < 2 {
		return arm, vc, fmt.Errorf("mbox: short memory answer %v", r)
	}
	return [2]uint32{r[0][0], r[0][1]}, [2]uint32{r[1][0], r[1][1]}, nil
}

// ClockRate returns clock id's rate in Hz.
func (m *Mailbox) ClockRate(id uint32) (uint32, error) {
	r, err := m.one(Tag{ID: TagGetClockRate, In: []uint32{id}, Words: 2}, 2)
	if err != nil {
		return 0, err
	}
	return r[1], nil
}

// SetClockRate asks for clock id at hz and returns the rate the firmware
// set (it may round, or, under QEMU, ignore the request).
func (m *Mailbox) SetClockRate(id, hz uint32) (uint32, error) {
	r, err := m.one(Tag{ID: TagSetClockRate, In: []uint32{id, hz, 0}, Words: 3}, 2)
	if err != nil {
		return 0, err
	}
	return r[1], nil
}

// Control answers ControlDescribe.
func (m *Mailbox) Control(cmd drivers.ControlCommand, arg any) error {
	if s, ok := arg.(*string); ok && cmd == drivers.ControlDescribe {
		rev, err := m.BoardRevision()
		if err != nil {
			return err
		}
		arm, vc, err := m.Memory()
		if err != nil {
			return err
		}
		*s = fmt.Sprintf("board revision %#x, ARM memory %#x-%#x, VC memory %#x-%#x",
			rev, arm[0], arm[0]+arm[1], vc[0], vc[0]+vc[1])
		return nil
	}
	return drivers.ErrUnsupported
}
