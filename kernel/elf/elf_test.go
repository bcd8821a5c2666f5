package elf

import (
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tiny builds a minimal static executable: one R+X segment at 0x400000
// holding the headers and 16 bytes of code, and one RW segment with a .bss.
func tiny(typ uint16) []byte {
	le := binary.LittleEndian
	b := make([]byte, 0x2000)
	copy(b, "\x7fELF\x02\x01\x01")
	le.PutUint16(b[16:], typ)
	le.PutUint16(b[18:], EM_AARCH64)
	le.PutUint32(b[20:], 1)
	base := uint64(0x400000)
	if typ == ET_DYN {
		base = 0
	}
	le.PutUint64(b[24:], base+0x100) // entry
	le.PutUint64(b[32:], 64)         // phoff
	le.PutUint16(b[52:], 64)
	le.PutUint16(b[54:], 56)
	le.PutUint16(b[56:], 2)
	ph := func(i int, typ, flags uint32, off, va, filesz, memsz uint64) {
		p := b[64+56*i:]
		le.PutUint32(p, typ)
		le.PutUint32(p[4:], flags)
		le.PutUint64(p[8:], off)
		le.PutUint64(p[16:], va)
		le.PutUint64(p[24:], va)
		le.PutUint64(p[32:], filesz)
		le.PutUint64(p[40:], memsz)
		le.PutUint64(p[48:], 0x1000)
	}
	ph(0, PT_LOAD, PF_R|PF_X, 0, base, 0x110, 0x110)
	ph(1, PT_LOAD, PF_R|PF_W, 0x1000, base+0x1000, 0x10, 0x3000)
	return b
}

func TestParseTiny(t *testing.T) {
	f, err := Parse(tiny(ET_EXEC))
	require.NoError(t, err)
	assert.Equal(t, uint64(0x400100), f.Entry)
	assert.Equal(t, uint64(0x400040), f.Phdr, "headers found through the first segment")
	assert.Equal(t, [2]uint64{0x400000, 0x404000}, [2]uint64{f.Lo, f.Hi})
	assert.Len(t, f.Segs, 2)
	assert.Equal(t, uint64(0), f.Bias(0x5555_0000_0000))

	d, err := Parse(tiny(ET_DYN))
	require.NoError(t, err)
	assert.Equal(t, uint64(0x5555_0000_0000), d.Bias(0x5555_0000_0000))
}

// TestParseRejects: each corruption of a good file is refused with its reason.
func TestParseRejects(t *testing.T) {
	le := binary.LittleEndian
	cases := []struct {
		name   string
		modify func(b []byte) []byte
		want   string
	}{
		{"short", func(b []byte) []byte { return b[:20] }, "shorter than an ELF header"},
		{"magic", func(b []byte) []byte { b[1] = 'X'; return b }, "no ELF magic"},
		{"32-bit", func(b []byte) []byte { b[4] = 1; return b }, "not 64-bit"},
		{"big-endian", func(b []byte) []byte { b[5] = 2; return b }, "not 64-bit"},
		{"x86-64", func(b []byte) []byte { le.PutUint16(b[18:], 62); return b }, "not AArch64"},
		{"relocatable", func(b []byte) []byte { le.PutUint16(b[16:], 1); return b }, "neither ET_EXEC nor ET_DYN"},
		{"phentsize", func(b []byte) []byte { le.PutUint16(b[54:], 32); return b }, "program header size"},
		{"no headers", func(b []byte) []byte { le.PutUint16(b[56:], 0); return b }, "0 program headers"},
		{"headers past end", func(b []byte) []byte { le.PutUint64(b[32:], 0x1ff0); return b }, "run past the end"},
		{"interp", func(b []byte) []byte { le.PutUint32(b[64+56:], PT_INTERP); return b }, "PT_INTERP"},
		{"filesz > memsz", func(b []byte) []byte { le.PutUint64(b[64+56+32:], 0x4000); return b }, "exceeds memory size"},
		{"data past end", func(b []byte) []byte {
			le.PutUint64(b[64+56+8:], 0x1fff000)
			le.PutUint64(b[64+56+16:], 0x1fff000)
			return b
		}, "past the end of the file"},
		{"misaligned", func(b []byte) []byte { le.PutUint64(b[64+56+16:], 0x401800); return b }, "disagree modulo"},
		{"kernel half", func(b []byte) []byte { le.PutUint64(b[64+56+16:], 0xffff_0000_0000_1000); return b }, "outside the user half"},
		{"wraps", func(b []byte) []byte { le.PutUint64(b[64+56+40:], ^uint64(0)-0x10); return b }, "outside the user half"},
		{"overlap", func(b []byte) []byte {
			le.PutUint64(b[64+56+16:], 0x400000+0x1000-0x1000)
			le.PutUint64(b[64+56+8:], 0)
			return b
		}, "overlap"},
		{"entry outside", func(b []byte) []byte { le.PutUint64(b[24:], 0x401000); return b }, "entry"},
		{"page zero", func(b []byte) []byte {
			le.PutUint64(b[64+16:], 0)
			le.PutUint64(b[64+56+16:], 0x1000)
			le.PutUint64(b[24:], 0x100)
			return b
		}, "page zero"},
		{"bad align", func(b []byte) []byte { le.PutUint64(b[64+56+48:], 0x1800); return b }, "power of two"},
	}
	for _, c := range cases {
		_, err := Parse(c.modify(tiny(ET_EXEC)))
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("Parse(%s) = %v, want ErrMalformed", c.name, err)
			continue
		}
		assert.Contains(t, err.Error(), c.want, "Parse(%s)", c.name)
	}
}

// TestParseReal parses real static programs: a Go program built for
// linux/arm64 (ET_EXEC), and busybox when scripts/setup.sh busybox has
// fetched it. Go's own PIE build is dynamically linked (it has a PT_INTERP)
// and is refused; static PIE (ET_DYN) is covered by tiny(ET_DYN).
func TestParseReal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go programs")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	require.NoError(t, os.WriteFile(src, []byte("package main\nfunc main() { println(\"hi\") }\n"), 0o644))
	for _, mode := range []struct {
		name string
		typ  uint16
		args []string
	}{{"exe", ET_EXEC, nil}, {"pie", 0, []string{"-buildmode=pie"}}} {
		out := filepath.Join(dir, mode.name)
		cmd := exec.Command("go", append(append([]string{"build", "-o", out}, mode.args...), src)...)
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
		b, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", b)
		data, err := os.ReadFile(out)
		require.NoError(t, err)
		f, err := Parse(data)
		if mode.typ == 0 {
			assert.ErrorContains(t, err, "PT_INTERP", "Go's dynamically linked PIE")
			continue
		}
		require.NoError(t, err, mode.name)
		assert.Equal(t, mode.typ, f.Type, mode.name)
		assert.NotZero(t, f.Phdr, "%s: program headers are mapped", mode.name)
	}
	bb, err := os.ReadFile("../../build/deps/busybox")
	if err != nil {
		t.Logf("no busybox: %v", err)
		return
	}
	f, err := Parse(bb)
	require.NoError(t, err, "busybox")
	t.Logf("busybox: type %d entry %#x segments %d span [%#x, %#x)", f.Type, f.Entry, len(f.Segs), f.Lo, f.Hi)
}

func FuzzParse(f *testing.F) {
	f.Add(tiny(ET_EXEC))
	f.Add(tiny(ET_DYN))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Parse error %v does not wrap ErrMalformed", err)
			}
			return
		}
		for _, s := range file.Segs {
			if s.Off+s.Filesz > uint64(len(data)) || s.Vaddr+s.Memsz > UserTop || s.Filesz > s.Memsz {
				t.Fatalf("accepted segment %+v of a %d-byte file", s, len(data))
			}
		}
	})
}
