package proc

import (
	"encoding/binary"
	"strings"

	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/vfs"
)

// statfs(2)'s f_type for the ramfs (Linux's TMPFS_MAGIC) and for /proc.
const (
	tmpfsMagic     = 0x01021994
	procSuperMagic = 0x9fa0
)

// statfs fills struct statfs (asm-generic, 64-bit words: 120 bytes) for
// the file system n is on. The ramfs is as big as the machine's memory,
// and has as much free as the machine does, as a tmpfs would.
func (t *Thread) statfs(n *vfs.Inode, buf uint64) error {
	st, ok, err := n.StatFS()
	if err != nil {
		return linux.EIO
	}
	if !ok {
		total, free := t.p.k.cfg.Memory()
		st = vfs.FSStats{Type: tmpfsMagic, BlockSize: pageSize, Blocks: total / pageSize, Free: free / pageSize, NameLen: 255}
	}
	b := make([]byte, 120)
	le := binary.LittleEndian
	le.PutUint64(b[0:], st.Type)
	le.PutUint64(b[8:], st.BlockSize)
	le.PutUint64(b[16:], st.Blocks)
	le.PutUint64(b[24:], st.Free) // f_bfree
	le.PutUint64(b[32:], st.Free) // f_bavail: no blocks are reserved for root
	le.PutUint64(b[64:], st.NameLen)
	le.PutUint64(b[72:], st.BlockSize) // f_frsize
	return t.p.memory().CopyOut(buf, b)
}

func sysStatfs(t *Thread, a args) (uint64, error) {
	n, path, err := t.lookupAt(fdcwd, a[0], true)
	if err != nil {
		return 0, err
	}
	if path == "/proc" || strings.HasPrefix(path, "/proc/") {
		// procfs has no blocks (so df leaves it out), as on Linux.
		b := make([]byte, 120)
		binary.LittleEndian.PutUint64(b, procSuperMagic)
		binary.LittleEndian.PutUint64(b[8:], pageSize)
		binary.LittleEndian.PutUint64(b[64:], 255)
		return 0, t.p.memory().CopyOut(a[1], b)
	}
	return 0, t.statfs(n, a[1])
}

func sysFstatfs(t *Thread, a args) (uint64, error) {
	f, err := t.p.fds.get(a[0])
	if err != nil {
		return 0, err
	}
	if f.Inode == nil {
		return 0, linux.EBADF
	}
	return 0, t.statfs(f.Inode, a[1])
}

// procMounts is /proc/mounts: the file systems Burrow always has, then the
// volumes mount(2) mounted.
func (k *Kernel) procMounts() []byte {
	out := "rootfs / rootfs rw 0 0\ndevtmpfs /dev devtmpfs rw 0 0\nproc /proc proc rw 0 0\ntmpfs /tmp tmpfs rw 0 0\n"
	for _, m := range k.cfg.FS.Mounts() {
		out += m.Source + " " + m.Path + " " + m.Type + " rw,relatime 0 0\n"
	}
	return []byte(out)
}
