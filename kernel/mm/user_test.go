package mm

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func newTestUser(t testing.TB, v *testVM) *UserSpace {
	t.Helper()
	us, err := v.NewUserSpace()
	require.NoError(t, err)
	return us
}

func TestDemandZero(t *testing.T) {
	v := newTestVM(t, 8*MiB)
	us := newTestUser(t, v)
	require.NoError(t, us.MapAnon(0x10000, 4*PageSize, ProtRead|ProtWrite, false))
	_, err := us.AddressSpace().Translate(0x11000)
	require.ErrorIs(t, err, ErrNotMapped, "nothing is mapped before the first touch")
	free := v.buddy.Stats().FreePages

	require.NoError(t, us.Fault(0x11234, AccessWrite))
	tr, err := us.AddressSpace().Translate(0x11234)
	require.NoError(t, err)
	require.Equal(t, ProtRead|ProtWrite|ProtUser, tr.Prot)
	page := make([]byte, PageSize)
	v.mem.ReadAt(page, int64(tr.PA&^pageMask))
	require.Equal(t, make([]byte, PageSize), page, "demand-zero page is zero")
	require.Equal(t, uint64(1), us.Faults.DemandZero.Load())
	require.Less(t, v.buddy.Stats().FreePages, free, "the page (and its tables) came from the buddy allocator")

	require.NoError(t, us.Fault(0x11000, AccessRead))
	require.Equal(t, uint64(1), us.Faults.Spurious.Load(), "second fault on a present page is spurious")
	require.Equal(t, uint64(1), v.Stats().DemandZero)
}

func TestFaultRefused(t *testing.T) {
	v := newTestVM(t, 8*MiB)
	us := newTestUser(t, v)
	require.NoError(t, us.MapAnon(0x10000, PageSize, ProtRead, false))
	require.NoError(t, us.MapAnon(0x20000, PageSize, ProtRead|ProtWrite, false))
	tests := []struct {
		name   string
		va     uint64
		access Access
	}{
		{"no area", 0x30000, AccessRead},
		{"just below an area", 0xffff, AccessRead},
		{"just after an area", 0x11000, AccessRead},
		{"write to read-only", 0x10000, AccessWrite},
		{"exec of data", 0x20000, AccessExec},
	}
	for _, tt := range tests {
		require.ErrorIs(t, us.Fault(tt.va, tt.access), ErrFault, "%s: Fault(%#x)", tt.name, tt.va)
	}
	require.Equal(t, uint64(len(tests)), us.Faults.Bad.Load())
	require.ErrorIs(t, us.MapAnon(0x10000, 2*PageSize, ProtRead, false), ErrOverlap)
	require.ErrorIs(t, us.MapAnon(0xf000, 2*PageSize, ProtRead, false), ErrOverlap)
	require.ErrorIs(t, us.MapAnon(KernelBase, PageSize, ProtRead, false), ErrBadArgument)
	require.ErrorIs(t, us.MapAnon(0x40000, PageSize, ProtWrite, false), ErrBadArgument)
}

// CopyIn from two spaces at the same VA sees different memory; CopyIn of an
// unmapped address is EFAULT.
func TestCopyInOut(t *testing.T) {
	v := newTestVM(t, 8*MiB)
	a, b := newTestUser(t, v), newTestUser(t, v)
	const va = 0x400000 - 3 // straddles a page boundary
	for _, us := range []*UserSpace{a, b} {
		require.NoError(t, us.MapAnon(0x3ff000, 2*PageSize, ProtRead|ProtWrite, false))
	}
	require.NoError(t, a.CopyOut(va, []byte("process A")))
	require.NoError(t, b.CopyOut(va, []byte("process B")))
	for _, tt := range []struct {
		us   *UserSpace
		want string
	}{{a, "process A"}, {b, "process B"}} {
		got := make([]byte, 9)
		require.NoError(t, tt.us.CopyIn(got, va))
		require.Equal(t, tt.want, string(got), "CopyIn(%#x) in ASID %d", va, tt.us.AddressSpace().ASID())
	}
	buf := make([]byte, 8)
	for _, bad := range []uint64{0, 0x3fe000, 0x401000 - 4, KernelBase, ^uint64(0) - 2} {
		require.ErrorIs(t, a.CopyIn(buf, bad), ErrFault, "CopyIn(%#x)", bad)
	}
	require.NoError(t, a.MapAnon(0x500000, PageSize, ProtRead, false))
	require.ErrorIs(t, a.CopyOut(0x500000, []byte("x")), ErrFault, "CopyOut to a read-only area")
	require.NoError(t, a.CopyIn(buf, 0x500000), "CopyIn from an untouched area demand-zeroes it")
	require.Equal(t, make([]byte, 8), buf)
}

func TestCopyInString(t *testing.T) {
	v := newTestVM(t, 8*MiB)
	us := newTestUser(t, v)
	require.NoError(t, us.MapAnon(0x10000, 2*PageSize, ProtRead|ProtWrite, false))
	path := "/usr/share/burrow/" + strings.Repeat("x", 40)
	at := uint64(0x11000 - 10) // across the page boundary
	require.NoError(t, us.CopyOut(at, append([]byte(path), 0)))
	tests := []struct {
		va    uint64
		limit int
		want  string
		err   error
	}{
		{at, 4096, path, nil},
		{at, len(path), path, nil},
		{at, len(path) - 1, "", ErrBadArgument},
		{at + 18, 100, strings.Repeat("x", 40), nil},
		{0x12000 - 4, 100, "", nil}, // zero page: empty string
		{0x13000, 10, "", ErrFault},
	}
	for _, tt := range tests {
		got, err := us.CopyInString(tt.va, tt.limit)
		if tt.err != nil {
			require.ErrorIs(t, err, tt.err, "CopyInString(%#x, %d)", tt.va, tt.limit)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tt.want, got, "CopyInString(%#x, %d)", tt.va, tt.limit)
	}
	// A string running off the end of the area is EFAULT.
	require.NoError(t, us.CopyOut(0x12000-4, []byte("abcd")))
	_, err := us.CopyInString(0x12000-4, 100)
	require.ErrorIs(t, err, ErrFault)
}

func TestForkCopyOnWrite(t *testing.T) {
	v := newTestVM(t, 8*MiB)
	parent := newTestUser(t, v)
	const priv, shared = 0x10000, 0x20000
	require.NoError(t, parent.MapAnon(priv, PageSize, ProtRead|ProtWrite, false))
	require.NoError(t, parent.MapAnon(shared, PageSize, ProtRead|ProtWrite, true))
	require.NoError(t, parent.CopyOut(priv, []byte("parent")))
	require.NoError(t, parent.CopyOut(shared, []byte("shared")))

	child, err := parent.Fork()
	require.NoError(t, err)
	require.Equal(t, parent.VMAs(), child.VMAs())
	pt, _ := parent.AddressSpace().Translate(priv)
	ct, _ := child.AddressSpace().Translate(priv)
	require.Equal(t, pt.PA, ct.PA, "after fork, private pages are shared")
	require.Equal(t, ProtRead|ProtUser, pt.Prot, "and read-only in the parent")
	require.Equal(t, ProtRead|ProtUser, ct.Prot, "and in the child")

	// The child writes: it gets its own copy; the parent's data is intact.
	require.NoError(t, child.CopyOut(priv, []byte("child!")))
	require.Equal(t, uint64(1), child.Faults.COWCopied.Load())
	got := make([]byte, 6)
	require.NoError(t, parent.CopyIn(got, priv))
	require.Equal(t, "parent", string(got))
	require.NoError(t, child.CopyIn(got, priv))
	require.Equal(t, "child!", string(got))
	ct, _ = child.AddressSpace().Translate(priv)
	require.NotEqual(t, pt.PA, ct.PA)

	// The parent writes: its page is no longer shared, so no copy.
	require.NoError(t, parent.CopyOut(priv, []byte("PARENT")))
	require.Equal(t, uint64(1), parent.Faults.COWReused.Load())
	pt2, _ := parent.AddressSpace().Translate(priv)
	require.Equal(t, pt.PA, pt2.PA, "reused in place")
	require.Equal(t, ProtRead|ProtWrite|ProtUser, pt2.Prot)

	// Shared areas stay shared and writable.
	require.NoError(t, child.CopyOut(shared, []byte("SHARED")))
	require.NoError(t, parent.CopyIn(got, shared))
	require.Equal(t, "SHARED", string(got), "a write in the child's shared area shows in the parent")

	free := v.buddy.Stats().FreePages
	child.Destroy()
	parent.Destroy()
	require.Greater(t, v.buddy.Stats().FreePages, free)
	require.NoError(t, v.buddy.Check())
	require.Equal(t, int64(257), v.Stats().TablePages, "only the kernel's tables are left")
	require.Empty(t, v.refs.refs, "no page references are left")
}

func TestUnmapAndDiscard(t *testing.T) {
	v := newTestVM(t, 8*MiB)
	us := newTestUser(t, v)
	before := v.buddy.Stats().FreePages
	require.NoError(t, us.MapAnon(0x10000, 8*PageSize, ProtRead|ProtWrite, false))
	for va := uint64(0x10000); va < 0x18000; va += PageSize {
		require.NoError(t, us.CopyOut(va, []byte{1}))
	}
	require.NoError(t, us.Unmap(0x12000, 2*PageSize))
	require.Equal(t, []VMA{
		{0x10000, 0x12000, ProtRead | ProtWrite | ProtUser, false},
		{0x14000, 0x18000, ProtRead | ProtWrite | ProtUser, false},
	}, us.VMAs())
	require.ErrorIs(t, us.CopyIn(make([]byte, 1), 0x12000), ErrFault, "access in the unmapped hole")
	require.NoError(t, us.Discard(0x14000, PageSize))
	b := []byte{0xff}
	require.NoError(t, us.CopyIn(b, 0x14000))
	require.Equal(t, byte(0), b[0], "a discarded page comes back zeroed")
	require.NoError(t, us.CopyIn(b, 0x15000))
	require.Equal(t, byte(1), b[0], "other pages keep their data")
	us.Destroy()
	// before was taken with the space's root table already allocated.
	require.Equal(t, before+1, v.buddy.Stats().FreePages, "Destroy frees every page and table")
}

// BenchmarkFaultDemandZero is the "a page fault (demand zero)": one
// fault that maps a zeroed page, plus the discard that unmaps it again.
func BenchmarkFaultDemandZero(b *testing.B) {
	v := newTestVM(b, 16*MiB)
	us := newTestUser(b, v)
	require.NoError(b, us.MapAnon(0x10000, PageSize, ProtRead|ProtWrite, false))
	for b.Loop() {
		if err := us.Fault(0x10000, AccessWrite); err != nil {
			b.Fatal(err)
		}
		us.Discard(0x10000, PageSize)
	}
}

// Threads of one program fault on the same pages at once: each page is
// mapped once, the others see spurious faults, and nobody's data is lost.
func TestConcurrentFaults(t *testing.T) {
	v := newTestVM(t, 16*MiB)
	us := newTestUser(t, v)
	const pages = 64
	require.NoError(t, us.MapAnon(0x100000, pages*PageSize, ProtRead|ProtWrite, false))
	done := make(chan error)
	for g := range 4 {
		go func() {
			for p := range pages {
				// Each goroutine writes its own byte of every page.
				if err := us.CopyOut(0x100000+uint64(p)*PageSize+uint64(g), []byte{byte(g + 1)}); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		require.NoError(t, <-done)
	}
	require.Equal(t, uint64(pages), us.Faults.DemandZero.Load(), "one demand-zero fault per page")
	for p := range pages {
		got := make([]byte, 4)
		require.NoError(t, us.CopyIn(got, 0x100000+uint64(p)*PageSize))
		require.Equal(t, []byte{1, 2, 3, 4}, got, "page %d", p)
	}
}
