// Package elf reads the static AArch64 ELF executables Burrow runs at EL0:
// ET_EXEC (linked at a fixed address, like busybox-static) and static-PIE
// ET_DYN (relocated by its own start-up code, loaded at a base Burrow picks).
// It follows the System V gABI ("ELF-64 Object File Format") and the AArch64
// ELF ABI (IHI 0056). It only parses and checks; kernel/proc maps the
// segments. Dynamically linked programs (a PT_INTERP) are refused.
//
// It is plain Go with no allocation beyond the result, and runs at EL1 in
// the kernel and on the host in tests and the fuzz target.
package elf

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ELF constants from the gABI, spelled as elf.h spells them.
const (
	ET_EXEC      = 2
	ET_DYN       = 3
	EM_AARCH64   = 183
	PT_LOAD      = 1
	PT_INTERP    = 3
	PT_PHDR      = 6
	PT_GNU_STACK = 0x6474e551
	PF_X         = 1
	PF_W         = 2
	PF_R         = 4

	ehdrSize = 64
	phdrSize = 56
	pageSize = 4096

	// UserTop is the end of the user half (VA 0..2^47): every segment
	// must end below it.
	UserTop = 1 << 47
	// maxPhnum bounds the header table, as Linux does (64 KiB of headers).
	maxPhnum = 65536 / phdrSize
)

// ErrMalformed is wrapped by every rejection; the message says why.
var ErrMalformed = errors.New("elf: malformed or unsupported executable")

// Segment is one PT_LOAD: file bytes [Off, Off+Filesz) go to virtual address
// Vaddr (before the load bias), followed by Memsz-Filesz zero bytes.
type Segment struct {
	Vaddr, Memsz, Off, Filesz uint64
	Flags                     uint32 // PF_R, PF_W, PF_X
}

// File is a checked static executable.
type File struct {
	Type   uint16 // ET_EXEC or ET_DYN
	Entry  uint64 // before the load bias
	Phoff  uint64
	Phnum  int
	Phent  int
	Phdr   uint64 // virtual address of the program headers, before the bias (0: not loaded)
	Segs   []Segment
	Lo, Hi uint64 // page-aligned span of all segments, before the bias
}

func bad(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// Parse checks data as a static AArch64 executable and returns its layout.
func Parse(data []byte) (*File, error) {
	if len(data) < ehdrSize {
		return nil, bad("%d bytes is shorter than an ELF header", len(data))
	}
	if string(data[:4]) != "\x7fELF" {
		return nil, bad("no ELF magic")
	}
	if data[4] != 2 || data[5] != 1 {
		return nil, bad("not 64-bit little-endian (class %d, data %d)", data[4], data[5])
	}
	if data[6] != 1 {
		return nil, bad("ELF version %d", data[6])
	}
	le := binary.LittleEndian
	f := &File{
		Type:  le.Uint16(data[16:]),
		Entry: le.Uint64(data[24:]),
		Phoff: le.Uint64(data[32:]),
		Phent: int(le.Uint16(data[54:])),
		Phnum: int(le.Uint16(data[56:])),
	}
	if m := le.Uint16(data[18:]); m != EM_AARCH64 {
		return nil, bad("machine %d, not AArch64 (%d)", m, EM_AARCH64)
	}
	if f.Type != ET_EXEC && f.Type != ET_DYN {
		return nil, bad("type %d is neither ET_EXEC nor ET_DYN", f.Type)
	}
	if f.Phent != phdrSize {
		return nil, bad("program header size %d, want %d", f.Phent, phdrSize)
	}
	if f.Phnum == 0 || f.Phnum > maxPhnum {
		return nil, bad("%d program headers", f.Phnum)
	}
	if f.Phoff > uint64(len(data)) || uint64(len(data))-f.Phoff < uint64(f.Phnum*phdrSize) {
		return nil, bad("program headers at %#x run past the end of the file (%d bytes)", f.Phoff, len(data))
	}
	f.Lo = ^uint64(0)
	for i := 0; i < f.Phnum; i++ {
		p := data[f.Phoff+uint64(i*phdrSize):]
		typ := le.Uint32(p)
		flags := le.Uint32(p[4:])
		off, vaddr := le.Uint64(p[8:]), le.Uint64(p[16:])
		filesz, memsz, align := le.Uint64(p[32:]), le.Uint64(p[40:]), le.Uint64(p[48:])
		switch typ {
		case PT_INTERP:
			return nil, bad("dynamically linked (PT_INTERP): only static executables run")
		case PT_PHDR:
			f.Phdr = vaddr
		case PT_LOAD:
			if filesz > memsz {
				return nil, bad("segment %d: file size %#x exceeds memory size %#x", i, filesz, memsz)
			}
			if off > uint64(len(data)) || uint64(len(data))-off < filesz {
				return nil, bad("segment %d: file bytes [%#x, +%#x) run past the end of the file", i, off, filesz)
			}
			if align > 1 && align&(align-1) != 0 {
				return nil, bad("segment %d: alignment %#x is not a power of two", i, align)
			}
			if vaddr%pageSize != off%pageSize {
				return nil, bad("segment %d: address %#x and offset %#x disagree modulo the page size", i, vaddr, off)
			}
			if memsz == 0 {
				continue
			}
			if vaddr >= UserTop || UserTop-vaddr < memsz {
				return nil, bad("segment %d: [%#x, +%#x) is outside the user half", i, vaddr, memsz)
			}
			lo, hi := vaddr&^(pageSize-1), (vaddr+memsz+pageSize-1)&^(pageSize-1)
			// Segments may share a boundary page (the text's last page and
			// the data's first), but never bytes.
			for j, s := range f.Segs {
				if vaddr < s.Vaddr+s.Memsz && s.Vaddr < vaddr+memsz {
					return nil, bad("segments %d and %d overlap", j, i)
				}
			}
			f.Segs = append(f.Segs, Segment{Vaddr: vaddr, Memsz: memsz, Off: off, Filesz: filesz, Flags: flags})
			f.Lo, f.Hi = min(f.Lo, lo), max(f.Hi, hi)
		}
	}
	if len(f.Segs) == 0 {
		return nil, bad("no loadable segment")
	}
	if f.Type == ET_EXEC && f.Lo < pageSize {
		return nil, bad("ET_EXEC segment at %#x maps page zero", f.Lo)
	}
	if !f.contains(f.Entry) {
		return nil, bad("entry %#x is outside every executable segment", f.Entry)
	}
	if f.Phdr == 0 {
		// No PT_PHDR: the headers are visible if a segment maps them.
		for _, s := range f.Segs {
			if f.Phoff >= s.Off && f.Phoff+uint64(f.Phnum*phdrSize) <= s.Off+s.Filesz {
				f.Phdr = s.Vaddr + f.Phoff - s.Off
				break
			}
		}
	}
	return f, nil
}

func (f *File) contains(va uint64) bool {
	for _, s := range f.Segs {
		if s.Flags&PF_X != 0 && va >= s.Vaddr && va-s.Vaddr < s.Memsz {
			return true
		}
	}
	return false
}

// Bias returns the load bias: 0 for ET_EXEC, and for ET_DYN the distance
// from the file's lowest page to base (page-aligned), where the kernel
// chooses to put it.
func (f *File) Bias(base uint64) uint64 {
	if f.Type == ET_EXEC {
		return 0
	}
	return base&^(pageSize-1) - f.Lo
}
