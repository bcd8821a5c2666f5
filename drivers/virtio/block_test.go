package virtio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/drivers/reg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sim is a virtio-mmio block device over a RAM arena at physical 0x4000_0000.
type sim struct {
	regs  *reg.Fake
	ram   []byte
	disk  []byte
	base  uint64
	avail uint16
}

const ramBase = 0x4000_0000

func (s *sim) at(pa uint64, n int) []byte { return s.ram[pa-ramBase : pa-ramBase+uint64(n)] }

func newSim(version uint32, sectors int) *sim {
	s := &sim{regs: reg.NewFake(), ram: make([]byte, 8192), disk: make([]byte, sectors*SectorSize)}
	for i := range s.disk {
		s.disk[i] = byte(i * 7 / SectorSize)
	}
	f := s.regs
	f.Poke(MagicValue, Magic)
	f.Poke(Version, version)
	f.Poke(DeviceID, DeviceBlock)
	f.Poke(QueueNumMax, 128)
	f.Poke(Config, uint32(sectors))
	f.OnRead = func(pa uint64, v uint32) uint32 {
		if pa == DeviceFeatures && f.Peek(DeviceFeaturesSel) == 1 {
			return featureVersion1
		}
		return v
	}
	f.OnWrite = func(f *reg.Fake, pa uint64, v uint32) uint32 {
		if pa == QueueNotify {
			s.serve()
		}
		return v
	}
	return s
}

// queue returns the three ring addresses the driver programmed.
func (s *sim) queue() (desc, avail, used uint64) {
	f := s.regs
	if f.Peek(Version) == 1 {
		desc = uint64(f.Peek(QueuePFN)) * uint64(f.Peek(GuestPageSize))
		n := uint64(f.Peek(QueueNum))
		avail = desc + 16*n
		align := uint64(f.Peek(QueueAlign))
		used = (avail + 6 + 2*n + align - 1) &^ (align - 1)
		return
	}
	return uint64(f.Peek(QueueDescLow)), uint64(f.Peek(QueueDriverLow)), uint64(f.Peek(QueueDeviceLow))
}

func (s *sim) serve() {
	le := binary.LittleEndian
	descPA, availPA, usedPA := s.queue()
	n := uint16(s.regs.Peek(QueueNum))
	for s.avail != le.Uint16(s.at(availPA+2, 2)) {
		head := le.Uint16(s.at(availPA+4+2*uint64(s.avail%n), 2))
		s.avail++
		var chain [][]byte
		for i := head; ; {
			d := s.at(descPA+16*uint64(i), 16)
			chain = append(chain, s.at(le.Uint64(d), int(le.Uint32(d[8:]))))
			if le.Uint16(d[12:])&descNext == 0 {
				break
			}
			i = le.Uint16(d[14:])
		}
		hdr, data, status := chain[0], chain[1], chain[2]
		off := le.Uint64(hdr[8:]) * SectorSize
		if le.Uint32(hdr) == blkIn {
			copy(data, s.disk[off:])
		} else {
			copy(s.disk[off:], data)
		}
		status[0] = blkOK
		u := le.Uint16(s.at(usedPA+2, 2))
		le.PutUint32(s.at(usedPA+4+8*uint64(u%n), 4), uint32(head))
		le.PutUint16(s.at(usedPA+2, 2), u+1)
	}
	s.regs.Poke(InterruptStatus, 1)
}

func (s *sim) dma(n int) ([]byte, uint64, error) {
	return s.ram[2048 : 2048+n], ramBase + 2048, nil
}

func TestBlockReadWrite(t *testing.T) {
	for _, version := range []uint32{1, 2} {
		s := newSim(version, 64)
		b, err := New(reg.New(s.regs, 0), s.dma)
		require.NoError(t, err)
		require.NoError(t, b.Initialize())
		assert.Equal(t, int64(64*SectorSize), b.Size(), "version %d: Size()", version)
		assert.Equal(t, uint32(StatusAcknowledge|StatusDriver|StatusDriverOK), s.regs.Peek(Status)&7)

		got := make([]byte, 3*SectorSize)
		n, err := b.ReadAt(got, 5*SectorSize)
		require.NoError(t, err)
		assert.Equal(t, 3*SectorSize, n)
		assert.Equal(t, s.disk[5*SectorSize:8*SectorSize], got, "version %d: ReadAt(sectors 5-7)", version)

		w := bytes.Repeat([]byte("burrow!!"), SectorSize/8)
		_, err = b.WriteAt(w, 63*SectorSize)
		require.NoError(t, err)
		assert.Equal(t, w, s.disk[63*SectorSize:], "version %d: WriteAt(sector 63)", version)

		_, err = b.ReadAt(got[:100], 0)
		assert.ErrorContains(t, err, "not whole sectors")
		_, err = b.ReadAt(got, 62*SectorSize)
		assert.ErrorContains(t, err, "beyond")
	}
}

func TestEmptySlot(t *testing.T) {
	s := newSim(2, 1)
	s.regs.Poke(DeviceID, 0)
	_, err := New(reg.New(s.regs, 0), s.dma)
	assert.True(t, errors.Is(err, drivers.ErrNoDevice), "New(empty slot) = %v, want ErrNoDevice", err)
}
