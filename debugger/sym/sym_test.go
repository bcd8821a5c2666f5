package sym

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/burrow-os/burrow/internal/testenv"
)

const fixture = "../testdata/fixture.elf"

// Addresses from `aarch64-linux-gnu-nm ../testdata/fixture.elf`.
const (
	fibAddr   = 0x400800a0
	magicAddr = 0x40080390
	fibLine   = 59 // "unsigned long fib(unsigned long n) {" in fixture.c
)

func TestLookupC(t *testing.T) {
	tab, err := Load(fixture)
	require.NoError(t, err)
	for _, tc := range []struct {
		addr       uint64
		fn         string
		off        uint64
		file       string
		hasLine    bool
		wantString string
	}{
		{fibAddr, "fib", 0, "fixture.c", true, "fib (fixture.c:59)"},
		{fibAddr + 4, "fib", 4, "fixture.c", true, ""},
		{0x40080000, "_start", 0, "start.S", true, ""},
		{magicAddr, "magic", 0, "", false, "magic"},
	} {
		loc, ok := tab.Lookup(tc.addr)
		require.True(t, ok, "Lookup(%#x) = not found", tc.addr)
		assert.Equal(t, tc.fn, loc.Func, "Lookup(%#x).Func", tc.addr)
		assert.Equal(t, tc.off, loc.Offset, "Lookup(%#x).Offset", tc.addr)
		if tc.hasLine {
			assert.Equal(t, tc.file, filepath.Base(loc.File), "Lookup(%#x).File", tc.addr)
			assert.Greater(t, loc.Line, 0, "Lookup(%#x).Line", tc.addr)
		} else {
			assert.Empty(t, loc.File, "Lookup(%#x).File", tc.addr)
		}
		if tc.wantString != "" {
			assert.Equal(t, tc.wantString, loc.String())
		}
	}
	if _, ok := tab.Lookup(0x1000); ok {
		t.Errorf("Lookup(0x1000) found a symbol below the image")
	}
}

func TestResolve(t *testing.T) {
	tab, err := Load(fixture)
	require.NoError(t, err)
	for _, tc := range []struct {
		in   string
		want uint64
	}{
		{"fib", fibAddr},
		{"fib+8", fibAddr + 8},
		{"fib+0x8", fibAddr + 8},
		{"0x40080000", 0x40080000},
		{"1024", 1024},
		{"magic", magicAddr},
	} {
		got, err := tab.Resolve(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Resolve(%q) = %#x, %v, want %#x", tc.in, got, err, tc.want)
		}
	}
	// file:line lands inside fib.
	a, err := tab.Resolve("fixture.c:61")
	require.NoError(t, err)
	loc, _ := tab.Lookup(a)
	assert.Equal(t, "fib", loc.Func, "Resolve(fixture.c:61) = %#x in %s, want inside fib", a, loc)

	for _, bad := range []string{"no_such_symbol", "", "fixture.c:9999", "0xZZ"} {
		if got, err := tab.Resolve(bad); err == nil {
			t.Errorf("Resolve(%q) = %#x, want an error", bad, got)
		}
	}
	_, err = tab.Resolve("no_such_symbol")
	assert.True(t, errors.Is(err, ErrUnknownSymbol), "Resolve(no_such_symbol) = %v, want ErrUnknownSymbol", err)
}

func TestLineRange(t *testing.T) {
	tab, err := Load(fixture)
	require.NoError(t, err)
	start, end, ok := tab.LineRange(fibAddr)
	require.True(t, ok)
	assert.LessOrEqual(t, start, uint64(fibAddr))
	assert.Greater(t, end, uint64(fibAddr), "LineRange(fib) end")
}

// buildGo builds testdata/goprog for linux/arm64, the way the Go kernel
// is built, and returns the ELF's path. (The running test binary cannot
// stand in: go test strips its symbols and DWARF.)
func buildGo(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "goprog.elf")
	cmd := exec.Command("go", "build", "-o", out, "./testdata/goprog")
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build goprog: %v\n%s", err, b)
	}
	return out
}

// TestLookupGo symbolizes a Go function from the ELF symbol table and
// Go's DWARF line table.
func TestLookupGo(t *testing.T) {
	tab, err := Load(buildGo(t))
	require.NoError(t, err)
	a, err := tab.Resolve("main.add")
	require.NoError(t, err)
	loc, ok := tab.Lookup(a + 4)
	require.True(t, ok, "Lookup(main.add+4) = not found")
	assert.Equal(t, "main.add", loc.Func)
	assert.Equal(t, uint64(4), loc.Offset)
	assert.Equal(t, "main.go", filepath.Base(loc.File))
	assert.InDelta(t, 8, loc.Line, 1, "main.add+4 is on or next to its func line")
	b, err := tab.Resolve("main.go:9")
	require.NoError(t, err)
	loc, _ = tab.Lookup(b)
	assert.Equal(t, "main.add", loc.Func, "Resolve(main.go:9) = %#x in %s", b, loc)
}

// TestSeveralImages loads the C fixture and a Go ELF together: each
// address finds its own image.
func TestSeveralImages(t *testing.T) {
	tab, err := Load(fixture, buildGo(t))
	require.NoError(t, err)
	loc, ok := tab.Lookup(fibAddr)
	require.True(t, ok)
	assert.Equal(t, "fixture.elf", loc.Image)
	a, err := tab.Resolve("main.main")
	require.NoError(t, err)
	loc, ok = tab.Lookup(a)
	require.True(t, ok)
	assert.Equal(t, "goprog.elf", loc.Image)
	assert.Equal(t, "main.main", loc.Func)
}

func TestCorruptELF(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(fixture)
	require.NoError(t, err)
	for name, data := range map[string][]byte{
		"empty":     nil,
		"text":      []byte("this is not an ELF file\n"),
		"truncated": good[:100],
		"badshoff":  append(append([]byte{}, good[:0x28]...), append([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}, good[0x30:]...)...),
	} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o644))
		_, err := Load(p)
		if assert.Error(t, err, "Load(%s) = nil error, want one", name) {
			assert.Contains(t, err.Error(), p, "the error names the file")
		}
	}
	_, err = Load(filepath.Join(dir, "missing.elf"))
	assert.Error(t, err)
}

// TestCKernel symbolizes the C core's kmain when build/ckernel.elf exists.
func TestCKernel(t *testing.T) {
	p := testenv.Build(t, "ckernel.elf")
	if _, err := os.Stat(p); err != nil {
		t.Skip("build/ckernel.elf not built (make kernel)")
	}
	tab, err := Load(p)
	require.NoError(t, err)
	a, err := tab.Resolve("kmain")
	require.NoError(t, err)
	loc, ok := tab.Lookup(a)
	require.True(t, ok)
	assert.Equal(t, "kmain", loc.Func)
	assert.NotEmpty(t, loc.File, "kmain has a DWARF line")
}

func TestVariable(t *testing.T) {
	tab, err := Load(fixture)
	require.NoError(t, err)
	v, err := tab.Variable("magic")
	require.NoError(t, err)
	assert.Equal(t, uint64(magicAddr), v.Addr)
	assert.Equal(t, int64(8), v.Type.Size())
	assert.Equal(t, "long unsigned int", v.Type.String())
	v, err = tab.Variable("l0")
	require.NoError(t, err)
	assert.Equal(t, int64(4096), v.Type.Size(), "l0 is unsigned long[512]")
	_, err = tab.Variable("nope")
	assert.True(t, errors.Is(err, ErrUnknownSymbol), "Variable(nope) = %v, want ErrUnknownSymbol", err)
}
