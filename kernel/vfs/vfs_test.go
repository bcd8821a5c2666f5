package vfs

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newc writes a cpio newc archive of entries (name, mode, data).
func newc(entries ...[3]string) []byte {
	var b bytes.Buffer
	pad := func() {
		for b.Len()%4 != 0 {
			b.WriteByte(0)
		}
	}
	add := func(name string, mode uint32, data string) {
		fmt.Fprintf(&b, "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
			1, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name)+1, 0)
		b.WriteString(name + "\x00")
		pad()
		b.WriteString(data)
		pad()
	}
	for _, e := range entries {
		var mode uint32
		fmt.Sscanf(e[1], "%o", &mode)
		add(e[0], mode, e[2])
	}
	add("TRAILER!!!", 0, "")
	return b.Bytes()
}

func testFS(t *testing.T) *FS {
	fs := New()
	n, err := fs.LoadCpio(newc(
		[3]string{".", "040755", ""},
		[3]string{"bin", "040755", ""},
		[3]string{"bin/busybox", "0100755", "ELF..."},
		[3]string{"bin/sh", "0120777", "busybox"},
		[3]string{"etc", "040755", ""},
		[3]string{"etc/motd", "0100644", "hello\n"},
		[3]string{"etc/loop", "0120777", "loop"},
	))
	require.NoError(t, err)
	require.Equal(t, 6, n)
	return fs
}

func TestLookup(t *testing.T) {
	fs := testFS(t)
	etc, err := fs.Lookup(nil, "/etc", true)
	require.NoError(t, err)
	cases := []struct {
		cwd    *Inode
		path   string
		follow bool
		mode   uint32
		err    error
	}{
		{nil, "/bin/sh", true, linux.S_IFREG, nil},
		{nil, "/bin/sh", false, linux.S_IFLNK, nil},
		{nil, "bin//busybox", true, linux.S_IFREG, nil},
		{etc, "motd", true, linux.S_IFREG, nil},
		{etc, "../bin/./sh", true, linux.S_IFREG, nil},
		{nil, "/../../etc", true, linux.S_IFDIR, nil},
		{nil, "/etc/motd/x", true, 0, linux.ENOTDIR},
		{nil, "/etc/motd/", true, 0, linux.ENOTDIR},
		{nil, "/nope", true, 0, linux.ENOENT},
		{nil, "", true, 0, linux.ENOENT},
		{nil, "/etc/loop", true, 0, linux.ELOOP},
		{nil, "/etc/loop", false, linux.S_IFLNK, nil},
	}
	for _, c := range cases {
		n, err := fs.Lookup(c.cwd, c.path, c.follow)
		if err != c.err {
			t.Errorf("Lookup(%q, %v) error = %v, want %v", c.path, c.follow, err, c.err)
			continue
		}
		if err == nil && n.Mode&linux.S_IFMT != c.mode {
			t.Errorf("Lookup(%q, %v) mode = %o, want %o", c.path, c.follow, n.Mode&linux.S_IFMT, c.mode)
		}
	}
	assert.Equal(t, "/etc", fs.Path(etc))
}

func TestCreateRemoveRename(t *testing.T) {
	fs := testFS(t)
	require.NoError(t, fs.Mkdir(nil, "/tmp", 0o777))
	assert.Equal(t, linux.EEXIST, fs.Mkdir(nil, "/tmp", 0o777))
	require.NoError(t, fs.WriteFile("/tmp/a", []byte("abc"), 0o644))
	require.NoError(t, fs.Rename(nil, "/tmp/a", "/tmp/b"))
	_, err := fs.Lookup(nil, "/tmp/a", true)
	assert.Equal(t, linux.ENOENT, err)
	b, err := fs.Lookup(nil, "/tmp/b", true)
	require.NoError(t, err)
	assert.Equal(t, "abc", string(b.Data()))
	assert.Equal(t, linux.ENOTEMPTY, fs.Remove(nil, "/tmp", true))
	assert.Equal(t, linux.EISDIR, fs.Remove(nil, "/tmp", false))
	assert.Equal(t, linux.ENOTDIR, fs.Remove(nil, "/tmp/b", true))
	require.NoError(t, fs.Remove(nil, "/tmp/b", false))
	require.NoError(t, fs.Remove(nil, "/tmp", true))
	assert.Equal(t, linux.EINVAL, fs.Rename(nil, "/etc", "/etc/sub"))
}

func TestFileReadWriteSeek(t *testing.T) {
	fs := testFS(t)
	n, _ := fs.Lookup(nil, "/etc/motd", true)
	f := NewFile(n, linux.O_RDWR, "/etc/motd")
	buf := make([]byte, 3)
	got, err := f.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "hel", string(buf[:got]))
	_, err = f.Seek(0, linux.SEEK_END)
	require.NoError(t, err)
	f.Write([]byte("more"))
	assert.Equal(t, "hello\nmore", string(n.Data()))
	_, err = NewFile(n, linux.O_RDONLY, "").Write([]byte("x"))
	assert.Equal(t, linux.EBADF, err)
	_, err = f.Seek(-100, linux.SEEK_SET)
	assert.Equal(t, linux.EINVAL, err)
}

func TestGetdents(t *testing.T) {
	fs := testFS(t)
	n, _ := fs.Lookup(nil, "/bin", true)
	f := NewFile(n, linux.O_RDONLY, "/bin")
	var names []string
	for {
		buf := make([]byte, 40) // one record at a time
		got, err := f.Getdents(buf)
		require.NoError(t, err)
		if got == 0 {
			break
		}
		for off := 0; off < got; {
			reclen := int(binary.LittleEndian.Uint16(buf[off+16:]))
			name := buf[off+19 : off+reclen]
			names = append(names, string(bytes.TrimRight(name, "\x00")))
			off += reclen
		}
	}
	assert.Equal(t, []string{".", "..", "busybox", "sh"}, names)
}

func TestPipe(t *testing.T) {
	r, w := NewPipe(0)
	go func() {
		w.Write([]byte("through the pipe"))
		w.Release()
	}()
	var got bytes.Buffer
	buf := make([]byte, 5)
	for {
		n, err := r.Read(buf)
		require.NoError(t, err)
		if n == 0 {
			break
		}
		got.Write(buf[:n])
	}
	assert.Equal(t, "through the pipe", got.String())
	r.Release()
	_, w2 := NewPipe(0)
	r2, _ := NewPipe(0)
	_ = r2
	w2.Ops.(pipeWriter).p.readers = 0
	_, err := w2.Write([]byte("x"))
	assert.Equal(t, linux.EPIPE, err)
}

func TestCpioRejects(t *testing.T) {
	good := newc([3]string{"a", "0100644", "data"})
	cases := map[string][]byte{
		"empty":     nil,
		"magic":     append([]byte("070707"), good[6:]...),
		"truncated": good[:len(good)-130],
	}
	for name, data := range cases {
		if _, err := New().LoadCpio(data); err == nil {
			t.Errorf("LoadCpio(%s) = nil error, want a rejection", name)
		}
	}
}

// TestFileSizeLimit: a write or truncate past MaxFileSize fails with EFBIG
// instead of making the kernel allocate it.
func TestFileSizeLimit(t *testing.T) {
	fs := testFS(t)
	n, _ := fs.Lookup(nil, "/etc/motd", true)
	f := NewFile(n, linux.O_RDWR, "/etc/motd")
	cases := []struct {
		name string
		err  error
	}{}
	_, err := f.Pwrite([]byte("x"), 0x1234_0000_0000)
	cases = append(cases, struct {
		name string
		err  error
	}{"pwrite at 0x123400000000", err})
	cases = append(cases, struct {
		name string
		err  error
	}{"truncate to 1 TiB", n.Truncate(1 << 40)})
	for _, c := range cases {
		if c.err != linux.EFBIG {
			t.Errorf("%s = %v, want EFBIG", c.name, c.err)
		}
	}
	assert.Equal(t, int64(6), n.Size(), "the file is unchanged")
}
