package vfs

import (
	"strings"
	"sync"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

// maxSymlinks is how many links one resolution follows before ELOOP (Linux: 40).
const maxSymlinks = 40

// FS is a tree of inodes with one root.
type FS struct {
	Root *Inode

	mu      sync.Mutex // guards volumes
	volumes []mounted  // mounted volumes (backing.go)
}

// New returns a file system with an empty root directory.
func New() *FS {
	return &FS{Root: newInode(linux.S_IFDIR | 0o755)}
}

// Lookup resolves path from cwd (absolute paths from the root). With follow
// false a final symbolic link is returned itself, as lstat and O_NOFOLLOW
// want.
func (fs *FS) Lookup(cwd *Inode, path string, follow bool) (*Inode, error) {
	budget := maxSymlinks
	return fs.walk(cwd, path, follow, &budget)
}

func (fs *FS) walk(cwd *Inode, path string, follow bool, budget *int) (*Inode, error) {
	if path == "" {
		return nil, linux.ENOENT
	}
	if len(path) > 4095 {
		return nil, linux.ENAMETOOLONG
	}
	n := cwd
	if path[0] == '/' || n == nil {
		n = fs.Root
	}
	parts := strings.Split(path, "/")
	for i, name := range parts {
		if name == "" || name == "." {
			continue
		}
		if !n.IsDir() {
			return nil, linux.ENOTDIR
		}
		c := n.Child(name)
		if c == nil {
			return nil, linux.ENOENT
		}
		last := true
		for _, rest := range parts[i+1:] {
			if rest != "" {
				last = false
				break
			}
		}
		if c.Mode&linux.S_IFMT == linux.S_IFLNK && (!last || follow || strings.HasSuffix(path, "/")) {
			if *budget--; *budget < 0 {
				return nil, linux.ELOOP
			}
			t, err := fs.walk(n, c.Target(), true, budget)
			if err != nil {
				return nil, err
			}
			c = t
		}
		n = c
	}
	if strings.HasSuffix(path, "/") && !n.IsDir() {
		return nil, linux.ENOTDIR
	}
	return n, nil
}

// Parent resolves all but the last component of path and returns that
// directory and the last name, for calls that create or remove an entry.
func (fs *FS) Parent(cwd *Inode, path string) (*Inode, string, error) {
	path = strings.TrimRight(path, "/")
	if path == "" {
		return nil, "", linux.EEXIST // the root itself
	}
	dir, name := ".", path
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		dir, name = path[:i+1], path[i+1:]
	}
	d, err := fs.Lookup(cwd, dir, true)
	if err != nil {
		return nil, "", err
	}
	if !d.IsDir() {
		return nil, "", linux.ENOTDIR
	}
	if name == "." || name == ".." {
		return nil, "", linux.EEXIST
	}
	return d, name, validName(name)
}

// Create makes a new inode of mode at path; EEXIST if the name is taken.
func (fs *FS) Create(cwd *Inode, path string, mode uint32) (*Inode, error) {
	d, name, err := fs.Parent(cwd, path)
	if err != nil {
		return nil, err
	}
	if d.back != nil {
		return d.createBacked(name, mode)
	}
	n := newInode(mode)
	return n, d.link(name, n)
}

// Mkdir makes a directory.
func (fs *FS) Mkdir(cwd *Inode, path string, perm uint32) error {
	_, err := fs.Create(cwd, path, linux.S_IFDIR|perm&0o7777)
	return err
}

// Symlink makes a symbolic link at path pointing to target.
func (fs *FS) Symlink(cwd *Inode, target, path string) error {
	n, err := fs.Create(cwd, path, linux.S_IFLNK|0o777)
	if err == nil {
		n.target = target
	}
	return err
}

// AddDevice makes a character device file.
func (fs *FS) AddDevice(cwd *Inode, path string, rdev uint64, dev Device) error {
	n, err := fs.Create(cwd, path, linux.S_IFCHR|0o666)
	if err == nil {
		n.Dev, n.Rdev = dev, rdev
	}
	return err
}

// Mount puts root at path, which must be an empty directory: later lookups
// go into root's tree (procfs, devfs).
func (fs *FS) Mount(path string, root *Inode) error {
	d, name, err := fs.Parent(nil, path)
	if err != nil {
		return err
	}
	if d.back != nil {
		return linux.EPERM // a mount inside a mounted volume would hide its entries
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if old := d.children[name]; old != nil && (!old.IsDir() || len(old.Names()) != 0) {
		return linux.EBUSY
	}
	d.children[name] = root
	root.parent = d
	return nil
}

// Remove unlinks path: a directory only with dir set (rmdir, AT_REMOVEDIR)
// and only when empty; anything else only without.
func (fs *FS) Remove(cwd *Inode, path string, dir bool) error {
	d, name, err := fs.Parent(cwd, path)
	if err != nil {
		return err
	}
	if d.back != nil {
		return d.removeBacked(name, dir)
	}
	if n := d.Child(name); n != nil && fs.isVolumeRoot(n) {
		return linux.EBUSY
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	n := d.children[name]
	if n == nil {
		return linux.ENOENT
	}
	switch {
	case dir && !n.IsDir():
		return linux.ENOTDIR
	case !dir && n.IsDir():
		return linux.EISDIR
	case dir && len(n.Names()) != 0:
		return linux.ENOTEMPTY
	}
	delete(d.children, name)
	return nil
}

// Rename moves oldpath to newpath, replacing a non-directory there.
func (fs *FS) Rename(cwd *Inode, oldpath, newpath string) error {
	od, oname, err := fs.Parent(cwd, oldpath)
	if err != nil {
		return err
	}
	nd, nname, err := fs.Parent(cwd, newpath)
	if err != nil {
		return err
	}
	n := od.Child(oname)
	if n == nil {
		return linux.ENOENT
	}
	for p := nd; p != nil; p = p.parent {
		if p == n {
			return linux.EINVAL // into its own subtree
		}
		if p.parent == nil || p.parent == p {
			break
		}
	}
	if fs.isVolumeRoot(n) {
		return linux.EBUSY
	}
	if od.back != nil || nd.back != nil {
		return renameBacked(od, oname, nd, nname, n)
	}
	if old := nd.Child(nname); old != nil {
		if old == n {
			return nil
		}
		if old.IsDir() {
			return linux.EISDIR
		}
	}
	od.mu.Lock()
	delete(od.children, oname)
	od.mu.Unlock()
	nd.mu.Lock()
	nd.children[nname] = n
	nd.mu.Unlock()
	if n.IsDir() {
		n.mu.Lock()
		n.parent = nd
		n.mu.Unlock()
	}
	return nil
}

// Path returns an absolute path of directory n, for getcwd.
func (fs *FS) Path(n *Inode) string {
	var parts []string
	for n != fs.Root && n.parent != nil {
		p := n.parent
		name := "?"
		p.mu.Lock()
		for k, c := range p.children {
			if c == n {
				name = k
				break
			}
		}
		p.mu.Unlock()
		parts = append([]string{name}, parts...)
		n = p
	}
	return "/" + strings.Join(parts, "/")
}

// WriteFile creates or replaces a regular file with data (for building the
// tree at boot and in tests).
func (fs *FS) WriteFile(path string, data []byte, perm uint32) error {
	n, err := fs.Lookup(nil, path, true)
	if err == linux.ENOENT {
		n, err = fs.Create(nil, path, linux.S_IFREG|perm&0o7777)
	}
	if err != nil {
		return err
	}
	if err := n.Truncate(0); err != nil {
		return err
	}
	_, err = n.WriteAt(data, 0)
	return err
}
