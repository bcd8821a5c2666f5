package vfs

import (
	"sort"
	"testing"
	"time"

	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memNode is a Backing in memory: enough of a second file system to
// check that the VFS delegates and keeps its tree in step.
type memNode struct {
	vol      *memVolume
	dir      bool
	data     []byte
	children map[string]*memNode
}

type memVolume struct {
	root  *memNode
	syncs int
}

func newMemVolume() *memVolume {
	v := &memVolume{}
	v.root = &memNode{vol: v, dir: true, children: map[string]*memNode{}}
	return v
}

func (v *memVolume) Root() Backing { return v.root }
func (v *memVolume) Sync() error   { v.syncs++; return nil }

func (m *memNode) Mode() uint32 {
	if m.dir {
		return linux.S_IFDIR | 0o755
	}
	return linux.S_IFREG | 0o644
}
func (m *memNode) Size() int64        { return int64(len(m.data)) }
func (m *memNode) ModTime() time.Time { return time.Unix(1e9, 0) }
func (m *memNode) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(m.data)) {
		return 0, nil
	}
	return copy(p, m.data[off:]), nil
}
func (m *memNode) WriteAt(p []byte, off int64) (int, error) {
	if end := off + int64(len(p)); end > int64(len(m.data)) {
		m.data = append(m.data, make([]byte, end-int64(len(m.data)))...)
	}
	return copy(m.data[off:], p), nil
}
func (m *memNode) Truncate(size int64) error {
	m.data = m.data[:min(size, int64(len(m.data)))]
	return nil
}
func (m *memNode) Touch() error { return nil }
func (m *memNode) Entries() ([]DirEntry, error) {
	var names []string
	for k := range m.children {
		names = append(names, k)
	}
	sort.Strings(names)
	var es []DirEntry
	for _, k := range names {
		es = append(es, DirEntry{k, m.children[k]})
	}
	return es, nil
}
func (m *memNode) Create(name string, dir bool) (Backing, error) {
	if _, ok := m.children[name]; ok {
		return nil, linux.EEXIST
	}
	c := &memNode{vol: m.vol, dir: dir}
	if dir {
		c.children = map[string]*memNode{}
	}
	m.children[name] = c
	return c, nil
}
func (m *memNode) Remove(name string, dir bool) error {
	c := m.children[name]
	if c == nil {
		return linux.ENOENT
	}
	if c.dir && len(c.children) > 0 {
		return linux.ENOTEMPTY
	}
	delete(m.children, name)
	return nil
}
func (m *memNode) Rename(oldName string, to Backing, newName string) error {
	t, ok := to.(*memNode)
	if !ok || t.vol != m.vol {
		return linux.EXDEV
	}
	c := m.children[oldName]
	delete(m.children, oldName)
	t.children[newName] = c
	return nil
}

// TestVolume mounts a second file system and works on it through the VFS:
// what it finds there, what it creates and changes reaches the volume,
// and the ramfs rules (EXDEV across file systems, EBUSY for the mount
// point) hold.
func TestVolume(t *testing.T) {
	fs := testFS(t)
	require.NoError(t, fs.Mkdir(nil, "/boot", 0o755))
	v := newMemVolume()
	v.root.children["config.txt"] = &memNode{vol: v, data: []byte("arm_64bit=1\n")}
	require.NoError(t, fs.MountVolume("/boot", v))

	cfg, err := fs.Lookup(nil, "/boot/config.txt", true)
	require.NoError(t, err)
	assert.Equal(t, "arm_64bit=1\n", string(cfg.Data()))
	assert.Equal(t, uint64(backedDev), cfg.Stat().Dev, "st_dev of a file on the volume")
	again, _ := fs.Lookup(nil, "/boot/../boot/config.txt", true)
	assert.Same(t, cfg, again, "one Inode per entry")

	// Create, write through a File, read back from the volume.
	n, err := fs.Create(nil, "/boot/new.txt", linux.S_IFREG|0o644)
	require.NoError(t, err)
	f := NewFile(n, linux.O_RDWR|linux.O_APPEND, "/boot/new.txt")
	_, err = f.Write([]byte("one "))
	require.NoError(t, err)
	_, err = f.Write([]byte("two"))
	require.NoError(t, err)
	assert.Equal(t, "one two", string(v.root.children["new.txt"].data))
	_, err = n.WriteAt([]byte("x"), MaxFileSize)
	assert.Equal(t, linux.EFBIG, err, "a volume's files keep the ramfs bound")
	require.NoError(t, fs.Mkdir(nil, "/boot/dir", 0o755))
	assert.True(t, v.root.children["dir"].dir)
	assert.Equal(t, "/boot/dir", fs.Path(mustLookup(t, fs, "/boot/dir")))

	// Rename inside the volume; across file systems is EXDEV.
	require.NoError(t, fs.Rename(nil, "/boot/new.txt", "/boot/dir/moved.txt"))
	assert.Equal(t, "one two", string(v.root.children["dir"].children["moved.txt"].data))
	assert.Equal(t, []string{"config.txt", "dir"}, mustLookup(t, fs, "/boot").Names())
	assert.Equal(t, linux.EXDEV, fs.Rename(nil, "/boot/config.txt", "/etc/config.txt"))
	assert.Equal(t, linux.EXDEV, fs.Rename(nil, "/etc/motd", "/boot/motd"))

	// Remove; a non-empty directory stays; no symlinks on the volume.
	assert.Equal(t, linux.ENOTEMPTY, fs.Remove(nil, "/boot/dir", true))
	require.NoError(t, fs.Remove(nil, "/boot/dir/moved.txt", false))
	require.NoError(t, fs.Remove(nil, "/boot/dir", true))
	assert.Empty(t, v.root.children["dir"])
	assert.Equal(t, linux.EPERM, fs.Symlink(nil, "x", "/boot/link"))
	assert.Equal(t, linux.EBUSY, fs.Remove(nil, "/boot", true), "rmdir of a mount point")

	// sync(2) and umount reach the volume; after umount /boot is empty.
	require.NoError(t, fs.Sync())
	assert.Equal(t, 1, v.syncs)
	require.NoError(t, fs.Unmount("/boot"))
	assert.Equal(t, 2, v.syncs)
	assert.Empty(t, mustLookup(t, fs, "/boot").Names())
	assert.Equal(t, linux.EINVAL, fs.Unmount("/boot"), "umount of a plain directory")
}

func mustLookup(t *testing.T, fs *FS, path string) *Inode {
	t.Helper()
	n, err := fs.Lookup(nil, path, true)
	require.NoError(t, err, "Lookup(%q)", path)
	return n
}

// memDisk is a block device in memory.
type memDisk []byte

func (m memDisk) ReadAt(p []byte, off int64) (int, error)  { return copy(p, m[off:]), nil }
func (m memDisk) WriteAt(p []byte, off int64) (int, error) { return copy(m[off:], p), nil }
func (m memDisk) Size() int64                              { return int64(len(m)) }

func TestBlockDevice(t *testing.T) {
	fs := testFS(t)
	require.NoError(t, fs.Mkdir(nil, "/dev", 0o755))
	disk := make(memDisk, 4*512)
	copy(disk[510:], "\x55\xaa")
	require.NoError(t, fs.AddBlockDevice("/dev/vda", 254<<8, disk))
	n := mustLookup(t, fs, "/dev/vda")
	assert.Equal(t, uint32(linux.S_IFBLK), n.Stat().Mode&linux.S_IFMT)
	f := NewFile(n, linux.O_RDWR, "/dev/vda")
	_, err := f.Seek(509, linux.SEEK_SET)
	require.NoError(t, err)
	b := make([]byte, 4)
	k, err := f.Read(b)
	require.NoError(t, err)
	assert.Equal(t, "\x00\x55\xaa\x00", string(b[:k]), "an unaligned read across a sector boundary")
	end, _ := f.Seek(0, linux.SEEK_END)
	assert.Equal(t, int64(2048), end)
	_, err = f.Seek(512, linux.SEEK_SET)
	require.NoError(t, err)
	_, err = f.Write([]byte("short"))
	assert.Equal(t, linux.EINVAL, err, "a write of less than a sector")
	_, err = f.Write(make([]byte, 512))
	require.NoError(t, err)
}
