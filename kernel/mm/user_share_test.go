package mm

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSharedPageCopyOnWrite(t *testing.T) {
	v := newTestVM(t, 8*MiB)
	free := v.buddy.Stats().FreePages
	pa, err := v.AllocPage()
	require.NoError(t, err)
	v.mem.WriteAt([]byte("cached"), int64(pa))

	a, b := newTestUser(t, v), newTestUser(t, v)
	const va = 0x400000
	for _, us := range []*UserSpace{a, b} {
		require.NoError(t, us.MapAnon(va, PageSize, ProtRead|ProtWrite, false))
		require.NoError(t, us.MapPage(va, pa))
		tr, err := us.AddressSpace().Translate(va)
		require.NoError(t, err)
		require.Equal(t, pa, tr.PA&^pageMask, "both spaces map the cached page")
		require.Zero(t, tr.Prot&ProtWrite, "a private area maps it read-only")
	}
	require.ErrorIs(t, a.MapPage(va+PageSize, pa), ErrFault, "MapPage outside any area")

	require.NoError(t, a.CopyOut(va, []byte("mine!!")))
	got := make([]byte, 6)
	require.NoError(t, b.CopyIn(got, va))
	require.Equal(t, "cached", string(got), "a write in one space is copied, not shared")
	v.mem.ReadAt(got, int64(pa))
	require.Equal(t, "cached", string(got), "the cached page is unchanged")

	a.Destroy()
	b.Destroy()
	v.DropPage(pa)
	require.Equal(t, free, v.buddy.Stats().FreePages, "every page came back")
}
