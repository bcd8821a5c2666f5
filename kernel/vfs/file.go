package vfs

import (
	"encoding/binary"
	"sync"
	"sync/atomic"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

// Ops is an open file that is not an inode's data: a pipe end.
type Ops interface {
	Read(p []byte) (int, error)
	Write(p []byte) (int, error)
	Close()
}

// File is an open file description (what open(2) creates and dup(2)
// shares): the inode, the access mode and flags, and the offset.
type File struct {
	Inode *Inode
	Ops   Ops // non-nil for pipes
	Path  string

	refs   atomic.Int32
	mu     sync.Mutex // guards flags, off, dirPos
	flags  int
	off    int64
	dirPos int
}

// NewFile opens n with the given open(2) flags.
func NewFile(n *Inode, flags int, path string) *File {
	f := &File{Inode: n, flags: flags, Path: path}
	f.refs.Store(1)
	return f
}

// NewOpsFile wraps a pipe end.
func NewOpsFile(ops Ops, mode uint32, flags int) *File {
	f := &File{Inode: newInode(mode), Ops: ops, flags: flags}
	f.refs.Store(1)
	return f
}

// Ref adds a reference (dup, fork).
func (f *File) Ref() *File { f.refs.Add(1); return f }

// Release drops a reference; the last one closes a pipe end.
func (f *File) Release() {
	if f.refs.Add(-1) == 0 && f.Ops != nil {
		f.Ops.Close()
	}
}

// Flags returns the open flags; SetFlags changes O_APPEND and O_NONBLOCK.
func (f *File) Flags() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.flags
}

func (f *File) SetFlags(fl int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	const settable = linux.O_APPEND | linux.O_NONBLOCK
	f.flags = f.flags&^settable | fl&settable
}

func (f *File) readable() bool { return f.Flags()&linux.O_ACCMODE != linux.O_WRONLY }
func (f *File) writable() bool { return f.Flags()&linux.O_ACCMODE != linux.O_RDONLY }

// Read reads at the file's offset and advances it.
func (f *File) Read(p []byte) (int, error) {
	if !f.readable() {
		return 0, linux.EBADF
	}
	if f.Ops != nil {
		return f.Ops.Read(p)
	}
	switch f.Inode.Mode & linux.S_IFMT {
	case linux.S_IFCHR:
		return f.Inode.Dev.Read(f, p)
	case linux.S_IFDIR:
		return 0, linux.EISDIR
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Inode.Mode&linux.S_IFMT == linux.S_IFBLK {
		n, err := blockRead(f.Inode.Block, p, f.off)
		f.off += int64(n)
		return n, err
	}
	n, err := f.Inode.read(p, f.off)
	f.off += int64(n)
	return n, err
}

// ReadInterruptible is Read that a blocking device (the TTY) abandons with
// EINTR when intr reports true.
func (f *File) ReadInterruptible(p []byte, intr func() bool) (int, error) {
	if f.Ops == nil && f.Inode.Mode&linux.S_IFMT == linux.S_IFCHR && f.readable() {
		if d, ok := f.Inode.Dev.(interface {
			ReadInterruptible(*File, []byte, func() bool) (int, error)
		}); ok {
			return d.ReadInterruptible(f, p, intr)
		}
	}
	return f.Read(p)
}

// Write writes at the offset (the end with O_APPEND) and advances it.
func (f *File) Write(p []byte) (int, error) {
	if !f.writable() {
		return 0, linux.EBADF
	}
	if f.Ops != nil {
		return f.Ops.Write(p)
	}
	switch f.Inode.Mode & linux.S_IFMT {
	case linux.S_IFCHR:
		return f.Inode.Dev.Write(f, p)
	case linux.S_IFDIR:
		return 0, linux.EISDIR
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Inode.Mode&linux.S_IFMT == linux.S_IFBLK {
		n, err := blockWrite(f.Inode.Block, p, f.off)
		f.off += int64(n)
		return n, err
	}
	if f.flags&linux.O_APPEND != 0 {
		f.off = f.Inode.Size()
	}
	n, err := f.Inode.WriteAt(p, f.off)
	f.off += int64(n)
	return n, err
}

// Pread and Pwrite use an explicit offset and leave the file's alone.
func (f *File) Pread(p []byte, off int64) (int, error) {
	if f.Ops != nil || f.Inode.Mode&linux.S_IFMT != linux.S_IFREG {
		return 0, linux.ESPIPE
	}
	if off < 0 {
		return 0, linux.EINVAL
	}
	return f.Inode.read(p, off)
}

func (f *File) Pwrite(p []byte, off int64) (int, error) {
	if f.Ops != nil || f.Inode.Mode&linux.S_IFMT != linux.S_IFREG {
		return 0, linux.ESPIPE
	}
	if off < 0 {
		return 0, linux.EINVAL
	}
	if !f.writable() {
		return 0, linux.EBADF
	}
	return f.Inode.WriteAt(p, off)
}

// Seek is lseek(2).
func (f *File) Seek(off int64, whence int) (int64, error) {
	if f.Ops != nil || f.Inode.Mode&linux.S_IFMT == linux.S_IFCHR {
		return 0, linux.ESPIPE
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var base int64
	switch whence {
	case linux.SEEK_SET:
	case linux.SEEK_CUR:
		base = f.off
	case linux.SEEK_END:
		base = f.Inode.Size()
		if f.Inode.Block != nil {
			base = f.Inode.Block.Size()
		}
	default:
		return 0, linux.EINVAL
	}
	if base+off < 0 {
		return 0, linux.EINVAL
	}
	f.off = base + off
	if f.Inode.IsDir() {
		f.dirPos = int(f.off)
	}
	return f.off, nil
}

// Getdents fills buf with struct linux_dirent64 records, continuing where
// the last call stopped; 0 at the end. "." and ".." come first.
func (f *File) Getdents(buf []byte) (int, error) {
	n := f.Inode
	if !n.IsDir() {
		return 0, linux.ENOTDIR
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	names := append([]string{".", ".."}, n.Names()...)
	used := 0
	for ; f.dirPos < len(names); f.dirPos++ {
		name := names[f.dirPos]
		c := n.Child(name)
		if c == nil {
			continue // removed since Names
		}
		reclen := (linux.Dirent64NameOffset + len(name) + 1 + 7) &^ 7
		if used+reclen > len(buf) {
			if used == 0 {
				return 0, linux.EINVAL
			}
			break
		}
		r := buf[used : used+reclen]
		clear(r)
		binary.LittleEndian.PutUint64(r[0:], c.Ino)
		binary.LittleEndian.PutUint64(r[8:], uint64(f.dirPos+1))
		binary.LittleEndian.PutUint16(r[16:], uint16(reclen))
		r[18] = direntType(c.Mode)
		copy(r[19:], name)
		used += reclen
	}
	f.off = int64(f.dirPos)
	return used, nil
}

func direntType(mode uint32) byte {
	switch mode & linux.S_IFMT {
	case linux.S_IFDIR:
		return linux.DT_DIR
	case linux.S_IFREG:
		return linux.DT_REG
	case linux.S_IFLNK:
		return linux.DT_LNK
	case linux.S_IFCHR:
		return linux.DT_CHR
	case linux.S_IFIFO:
		return linux.DT_FIFO
	}
	return linux.DT_UNKNOWN
}
