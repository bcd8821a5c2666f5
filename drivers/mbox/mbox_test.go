package mbox

import (
	"encoding/binary"
	"testing"

	"github.com/burrow-os/burrow/drivers/reg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func words(b []byte) []uint32 {
	w := make([]uint32, len(b)/4)
	for i := range w {
		w[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return w
}

func TestPack(t *testing.T) {
	got := words(Pack([]Tag{{ID: TagGetClockRate, In: []uint32{ClockUART}, Words: 2}}))
	want := []uint32{
		32, 0, // size in bytes, request
		TagGetClockRate, 8, 0, ClockUART, 0, // tag, buffer bytes, request code, value
		0, // end tag
	}
	assert.Equal(t, want, got, "Pack(get UART clock)")
	for _, tags := range [][]Tag{nil, {{ID: 1, Words: 1}}, {{ID: 1, Words: 3}, {ID: 2, Words: 2}}} {
		b := Pack(tags)
		if len(b)%16 != 0 || int(binary.LittleEndian.Uint32(b)) != len(b) {
			t.Errorf("Pack(%v) is %d bytes, header says %d, want a multiple of 16 that agrees", tags, len(b), binary.LittleEndian.Uint32(b))
		}
	}
}

// firmware answers property messages as the VideoCore would: the board of
// QEMU's raspi4b, with a settable UART clock.
type firmware struct {
	mem      []byte
	uartHz   uint32
	answered []uint32
}

func (f *firmware) answer() {
	w := words(f.mem)
	i := 2
	for w[i] != tagEnd {
		id, size := w[i], w[i+1]
		v := w[i+3:]
		var out []uint32
		switch id {
		case TagGetBoardRevision:
			out = []uint32{0xb03115}
		case TagGetBoardSerial:
			out = []uint32{0x1234, 0x10000000}
		case TagGetARMMemory:
			out = []uint32{0, 0x3c000000}
		case TagGetVCMemory:
			out = []uint32{0x3c000000, 0x4000000}
		case TagGetClockRate:
			out = []uint32{v[0], f.uartHz}
		case TagSetClockRate:
			f.uartHz = v[1] / 1000 * 1000 // the firmware rounds to kHz
			out = []uint32{v[0], f.uartHz}
		}
		f.answered = append(f.answered, id)
		copy(v, out)
		w[i+2] = tagResponse | uint32(4*len(out))
		i += 3 + int(size)/4
	}
	w[1] = codeSuccess
	for j, x := range w {
		binary.LittleEndian.PutUint32(f.mem[4*j:], x)
	}
}

func newMailbox(t *testing.T) (*Mailbox, *firmware) {
	fw := &firmware{mem: make([]byte, 256), uartHz: 48_000_000}
	regs := reg.NewFake()
	regs.Poke(MBOX0_STATUS, STATUS_EMPTY)
	regs.OnWrite = func(f *reg.Fake, pa uint64, v uint32) uint32 {
		if pa == MBOX1_WRITE {
			require.Equal(t, uint32(0xc0001000|ChannelProperty), v, "bus address and channel")
			fw.answer()
			f.Poke(MBOX0_READ, v)
			f.Poke(MBOX0_STATUS, 0)
		}
		return v
	}
	regs.OnRead = func(pa uint64, v uint32) uint32 {
		if pa == MBOX0_READ {
			regs.Poke(MBOX0_STATUS, STATUS_EMPTY)
		}
		return v
	}
	m := New(reg.New(regs, 0), fw.mem, 0xc0001000)
	require.NoError(t, m.Initialize())
	return m, fw
}

func TestMailbox(t *testing.T) {
	m, fw := newMailbox(t)
	rev, err := m.BoardRevision()
	require.NoError(t, err)
	assert.Equal(t, uint32(0xb03115), rev)
	serial, err := m.BoardSerial()
	require.NoError(t, err)
	assert.Equal(t, uint64(0x10000000_00001234), serial, "serial: low word first")
	arm, vc, err := m.Memory()
	require.NoError(t, err)
	assert.Equal(t, [2]uint32{0, 0x3c000000}, arm)
	assert.Equal(t, [2]uint32{0x3c000000, 0x4000000}, vc)

	// Set-clock is checked here: QEMU ignores it.
	hz, err := m.SetClockRate(ClockUART, 3_000_500)
	require.NoError(t, err)
	assert.Equal(t, uint32(3_000_000), hz, "the rate the firmware set")
	hz, err = m.ClockRate(ClockUART)
	require.NoError(t, err)
	assert.Equal(t, uint32(3_000_000), hz, "get after set")
	assert.Equal(t, []uint32{TagGetBoardRevision, TagGetBoardSerial, TagGetARMMemory, TagGetVCMemory,
		TagSetClockRate, TagGetClockRate}, fw.answered)
}

func TestParseErrors(t *testing.T) {
	tags := []Tag{{ID: TagGetBoardRevision, Words: 1}}
	msg := Pack(tags)
	_, err := Parse(msg, tags)
	assert.ErrorContains(t, err, "did not answer", "Parse(unanswered request)")
	binary.LittleEndian.PutUint32(msg[4:], codeError)
	_, err = Parse(msg, tags)
	assert.ErrorContains(t, err, "could not parse")
	binary.LittleEndian.PutUint32(msg[4:], codeSuccess)
	_, err = Parse(msg, tags)
	assert.ErrorContains(t, err, "was not answered")
	binary.LittleEndian.PutUint32(msg[16:], tagResponse|64)
	_, err = Parse(msg, tags)
	assert.ErrorContains(t, err, "into a 4-byte buffer")
	_, err = Parse(msg[:8], tags)
	assert.ErrorContains(t, err, "truncated")
}
