package fat32

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStatFS(t *testing.T) {
	fs := mount(t, newImage(t), 0)
	st, err := vfsNode{fs.Root()}.StatFS()
	require.NoError(t, err)
	require.Equal(t, uint64(msdosSuperMagic), st.Type)
	require.Equal(t, uint64(fs.bs.ClusterSize()), st.BlockSize)
	require.Equal(t, uint64(fs.bs.Clusters), st.Blocks)
	require.Less(t, st.Free, st.Blocks, "the root directory takes a cluster")

	f, err := fs.Root().Create("grow.bin", false)
	require.NoError(t, err)
	size := 3*fs.bs.ClusterSize() + 1
	_, err = f.WriteAt(pattern(1, int(size)), 0)
	require.NoError(t, err)
	after, err := vfsNode{fs.Root()}.StatFS()
	require.NoError(t, err)
	require.Equal(t, st.Free-4, after.Free, "a file of three clusters and a byte takes four")

	fs.info.Free = unknown // as after a card whose FSInfo gave no count
	counted, err := fs.FreeClusters()
	require.NoError(t, err)
	require.Equal(t, uint32(after.Free), counted, "counting the FAT agrees with the kept count")
}
