package vfs

import (
	"strings"
	"time"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

// Backing is a file or directory kept by a file system other than the
// ramfs: a FAT32 volume on the SD card (kernel/fat32). An Inode made for
// one delegates to it instead of keeping bytes and children itself: its
// data, size and times come from the Backing, and a directory's children
// are read from it on first use and then kept, one Inode per entry, so
// the ramfs code around (path walks, getcwd, getdents) works unchanged.
// Every change (create, write, remove, rename) goes to the Backing first
// and reaches the Inode tree only if it succeeded.
//
// Errors are linux.Errno values or wrap one; anything else reaches the
// program as EIO.
type Backing interface {
	Mode() uint32 // st_mode: S_IFREG or S_IFDIR and permissions
	Size() int64
	ModTime() time.Time
	ReadAt(p []byte, off int64) (int, error)
	WriteAt(p []byte, off int64) (int, error)
	Truncate(size int64) error
	Touch() error

	// For directories.
	Entries() ([]DirEntry, error)
	Create(name string, dir bool) (Backing, error)
	Remove(name string, dir bool) error
	Rename(oldName string, to Backing, newName string) error
}

// DirEntry is one entry of a Backing directory.
type DirEntry struct {
	Name string
	Node Backing
}

// Volume is a mounted file system that is not the ramfs.
type Volume interface {
	Root() Backing
	// Sync writes out whatever the volume has not yet written.
	Sync() error
}

// backedDev is st_dev for files on a mounted volume (the ramfs is 1).
const backedDev = 2

func newBacked(b Backing) *Inode {
	n := &Inode{Ino: nextIno.Add(1), Mode: b.Mode(), back: b}
	if n.IsDir() {
		n.children = map[string]*Inode{}
	}
	return n
}

// load reads a backed directory's entries into children the first time.
// A directory that cannot be read looks empty, and is tried again next
// time. The caller holds n.mu.
func (n *Inode) load() {
	if n.back == nil || n.loaded || !n.IsDir() {
		return
	}
	ents, err := n.back.Entries()
	if err != nil {
		return
	}
	for _, e := range ents {
		c := newBacked(e.Node)
		if c.IsDir() {
			c.parent = n
		}
		n.children[e.Name] = c
	}
	n.loaded = true
}

// entry returns the map key and inode of child name. On a volume it
// matches without regard to case, as FAT does (CONFIG.TXT is config.txt).
// The caller holds n.mu.
func (n *Inode) entry(name string) (string, *Inode) {
	if c, ok := n.children[name]; ok || n.back == nil {
		return name, c
	}
	for k, c := range n.children {
		if strings.EqualFold(k, name) {
			return k, c
		}
	}
	return name, nil
}

// createBacked makes a file or directory in backed directory d.
func (d *Inode) createBacked(name string, mode uint32) (*Inode, error) {
	typ := mode & linux.S_IFMT
	if typ != linux.S_IFREG && typ != linux.S_IFDIR {
		return nil, linux.EPERM // no links or device files on FAT
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.load()
	if _, c := d.entry(name); c != nil {
		return nil, linux.EEXIST
	}
	b, err := d.back.Create(name, typ == linux.S_IFDIR)
	if err != nil {
		return nil, err
	}
	c := newBacked(b)
	if c.IsDir() {
		c.parent = d
		c.loaded = true // new and empty
	}
	d.children[name] = c
	return c, nil
}

// removeBacked unlinks an entry of backed directory d.
func (d *Inode) removeBacked(name string, dir bool) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.load()
	name, n := d.entry(name)
	switch {
	case n == nil:
		return linux.ENOENT
	case dir && !n.IsDir():
		return linux.ENOTDIR
	case !dir && n.IsDir():
		return linux.EISDIR
	}
	if err := d.back.Remove(name, dir); err != nil {
		return err
	}
	delete(d.children, name)
	return nil
}

// renameBacked moves entry n, oname in od, to nname in nd, both backed
// directories of one volume. A file already called nname (in any case)
// is replaced; renaming to a name that differs only in case changes it.
func renameBacked(od *Inode, oname string, nd *Inode, nname string, n *Inode) error {
	if od.back == nil || nd.back == nil {
		return linux.EXDEV
	}
	od.mu.Lock()
	okey, _ := od.entry(oname)
	od.mu.Unlock()
	nd.mu.Lock()
	nkey, old := nd.entry(nname)
	nd.mu.Unlock()
	switch {
	case old == n && okey == nname:
		return nil // the name it has
	case old != nil && old != n && old.IsDir():
		return linux.EISDIR
	}
	if err := od.back.Rename(okey, nd.back, nname); err != nil {
		return err
	}
	od.mu.Lock()
	delete(od.children, okey)
	od.mu.Unlock()
	nd.mu.Lock()
	if old != nil {
		delete(nd.children, nkey)
	}
	nd.children[nname] = n
	nd.mu.Unlock()
	if n.IsDir() {
		n.mu.Lock()
		n.parent = nd
		n.mu.Unlock()
	}
	return nil
}

// MountVolume mounts v at path (an empty ramfs directory).
func (fs *FS) MountVolume(path string, v Volume) error {
	return fs.MountVolumeFrom("none", path, "volume", v)
}

// MountVolumeFrom mounts v at path, recording the device it came from and
// its type for /proc/mounts.
func (fs *FS) MountVolumeFrom(source, path, fstype string, v Volume) error {
	root := newBacked(v.Root())
	if err := fs.Mount(path, root); err != nil {
		return err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.volumes = append(fs.volumes, mounted{root: root, v: v, source: source, path: path, fstype: fstype})
	return nil
}

// Unmount syncs the volume mounted at path and puts an empty directory
// back in its place. Files still open on it keep working (as after a lazy
// umount), but new lookups no longer reach it.
func (fs *FS) Unmount(path string) error {
	d, name, err := fs.Parent(nil, path)
	if err != nil {
		return err
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, m := range fs.volumes {
		if d.children[name] == m.root {
			if err := m.v.Sync(); err != nil {
				return err
			}
			empty := newInode(linux.S_IFDIR | 0o755)
			empty.parent = d
			d.children[name] = empty
			fs.volumes = append(fs.volumes[:i], fs.volumes[i+1:]...)
			return nil
		}
	}
	return linux.EINVAL // not a mount point
}

// Sync writes out every mounted volume (sync(2)).
func (fs *FS) Sync() error {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var first error
	for _, m := range fs.volumes {
		if err := m.v.Sync(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// mounted is a volume and the inode of its root.
type mounted struct {
	root                 *Inode
	v                    Volume
	source, path, fstype string // for /proc/mounts
}

// isVolumeRoot reports whether n is the root of a mounted volume.
func (fs *FS) isVolumeRoot(n *Inode) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, m := range fs.volumes {
		if m.root == n {
			return true
		}
	}
	return false
}
