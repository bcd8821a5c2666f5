package mm

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// cCoreTables builds kernel-region tables the way ckernel/vm.c does: an L0
// table, and tables below it only where something is mapped. It maps one
// page of the Go runtime's heap at goHeap and returns the L0 table and the
// L3 table that holds the page.
func cCoreTables(t *testing.T, v *testVM, goHeap, pa uint64) (l0, l3 uint64) {
	t.Helper()
	alloc := func() uint64 {
		p, err := v.buddy.Alloc(0)
		require.NoError(t, err)
		v.mem.Zero(p, PageSize)
		return p
	}
	l0 = alloc()
	table := l0
	for level := 0; level < 3; level++ {
		next := alloc()
		v.mem.Store64(table+tableIndex(goHeap, level)*8, uint64(MakeTable(next)))
		table = next
	}
	v.mem.Store64(table+tableIndex(goHeap, 3)*8, uint64(MakeLeaf(3, pa, AttrNormal, ProtRead|ProtWrite)))
	return l0, table
}

func TestAdoptVM(t *testing.T) {
	host := newTestVM(t, 8*MiB)          // only for its RAM and buddy allocator
	const goHeap = 0x0000_c000_0000_0000 // ckernel/vma.h MMAP_BASE: L0 entry 384
	l0, l3 := cCoreTables(t, host, goHeap, 0x40123000)

	vm, err := AdoptVM(host.mem, host.buddy, logTLB{host.log}, l0)
	require.NoError(t, err)
	require.Equal(t, int64(255), vm.Stats().TablePages, "255 empty kernel L0 entries got an L1 table; the C core's one was kept")
	require.Equal(t, l0, vm.Kernel().TTBR0(), "the kernel space is the C core's table, ASID 0")

	us, err := vm.NewSpace()
	require.NoError(t, err)
	got, err := us.Translate(goHeap + 0x10)
	require.NoError(t, err, "the Go heap page the C core mapped is visible in a new space")
	require.Equal(t, uint64(0x40123010), got.PA)

	// A page the C core maps later, in a table it already had, shows up in
	// the existing space too: the tables are shared, not copied.
	host.mem.Store64(l3+tableIndex(goHeap+PageSize, 3)*8, uint64(MakeLeaf(3, 0x40456000, AttrNormal, ProtRead)))
	got, err = us.Translate(goHeap + PageSize)
	require.NoError(t, err)
	require.Equal(t, uint64(0x40456000), got.PA)
	// And so does one Go maps in another L0 slot.
	require.NoError(t, vm.Kernel().Map(KernelTop-PageSize, 0x40789000, PageSize, AttrNormal, ProtRead))
	got, err = us.Translate(KernelTop - PageSize)
	require.NoError(t, err)
	require.Equal(t, uint64(0x40789000), got.PA)

	// A kernel L0 entry that is a block is not something to adopt.
	bad, err := host.buddy.Alloc(0)
	require.NoError(t, err)
	host.mem.Zero(bad, PageSize)
	host.mem.Store64(bad+300*8, 0x40000001)
	_, err = AdoptVM(host.mem, host.buddy, logTLB{host.log}, bad)
	require.ErrorIs(t, err, ErrBadArgument)
}
