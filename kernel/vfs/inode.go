package vfs

import (
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

// Device is what a character device inode does on read and write. Read may
// block; ctx-free by design: a blocked reader is woken by the device.
type Device interface {
	Read(f *File, p []byte) (int, error)
	Write(f *File, p []byte) (int, error)
}

// Ioctler is a Device that answers ioctl(2). arg is the raw user argument;
// mem copies to and from the caller's memory.
type Ioctler interface {
	Ioctl(f *File, cmd uint64, arg uint64, mem UserMemory) (uint64, error)
}

// UserMemory is the calling process's memory, as kernel/proc provides it.
type UserMemory interface {
	CopyIn(dst []byte, va uint64) error
	CopyOut(va uint64, src []byte) error
}

// Inode is a file, directory, symbolic link or device.
type Inode struct {
	Ino   uint64
	Mode  uint32      // type and permission bits, as st_mode
	Dev   Device      // for S_IFCHR
	Block BlockDevice // for S_IFBLK
	Rdev  uint64

	mu       sync.Mutex // guards data, children, target, mtime, version
	data     []byte
	version  uint64 // bumped by every change to data, for caches of it
	children map[string]*Inode
	parent   *Inode
	target   string
	mtime    time.Time

	// back, when set, holds the data and entries instead (a FAT32 file
	// or directory: backing.go); loaded says a backed directory's
	// children have been read from it.
	back   Backing
	loaded bool
}

var nextIno atomic.Uint64

func newInode(mode uint32) *Inode {
	n := &Inode{Ino: nextIno.Add(1), Mode: mode, mtime: time.Now()}
	if mode&linux.S_IFMT == linux.S_IFDIR {
		n.children = map[string]*Inode{}
	}
	return n
}

// IsDir reports whether the inode is a directory.
func (n *Inode) IsDir() bool { return n.Mode&linux.S_IFMT == linux.S_IFDIR }

// Size returns the length of a regular file or symbolic link.
func (n *Inode) Size() int64 {
	if n.back != nil {
		return n.back.Size()
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.Mode&linux.S_IFMT == linux.S_IFLNK {
		return int64(len(n.target))
	}
	return int64(len(n.data))
}

// Stat fills in struct stat.
func (n *Inode) Stat() linux.Stat {
	size := n.Size()
	dev, mtime := uint64(1), time.Time{}
	if n.back != nil {
		dev, mtime = backedDev, n.back.ModTime()
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.back == nil {
		mtime = n.mtime
	}
	ts := linux.Timespec{Sec: mtime.Unix(), Nsec: int64(mtime.Nanosecond())}
	nlink := uint32(1)
	if n.IsDir() {
		nlink = 2
	}
	return linux.Stat{Dev: dev, Ino: n.Ino, Mode: n.Mode, Nlink: nlink, Rdev: n.Rdev, Size: size,
		Blksize: 4096, Blocks: (size + 511) / 512, Atime: ts, Mtime: ts, Ctime: ts}
}

// Names returns a directory's entries in order.
func (n *Inode) Names() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.load()
	names := make([]string, 0, len(n.children))
	for name := range n.children {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Child returns a directory entry.
func (n *Inode) Child(name string) *Inode {
	n.mu.Lock()
	defer n.mu.Unlock()
	if name == ".." {
		if n.parent == nil {
			return n
		}
		return n.parent
	}
	if name == "." {
		return n
	}
	n.load()
	_, c := n.entry(name)
	return c
}

// Target returns a symbolic link's target.
func (n *Inode) Target() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.target
}

// Data returns a regular file's bytes (not a copy for a ramfs file: do
// not modify). A backed file is read whole; nil if that fails or it is
// longer than MaxFileSize.
func (n *Inode) Data() []byte {
	if n.back != nil {
		size := n.back.Size()
		if size > MaxFileSize {
			return nil
		}
		b := make([]byte, size)
		k, err := n.back.ReadAt(b, 0)
		if err != nil {
			return nil
		}
		return b[:k]
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.data
}

// ReadAt reads a regular file (0 bytes if a backed file's read fails).
func (n *Inode) ReadAt(p []byte, off int64) int {
	k, _ := n.read(p, off)
	return k
}

// read reads a regular file, with the error of a backed one.
func (n *Inode) read(p []byte, off int64) (int, error) {
	if n.back != nil {
		return n.back.ReadAt(p, off)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if off >= int64(len(n.data)) {
		return 0, nil
	}
	return copy(p, n.data[off:]), nil
}

// MaxFileSize bounds a ramfs file: its bytes are kernel memory, so a
// program cannot make the kernel allocate more than this for one file
// (writing or truncating past it is EFBIG). Files on a mounted volume
// keep the same bound, since exec and mmap copy a whole file into memory.
const MaxFileSize = 64 << 20

// WriteAt writes a regular file, growing it as needed.
func (n *Inode) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 || off > MaxFileSize || int64(len(p)) > MaxFileSize-off {
		return 0, linux.EFBIG
	}
	if n.back != nil {
		return n.back.WriteAt(p, off)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if end := off + int64(len(p)); end > int64(len(n.data)) {
		if end > int64(cap(n.data)) {
			grown := make([]byte, end, end+end/2)
			copy(grown, n.data)
			n.data = grown
		} else {
			n.data = n.data[:end]
		}
	}
	n.mtime = time.Now()
	n.version++
	return copy(n.data[off:], p), nil
}

// Version identifies the contents of a ramfs file: it changes with every
// write and truncate, so a cache of the contents (kernel/proc's page cache
// of executables) knows when it is stale. ok is false for a file on a
// mounted volume, which keeps no such count.
func (n *Inode) Version() (version uint64, ok bool) {
	if n.back != nil {
		return 0, false
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.version, true
}

// Truncate sets a regular file's length.
func (n *Inode) Truncate(size int64) error {
	if size < 0 || size > MaxFileSize {
		return linux.EFBIG
	}
	if n.back != nil {
		return n.back.Truncate(size)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.version++
	if size <= int64(len(n.data)) {
		n.data = n.data[:size]
		return nil
	}
	n.data = append(n.data, make([]byte, size-int64(len(n.data)))...)
	return nil
}

func (n *Inode) link(name string, c *Inode) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, ok := n.children[name]; ok {
		return linux.EEXIST
	}
	n.children[name] = c
	if c.IsDir() {
		c.parent = n
	}
	return nil
}

func validName(name string) error {
	if name == "" || name == "." || name == ".." || strings.Contains(name, "/") {
		return linux.EINVAL
	}
	if len(name) > 255 {
		return linux.ENAMETOOLONG
	}
	return nil
}

// Touch sets the modification time to now.
func (n *Inode) Touch() {
	if n.back != nil {
		n.back.Touch() // a failed time update is not worth an error
		return
	}
	n.mu.Lock()
	n.mtime = time.Now()
	n.mu.Unlock()
}
