package qemu

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// A tiny AArch64 assembler for the test kernels below: just the handful of
// instructions they need, encoded as the Arm ARM (DDI 0487) gives them.
type asm struct{ words []uint32 }

func (a *asm) emit(w uint32) { a.words = append(a.words, w) }

// movImm64 loads a 64-bit constant into Xd with MOVZ and MOVKs
// (C6.2.225 MOVZ: 0xD2800000 | hw<<21 | imm16<<5 | Rd; C6.2.223 MOVK:
// 0xF2800000 | ...).
func (a *asm) movImm64(rd uint32, v uint64) {
	a.emit(0xD2800000 | uint32(v&0xFFFF)<<5 | rd)
	for hw := uint32(1); hw < 4; hw++ {
		if part := uint32(v>>(16*hw)) & 0xFFFF; part != 0 {
			a.emit(0xF2800000 | hw<<21 | part<<5 | rd)
		}
	}
}

// putc stores the byte c to the UART data register at [x0]:
// MOVZ w1, #c (C6.2.225, 32-bit: 0x52800000) then STR w1, [x0]
// (C6.2.321 STR (immediate), unsigned offset, 32-bit: 0xB9000000 | Rn<<5 | Rt).
func (a *asm) putc(c byte) {
	a.emit(0x52800000 | uint32(c)<<5 | 1)
	a.emit(0xB9000000 | 0<<5 | 1)
}

// hang is B . (C6.2.26 B: 0x14000000 | imm26, imm26 = 0).
func (a *asm) hang() { a.emit(0x14000000) }

// semihostExit exits QEMU with status through semihosting SYS_EXIT (0x18)
// with an ADP_Stopped_ApplicationExit (0x20026) parameter block: w0 = 0x18,
// x1 = address of {reason, status}, then HLT #0xF000 (C6.2.122 HLT:
// 0xD4400000 | imm16<<5). The block sits in the image right after the code,
// found with ADR; it must be the last thing emitted.
func (a *asm) semihostExit(status uint32) {
	adr := len(a.words)
	a.emit(0) // ADR x1, block: patched below
	a.movImm64(0, 0x18)
	a.emit(0xD4400000 | 0xF000<<5)
	a.hang()
	if len(a.words)%2 == 1 {
		a.emit(0xD503201F) // NOP (C6.2.238), to 8-align the block
	}
	off := uint32(4 * (len(a.words) - adr))
	// ADR (C6.2.10): 0x10000000 | immlo<<29 | immhi<<5 | Rd.
	a.words[adr] = 0x10000000 | (off&3)<<29 | (off>>2)<<5 | 1
	a.emit(0x20026)
	a.emit(0)
	a.emit(status)
	a.emit(0)
}

// printString writes s to the PL011 at base.
func (a *asm) printString(base uint64, s string) {
	a.movImm64(0, base)
	for i := 0; i < len(s); i++ {
		a.putc(s[i])
	}
}

// write saves the program as a raw image (no Image header) in a temp dir.
func (a *asm) write(t *testing.T) string {
	t.Helper()
	buf := make([]byte, 4*len(a.words))
	for i, w := range a.words {
		binary.LittleEndian.PutUint32(buf[4*i:], w)
	}
	p := filepath.Join(t.TempDir(), "tiny.img")
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// idle parks the CPU for good: WFI in a loop (C6.2.393 WFI: 0xD503207F;
// B .-4: 0x17FFFFFF), with no timer armed to wake it.
func (a *asm) idle() {
	a.emit(0xD503207F)
	a.emit(0x17FFFFFF)
}
