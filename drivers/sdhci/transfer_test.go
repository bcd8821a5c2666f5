package sdhci

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/burrow-os/burrow/drivers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// QEMU's raspi4b CAPABILITIES (hw/arm/bcm2838_peripherals.c), with no DMA,
// and its default for other SDHCIs, with SDMA, ADMA1 and ADMA2.
const (
	capsRaspi   = 0x052134b4
	capsDefault = 0x057834b4
)

const cardSize = 1 << 20

// pattern fills n bytes with data no two sectors share.
func pattern(n int, seed byte) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i/SectorSize)*7 + byte(i) ^ seed
	}
	return p
}

// bringUp returns an initialized driver over s, with s's DMA memory.
func bringUp(t *testing.T, s *fakeSD, dma bool) *Card {
	t.Helper()
	copy(s.card, pattern(len(s.card), 0x5a))
	c := New(s.regs(), 100_000_000)
	if dma {
		c.UseDMA(s.alloc)
	}
	require.NoError(t, c.Initialize())
	require.Equal(t, int64(cardSize), c.Size())
	return c
}

func describe(c *Card) string {
	var s string
	c.Control(drivers.ControlDescribe, &s)
	return s
}

// usedDMA reports whether any command was issued with DMA enabled.
func usedDMA(s *fakeSD) bool {
	for _, f := range s.flags {
		if f&TM_DMA_EN != 0 {
			return true
		}
	}
	return false
}

// TestRoundTrip reads and writes through each data path the driver picks:
// PIO when CAPABILITIES has no ADMA2 (QEMU's raspi4b) or no DMA memory was
// given, ADMA2 with a bounce buffer in one piece (kernel/mm's allocator)
// or in 2 KiB chunks scattered through memory (the C core's).
func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name     string
		caps     uint32
		dma      bool
		max, gap int
		wantDMA  bool
		says     string
	}{
		{"PIO: no ADMA2", capsRaspi, true, 0, 0, false, "PIO (CAPABILITIES has no ADMA2)"},
		{"PIO: no memory", capsDefault, false, 0, 0, false, "PIO (no DMA memory was given)"},
		{"ADMA2 one chunk", capsDefault, true, 0, 0, true, "64 KiB bounce buffer in 1 chunk(s)"},
		{"ADMA2 scattered 2 KiB chunks", capsDefault, true, 2048, 4096, true, "in 32 chunk(s) of 2048 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFakeSD(tt.caps, cardSize)
			s.max, s.gap = tt.max, tt.gap
			c := bringUp(t, s, tt.dma)
			assert.Contains(t, describe(c), tt.says)
			for _, n := range []int{1, 3, 128, 200} { // sectors: single, multiple, a full and a split command
				got := make([]byte, n*SectorSize)
				off := int64(5 * SectorSize)
				k, err := c.ReadAt(got, off)
				require.NoError(t, err)
				assert.Equal(t, len(got), k)
				if !bytes.Equal(got, s.card[off:off+int64(len(got))]) {
					t.Errorf("ReadAt(%d sectors at %d) differs from the card", n, off)
				}
				want := pattern(n*SectorSize, byte(n))
				_, err = c.WriteAt(want, cardSize-int64(len(want)))
				require.NoError(t, err)
				if !bytes.Equal(s.card[cardSize-len(want):], want) {
					t.Errorf("WriteAt(%d sectors at the end) did not reach the card", n)
				}
			}
			assert.Equal(t, tt.wantDMA, usedDMA(s), "DMA enabled in a command")
		})
	}
}

// TestCommands: one sector is CMD17/CMD24, more are CMD18/CMD25 with the
// block count and Auto CMD12, which the controller sends after them.
func TestCommands(t *testing.T) {
	for _, dma := range []bool{false, true} {
		s := newFakeSD(capsDefault, cardSize)
		c := bringUp(t, s, dma)
		s.cmds = nil
		buf := make([]byte, 4*SectorSize)
		_, err := c.ReadAt(buf[:SectorSize], 0)
		require.NoError(t, err)
		_, err = c.ReadAt(buf, 0)
		require.NoError(t, err)
		_, err = c.WriteAt(buf[:SectorSize], 0)
		require.NoError(t, err)
		_, err = c.WriteAt(buf, 0)
		require.NoError(t, err)
		want := []uint32{READ_SINGLE_BLOCK, READ_MULTIPLE_BLOCK, STOP_TRANSMISSION,
			WRITE_SINGLE_BLOCK, WRITE_MULTIPLE_BLOCK, STOP_TRANSMISSION}
		assert.Equal(t, want, s.cmds, "DMA %v: commands", dma)
	}
}

// TestADMAWalk: the engine follows the driver's table to its End.
func TestADMAWalk(t *testing.T) {
	s := newFakeSD(capsDefault, cardSize)
	s.max, s.gap = 2048, 2048
	c := bringUp(t, s, true)
	s.walked = nil
	_, err := c.ReadAt(make([]byte, 3*2048), 0)
	require.NoError(t, err)
	require.Len(t, s.walked, 3, "one descriptor per 2 KiB chunk")
	for i, d := range s.walked {
		assert.Equal(t, ActTran, d.Act())
		assert.Equal(t, 2048, d.Len())
		assert.Equal(t, i == 2, d.Has(DescEnd), "descriptor %d: End", i)
		assert.Equal(t, uint32(c.dma.bus[i]), d.Addr(), "descriptor %d: address", i)
	}
}

// TestADMAErrors: a descriptor the engine cannot use fails the transfer
// with the ADMA state and the descriptor decoded, and the next transfer
// works again.
func TestADMAErrors(t *testing.T) {
	tests := []struct {
		name   string
		spoil  func(d Descriptor) Descriptor
		state  uint32
		desc   int
		detail string
	}{
		{"invalid", func(d Descriptor) Descriptor { return d &^ DescValid }, ST_FDS, 1, "fetching a descriptor"},
		// A longer second descriptor runs past the block count in the third.
		{"too long", func(d Descriptor) Descriptor { return d + 4<<16 }, ST_TFR, 2, "lengths do not match"},
		{"End too early", func(d Descriptor) Descriptor { return d | DescEnd }, ST_TFR, 1, "lengths do not match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFakeSD(capsDefault, cardSize)
			s.max, s.gap = 2048, 2048
			c := bringUp(t, s, true)
			s.beforeDo = func() { // spoil the second descriptor of the table
				at := s.ramAt(uint64(c.dma.tableBus)) + DescSize
				d := Descriptor(binary.LittleEndian.Uint64(s.ram[at:]))
				binary.LittleEndian.PutUint64(s.ram[at:], uint64(tt.spoil(d)))
			}
			_, err := c.ReadAt(make([]byte, 3*2048), 8*SectorSize)
			require.Error(t, err)
			var ae *ADMAError
			require.True(t, errors.As(err, &ae), "ReadAt = %v, want an ADMAError", err)
			assert.Equal(t, tt.state, ae.State(), "state")
			assert.Equal(t, tt.desc, ae.Desc, "descriptor")
			assert.Contains(t, err.Error(), tt.detail)
			assert.Contains(t, err.Error(), "read of 12 sectors at sector 8")
			s.beforeDo = nil
			got := make([]byte, 3*2048)
			_, err = c.ReadAt(got, 8*SectorSize)
			require.NoError(t, err, "the transfer after the error")
			assert.Equal(t, s.card[8*SectorSize:][:len(got)], got)
		})
	}
}

// TestBadRequests: requests that are not whole sectors, or beyond the
// card, fail before any command; a card that does not answer beyond its
// end fails with the error decoded.
func TestBadRequests(t *testing.T) {
	s := newFakeSD(capsDefault, cardSize)
	c := bringUp(t, s, true)
	before := len(s.cmds)
	for _, r := range []struct {
		n          int
		off        int64
		misaligned bool
	}{{100, 0, true}, {512, 3, true}, {512, cardSize, false}, {1024, cardSize - 512, false}, {512, -512, false}} {
		if _, err := c.ReadAt(make([]byte, r.n), r.off); err == nil || errors.Is(err, ErrMisaligned) != r.misaligned {
			t.Errorf("ReadAt(%d bytes at %d) = %v, want an error (misaligned %v)", r.n, r.off, err, r.misaligned)
		}
	}
	assert.Equal(t, before, len(s.cmds), "no command for a bad request")
	s.card = s.card[:cardSize/2] // the card now ends early
	_, err := c.ReadAt(make([]byte, SectorSize), cardSize-SectorSize)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "data timeout")
}

// TestDMASetupFallsBack: DMA memory the 32-bit engine cannot use leaves
// the driver on PIO, saying why.
func TestDMASetupFallsBack(t *testing.T) {
	tests := []struct {
		name string
		mem  func(s *fakeSD) DMAMemory
		says string
	}{
		{"misaligned", func(s *fakeSD) DMAMemory {
			return func(n int) ([]byte, uint64, error) { b, bus, err := s.alloc(n + 4); return b[2:], bus + 2, err }
		}, "misaligned"},
		{"above 4 GiB", func(s *fakeSD) DMAMemory {
			return func(n int) ([]byte, uint64, error) { b, bus, err := s.alloc(n); return b, bus + 1<<32, err }
		}, "4 GiB"},
		{"no memory", func(s *fakeSD) DMAMemory {
			return func(n int) ([]byte, uint64, error) { return nil, 0, errors.New("fake: none") }
		}, "no DMA memory for a bounce buffer"},
	}
	for _, tt := range tests {
		s := newFakeSD(capsDefault, cardSize)
		c := New(s.regs(), 0)
		c.UseDMA(tt.mem(s))
		require.NoError(t, c.Initialize(), tt.name)
		d := describe(c)
		if !strings.Contains(d, "data by PIO (ADMA2 set-up failed") || !strings.Contains(d, tt.says) {
			t.Errorf("%s: Control(Describe) = %q, want PIO because of %q", tt.name, d, tt.says)
		}
		_, err := c.ReadAt(make([]byte, 2*SectorSize), 0)
		assert.NoError(t, err, tt.name)
		assert.False(t, usedDMA(s), "%s: DMA enabled in a command", tt.name)
	}
}

// TestADMALinkAndNop: the fake engine skips Nop lines and follows Link
// descriptors to another table, as SDHCI 3.00 1.13.4 says; the driver's
// own tables use neither, so this checks the model the other tests rely
// on.
func TestADMALinkAndNop(t *testing.T) {
	s := newFakeSD(capsDefault, cardSize)
	c := bringUp(t, s, true)
	second, secondBus, err := s.alloc(2 * DescSize)
	require.NoError(t, err)
	s.beforeDo = func() { // 4 sectors: nop, link -> [tran 1 KiB, tran 1 KiB end]
		chunk := uint32(c.dma.bus[0])
		first := s.ram[s.ramAt(uint64(c.dma.tableBus)):]
		require.NoError(t, PutTable(first, []Descriptor{
			NewDescriptor(ActNop, 0, 0, 0), NewDescriptor(ActLink, uint32(secondBus), 0, 0)}))
		require.NoError(t, PutTable(second, []Descriptor{
			NewDescriptor(ActTran, chunk, 1024, 0), NewDescriptor(ActTran, chunk+1024, 1024, DescEnd|DescInt)}))
	}
	s.walked = nil
	got := make([]byte, 4*SectorSize)
	_, err = c.ReadAt(got, 16*SectorSize)
	require.NoError(t, err)
	assert.Equal(t, s.card[16*SectorSize:][:len(got)], got)
	acts := []Descriptor{}
	for _, d := range s.walked {
		acts = append(acts, d.Act())
	}
	assert.Equal(t, []Descriptor{ActNop, ActLink, ActTran, ActTran}, acts)
	assert.NotZero(t, s.raised&DMA_INT, "Int on the last descriptor raises DMA_INT")
}
