package mm

import (
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

// The same PhysMem behaviour from both implementations.
func TestPhysMemImplementations(t *testing.T) {
	const base = 0x80000
	impls := map[string]PhysMem{
		"SliceMem":  NewSliceMem(base, 4*PageSize),
		"DirectMap": NewDirectMapSlice(make([]byte, 4*PageSize), base),
	}
	for name, m := range impls {
		m.Store64(base+8, 0x1122334455667788)
		require.Equal(t, uint64(0x1122334455667788), m.Load64(base+8), "%s: Load64 after Store64", name)
		b := make([]byte, 2)
		_, err := m.ReadAt(b, base+8)
		require.NoError(t, err)
		require.Equal(t, []byte{0x88, 0x77}, b, "%s: little-endian descriptor bytes", name)
		_, err = m.WriteAt([]byte("burrow"), base+PageSize-3)
		require.NoError(t, err)
		got := make([]byte, 6)
		_, err = m.ReadAt(got, base+PageSize-3)
		require.NoError(t, err)
		require.Equal(t, "burrow", string(got), "%s: ReadAt across a page boundary", name)
		m.Zero(base, PageSize)
		require.Zero(t, m.Load64(base+8), "%s: Zero", name)
		n, err := m.ReadAt(make([]byte, 16), base+4*PageSize-8)
		require.Equal(t, 8, n)
		require.ErrorIs(t, err, io.EOF, "%s: ReadAt past the end", name)
		_, err = m.WriteAt([]byte{1}, base-1)
		require.Error(t, err, "%s: WriteAt below the start", name)
		require.Panics(t, func() { m.Load64(base + 4*PageSize) }, "%s: Load64 outside RAM is a bug and panics", name)
	}
}

// The page-table code runs unchanged over the direct map.
func TestVMOverDirectMap(t *testing.T) {
	const base = 0x40000000
	mem := NewDirectMapSlice(make([]byte, 4*MiB), base)
	b, err := NewBuddy([]Region{{Address: base, Size: 4 * MiB}}, nil)
	require.NoError(t, err)
	vm, err := NewVM(mem, b, nopTLB{})
	require.NoError(t, err)
	as, err := vm.NewSpace()
	require.NoError(t, err)
	require.NoError(t, as.Map(0x1000, base+0x3000, PageSize, AttrNormal, ProtRead))
	got, err := as.Translate(0x1abc)
	require.NoError(t, err)
	require.Equal(t, uint64(base+0x3abc), got.PA)
}

// nopTLB is a TLB for tests that do not look at maintenance.
type nopTLB struct{}

func (nopTLB) DSBISHST()                 {}
func (nopTLB) TLBIVAE1IS(uint16, uint64) {}
func (nopTLB) TLBIVAAE1IS(uint64)        {}
func (nopTLB) TLBIASIDE1IS(uint16)       {}
func (nopTLB) DSBISH()                   {}
func (nopTLB) ISB()                      {}
