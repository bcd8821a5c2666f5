package mm

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestUserProtect(t *testing.T) {
	v := newTestVM(t, 8*MiB)
	us := newTestUser(t, v)
	const base = 0x10000
	require.NoError(t, us.MapAnon(base, 4*PageSize, ProtRead|ProtWrite, false))
	require.NoError(t, us.Fault(base+PageSize, AccessWrite)) // one page present

	require.NoError(t, us.Protect(base+PageSize, 2*PageSize, ProtRead))
	require.Equal(t, []VMA{
		{base, base + PageSize, ProtRead | ProtWrite | ProtUser, false},
		{base + PageSize, base + 3*PageSize, ProtRead | ProtUser, false},
		{base + 3*PageSize, base + 4*PageSize, ProtRead | ProtWrite | ProtUser, false},
	}, us.VMAs(), "the area is cut in three")
	tr, err := us.AddressSpace().Translate(base + PageSize)
	require.NoError(t, err)
	require.Equal(t, ProtRead|ProtUser, tr.Prot, "the present page lost its write permission")
	require.ErrorIs(t, us.Fault(base+PageSize, AccessWrite), ErrFault, "a write to the read-only part faults")
	require.ErrorIs(t, us.Fault(base+2*PageSize, AccessWrite), ErrFault, "also where no page is present yet")
	require.NoError(t, us.Fault(base, AccessWrite), "the part before the range is still writable")

	require.NoError(t, us.Protect(base+PageSize, PageSize, ProtRead|ProtWrite))
	require.NoError(t, us.Fault(base+PageSize, AccessWrite), "writable again")

	require.ErrorIs(t, us.Protect(base+3*PageSize, 2*PageSize, ProtRead), ErrFault, "a range running past the areas")
	require.Len(t, us.VMAs(), 4, "a refused call changes nothing")
}

func TestUserProtectKeepsCopyOnWrite(t *testing.T) {
	v := newTestVM(t, 8*MiB)
	parent := newTestUser(t, v)
	const va = 0x10000
	require.NoError(t, parent.MapAnon(va, PageSize, ProtRead|ProtWrite, false))
	require.NoError(t, parent.CopyOut(va, []byte("parent")))
	child, err := parent.Fork()
	require.NoError(t, err)
	require.NoError(t, child.Protect(va, PageSize, ProtRead|ProtWrite))
	tr, err := child.AddressSpace().Translate(va)
	require.NoError(t, err)
	require.Zero(t, tr.Prot&ProtWrite, "a page shared after fork stays read-only in the table")
	require.NoError(t, child.CopyOut(va, []byte("child!")))
	got := make([]byte, 6)
	require.NoError(t, parent.CopyIn(got, va))
	require.Equal(t, "parent", string(got), "the child's write was copied, not shared")
}
