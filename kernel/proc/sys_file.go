package proc

import (
	"bytes"
	"encoding/binary"

	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/vfs"
)

// fdcwd is AT_FDCWD as the 64-bit register holds it.
const fdcwd = 0xffffff9c

// maxIO bounds one read or write's kernel buffer; longer calls transfer
// less, as a short count tells the program.
const maxIO = 1 << 20

func (t *Thread) fs() *vfs.FS { return t.p.k.cfg.FS }

// path copies a path argument in.
func (t *Thread) path(addr uint64) (string, error) {
	s, err := t.p.memory().CopyInString(addr, 4096)
	if err != nil {
		return "", linux.EFAULT
	}
	if len(s) >= 4096 {
		return "", linux.ENAMETOOLONG
	}
	return s, nil
}

// dir returns the directory a *at call's dirfd names.
func (t *Thread) dir(dirfd uint64) (*vfs.Inode, error) {
	if int32(dirfd) == linux.AT_FDCWD {
		t.p.mu.Lock()
		defer t.p.mu.Unlock()
		return t.p.cwd, nil
	}
	f, err := t.p.fds.get(dirfd)
	if err != nil {
		return nil, err
	}
	if !f.Inode.IsDir() {
		return nil, linux.ENOTDIR
	}
	return f.Inode, nil
}

// lookupAt resolves (dirfd, path) as the *at calls do.
func (t *Thread) lookupAt(dirfd, pathAddr uint64, follow bool) (*vfs.Inode, string, error) {
	path, err := t.path(pathAddr)
	if err != nil {
		return nil, "", err
	}
	if n, ok, err := t.procLookup(path, follow); ok {
		return n, path, err
	}
	d, err := t.dir(dirfd)
	if err != nil {
		return nil, "", err
	}
	n, err := t.fs().Lookup(d, path, follow)
	return n, path, err
}

// at reads a directory descriptor and a path, the pair every *at system
// call starts with: the directory a relative path starts from, and the path.
func (t *Thread) at(dirfd, pathAddr uint64) (*vfs.Inode, string, error) {
	d, err := t.dir(dirfd)
	if err != nil {
		return nil, "", err
	}
	path, err := t.path(pathAddr)
	if err != nil {
		return nil, "", err
	}
	return d, path, nil
}

func sysOpenat(t *Thread, a args) (uint64, error) {
	flags := int(a[2])
	path, err := t.path(a[1])
	if err != nil {
		return 0, err
	}
	d, err := t.dir(a[0])
	if err != nil {
		return 0, err
	}
	n, ok, err := t.procLookup(path, true)
	if !ok {
		n, err = t.fs().Lookup(d, path, flags&linux.O_NOFOLLOW == 0)
	}
	switch {
	case err == linux.ENOENT && flags&linux.O_CREAT != 0:
		t.p.mu.Lock()
		mode := uint32(a[3]) &^ t.p.umask & 0o7777
		t.p.mu.Unlock()
		n, err = t.fs().Create(d, path, linux.S_IFREG|mode)
		if err != nil {
			return 0, err
		}
	case err != nil:
		return 0, err
	case flags&(linux.O_CREAT|linux.O_EXCL) == linux.O_CREAT|linux.O_EXCL:
		return 0, linux.EEXIST
	}
	if n.Mode&linux.S_IFMT == linux.S_IFLNK {
		return 0, linux.ELOOP // O_NOFOLLOW on a link
	}
	if flags&linux.O_DIRECTORY != 0 && !n.IsDir() {
		return 0, linux.ENOTDIR
	}
	if n.IsDir() && flags&linux.O_ACCMODE != linux.O_RDONLY {
		return 0, linux.EISDIR
	}
	if flags&linux.O_TRUNC != 0 && flags&linux.O_ACCMODE != linux.O_RDONLY && n.Mode&linux.S_IFMT == linux.S_IFREG {
		n.Truncate(0) // cannot fail: 0 is a valid size
	}
	f := vfs.NewFile(n, flags, path)
	fd, err := t.p.fds.add(f, 0, flags&linux.O_CLOEXEC != 0)
	if err != nil {
		f.Release()
	}
	return uint64(fd), err
}

func sysClose(t *Thread, a args) (uint64, error) { return 0, t.p.fds.close(a[0]) }

func sysRead(t *Thread, a args) (uint64, error) {
	f, err := t.p.fds.get(a[0])
	if err != nil {
		return 0, err
	}
	buf := make([]byte, min(a[2], maxIO))
	n, err := f.ReadInterruptible(buf, t.interrupted)
	if err != nil {
		return 0, err
	}
	if err := t.p.memory().CopyOut(a[1], buf[:n]); err != nil {
		return 0, linux.EFAULT
	}
	return uint64(n), nil
}

func sysWrite(t *Thread, a args) (uint64, error) {
	f, err := t.p.fds.get(a[0])
	if err != nil {
		return 0, err
	}
	buf := make([]byte, min(a[2], maxIO))
	if err := t.p.memory().CopyIn(buf, a[1]); err != nil {
		return 0, linux.EFAULT
	}
	n, err := f.Write(buf)
	if err == linux.EPIPE {
		t.postThread(linux.SIGPIPE, linux.Siginfo{Signo: int32(linux.SIGPIPE), Code: linux.SI_USER})
	}
	return uint64(n), err
}

// iovecs reads an iovec array.
func (t *Thread) iovecs(addr, n uint64) ([]linux.Iovec, error) {
	if n > 1024 {
		return nil, linux.EINVAL
	}
	b := make([]byte, 16*n)
	if err := t.p.memory().CopyIn(b, addr); err != nil {
		return nil, linux.EFAULT
	}
	v := make([]linux.Iovec, n)
	for i := range v {
		v[i] = linux.Iovec{Base: binary.LittleEndian.Uint64(b[16*i:]), Len: binary.LittleEndian.Uint64(b[16*i+8:])}
	}
	return v, nil
}

// vectored does readv and writev: op (sysRead or sysWrite) on each buffer
// in turn, stopping at a short transfer. An error after some bytes moved
// reports the bytes, as Linux does.
func vectored(t *Thread, a args, op func(*Thread, args) (uint64, error)) (uint64, error) {
	v, err := t.iovecs(a[1], a[2])
	if err != nil {
		return 0, err
	}
	total := uint64(0)
	for _, iv := range v {
		if iv.Len == 0 {
			continue
		}
		n, err := op(t, args{a[0], iv.Base, iv.Len})
		if err != nil {
			if total > 0 {
				return total, nil
			}
			return 0, err
		}
		total += n
		if n < iv.Len {
			break
		}
	}
	return total, nil
}

func sysReadv(t *Thread, a args) (uint64, error)  { return vectored(t, a, sysRead) }
func sysWritev(t *Thread, a args) (uint64, error) { return vectored(t, a, sysWrite) }

func sysPread64(t *Thread, a args) (uint64, error) {
	f, err := t.p.fds.get(a[0])
	if err != nil {
		return 0, err
	}
	buf := make([]byte, min(a[2], maxIO))
	n, err := f.Pread(buf, int64(a[3]))
	if err != nil {
		return 0, err
	}
	return uint64(n), t.p.memory().CopyOut(a[1], buf[:n])
}

func sysPwrite64(t *Thread, a args) (uint64, error) {
	f, err := t.p.fds.get(a[0])
	if err != nil {
		return 0, err
	}
	buf := make([]byte, min(a[2], maxIO))
	if err := t.p.memory().CopyIn(buf, a[1]); err != nil {
		return 0, linux.EFAULT
	}
	n, err := f.Pwrite(buf, int64(a[3]))
	return uint64(n), err
}

func sysLseek(t *Thread, a args) (uint64, error) {
	f, err := t.p.fds.get(a[0])
	if err != nil {
		return 0, err
	}
	off, err := f.Seek(int64(a[1]), int(a[2]))
	return uint64(off), err
}

func sysDup(t *Thread, a args) (uint64, error) {
	f, err := t.p.fds.get(a[0])
	if err != nil {
		return 0, err
	}
	fd, err := t.p.fds.add(f.Ref(), 0, false)
	if err != nil {
		f.Release()
	}
	return uint64(fd), err
}

func sysDup3(t *Thread, a args) (uint64, error) {
	if a[0] == a[1] || a[2]&^linux.O_CLOEXEC != 0 {
		return 0, linux.EINVAL
	}
	if a[1] >= maxFDs {
		return 0, linux.EBADF
	}
	f, err := t.p.fds.get(a[0])
	if err != nil {
		return 0, err
	}
	t.p.fds.install(int(a[1]), f.Ref())
	if a[2]&linux.O_CLOEXEC != 0 {
		t.p.fds.setCloexec(int(a[1]), true)
	}
	return a[1], nil
}

func sysFcntl(t *Thread, a args) (uint64, error) {
	f, err := t.p.fds.get(a[0])
	if err != nil {
		return 0, err
	}
	switch a[1] {
	case linux.F_DUPFD, linux.F_DUPFD_CLOEXEC:
		fd, err := t.p.fds.add(f.Ref(), int(min(a[2], maxFDs)), a[1] == linux.F_DUPFD_CLOEXEC)
		if err != nil {
			f.Release()
		}
		return uint64(fd), err
	case linux.F_GETFD:
		if t.p.fds.cloexecOf(int(a[0])) {
			return linux.FD_CLOEXEC, nil
		}
		return 0, nil
	case linux.F_SETFD:
		t.p.fds.setCloexec(int(a[0]), a[2]&linux.FD_CLOEXEC != 0)
		return 0, nil
	case linux.F_GETFL:
		return uint64(f.Flags()), nil
	case linux.F_SETFL:
		f.SetFlags(int(a[2]))
		return 0, nil
	}
	return 0, linux.EINVAL
}

func sysIoctl(t *Thread, a args) (uint64, error) {
	f, err := t.p.fds.get(a[0])
	if err != nil {
		return 0, err
	}
	if f.Ops == nil && f.Inode.Mode&linux.S_IFMT == linux.S_IFCHR {
		if io, ok := f.Inode.Dev.(vfs.Ioctler); ok {
			cmd := a[1] & 0xffffffff
			if tty, ok := io.(*vfs.TTY); ok && cmd == linux.TIOCSCTTY {
				// The terminal becomes the session's controlling one, with
				// the caller's group in the foreground.
				t.p.mu.Lock()
				pgid := t.p.pgid
				t.p.mu.Unlock()
				tty.SetForeground(pgid)
				return 0, nil
			}
			return io.Ioctl(f, cmd, a[2], t.p.memory())
		}
	}
	return 0, linux.ENOTTY
}

func sysPipe2(t *Thread, a args) (uint64, error) {
	if a[1]&^(linux.O_CLOEXEC|linux.O_NONBLOCK) != 0 {
		return 0, linux.EINVAL
	}
	r, w := vfs.NewPipe(int(a[1]))
	cloexec := a[1]&linux.O_CLOEXEC != 0
	rfd, err := t.p.fds.add(r, 0, cloexec)
	if err != nil {
		r.Release()
		w.Release()
		return 0, err
	}
	wfd, err := t.p.fds.add(w, 0, cloexec)
	if err != nil {
		t.p.fds.close(uint64(rfd))
		w.Release()
		return 0, err
	}
	b := binary.LittleEndian.AppendUint32(nil, uint32(rfd))
	b = binary.LittleEndian.AppendUint32(b, uint32(wfd))
	if err := t.p.memory().CopyOut(a[0], b); err != nil {
		t.p.fds.close(uint64(rfd))
		t.p.fds.close(uint64(wfd))
		return 0, linux.EFAULT
	}
	return 0, nil
}

func encodeStat(st linux.Stat) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, st)
	return b.Bytes()
}

func sysFstat(t *Thread, a args) (uint64, error) {
	f, err := t.p.fds.get(a[0])
	if err != nil {
		return 0, err
	}
	return 0, t.p.memory().CopyOut(a[1], encodeStat(f.Inode.Stat()))
}

// statAt resolves newfstatat/statx's (dirfd, path, flags), AT_EMPTY_PATH included.
func (t *Thread) statAt(dirfd, pathAddr, flags uint64) (*vfs.Inode, error) {
	if flags&linux.AT_EMPTY_PATH != 0 {
		if p, err := t.path(pathAddr); err == nil && p == "" {
			if int32(dirfd) == linux.AT_FDCWD {
				return t.dir(dirfd)
			}
			f, err := t.p.fds.get(dirfd)
			if err != nil {
				return nil, err
			}
			return f.Inode, nil
		}
	}
	n, _, err := t.lookupAt(dirfd, pathAddr, flags&linux.AT_SYMLINK_NOFOLLOW == 0)
	return n, err
}

func sysNewfstatat(t *Thread, a args) (uint64, error) {
	n, err := t.statAt(a[0], a[1], a[3])
	if err != nil {
		return 0, err
	}
	return 0, t.p.memory().CopyOut(a[2], encodeStat(n.Stat()))
}

// sysStatx fills struct statx (include/uapi/linux/stat.h: 256 bytes).
func sysStatx(t *Thread, a args) (uint64, error) {
	n, err := t.statAt(a[0], a[1], a[2])
	if err != nil {
		return 0, err
	}
	st := n.Stat()
	b := make([]byte, 256)
	le := binary.LittleEndian
	le.PutUint32(b[0:], 0x7ff) // STATX_BASIC_STATS
	le.PutUint32(b[4:], uint32(st.Blksize))
	le.PutUint32(b[16:], st.Nlink)
	le.PutUint16(b[28:], uint16(st.Mode))
	le.PutUint64(b[32:], st.Ino)
	le.PutUint64(b[40:], uint64(st.Size))
	le.PutUint64(b[48:], uint64(st.Blocks))
	for _, off := range []int{64, 80, 96, 112} {
		le.PutUint64(b[off:], uint64(st.Mtime.Sec))
		le.PutUint32(b[off+8:], uint32(st.Mtime.Nsec))
	}
	le.PutUint32(b[128:], uint32(st.Rdev>>8))
	le.PutUint32(b[132:], uint32(st.Rdev&0xff))
	return 0, t.p.memory().CopyOut(a[4], b)
}

func sysGetdents64(t *Thread, a args) (uint64, error) {
	f, err := t.p.fds.get(a[0])
	if err != nil {
		return 0, err
	}
	buf := make([]byte, min(a[2], 64<<10))
	n, err := f.Getdents(buf)
	if err != nil {
		return 0, err
	}
	return uint64(n), t.p.memory().CopyOut(a[1], buf[:n])
}

func sysFaccessat(t *Thread, a args) (uint64, error) {
	_, _, err := t.lookupAt(a[0], a[1], true)
	return 0, err
}

func sysReadlinkat(t *Thread, a args) (uint64, error) {
	if p, err := t.path(a[1]); err == nil && p == "/proc/self/exe" {
		b := []byte(t.p.exePath())[:min(uint64(len(t.p.exePath())), a[3])]
		return uint64(len(b)), t.p.memory().CopyOut(a[2], b)
	}
	n, _, err := t.lookupAt(a[0], a[1], false)
	if err != nil {
		return 0, err
	}
	target := ""
	switch {
	case n.Mode&linux.S_IFMT == linux.S_IFLNK:
		target = n.Target()
	default:
		return 0, linux.EINVAL
	}
	b := []byte(target)[:min(uint64(len(target)), a[3])]
	return uint64(len(b)), t.p.memory().CopyOut(a[2], b)
}

func sysMkdirat(t *Thread, a args) (uint64, error) {
	d, path, err := t.at(a[0], a[1])
	if err != nil {
		return 0, err
	}
	t.p.mu.Lock()
	mode := uint32(a[2]) &^ t.p.umask
	t.p.mu.Unlock()
	return 0, t.fs().Mkdir(d, path, mode)
}

func sysUnlinkat(t *Thread, a args) (uint64, error) {
	d, path, err := t.at(a[0], a[1])
	if err != nil {
		return 0, err
	}
	return 0, t.fs().Remove(d, path, a[2]&linux.AT_REMOVEDIR != 0)
}

func sysSymlinkat(t *Thread, a args) (uint64, error) {
	target, err := t.path(a[0])
	if err != nil {
		return 0, err
	}
	d, path, err := t.at(a[1], a[2])
	if err != nil {
		return 0, err
	}
	return 0, t.fs().Symlink(d, target, path)
}

func sysRenameat(t *Thread, a args) (uint64, error) {
	od, op, err := t.at(a[0], a[1])
	if err != nil {
		return 0, err
	}
	nd, np, err := t.at(a[2], a[3])
	if err != nil {
		return 0, err
	}
	if od != nd {
		// Make both paths absolute from the same start.
		op, np = t.fs().Path(od)+"/"+op, t.fs().Path(nd)+"/"+np
		if len(op) > 0 && op[len(op)-1] == '/' {
			op = op[:len(op)-1]
		}
	}
	return 0, t.fs().Rename(od, op, np)
}

func sysRenameat2(t *Thread, a args) (uint64, error) {
	if a[4] != 0 {
		return 0, linux.EINVAL
	}
	return sysRenameat(t, a)
}

func sysFtruncate(t *Thread, a args) (uint64, error) {
	f, err := t.p.fds.get(a[0])
	if err != nil {
		return 0, err
	}
	if f.Ops != nil || f.Inode.Mode&linux.S_IFMT != linux.S_IFREG || f.Flags()&linux.O_ACCMODE == linux.O_RDONLY {
		return 0, linux.EINVAL
	}
	if int64(a[1]) < 0 {
		return 0, linux.EINVAL
	}
	return 0, f.Inode.Truncate(int64(a[1]))
}

func sysFchmodat(t *Thread, a args) (uint64, error) {
	n, _, err := t.lookupAt(a[0], a[1], true)
	if err != nil {
		return 0, err
	}
	n.Mode = n.Mode&linux.S_IFMT | uint32(a[2])&0o7777
	return 0, nil
}

func sysGetcwd(t *Thread, a args) (uint64, error) {
	t.p.mu.Lock()
	cwd := t.p.cwd
	t.p.mu.Unlock()
	path := append([]byte(t.fs().Path(cwd)), 0)
	if uint64(len(path)) > a[1] {
		return 0, linux.ERANGE
	}
	return uint64(len(path)), t.p.memory().CopyOut(a[0], path)
}

func sysChdir(t *Thread, a args) (uint64, error) {
	n, _, err := t.lookupAt(fdcwd, a[0], true)
	if err != nil {
		return 0, err
	}
	if !n.IsDir() {
		return 0, linux.ENOTDIR
	}
	t.p.mu.Lock()
	t.p.cwd = n
	t.p.mu.Unlock()
	return 0, nil
}

func sysFchdir(t *Thread, a args) (uint64, error) {
	d, err := t.dir(a[0])
	if err != nil {
		return 0, err
	}
	t.p.mu.Lock()
	t.p.cwd = d
	t.p.mu.Unlock()
	return 0, nil
}

func sysUmask(t *Thread, a args) (uint64, error) {
	t.p.mu.Lock()
	defer t.p.mu.Unlock()
	old := t.p.umask
	t.p.umask = uint32(a[0]) & 0o777
	return uint64(old), nil
}

func sysStubZero(t *Thread, a args) (uint64, error) { return 0, nil }

// sysSendfile copies from one file to another through a kernel buffer.
func sysSendfile(t *Thread, a args) (uint64, error) {
	out, err := t.p.fds.get(a[0])
	if err != nil {
		return 0, err
	}
	in, err := t.p.fds.get(a[1])
	if err != nil {
		return 0, err
	}
	buf := make([]byte, min(a[3], maxIO))
	var n int
	if a[2] != 0 {
		b := make([]byte, 8)
		if err := t.p.memory().CopyIn(b, a[2]); err != nil {
			return 0, linux.EFAULT
		}
		off := int64(binary.LittleEndian.Uint64(b))
		if n, err = in.Pread(buf, off); err != nil {
			return 0, err
		}
		if err := t.p.memory().CopyOut(a[2], binary.LittleEndian.AppendUint64(nil, uint64(off)+uint64(n))); err != nil {
			return 0, linux.EFAULT
		}
	} else if n, err = in.ReadInterruptible(buf, t.interrupted); err != nil {
		return 0, err
	}
	w, err := out.Write(buf[:n])
	return uint64(w), err
}

// sysUtimensat touches a file (its modification time becomes now).
func sysUtimensat(t *Thread, a args) (uint64, error) {
	var n *vfs.Inode
	if a[1] == 0 {
		f, err := t.p.fds.get(a[0])
		if err != nil {
			return 0, err
		}
		n = f.Inode
	} else {
		var err error
		if n, _, err = t.lookupAt(a[0], a[1], a[3]&linux.AT_SYMLINK_NOFOLLOW == 0); err != nil {
			return 0, err
		}
	}
	n.Touch()
	return 0, nil
}
