package proc

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTableNumbers: every entry's number is the one Linux gives its name,
// numbers are unique, and every supported entry has a handler.
func TestTableNumbers(t *testing.T) {
	// Go's table names a few calls by their generic names; strace and the
	// man pages use the arm64 ones.
	goName := map[string]string{"newfstatat": "fstatat"}
	seen := map[uint64]string{}
	for _, s := range Table {
		if got := linux.SyscallNames[s.Number]; got != s.Name && got != goName[s.Name] {
			t.Errorf("Table entry %q has number %d, which Linux calls %q", s.Name, s.Number, got)
		}
		if prev, dup := seen[s.Number]; dup {
			t.Errorf("number %d is in the table twice (%s, %s)", s.Number, prev, s.Name)
		}
		seen[s.Number] = s.Name
		if (s.Handler == nil) != (s.Support == NoSys) {
			t.Errorf("%s: support %s with handler %v", s.Name, s.Support, s.Handler != nil)
		}
	}
	for _, name := range []string{"read", "write", "openat", "clone", "execve", "wait4", "mmap", "futex", "rt_sigaction", "rt_sigreturn", "exit_group"} {
		found := false
		for _, s := range Table {
			found = found || s.Name == name
		}
		assert.True(t, found, "%s is in the table", name)
	}
}

func TestResult(t *testing.T) {
	cases := []struct {
		ret  uint64
		err  error
		want uint64
	}{
		{5, nil, 5},
		{0, linux.ENOENT, 1<<64 - 2},
		{0, linux.EFAULT, 1<<64 - 14},
		{0, errFake{}, 1<<64 - 5},
	}
	for _, c := range cases {
		if got := result(c.ret, c.err); got != c.want {
			t.Errorf("result(%d, %v) = %#x, want %#x", c.ret, c.err, got, c.want)
		}
	}
}

type errFake struct{}

func (errFake) Error() string { return "fake" }

// TestInitialStack checks the layout create_elf_tables makes: argc, argv,
// envp, auxv, with the pointers landing on the strings.
func TestInitialStack(t *testing.T) {
	const top = 0x7000_0000
	argv, envp := []string{"/bin/prog", "-x"}, []string{"HOME=/"}
	var random [16]byte
	for i := range random {
		random[i] = byte(i + 1)
	}
	img, sp := initialStack(top, argv, envp, []auxEntry{{linux.AT_PAGESZ, 4096}}, "/bin/prog", random)
	require.Equal(t, uint64(0), sp%16, "sp is 16-byte aligned")
	require.Equal(t, top-sp, uint64(len(img)))
	le := binary.LittleEndian
	word := func(i int) uint64 { return le.Uint64(img[8*i:]) }
	str := func(va uint64) string {
		b := img[va-sp:]
		return string(b[:strings.IndexByte(string(b), 0)])
	}
	assert.Equal(t, uint64(2), word(0), "argc")
	assert.Equal(t, "/bin/prog", str(word(1)))
	assert.Equal(t, "-x", str(word(2)))
	assert.Equal(t, uint64(0), word(3))
	assert.Equal(t, "HOME=/", str(word(4)))
	assert.Equal(t, uint64(0), word(5))
	aux := map[uint64]uint64{}
	for i := 6; ; i += 2 {
		if word(i) == linux.AT_NULL {
			break
		}
		aux[word(i)] = word(i + 1)
	}
	assert.Equal(t, uint64(4096), aux[linux.AT_PAGESZ])
	assert.Equal(t, "/bin/prog", str(aux[linux.AT_EXECFN]))
	assert.Equal(t, "aarch64", str(aux[linux.AT_PLATFORM]))
	assert.Equal(t, random[:], img[aux[linux.AT_RANDOM]-sp:aux[linux.AT_RANDOM]-sp+16])
}

func TestRegionMap(t *testing.T) {
	var m regionMap
	m.insert(0x10000, 0x20000, linux.PROT_READ)
	m.insert(0x30000, 0x40000, linux.PROT_NONE)
	assert.False(t, m.free(0x1f000, 0x21000))
	assert.True(t, m.free(0x20000, 0x30000))
	va, ok := m.findFree(0x10000, 0x1000, 0x50000)
	assert.True(t, ok)
	assert.Equal(t, uint64(0x40000), va, "top-down: the highest gap first")
	va, ok = m.findFree(0x10000, 0x1000, 0x40000)
	assert.True(t, ok)
	assert.Equal(t, uint64(0x20000), va, "the gap between the regions")
	_, ok = m.findFree(0x100000, 0x1000, 0x50000)
	assert.False(t, ok, "no gap is big enough")
	cut := m.remove(0x18000, 0x38000)
	assert.Equal(t, []region{{0x18000, 0x20000, linux.PROT_READ}, {0x30000, 0x38000, linux.PROT_NONE}}, cut)
	assert.Equal(t, []region{{0x10000, 0x18000, linux.PROT_READ}, {0x38000, 0x40000, linux.PROT_NONE}}, m.r)
	r, ok := m.at(0x3a000)
	assert.True(t, ok)
	assert.Equal(t, linux.PROT_NONE, r.prot)
}

// TestVDSOLookup finds the vDSO's symbols the way Go's runtime does
// (vdso_linux.go): program headers, the dynamic table, the SysV hash chain,
// and the symbol's version, LINUX_2.6.39.
func TestVDSOLookup(t *testing.T) {
	b := buildVDSO()
	le := binary.LittleEndian
	require.Equal(t, "\x7fELF", string(b[:4]))
	phoff, phnum := le.Uint64(b[32:]), int(le.Uint16(b[56:]))
	var dyn uint64
	for i := 0; i < phnum; i++ {
		p := b[phoff+uint64(56*i):]
		if le.Uint32(p) == 2 {
			dyn = le.Uint64(p[8:])
		}
	}
	require.NotZero(t, dyn, "PT_DYNAMIC")
	tags := map[uint64]uint64{}
	for off := dyn; le.Uint64(b[off:]) != 0; off += 16 {
		tags[le.Uint64(b[off:])] = le.Uint64(b[off+8:])
	}
	hash, symtab, strtab, versym, verdef := tags[4], tags[6], tags[5], tags[0x6ffffff0], tags[0x6ffffffc]
	require.True(t, hash != 0 && symtab != 0 && strtab != 0 && versym != 0 && verdef != 0, "dynamic tags %v", tags)
	cstr := func(off uint64) string {
		s := b[strtab+off:]
		return string(s[:strings.IndexByte(string(s), 0)])
	}
	// The version index of LINUX_2.6.39.
	version := uint16(0)
	for d := verdef; ; {
		aux := d + uint64(le.Uint32(b[d+12:]))
		if le.Uint16(b[d+2:])&1 == 0 && cstr(uint64(le.Uint32(b[aux:]))) == "LINUX_2.6.39" && le.Uint32(b[d+8:]) == 0x75fcb89 {
			version = le.Uint16(b[d+4:])
		}
		next := le.Uint32(b[d+16:])
		if next == 0 {
			break
		}
		d += uint64(next)
	}
	require.Equal(t, uint16(2), version)
	lookup := func(name string) uint64 {
		nbucket := le.Uint32(b[hash:])
		chain := func(i uint32) uint32 { return le.Uint32(b[hash+8+4*uint64(nbucket)+4*uint64(i):]) }
		for i := le.Uint32(b[hash+8:]); i != 0; i = chain(i) {
			sym := b[symtab+24*uint64(i):]
			if cstr(uint64(le.Uint32(sym))) == name && sym[4] == 0x12 && le.Uint16(b[versym+2*uint64(i):]) == version {
				return le.Uint64(sym[8:])
			}
		}
		return 0
	}
	for _, name := range []string{"__kernel_rt_sigreturn", "__kernel_clock_gettime", "__kernel_gettimeofday", "__kernel_clock_getres"} {
		assert.NotZero(t, lookup(name), "%s found", name)
	}
	sigret := lookup("__kernel_rt_sigreturn")
	assert.Equal(t, uint64(vdsoSigreturn), sigret, "signal frames return to the address the vDSO exports")
	assert.Equal(t, uint32(0xd2800008|139<<5), le.Uint32(b[sigret:]), "mov x8, #rt_sigreturn")
	assert.Equal(t, uint32(0xd4000001), le.Uint32(b[sigret+4:]), "svc #0")
}

// TestSignalFrameLayout pins the rt_sigframe offsets to arm64's
// (arch/arm64/include/uapi/asm/{sigcontext,ucontext}.h).
func TestSignalFrameLayout(t *testing.T) {
	cases := []struct {
		name      string
		got, want int
	}{
		{"siginfo size", frameUcontext, 128},
		{"uc_mcontext", ucMcontext, 176},
		{"sigcontext regs", scRegs, 8},
		{"sigcontext sp", scSP, 8 + 31*8},
		{"sigcontext __reserved", scReserved, 288},
		{"frame size", frameSize, 4688},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	assert.Zero(t, frameSize%16, "the frame keeps sp 16-byte aligned")
}
