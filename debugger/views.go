package debugger

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"

	"golang.org/x/arch/arm64/arm64asm"
)

// CoreRegs lists the general registers in display order.
var CoreRegs = func() []string {
	var r []string
	for i := 0; i <= 30; i++ {
		r = append(r, fmt.Sprintf("x%d", i))
	}
	return append(r, "sp", "pc", "cpsr")
}()

// SysRegs are the system registers the register view shows: the exception
// state, the translation registers and the vector base.
var SysRegs = []string{"ELR_EL1", "ESR_EL1", "FAR_EL1", "SPSR_EL1", "TTBR0_EL1", "TTBR1_EL1",
	"TCR_EL1", "SCTLR_EL1", "VBAR_EL1", "MAIR_EL1", "SP_EL0", "TPIDR_EL1"}

// ExceptionLevel decodes CPSR (PSTATE as QEMU publishes it): EL in bits
// 3:2 and the stack pointer selection in bit 0 (ARM ARM C5.2.18, SPSR_EL1
// layout). QEMU has no CurrentEL register in its description, so this is
// how the debugger knows the EL.
func ExceptionLevel(cpsr uint64) string {
	el := (cpsr >> 2) & 3
	sp := "t"
	if cpsr&1 != 0 {
		sp = "h"
	}
	if cpsr&(1<<4) != 0 {
		return "AArch32"
	}
	flags := ""
	for i, f := range "NZCV" {
		if cpsr&(1<<(31-i)) != 0 {
			flags += string(f)
		} else {
			flags += "-"
		}
	}
	mask := ""
	for i, f := range "DAIF" {
		if cpsr&(1<<(9-i)) != 0 {
			mask += string(f)
		}
	}
	return fmt.Sprintf("EL%d%s %s mask=%s", el, sp, flags, mask)
}

// ecNames names the exception classes of ESR_ELx.EC (ARM ARM D17.2.37).
var ecNames = map[uint64]string{
	0x00: "unknown", 0x01: "WFI/WFE", 0x07: "SIMD/FP access", 0x0e: "illegal execution state",
	0x15: "SVC (AArch64)", 0x16: "HVC", 0x17: "SMC", 0x18: "MSR/MRS trap",
	0x20: "instruction abort (lower EL)", 0x21: "instruction abort (same EL)",
	0x22: "PC alignment", 0x24: "data abort (lower EL)", 0x25: "data abort (same EL)",
	0x26: "SP alignment", 0x2c: "FP exception", 0x2f: "SError",
	0x30: "breakpoint (lower EL)", 0x31: "breakpoint (same EL)", 0x32: "software step (lower EL)",
	0x33: "software step (same EL)", 0x34: "watchpoint (lower EL)", 0x35: "watchpoint (same EL)",
	0x3c: "BRK",
}

// DecodeESR explains an ESR_EL1 value: its exception class and, for aborts,
// the fault status.
func DecodeESR(esr uint64) string {
	ec := esr >> 26
	name, ok := ecNames[ec]
	if !ok {
		name = "reserved"
	}
	s := fmt.Sprintf("EC=%#02x %s", ec, name)
	iss := esr & 0x1ffffff
	switch ec {
	case 0x15:
		s += fmt.Sprintf(" imm=%#x", iss&0xffff)
	case 0x20, 0x21, 0x24, 0x25:
		fsc := iss & 0x3f
		kinds := map[uint64]string{0: "address size", 1: "translation", 2: "access flag", 3: "permission"}
		if k, ok := kinds[fsc>>2]; ok && fsc < 0x10 {
			s += fmt.Sprintf(" %s fault, level %d", k, fsc&3)
		} else {
			s += fmt.Sprintf(" FSC=%#x", fsc)
		}
		if ec >= 0x24 && iss&(1<<6) != 0 {
			s += " (write)"
		}
	}
	return s
}

// HexDump renders memory as hex and ASCII, 16 bytes a line.
func HexDump(addr uint64, b []byte) string {
	var sb strings.Builder
	for off := 0; off < len(b); off += 16 {
		line := b[off:min(off+16, len(b))]
		fmt.Fprintf(&sb, "%016x  ", addr+uint64(off))
		for i := 0; i < 16; i++ {
			if i < len(line) {
				fmt.Fprintf(&sb, "%02x ", line[i])
			} else {
				sb.WriteString("   ")
			}
			if i == 7 {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString(" |")
		for _, c := range line {
			if c < 32 || c > 126 {
				c = '.'
			}
			sb.WriteByte(c)
		}
		sb.WriteString("|\n")
	}
	return sb.String()
}

// pcRel matches how GNUSyntax prints a PC-relative operand.
var pcRel = regexp.MustCompile(`\.[+-]0x[0-9a-f]+`)

// Instruction is one disassembled instruction.
type Instruction struct {
	Addr   uint64 `json:"-"`
	Word   uint32 `json:"-"`
	Text   string `json:"text"`   // GNU syntax
	Symbol string `json:"symbol"` // "fib+8"
}

// MarshalJSON writes the address and word in hex.
func (in Instruction) MarshalJSON() ([]byte, error) {
	type plain Instruction
	return json.Marshal(struct {
		plain
		Addr string `json:"addr"`
		Word string `json:"word"`
	}{plain(in), hex64(in.Addr), fmt.Sprintf("%08x", in.Word)})
}

// Disassemble decodes n instructions from addr, reading them from the
// target.
func (s *Session) Disassemble(addr uint64, n int) ([]Instruction, error) {
	addr &^= 3
	b, err := s.ReadMemory(addr, 4*n)
	if err != nil {
		return nil, err
	}
	var out []Instruction
	for i := 0; i+4 <= len(b); i += 4 {
		a := addr + uint64(i)
		w := binary.LittleEndian.Uint32(b[i:])
		in := Instruction{Addr: a, Word: w}
		inst, err := arm64asm.Decode(b[i : i+4])
		if err != nil {
			in.Text = fmt.Sprintf(".word %#08x", w)
		} else {
			in.Text = arm64asm.GNUSyntax(inst)
			for _, arg := range inst.Args {
				if rel, ok := arg.(arm64asm.PCRel); ok {
					// Show branch and literal targets as addresses with
					// their symbol, not as ".+offset".
					target := uint64(int64(a) + int64(rel))
					in.Text = pcRel.ReplaceAllString(in.Text, fmt.Sprintf("%#x", target)) + "  <" + s.Where(target) + ">"
				}
			}
		}
		if loc, ok := s.Syms.Lookup(a); ok && loc.Func != "" {
			in.Symbol = fmt.Sprintf("%s+%d", loc.Func, loc.Offset)
		}
		out = append(out, in)
	}
	return out, nil
}

// isCall reports whether the instruction at addr is BL or BLR.
func (s *Session) isCall(addr uint64) bool {
	b, err := s.C.ReadMemory(addr, 4)
	if err != nil {
		return false
	}
	inst, err := arm64asm.Decode(b)
	return err == nil && (inst.Op == arm64asm.BL || inst.Op == arm64asm.BLR)
}

// Frame is one backtrace frame.
type Frame struct {
	PC    uint64 `json:"-"`
	FP    uint64 `json:"-"`
	Where string `json:"where"`
}

// MarshalJSON writes the addresses in hex.
func (f Frame) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		PC    string `json:"pc"`
		FP    string `json:"fp"`
		Where string `json:"where"`
	}{hex64(f.PC), hex64(f.FP), f.Where})
}

// Backtrace walks the AAPCS64 frame-record chain: x29 points at {caller's
// x29, return address}. In a function's first instructions, before it has
// stored its frame record, the caller is in x30, so the second frame comes
// from x30 there.
func (s *Session) Backtrace(max int) []Frame {
	return s.chain(s.Regs["pc"], s.Regs["x29"], s.Regs["x30"], max)
}

// chain follows frame records from pc and fp; lr, when not zero, is the
// caller while pc is in its function's first two instructions.
func (s *Session) chain(pc, fp, lr uint64, max int) []Frame {
	frames := []Frame{{PC: pc, FP: fp, Where: s.Where(pc)}}
	if loc, ok := s.Syms.Lookup(pc); ok && loc.Func != "" && loc.Offset < 8 && lr != 0 {
		frames = append(frames, Frame{PC: lr, FP: fp, Where: s.Where(lr)})
	}
	for len(frames) < max && fp != 0 && fp%8 == 0 {
		b, err := s.C.ReadMemory(fp, 16)
		if err != nil || len(b) < 16 {
			break
		}
		next, ret := binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])
		if ret == 0 {
			break
		}
		if last := frames[len(frames)-1]; last.PC != ret {
			frames = append(frames, Frame{PC: ret, FP: next, Where: s.Where(ret)})
		}
		if next <= fp {
			break // frame records live higher up the stack; anything else is garbage
		}
		fp = next
	}
	if len(frames) > max {
		frames = frames[:max]
	}
	return frames
}

// SourceLines returns up to n lines of the source file around line,
// reading the file from the path in DWARF; ok is false when the file is not
// on this machine.
func SourceLines(file string, line, n int) (lines []string, first int, ok bool) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, 0, false
	}
	all := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	first = max(1, line-n/2)
	last := min(len(all), first+n-1)
	first = max(1, min(first, last-n+1))
	return all[first-1 : last], first, true
}
