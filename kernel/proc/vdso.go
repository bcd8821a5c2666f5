package proc

import "encoding/binary"

// The vDSO is a tiny ELF shared object mapped into every process at
// vdsoBase and announced by AT_SYSINFO_EHDR. Programs find its functions
// through its dynamic symbol table, as Go's runtime (vdso_linux.go) and
// libc do. Burrow's functions are system calls in a shared-library shape:
// __kernel_rt_sigreturn is where a signal handler returns (arm64 Go relies
// on it: it never sets SA_RESTORER), and __kernel_clock_gettime and friends
// issue the system call (a faster path reading the counter at EL0 would
// need the C core to enable CNTKCTL_EL1.EL0VCTEN).
//
// Layout (offsets in the one page):
//
//	0x000 ELF header            0x200 .dynsym (5 symbols)
//	0x040 program headers       0x300 .dynstr
//	0x100 code                  0x400 .hash (SysV, one bucket)
//	                            0x480 .dynamic
//	                            0x580 .gnu.version_d: the base and LINUX_2.6.39
//	                            0x600 .gnu.version: every symbol is LINUX_2.6.39
//
// Go's runtime requires the version definitions (it looks the symbols up as
// LINUX_2.6.39, the arm64 vDSO's version).
const (
	vdsoSigreturn = 0x100
	vdsoCode      = 0x100
	vdsoSymtab    = 0x200
	vdsoStrtab    = 0x300
	vdsoHash      = 0x400
	vdsoDynamic   = 0x480
	vdsoVerdef    = 0x580
	vdsoVersym    = 0x600
	vdsoSize      = 0x1000
)

// vdsoFuncs are the exported functions: name and instructions (ARM ARM C6:
// movz x8, #nr is 0xd2800008 | nr<<5; svc #0 is 0xd4000001; ret is
// 0xd65f03c0).
var vdsoFuncs = []struct {
	name  string
	insns []uint32
}{
	{"__kernel_rt_sigreturn", []uint32{0xd2800008 | 139<<5, 0xd4000001}},
	{"__kernel_clock_gettime", []uint32{0xd2800008 | 113<<5, 0xd4000001, 0xd65f03c0}},
	{"__kernel_gettimeofday", []uint32{0xd2800008 | 169<<5, 0xd4000001, 0xd65f03c0}},
	{"__kernel_clock_getres", []uint32{0xd2800008 | 114<<5, 0xd4000001, 0xd65f03c0}},
}

func buildVDSO() []byte {
	b := make([]byte, vdsoSize)
	le := binary.LittleEndian
	// ELF header (gABI): 64-bit, little-endian, ET_DYN, EM_AARCH64.
	copy(b, "\x7fELF\x02\x01\x01")
	le.PutUint16(b[16:], 3)   // ET_DYN
	le.PutUint16(b[18:], 183) // EM_AARCH64
	le.PutUint32(b[20:], 1)
	le.PutUint64(b[32:], 64) // e_phoff
	le.PutUint16(b[52:], 64) // e_ehsize
	le.PutUint16(b[54:], 56) // e_phentsize
	le.PutUint16(b[56:], 2)  // e_phnum
	ph := func(i int, typ, flags uint32, off, size uint64) {
		p := b[64+56*i:]
		le.PutUint32(p, typ)
		le.PutUint32(p[4:], flags)
		le.PutUint64(p[8:], off)
		le.PutUint64(p[16:], off)
		le.PutUint64(p[24:], off)
		le.PutUint64(p[32:], size)
		le.PutUint64(p[40:], size)
		le.PutUint64(p[48:], 8)
	}
	ph(0, 1, 5, 0, vdsoSize)       // PT_LOAD, R+X
	ph(1, 2, 4, vdsoDynamic, 6*16) // PT_DYNAMIC
	strs := []byte{0}
	pc := uint64(vdsoCode)
	for i, f := range vdsoFuncs {
		name := uint32(len(strs))
		strs = append(append(strs, f.name...), 0)
		for j, insn := range f.insns {
			le.PutUint32(b[pc+uint64(4*j):], insn)
		}
		sym := b[vdsoSymtab+24*(i+1):]
		le.PutUint32(sym, name)
		sym[4] = 1<<4 | 2 // STB_GLOBAL, STT_FUNC
		le.PutUint16(sym[6:], 1)
		le.PutUint64(sym[8:], pc)
		le.PutUint64(sym[16:], uint64(4*len(f.insns)))
		pc += 16
	}
	// Version definitions (Elf64_Verdef, 20 bytes, each followed by one
	// Elf64_Verdaux, 8 bytes): index 1 the base, index 2 LINUX_2.6.39,
	// whose ELF hash is 0x75fcb89.
	verdef := func(at int, flags, ndx uint16, hash uint32, name string, last bool) {
		d := b[vdsoVerdef+at:]
		le.PutUint16(d, 1) // VER_DEF_CURRENT
		le.PutUint16(d[2:], flags)
		le.PutUint16(d[4:], ndx)
		le.PutUint16(d[6:], 1)
		le.PutUint32(d[8:], hash)
		le.PutUint32(d[12:], 20)
		if !last {
			le.PutUint32(d[16:], 28)
		}
		le.PutUint32(d[20:], uint32(len(strs)))
		strs = append(append(strs, name...), 0)
	}
	verdef(0, 1, 1, 0, "linux-vdso.so.1", false) // VER_FLG_BASE
	verdef(28, 0, 2, 0x75fcb89, "LINUX_2.6.39", true)
	for i := range vdsoFuncs {
		le.PutUint16(b[vdsoVersym+2*(i+1):], 2)
	}
	copy(b[vdsoStrtab:], strs)
	// One hash bucket chaining every symbol: lookups walk the chain.
	n := uint32(len(vdsoFuncs) + 1)
	le.PutUint32(b[vdsoHash:], 1)
	le.PutUint32(b[vdsoHash+4:], n)
	le.PutUint32(b[vdsoHash+8:], n-1) // bucket[0]
	for i := uint32(1); i < n; i++ {
		le.PutUint32(b[vdsoHash+12+4*i:], i-1) // chain[i] = i-1; chain[0] = 0 ends it
	}
	dyn := [][2]uint64{{4, vdsoHash}, {5, vdsoStrtab}, {6, vdsoSymtab}, {10, uint64(len(strs))}, {11, 24},
		{0x6ffffff0, vdsoVersym}, {0x6ffffffc, vdsoVerdef}, {0x6ffffffd, 2}, {0, 0}} // DT_VERSYM, DT_VERDEF, DT_VERDEFNUM
	for i, d := range dyn {
		le.PutUint64(b[vdsoDynamic+16*i:], d[0])
		le.PutUint64(b[vdsoDynamic+16*i+8:], d[1])
	}
	return b
}
