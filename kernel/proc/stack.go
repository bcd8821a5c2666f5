package proc

import (
	"encoding/binary"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

// The Linux initial process stack (the System V AArch64 ABI's process
// initialization, and fs/binfmt_elf.c create_elf_tables), from the stack
// pointer up:
//
//	sp ->  argc
//	       argv[0] ... argv[argc-1], NULL
//	       envp[0] ... envp[n-1], NULL
//	       auxv: (type, value) pairs, ending with (AT_NULL, 0)
//	       padding to 16 bytes
//	       AT_RANDOM's 16 bytes, AT_PLATFORM's "aarch64"
//	       the argument and environment strings, AT_EXECFN's path
//	top -> (end of the stack area)
//
// sp is 16-byte aligned, as the AAPCS64 requires at every public interface.

// auxEntry is one auxiliary-vector pair.
type auxEntry struct{ typ, val uint64 }

// initialStack lays out the stack for argv, envp and auxv below top. auxv's
// AT_RANDOM, AT_EXECFN and AT_PLATFORM values are filled in here (they
// point into the area). It returns the bytes to copy to [sp, top) and sp.
func initialStack(top uint64, argv, envp []string, auxv []auxEntry, execfn string, random [16]byte) ([]byte, uint64) {
	// Strings first, from the top down.
	var strs []byte
	put := func(s string) uint64 { // returns the offset from top of s's start, filled in below
		strs = append(strs, s...)
		strs = append(strs, 0)
		return uint64(len(strs))
	}
	var argOff, envOff []uint64
	for _, a := range argv {
		argOff = append(argOff, put(a))
	}
	for _, e := range envp {
		envOff = append(envOff, put(e))
	}
	execOff := put(execfn)
	platOff := put("aarch64")
	strs = append(strs, random[:]...)
	randOff := uint64(len(strs))
	// strs is laid out so that string i ends at offset argOff[i] from its
	// start; the whole area is placed ending at top.
	strBase := top - uint64(len(strs))
	addr := func(off uint64, s string) uint64 { return strBase + off - uint64(len(s)) - 1 }

	aux := append([]auxEntry(nil), auxv...)
	aux = append(aux, auxEntry{linux.AT_RANDOM, strBase + randOff - 16},
		auxEntry{linux.AT_EXECFN, addr(execOff, execfn)},
		auxEntry{linux.AT_PLATFORM, addr(platOff, "aarch64")},
		auxEntry{linux.AT_NULL, 0})

	words := 1 + len(argv) + 1 + len(envp) + 1 + 2*len(aux)
	sp := (strBase - uint64(8*words)) &^ 15
	out := make([]byte, top-sp)
	copy(out[strBase-sp:], strs)
	le := binary.LittleEndian
	w := 0
	word := func(v uint64) { le.PutUint64(out[8*w:], v); w++ }
	word(uint64(len(argv)))
	for i, a := range argv {
		word(addr(argOff[i], a))
	}
	word(0)
	for i, e := range envp {
		word(addr(envOff[i], e))
	}
	word(0)
	for _, a := range aux {
		word(a.typ)
		word(a.val)
	}
	return out, sp
}
