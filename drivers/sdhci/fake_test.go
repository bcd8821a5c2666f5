package sdhci

import (
	"encoding/binary"
	"fmt"

	"github.com/burrow-os/burrow/drivers/reg"
)

// fakeBase is where the fake controller's registers are.
const fakeBase = 0xfe340000

// fakeSD models an SDHCI 3.00 controller with an SDHC card in its slot,
// over reg.Fake, well enough for the driver's bring-up and data paths:
// commands answer at once, PIO moves blocks through DATA, and the ADMA2
// engine walks the descriptor table in ram the way SDHCI 3.00 1.13 says
// (Valid, End, Act = Tran/Link/Nop, Length 0 meaning 64 KiB, the block
// count ending the transfer, ADMA errors in ST_FDS and ST_TFR). It is a
// model of the specification for host tests, not of QEMU or of the
// BCM2711: the real path is only exercised on a machine.
type fakeSD struct {
	f    *reg.Fake
	card []byte // the card's sectors
	ram  []byte // system memory the ADMA engine reaches, at bus address ramBus
	next int    // ram's allocation pointer
	gap  int    // bytes left free between allocations
	max  int    // largest allocation, 0: no limit

	cmds     []uint32     // command indexes issued, in order
	flags    []uint32     // their CMDTM values
	walked   []Descriptor // descriptors the ADMA engine read, in order
	raised   uint32       // every INTERRUPT bit the fake ever set
	beforeDo func()       // runs just before the ADMA engine starts

	// PIO state: the transfer in progress.
	write    bool
	sector   int // next sector
	blocks   int // blocks left
	buf      []byte
	autoStop bool
}

const ramBus = 0xc0010000 // as the BCM2711's legacy bus sees RAM: 0xc0000000 + physical

func newFakeSD(caps uint32, cardBytes int) *fakeSD {
	s := &fakeSD{f: reg.NewFake(), card: make([]byte, cardBytes), ram: make([]byte, 1<<20)}
	s.f.Poke(fakeBase+CAPABILITIES, caps)
	s.f.OnWrite = s.onWrite
	s.f.OnRead = s.onRead
	return s
}

func (s *fakeSD) regs() reg.Block { return reg.New(s.f, fakeBase) }

func (s *fakeSD) get(off uint32) uint32 { return s.f.Peek(fakeBase + uint64(off)) }
func (s *fakeSD) set(off, v uint32)     { s.f.Poke(fakeBase+uint64(off), v) }
func (s *fakeSD) raise(bits uint32)     { s.raised |= bits; s.set(INTERRUPT, s.get(INTERRUPT)|bits) }
func (s *fakeSD) csd() [4]uint32        { return csdV2(len(s.card)) }
func (s *fakeSD) ramAt(bus uint64) int  { return int(bus - ramBus) }
func (s *fakeSD) inRAM(bus uint64, n int) bool {
	return bus >= ramBus && s.ramAt(bus)+n <= len(s.ram)
}

// alloc is the fake's DMAMemory: ram handed out in order, aligned to the
// size like the C core's allocator, with gap bytes between buffers.
func (s *fakeSD) alloc(size int) ([]byte, uint64, error) {
	if s.max != 0 && size > s.max {
		return nil, 0, fmt.Errorf("fake: no %d-byte buffers", size)
	}
	align := 1
	for align < size {
		align *= 2
	}
	at := (s.next + align - 1) / align * align
	if at+size > len(s.ram) {
		return nil, 0, fmt.Errorf("fake: out of DMA memory")
	}
	s.next = at + size + s.gap
	return s.ram[at : at+size], ramBus + uint64(at), nil
}

// csdV2 is a version 2.0 CSD for a card of n bytes (a multiple of 512
// KiB), as RESP0-3 hold it.
func csdV2(n int) [4]uint32 {
	return csd(map[[2]int]uint64{{127, 126}: 1, {69, 48}: uint64(n/(512<<10) - 1)})
}

func (s *fakeSD) onRead(pa uint64, v uint32) uint32 {
	if pa != fakeBase+DATA {
		return v
	}
	if s.write || s.blocks == 0 || len(s.buf) < 4 {
		return 0 // reading an empty buffer: the driver is wrong
	}
	w := binary.LittleEndian.Uint32(s.buf)
	s.buf = s.buf[4:]
	if len(s.buf) == 0 {
		s.blocks--
		s.nextBlock()
	}
	return w
}

func (s *fakeSD) onWrite(f *reg.Fake, pa uint64, v uint32) uint32 {
	switch pa - fakeBase {
	case INTERRUPT: // write 1 to clear
		return s.get(INTERRUPT) &^ v
	case CONTROL1:
		if v&SRST_HC != 0 {
			for _, r := range []uint32{CONTROL0, BLKSIZECNT, ARG1, INTERRUPT, ADMA_ERR_STATUS, ADMA_SYS_ADDR} {
				s.set(r, 0)
			}
		}
		if v&(SRST_HC|SRST_DATA) != 0 {
			s.blocks, s.buf = 0, nil
		}
		v &^= SRST_HC | SRST_CMD | SRST_DATA
		if v&CLK_INTLEN != 0 {
			v |= CLK_STABLE
		}
		return v
	case DATA:
		if s.write && s.blocks > 0 {
			s.buf = binary.LittleEndian.AppendUint32(s.buf, v)
			if len(s.buf) == SectorSize {
				copy(s.card[s.sector*SectorSize:], s.buf)
				s.sector++
				s.blocks--
				s.nextBlock()
			}
		}
		return v
	case CMDTM:
		s.command(v)
	}
	return v
}

// command answers the command CMDTM v names.
func (s *fakeSD) command(v uint32) {
	idx, arg := v>>cmdIndexShift, s.get(ARG1)
	s.cmds, s.flags = append(s.cmds, idx), append(s.flags, v)
	resp := [4]uint32{}
	switch idx {
	case SEND_IF_COND:
		resp[0] = arg & 0xfff
	case APP_CMD:
		resp[0] = 1 << 5 // APP_CMD status bit
	case SD_SEND_OP_COND:
		resp[0] = 1<<31 | 1<<30 | 0xff8000 // ready, SDHC
	case SEND_RELATIVE_ADDR:
		resp[0] = 0x4567 << 16
	case SEND_CSD:
		resp = s.csd()
	case READ_SINGLE_BLOCK, READ_MULTIPLE_BLOCK, WRITE_SINGLE_BLOCK, WRITE_MULTIPLE_BLOCK:
		s.startData(idx, arg, v)
	}
	for i, r := range resp {
		s.set(RESP0+4*uint32(i), r)
	}
	s.raise(CMD_DONE)
}

func (s *fakeSD) startData(idx, arg, v uint32) {
	s.write = idx == WRITE_SINGLE_BLOCK || idx == WRITE_MULTIPLE_BLOCK
	s.sector, s.blocks, s.buf = int(arg), 1, nil
	if v&TM_MULTI_BLOCK != 0 {
		s.blocks = int(s.get(BLKSIZECNT) >> 16)
	}
	s.autoStop = v&TM_AUTO_CMD12 != 0
	if (s.sector+s.blocks)*SectorSize > len(s.card) {
		s.blocks = 0
		s.raise(ERR | DTO_ERR) // no card answers beyond its end
		return
	}
	if v&TM_DMA_EN != 0 {
		s.adma()
		return
	}
	s.nextBlock()
}

// nextBlock readies the buffer for the next PIO block, or completes.
func (s *fakeSD) nextBlock() {
	switch {
	case s.blocks == 0:
		s.done()
	case s.write:
		s.buf = nil
		s.raise(WRITE_RDY)
	default:
		s.buf = append([]byte(nil), s.card[s.sector*SectorSize:(s.sector+1)*SectorSize]...)
		s.sector++
		s.raise(READ_RDY)
	}
}

// done ends a transfer: Auto CMD12 if asked, then Transfer Complete.
func (s *fakeSD) done() {
	if s.autoStop {
		s.cmds = append(s.cmds, STOP_TRANSMISSION)
	}
	s.raise(DATA_DONE)
}

// adma runs the ADMA2 engine: fetch a descriptor (ST_FDS), move its data
// (ST_TFR), until End or the block count is reached.
func (s *fakeSD) adma() {
	if s.beforeDo != nil {
		s.beforeDo()
	}
	if s.get(CONTROL0)&CONTROL0_DMA_MASK != CONTROL0_DMA_ADMA2 {
		s.admaError(ST_STOP, 0) // DMA enabled, but not ADMA2 selected
		return
	}
	addr := uint64(s.get(ADMA_SYS_ADDR))
	left := s.blocks * SectorSize
	for steps := 0; ; steps++ {
		if !s.inRAM(addr, DescSize) || steps > 1000 {
			s.admaError(ST_FDS, 0)
			return
		}
		d := Descriptor(binary.LittleEndian.Uint64(s.ram[s.ramAt(addr):]))
		s.walked = append(s.walked, d)
		if !d.Has(DescValid) {
			s.admaError(ST_FDS, 0)
			return
		}
		next := addr + DescSize
		switch d.Act() {
		case ActLink:
			next = uint64(d.Addr())
		case ActTran:
			n := d.Len()
			if n > left || !s.inRAM(uint64(d.Addr()), n) {
				s.set(ADMA_SYS_ADDR, uint32(next))
				s.admaError(ST_TFR, ADMA_LEN_MISMATCH)
				return
			}
			mem := s.ram[s.ramAt(uint64(d.Addr())):][:n]
			disk := s.card[s.sector*SectorSize+(s.blocks*SectorSize-left):][:n]
			if s.write {
				copy(disk, mem)
			} else {
				copy(mem, disk)
			}
			left -= n
		}
		s.set(ADMA_SYS_ADDR, uint32(next))
		if d.Has(DescInt) {
			s.raise(DMA_INT)
		}
		if d.Has(DescEnd) || left == 0 {
			if left != 0 || !d.Has(DescEnd) {
				s.admaError(ST_TFR, ADMA_LEN_MISMATCH)
				return
			}
			s.blocks = 0
			s.done()
			return
		}
		addr = next
	}
}

func (s *fakeSD) admaError(state, bits uint32) {
	s.blocks = 0
	s.set(ADMA_ERR_STATUS, state|bits)
	s.raise(ERR | ADMA_ERR)
}
