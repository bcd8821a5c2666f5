package sdhci

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// maxBlocks is the most sectors one command moves: 64 KiB, so one PIO
// command never runs long and one ADMA2 descriptor can cover it.
const maxBlocks = 128

// ReadAt reads whole sectors.
func (c *Card) ReadAt(p []byte, off int64) (int, error) { return c.rw(false, p, off) }

// WriteAt writes whole sectors.
func (c *Card) WriteAt(p []byte, off int64) (int, error) { return c.rw(true, p, off) }

func (c *Card) rw(write bool, p []byte, off int64) (int, error) {
	if off%SectorSize != 0 || len(p)%SectorSize != 0 {
		return 0, fmt.Errorf("sdhci: %d bytes at %d: not whole sectors: %w", len(p), off, ErrMisaligned)
	}
	if off < 0 || off+int64(len(p)) > c.Size() {
		return 0, fmt.Errorf("sdhci: %d bytes at %d: beyond the %d-byte card", len(p), off, c.Size())
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	step := maxBlocks * SectorSize
	if c.dma != nil {
		step = min(step, c.dma.size())
	}
	for n := 0; n < len(p); n += step {
		k := min(step, len(p)-n)
		var err error
		if c.dma != nil {
			err = c.adma(write, p[n:n+k], off+int64(n))
		} else {
			err = c.pio(write, p[n:n+k], off+int64(n))
		}
		if err != nil {
			return n, err
		}
	}
	return len(p), nil
}

// dataCommand returns the command index and CMDTM flags that move blocks
// sectors: CMD17/CMD24 for one, CMD18/CMD25 with the block count and Auto
// CMD12 (SDHCI 3.00 1.15, every SDHCI has it) for more, so the controller
// stops the card itself after the last block.
func dataCommand(write bool, blocks int, dma bool) (idx, flags uint32) {
	idx, flags = READ_SINGLE_BLOCK, TM_DAT_DIR
	if write {
		idx, flags = WRITE_SINGLE_BLOCK, 0
	}
	if blocks > 1 {
		idx++ // READ_MULTIPLE_BLOCK, WRITE_MULTIPLE_BLOCK
		flags |= TM_MULTI_BLOCK | TM_BLKCNT_EN | TM_AUTO_CMD12
	}
	if dma {
		flags |= TM_DMA_EN
	}
	return idx, flags | CMD_ISDATA | CMD_RSPNS_48 | CMD_CRCCHK_EN | CMD_IXCHK_EN
}

// start sets the block count and issues the data command for p at off.
func (c *Card) start(write bool, p []byte, off int64, dma bool) error {
	addr := uint32(off)
	if c.blockAd {
		addr = uint32(off / SectorSize)
	}
	blocks := len(p) / SectorSize
	c.regs.Write(BLKSIZECNT, uint32(blocks)<<16|SectorSize)
	idx, flags := dataCommand(write, blocks, dma)
	_, err := c.cmd(idx, addr, flags)
	return err
}

// pio moves up to maxBlocks sectors through the DATA register: for each
// block, wait until the controller's buffer is ready, then move 128 words;
// after the last, wait for the transfer (and Auto CMD12) to complete.
func (c *Card) pio(write bool, p []byte, off int64) error {
	r := c.regs
	if err := c.start(write, p, off, false); err != nil {
		return c.failed(write, p, off, err)
	}
	ready := uint32(READ_RDY)
	if write {
		ready = WRITE_RDY
	}
	for b := 0; b < len(p); b += SectorSize {
		if err := c.wait(ready); err != nil {
			return c.failed(write, p, off, err)
		}
		r.Write(INTERRUPT, ready)
		blk := p[b : b+SectorSize]
		for i := 0; i < SectorSize; i += 4 {
			if write {
				r.Write(DATA, uint32(blk[i])|uint32(blk[i+1])<<8|uint32(blk[i+2])<<16|uint32(blk[i+3])<<24)
			} else {
				w := r.Read(DATA)
				blk[i], blk[i+1], blk[i+2], blk[i+3] = byte(w), byte(w>>8), byte(w>>16), byte(w>>24)
			}
		}
	}
	if err := c.wait(DATA_DONE); err != nil {
		return c.failed(write, p, off, err)
	}
	r.Write(INTERRUPT, 0xffffffff)
	return nil
}

// wait polls INTERRUPT until a bit of want or an error bit is set.
func (c *Card) wait(want uint32) error {
	st, err := c.regs.WaitAny(INTERRUPT, want|ERR|ERR_MASK, 2*time.Second)
	if st&(ERR|ERR_MASK) != 0 {
		return &StatusError{Op: "data", Status: st}
	}
	return err
}

// failed turns a transfer's error into one that says what failed, with an
// ADMA error decoded, and puts the controller back into a state where the
// next command works: reset the command and data lines (which also stops
// the DMA engine), then stop the card if it is still sending or receiving.
func (c *Card) failed(write bool, p []byte, off int64, err error) error {
	r := c.regs
	var se *StatusError
	if errors.As(err, &se) && se.Status&ADMA_ERR != 0 && c.dma != nil {
		se.ADMA = NewADMAError(r.Read(ADMA_ERR_STATUS), r.Read(ADMA_SYS_ADDR), c.dma.tableBus, c.dma.used)
	}
	r.Set(CONTROL1, SRST_CMD|SRST_DATA)
	r.WaitFor(CONTROL1, SRST_CMD|SRST_DATA, 0, time.Second)
	r.Write(INTERRUPT, 0xffffffff)
	if len(p) > SectorSize {
		c.cmd(STOP_TRANSMISSION, 0, CMD_RSPNS_48B|CMD_CRCCHK_EN|CMD_IXCHK_EN) // best effort
	}
	op := "read"
	if write {
		op = "write"
	}
	return fmt.Errorf("sdhci: %s of %d sectors at sector %d: %w", op, len(p)/SectorSize, off/SectorSize, err)
}

// StatusError is a command or transfer that ended with error bits set in
// INTERRUPT (SDHCI 3.00 2.2.18), with the ADMA engine's state when ADMA_ERR
// is one of them.
type StatusError struct {
	Op     string // "CMD8", "data"
	Status uint32 // INTERRUPT
	ADMA   *ADMAError
}

func (e *StatusError) Error() string {
	var names []string
	for _, b := range errorBits {
		if e.Status&b.bit != 0 {
			names = append(names, b.name)
		}
	}
	s := fmt.Sprintf("sdhci: %s failed, INTERRUPT %#x (%s)", e.Op, e.Status, strings.Join(names, ", "))
	if e.ADMA != nil {
		s += ": " + e.ADMA.Error()
	}
	return s
}

// Unwrap lets errors.Is find a command timeout, and errors.As the
// ADMAError.
func (e *StatusError) Unwrap() error {
	if e.Status&CTO_ERR != 0 {
		return errTimeout
	}
	if e.ADMA != nil {
		return e.ADMA
	}
	return nil
}

// errorBits names INTERRUPT's error bits.
var errorBits = []struct {
	bit  uint32
	name string
}{
	{CTO_ERR, "command timeout"}, {CCRC_ERR, "command CRC"}, {CEND_ERR, "command end bit"},
	{CBAD_ERR, "command index"}, {DTO_ERR, "data timeout"}, {DCRC_ERR, "data CRC"},
	{DEND_ERR, "data end bit"}, {1 << 23, "current limit"}, {ACMD_ERR, "Auto CMD12"},
	{ADMA_ERR, "ADMA"}, {1 << 26, "tuning"},
}
