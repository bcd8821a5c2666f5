package sdhci

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/drivers/reg"
)

// Card is the driver: one controller and the card in its slot.
type Card struct {
	drivers.Base
	regs   reg.Block
	baseHz uint32    // the controller's base clock
	mem    DMAMemory // where DMA buffers come from; nil: PIO only

	mu      sync.Mutex // one transfer at a time; guards the fields below
	rca     uint32     // relative card address
	blockAd bool       // SDHC/SDXC: addresses are sector numbers, not bytes
	sectors int64
	dma     *admaBuffers // the ADMA2 table and bounce buffer; nil: PIO
	pioWhy  string       // why data moves by PIO
}

// New returns a driver for the controller at regs, whose base clock is
// baseHz (from the firmware; 0 means assume 100 MHz).
func New(regs reg.Block, baseHz uint32) *Card {
	if baseHz == 0 {
		baseHz = 100_000_000
	}
	return &Card{regs: regs, baseHz: baseHz}
}

// UseDMA gives the driver memory the controller can reach by DMA. Call it
// before Initialize, which then moves data by ADMA2 if CAPABILITIES says
// the controller has it, and by PIO otherwise.
func (c *Card) UseDMA(mem DMAMemory) { c.mem = mem }

// Divisor returns CONTROL1's clock fields for a card clock of at most hz
// from a base of baseHz, in SDHCI 3.00's 10-bit divided clock mode: the
// card clock is base / (2N), so N = ceil(base / (2 hz)), N = 0 meaning
// the base clock itself. N's low 8 bits go to bits 15:8, its top 2 bits
// to bits 7:6.
func Divisor(baseHz, hz uint32) uint32 {
	n := (baseHz + 2*hz - 1) / (2 * hz)
	if baseHz <= hz {
		n = 0
	}
	n = min(n, 0x3ff)
	return (n&0xff)<<8 | (n>>8&3)<<6
}

// Initialize resets the controller, powers and clocks the slot, and brings
// the card through identification into the transfer state.
func (c *Card) Initialize() error {
	r := c.regs
	// 1. Reset the whole host controller.
	r.Write(CONTROL1, SRST_HC)
	if _, err := r.WaitFor(CONTROL1, SRST_HC, 0, time.Second); err != nil {
		return err
	}
	// 2. Bus power at 3.3 V, and ADMA2 as the DMA engine if there is one
	//    (and memory for it).
	r.Set(CONTROL0, CONTROL0_POWER_3V3)
	c.chooseDMA()
	// 3. Identification clock (400 kHz), wait for it to be stable, then
	//    give it to the card.
	if err := c.clock(400_000); err != nil {
		return err
	}
	// 4. Every status bit visible, no interrupt signalled: we poll.
	r.Write(IRPT_EN, 0)
	r.Write(IRPT_MASK, 0xffffffff)
	r.Write(INTERRUPT, 0xffffffff)
	// 5. Identification (Physical Layer 4.2): reset the card, check the
	//    voltage (CMD8 echoes 0x1aa from a version 2 card)...
	if _, err := c.cmd(GO_IDLE_STATE, 0, 0); err != nil {
		return err
	}
	v2 := true
	if resp, err := c.cmd(SEND_IF_COND, 0x1aa, CMD_RSPNS_48|CMD_CRCCHK_EN|CMD_IXCHK_EN); err != nil {
		if errors.Is(err, errTimeout) {
			v2 = false // a version 1 card does not know CMD8
			r.Write(INTERRUPT, 0xffffffff)
		} else {
			return err
		}
	} else if resp[0]&0xfff != 0x1aa {
		return fmt.Errorf("sdhci: CMD8 echoed %#x, want 0x1aa", resp[0])
	}
	//    ...then ACMD41 until the card is out of its power-up busy state:
	//    HCS (bit 30) says we take high capacity cards, 0xff8000 is the
	//    2.7-3.6 V window. OCR bit 31 is "ready", bit 30 (CCS) "SDHC".
	arg := uint32(0x00ff8000)
	if v2 {
		arg |= 1 << 30
	}
	elapsed := reg.Clock()
	for {
		if _, err := c.cmd(APP_CMD, 0, CMD_RSPNS_48|CMD_CRCCHK_EN|CMD_IXCHK_EN); err != nil {
			return noCard(err)
		}
		ocr, err := c.cmd(SD_SEND_OP_COND, arg, CMD_RSPNS_48)
		if err != nil {
			return err
		}
		if ocr[0]&(1<<31) != 0 {
			c.blockAd = ocr[0]&(1<<30) != 0
			break
		}
		if elapsed() > time.Second {
			return errors.New("sdhci: the card stayed busy for 1 s after ACMD41")
		}
	}
	// 6. CID, relative address, CSD (for the size), select.
	if _, err := c.cmd(ALL_SEND_CID, 0, CMD_RSPNS_136|CMD_CRCCHK_EN); err != nil {
		return err
	}
	resp, err := c.cmd(SEND_RELATIVE_ADDR, 0, CMD_RSPNS_48|CMD_CRCCHK_EN|CMD_IXCHK_EN)
	if err != nil {
		return err
	}
	c.rca = resp[0] >> 16
	csd, err := c.cmd(SEND_CSD, c.rca<<16, CMD_RSPNS_136|CMD_CRCCHK_EN)
	if err != nil {
		return err
	}
	c.sectors = Capacity(csd) / SectorSize
	if _, err := c.cmd(SELECT_CARD, c.rca<<16, CMD_RSPNS_48B|CMD_CRCCHK_EN|CMD_IXCHK_EN); err != nil {
		return err
	}
	if !c.blockAd {
		if _, err := c.cmd(SET_BLOCKLEN, SectorSize, CMD_RSPNS_48|CMD_CRCCHK_EN|CMD_IXCHK_EN); err != nil {
			return err
		}
	}
	// 7. Transfer speed: 25 MHz, the default speed mode.
	return c.clock(25_000_000)
}

// clock sets the card clock to at most hz.
func (c *Card) clock(hz uint32) error {
	r := c.regs
	r.Clear(CONTROL1, CLK_EN)
	r.Write(CONTROL1, DATA_TOUNIT|Divisor(c.baseHz, hz)|CLK_INTLEN)
	if _, err := r.WaitFor(CONTROL1, CLK_STABLE, CLK_STABLE, time.Second); err != nil {
		return err
	}
	r.Set(CONTROL1, CLK_EN)
	return nil
}

var errTimeout = errors.New("sdhci: command timeout")

func noCard(err error) error {
	if errors.Is(err, errTimeout) {
		return fmt.Errorf("no card in the slot: %w", drivers.ErrNoDevice)
	}
	return err
}

// cmd issues command idx with arg and flags and returns the response
// registers. A command timeout is errTimeout.
func (c *Card) cmd(idx, arg, flags uint32) ([4]uint32, error) {
	r := c.regs
	var resp [4]uint32
	inhibit := uint32(CMD_INHIBIT)
	if flags&(CMD_ISDATA) != 0 || flags&CMD_RSPNS_48B == CMD_RSPNS_48B {
		inhibit |= DAT_INHIBIT
	}
	if _, err := r.WaitFor(STATUS, inhibit, 0, time.Second); err != nil {
		return resp, err
	}
	r.Write(INTERRUPT, 0xffffffff)
	r.Write(ARG1, arg)
	r.Write(CMDTM, idx<<cmdIndexShift|flags)
	st, err := r.WaitAny(INTERRUPT, CMD_DONE|ERR|ERR_MASK, time.Second)
	if st&(ERR|ERR_MASK) != 0 {
		r.Write(INTERRUPT, 0xffffffff)
		return resp, &StatusError{Op: fmt.Sprintf("CMD%d", idx), Status: st}
	}
	if err != nil {
		return resp, err
	}
	r.Write(INTERRUPT, CMD_DONE)
	for i := range resp {
		resp[i] = r.Read(RESP0 + 4*uint32(i))
	}
	return resp, nil
}

// Capacity decodes the card's size in bytes from the CSD register as the
// controller returns it: RESP0-3 hold CSD bits 127:8 shifted down by 8 (the
// CRC is not stored). Physical Layer 5.3.2 (CSD version 1.0) and 5.3.3
// (2.0).
func Capacity(r [4]uint32) int64 {
	bits := func(hi, lo int) uint64 { // CSD bits hi:lo, hi-lo < 32
		var v uint64
		for b := hi; b >= lo; b-- {
			i := b - 8
			v = v<<1 | uint64(r[i/32]>>(i%32)&1)
		}
		return v
	}
	switch bits(127, 126) {
	case 0: // CSD 1.0: (C_SIZE+1) * 2^(C_SIZE_MULT+2) * 2^READ_BL_LEN
		cSize, mult, blLen := bits(73, 62), bits(49, 47), bits(83, 80)
		return int64((cSize + 1) << (mult + 2) << blLen)
	case 1: // CSD 2.0: (C_SIZE+1) * 512 KiB
		return int64(bits(69, 48)+1) * 512 << 10
	}
	return 0
}

// Size is the card's capacity in bytes.
func (c *Card) Size() int64 { return c.sectors * SectorSize }

// Control answers ControlDescribe.
func (c *Card) Control(cmd drivers.ControlCommand, arg any) error {
	if s, ok := arg.(*string); ok && cmd == drivers.ControlDescribe {
		kind := "SDSC (byte addresses)"
		if c.blockAd {
			kind = "SDHC/SDXC (sector addresses)"
		}
		caps := c.regs.Read(CAPABILITIES)
		data := "data by PIO (" + c.pioWhy + ")"
		if c.dma != nil {
			data = "data by ADMA2 through " + c.dma.String()
		}
		*s = fmt.Sprintf("SD card %s, RCA %#x, %d sectors (%d KiB); controller capabilities %#x (SDMA %v, ADMA2 %v); %s",
			kind, c.rca, c.sectors, c.sectors/2, caps, caps&CAP_SDMA != 0, caps&CAP_ADMA2 != 0, data)
		return nil
	}
	return drivers.ErrUnsupported
}
