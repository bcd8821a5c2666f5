package fat32

import (
	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/vfs"
)

// Volume returns fs as the VFS mounts it (vfs.FS.MountVolume).
func (fs *FS) Volume() vfs.Volume { return volume{fs} }

type volume struct{ fs *FS }

func (v volume) Root() vfs.Backing { return vfsNode{v.fs.root} }
func (v volume) Sync() error       { return v.fs.Sync() }

// vfsNode is a Node as a vfs.Backing.
type vfsNode struct{ *Node }

// Mode is what Linux shows for vfat with its default masks (the mounting
// process's umask, 022): rwxr-xr-x for everything, FAT having no owners
// or permissions, minus the write bits for a read-only file.
func (v vfsNode) Mode() uint32 {
	mode := uint32(linux.S_IFREG | 0o755)
	if v.IsDir() {
		mode = linux.S_IFDIR | 0o755
	}
	if v.ReadOnly() {
		mode &^= 0o222
	}
	return mode
}

func (v vfsNode) Entries() ([]vfs.DirEntry, error) {
	nodes, err := v.Node.Entries()
	if err != nil {
		return nil, err
	}
	es := make([]vfs.DirEntry, len(nodes))
	for i, n := range nodes {
		es[i] = vfs.DirEntry{Name: n.Name(), Node: vfsNode{n}}
	}
	return es, nil
}

func (v vfsNode) Create(name string, dir bool) (vfs.Backing, error) {
	n, err := v.Node.Create(name, dir)
	if err != nil {
		return nil, err
	}
	return vfsNode{n}, nil
}

func (v vfsNode) Rename(oldName string, to vfs.Backing, newName string) error {
	t, ok := to.(vfsNode)
	if !ok {
		return linux.EXDEV
	}
	return v.Node.Rename(oldName, t.Node, newName)
}
