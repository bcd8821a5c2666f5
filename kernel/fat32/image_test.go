package fat32

import (
	"bytes"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Host tests build images with the same tools a student would use on
// Linux: mkfs.vfat (dosfstools) makes the file system, mtools puts files
// in and reads them out without mounting, fsck.vfat -n judges it.

// need skips the test unless the tools are installed (scripts/setup.sh).
func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if _, err := os.Stat("/usr/sbin/" + tool); err != nil {
				t.Skipf("%s is not installed: scripts/setup.sh installs dosfstools and mtools", tool)
			}
		}
	}
}

// run runs a command and returns its output, failing the test on error.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		name = "/usr/sbin/" + name
	}
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "MTOOLS_SKIP_CHECK=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s %v: %s", name, args, out)
	return string(out)
}

// newImage makes a 64 MiB FAT32 image (a whole-disk volume, no partition
// table) with mkfs.vfat.
func newImage(t *testing.T) string { return newImageSized(t, 64<<20) }

// newImageSized makes a FAT32 image of size bytes (a sparse file) with
// mkfs.vfat, given any more mkfs options.
func newImageSized(t *testing.T, size int64, mkfs ...string) string {
	t.Helper()
	need(t, "mkfs.vfat", "fsck.vfat", "mcopy", "mtype", "mmd", "mdir")
	path := filepath.Join(t.TempDir(), "fat.img")
	require.NoError(t, os.WriteFile(path, nil, 0o644))
	require.NoError(t, os.Truncate(path, size))
	run(t, "mkfs.vfat", append(append([]string{"-F", "32", "-n", "BURROWTEST"}, mkfs...), path)...)
	return path
}

// mount opens an image file and mounts the volume at byte offset off.
func mount(t *testing.T, path string, off int64) *FS {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	var dev Device = f
	if off != 0 {
		st, err := f.Stat()
		require.NoError(t, err)
		dev = NewSlice(f, off, st.Size()-off)
	}
	fs, err := Mount(dev)
	require.NoError(t, err)
	return fs
}

// fsck runs fsck.vfat -n and fails the test unless it finds nothing.
func fsck(t *testing.T, image string) {
	t.Helper()
	cmd := exec.Command("/usr/sbin/fsck.vfat", "-n", "-V", image)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "fsck.vfat -n reports problems:\n%s", out)
	require.NotContains(t, string(out), "\n  ", "fsck.vfat -n:\n%s", out)
}

// pattern returns n bytes that differ from file to file and sector to sector.
func pattern(seed int64, n int) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(b)
	return b
}

// readAll reads a whole file through the package.
func readAll(t *testing.T, fs *FS, path string) []byte {
	t.Helper()
	n, err := fs.Walk(path)
	require.NoError(t, err, "Walk(%q)", path)
	b := make([]byte, n.Size()+100)
	k, err := n.ReadAt(b, 0)
	require.NoError(t, err)
	return b[:k]
}

// mtype reads a file out of the image with mtools' mtype (which copies
// bytes unchanged unless asked to convert text).
func mtype(t *testing.T, image, path string) []byte {
	t.Helper()
	cmd := exec.Command("mtype", "-i", image, "::"+path)
	cmd.Env = append(os.Environ(), "MTOOLS_SKIP_CHECK=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	require.NoError(t, err, "mtype ::%s: %s", path, stderr.String())
	return b
}

// TestReadMtoolsFiles: files and directories that mtools put in read back
// byte for byte, under their long and their 8.3 names.
func TestReadMtoolsFiles(t *testing.T) {
	img := newImage(t)
	src := t.TempDir()
	files := map[string][]byte{
		"config.txt":                    []byte("arm_64bit=1\nkernel=kernel8.img\n"),
		"EMPTY":                         nil,
		"one sector.bin":                pattern(1, 512),
		"A rather long file name.data":  pattern(2, 513),
		"docs/Nested Directory/deep.md": pattern(3, 100_000),
		"docs/small":                    pattern(4, 1),
		"ünïcödé.txt":                   []byte("utf-16 in the long name\n"),
	}
	run(t, "mmd", "-i", img, "::docs", "::docs/Nested Directory")
	for name, data := range files {
		p := filepath.Join(src, strings.ReplaceAll(name, "/", "_"))
		require.NoError(t, os.WriteFile(p, data, 0o644))
		run(t, "mcopy", "-i", img, p, "::"+name)
	}
	fs := mount(t, img, 0)
	require.Equal(t, "BURROWTEST", fs.BootSector().VolumeLabel)
	for name, want := range files {
		got := readAll(t, fs, name)
		require.True(t, bytes.Equal(want, got), "ReadAll(%q) = %d bytes, want the %d mcopy wrote", name, len(got), len(want))
	}
	ents, err := fs.Root().Entries()
	require.NoError(t, err)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	require.ElementsMatch(t, []string{"config.txt", "EMPTY", "one sector.bin", "A rather long file name.data", "docs", "ünïcödé.txt"}, names)
	d, err := fs.Walk("DOCS/nested directory")
	require.NoError(t, err, "names compare without case")
	require.True(t, d.IsDir())
	off := make([]byte, 1000)
	n, err := mustWalk(t, fs, "docs/Nested Directory/deep.md").ReadAt(off, 99_500)
	require.NoError(t, err)
	require.Equal(t, 500, n, "ReadAt(1000 bytes at 99,500) of a 100,000-byte file")
	require.Equal(t, files["docs/Nested Directory/deep.md"][99_500:], off[:n])
}

func mustWalk(t *testing.T, fs *FS, path string) *Node {
	t.Helper()
	n, err := fs.Walk(path)
	require.NoError(t, err, "Walk(%q)", path)
	return n
}

// TestWriteThenFsck writes with the package (create, write, append,
// extend, truncate, mkdir, rmdir, unlink, rename within and across
// directories), then checks the image with fsck.vfat -n and reads every
// file back with mtools.
func TestWriteThenFsck(t *testing.T) {
	img := newImage(t)
	run(t, "mmd", "-i", img, "::old")
	host := filepath.Join(t.TempDir(), "keep.txt")
	require.NoError(t, os.WriteFile(host, []byte("from mtools\n"), 0o644))
	run(t, "mcopy", "-i", img, host, "::old/keep.txt")
	run(t, "mcopy", "-i", img, host, "::doomed.txt")

	fs := mount(t, img, 0)
	root := fs.Root()
	want := map[string][]byte{}
	create := func(dir *Node, name string, data []byte) *Node {
		n, err := dir.Create(name, false)
		require.NoError(t, err, "Create(%q)", name)
		if len(data) > 0 {
			k, err := n.WriteAt(data, 0)
			require.NoError(t, err)
			require.Equal(t, len(data), k)
		}
		return n
	}
	// Short, lower-case (NT case bits), long, and Unicode names.
	want["HELLO.TXT"] = []byte("hello\n")
	create(root, "HELLO.TXT", want["HELLO.TXT"])
	want["notes.md"] = pattern(10, 3000)
	create(root, "notes.md", want["notes.md"])
	want["A long name with spaces.text"] = pattern(11, 70_000)
	create(root, "A long name with spaces.text", want["A long name with spaces.text"])
	want["grüße.txt"] = []byte("Grüße\n")
	create(root, "grüße.txt", want["grüße.txt"])
	// Append, and write past the end (the gap reads as zeros).
	log := create(root, "append.log", []byte("line 1\n"))
	_, err := log.WriteAt([]byte("line 2\n"), log.Size())
	require.NoError(t, err)
	_, err = log.WriteAt([]byte("far"), 2000)
	require.NoError(t, err)
	want["append.log"] = append(append([]byte("line 1\nline 2\n"), make([]byte, 2000-14)...), "far"...)
	// Truncate down across a cluster boundary, and up.
	tr := create(root, "trunc.bin", pattern(12, 5000))
	require.NoError(t, tr.Truncate(700))
	require.NoError(t, tr.Truncate(1200))
	want["trunc.bin"] = append(pattern(12, 5000)[:700], make([]byte, 500)...)
	z := create(root, "zero.bin", pattern(13, 4096))
	require.NoError(t, z.Truncate(0))
	want["zero.bin"] = []byte{}
	// Directories: nested, many entries (the directory grows past a cluster).
	sub, err := root.Create("Sub Directory", true)
	require.NoError(t, err)
	deep, err := sub.Create("deeper", true)
	require.NoError(t, err)
	for i := range 40 {
		name := "file number " + string(rune('a'+i%26)) + strings.Repeat("x", i) + ".dat"
		data := pattern(int64(100+i), i*37)
		create(deep, name, data)
		want["Sub Directory/deeper/"+name] = data
	}
	empty, err := root.Create("empty dir", true)
	require.NoError(t, err)
	_ = empty
	// Remove: a file, a non-empty directory (refused), an empty one.
	require.NoError(t, root.Remove("doomed.txt", false))
	require.Error(t, root.Remove("Sub Directory", true), "rmdir of a non-empty directory")
	gone, err := root.Create("gone", true)
	require.NoError(t, err)
	_ = gone
	require.NoError(t, root.Remove("gone", true))
	// Rename: in place, across directories, a directory to a new parent,
	// over an existing file, and a change of case.
	require.NoError(t, root.Rename("notes.md", root, "Renamed Notes.md"))
	want["Renamed Notes.md"] = want["notes.md"]
	delete(want, "notes.md")
	old := mustWalk(t, fs, "old")
	require.NoError(t, old.Rename("keep.txt", sub, "kept.txt"))
	want["Sub Directory/kept.txt"] = []byte("from mtools\n")
	require.NoError(t, sub.Rename("deeper", empty, "moved"))
	for k, v := range want {
		if after, ok := strings.CutPrefix(k, "Sub Directory/deeper/"); ok {
			want["empty dir/moved/"+after] = v
			delete(want, k)
		}
	}
	require.NoError(t, root.Rename("HELLO.TXT", root, "trunc.bin"))
	want["trunc.bin"] = want["HELLO.TXT"]
	delete(want, "HELLO.TXT")
	require.NoError(t, root.Rename("grüße.txt", root, "GRÜSSE.TXT"))
	want["GRÜSSE.TXT"] = want["grüße.txt"]
	delete(want, "grüße.txt")

	fsck(t, img)
	for name, data := range want {
		got := mtype(t, img, name)
		require.True(t, bytes.Equal(data, got), "mcopy ::%s = %d bytes, want the %d written", name, len(got), len(data))
	}
	listing := run(t, "mdir", "-i", img, "-b", "-/", "::")
	for _, gone := range []string{"doomed.txt", "gone", "notes.md", "HELLO.TXT", "keep.txt"} {
		require.NotContains(t, listing, "/"+gone+"\n", "mdir lists a removed or renamed file")
	}
	// A second mount sees the same tree.
	fs2 := mount(t, img, 0)
	for name, data := range want {
		require.Equal(t, data, readAll(t, fs2, name), "after remounting, %s", name)
	}
	require.Equal(t, countFree(t, fs2), fs2.Info().Free, "FSInfo's free count against the FAT")
}

// countFree counts free FAT entries.
func countFree(t *testing.T, fs *FS) uint32 {
	free := uint32(0)
	for c := uint32(2); c < fs.bs.Clusters+2; c++ {
		v, err := fs.next(c)
		require.NoError(t, err)
		if v == fatFree {
			free++
		}
	}
	return free
}

// TestPartitionedCard: an MBR card like make sdcard's; the first FAT32
// partition is found and written, and fsck of the partition is clean.
func TestPartitionedCard(t *testing.T) {
	need(t, "mkfs.vfat", "fsck.vfat", "mcopy")
	img := filepath.Join(t.TempDir(), "card.img")
	require.NoError(t, os.WriteFile(img, nil, 0o644))
	require.NoError(t, os.Truncate(img, 64<<20))
	f, err := os.OpenFile(img, os.O_RDWR, 0)
	require.NoError(t, err)
	mbr := make([]byte, 512)
	e := mbr[446+16:] // entry 2: entry 1 empty, so the search has to look on
	e[4] = TypeFAT32LBA
	putLE32(e[8:], 2048)
	putLE32(e[12:], 64<<11-2048)
	mbr[510], mbr[511] = 0x55, 0xaa
	_, err = f.WriteAt(mbr, 0)
	require.NoError(t, err)
	f.Close()
	run(t, "mkfs.vfat", "-F", "32", "--offset", "2048", img, "64512")
	p, err := FindFAT32(openFile(t, img))
	require.NoError(t, err)
	require.Equal(t, Partition{Number: 2, Type: TypeFAT32LBA, Start: 1 << 20, Size: 63 << 20}, p)
	fs := mount(t, img, p.Start)
	n, err := fs.Root().Create("from burrow.txt", false)
	require.NoError(t, err)
	_, err = n.WriteAt([]byte("written into partition 2\n"), 0)
	require.NoError(t, err)
	part := img + "@@1048576"
	require.Equal(t, "written into partition 2\n", string(mtype(t, part, "from burrow.txt")))
	_, err = FindFAT32(bytes.NewReader(make([]byte, 512)))
	require.ErrorIs(t, err, ErrNoPartitionTable)
}

func putLE32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
}

func openFile(t *testing.T, path string) *os.File {
	f, err := os.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

// TestDirectoryMoves: directories moved up to the root and down again get
// their ".." entries right (fsck checks them), and a directory cannot move
// into itself.
func TestDirectoryMoves(t *testing.T) {
	img := newImage(t)
	fs := mount(t, img, 0)
	root := fs.Root()
	a, err := root.Create("a", true)
	require.NoError(t, err)
	b, err := a.Create("b", true)
	require.NoError(t, err)
	c, err := b.Create("c", true)
	require.NoError(t, err)
	f, err := c.Create("deep file.txt", false)
	require.NoError(t, err)
	_, err = f.WriteAt([]byte("in c\n"), 0)
	require.NoError(t, err)
	require.NoError(t, b.Rename("c", root, "c at the root"))
	require.NoError(t, a.Rename("b", c, "b under c"))
	require.ErrorIs(t, root.Rename("c at the root", c, "loop"), linux.EINVAL, "a directory into itself")
	require.ErrorIs(t, c.Rename("b under c", b, "loop"), linux.EINVAL, "a directory into its own child")
	fsck(t, img)
	assert.Equal(t, "in c\n", string(mtype(t, img, "c at the root/deep file.txt")))
	listing := run(t, "mdir", "-b", "-/", "-i", img, "::")
	assert.Contains(t, listing, "::/c at the root/b under c/")
	assert.Contains(t, listing, "::/a/")
}
