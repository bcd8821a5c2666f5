package fat32

import (
	"bytes"
	"fmt"
	"math/rand"
	"path"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRandomOperations runs a seeded random mix of creates, writes at
// random offsets, truncates, removes, renames and mkdirs against the
// package and against a map of what each file should hold; then the tree
// read back through the package, through a fresh mount and through mtools
// must match the map, and fsck.vfat -n must be clean. It runs with
// mkfs.vfat's 512-byte clusters on 64 MiB and with 4 KiB ones (-s 8) on
// 320 MiB (FAT32 wants 65,525 clusters or more).
func TestRandomOperations(t *testing.T) {
	for _, c := range []struct {
		name string
		size int64
		mkfs []string
		seed int64
	}{
		{"512-byte clusters", 64 << 20, nil, 7},
		{"4 KiB clusters", 320 << 20, []string{"-s", "8"}, 8},
	} {
		t.Run(c.name, func(t *testing.T) { randomOperations(t, newImageSized(t, c.size, c.mkfs...), c.seed) })
	}
}

func randomOperations(t *testing.T, img string, seed int64) {
	fs := mount(t, img, 0)
	rng := rand.New(rand.NewSource(seed))
	files := map[string][]byte{} // path -> contents
	dirs := []string{""}         // "" is the root
	names := []string{"a", "B.TXT", "readme.md", "A Long Name With Spaces", "grüße", "x.tar.gz", "Zz~1", "datafile.bin"}
	node := func(p string) *Node {
		n, err := fs.Walk(p)
		require.NoError(t, err, "Walk(%q)", p)
		return n
	}
	taken := func(dir, name string) bool {
		for p := range files {
			if strings.EqualFold(p, path.Join(dir, name)) {
				return true
			}
		}
		for _, d := range dirs {
			if strings.EqualFold(d, path.Join(dir, name)) {
				return true
			}
		}
		return false
	}
	anyFile := func() string {
		keys := make([]string, 0, len(files))
		for k := range files {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if len(keys) == 0 {
			return ""
		}
		return keys[rng.Intn(len(keys))]
	}
	for step := range 600 {
		dir := dirs[rng.Intn(len(dirs))]
		name := names[rng.Intn(len(names))] + fmt.Sprint(rng.Intn(4))
		switch op := rng.Intn(10); {
		case op < 3 && !taken(dir, name): // create with data
			n, err := node(dir).Create(name, false)
			require.NoError(t, err, "step %d: Create(%q, %q)", step, dir, name)
			data := pattern(int64(step), rng.Intn(3000))
			_, err = n.WriteAt(data, 0)
			require.NoError(t, err)
			files[path.Join(dir, name)] = data
		case op < 5: // write somewhere, maybe past the end
			p := anyFile()
			if p == "" {
				continue
			}
			off := rng.Intn(len(files[p]) + 1500)
			data := pattern(int64(step), rng.Intn(2000))
			_, err := node(p).WriteAt(data, int64(off))
			require.NoError(t, err, "step %d: WriteAt(%q, %d)", step, p, off)
			f := files[p]
			if end := off + len(data); end > len(f) {
				f = append(f, make([]byte, end-len(f))...)
			}
			copy(f[off:], data)
			files[p] = f
		case op < 6: // truncate
			p := anyFile()
			if p == "" {
				continue
			}
			size := rng.Intn(len(files[p]) + 1000)
			require.NoError(t, node(p).Truncate(int64(size)), "step %d: Truncate(%q, %d)", step, p, size)
			f := files[p]
			if size <= len(f) {
				f = f[:size]
			} else {
				f = append(f, make([]byte, size-len(f))...)
			}
			files[p] = f
		case op < 7: // remove
			p := anyFile()
			if p == "" {
				continue
			}
			require.NoError(t, node(path.Dir(p)).Remove(path.Base(p), false), "step %d: Remove(%q)", step, p)
			delete(files, p)
		case op < 8: // rename a file to another directory or name
			p := anyFile()
			if p == "" || taken(dir, name) {
				continue
			}
			from := strings.TrimPrefix(path.Dir(p), ".")
			require.NoError(t, node(from).Rename(path.Base(p), node(dir), name), "step %d: Rename(%q, %q/%q)", step, p, dir, name)
			files[path.Join(dir, name)] = files[p]
			delete(files, p)
		case op < 9 && !taken(dir, name) && len(dirs) < 12: // mkdir
			_, err := node(dir).Create(name, true)
			require.NoError(t, err, "step %d: mkdir %q/%q", step, dir, name)
			dirs = append(dirs, path.Join(dir, name))
		}
	}
	check := func(fs *FS, how string) {
		for p, want := range files {
			n, err := fs.Walk(p)
			require.NoError(t, err, "%s: Walk(%q)", how, p)
			got := make([]byte, n.Size()+1)
			k, err := n.ReadAt(got, 0)
			require.NoError(t, err)
			require.True(t, bytes.Equal(want, got[:k]), "%s: %q is %d bytes, want %d", how, p, k, len(want))
		}
	}
	check(fs, "same mount")
	check(mount(t, img, 0), "fresh mount")
	fsck(t, img)
	for p, want := range files {
		require.True(t, bytes.Equal(want, mtype(t, img, p)), "mcopy ::%s", p)
	}
	require.Equal(t, countFree(t, fs), fs.Info().Free, "FSInfo's free count")
	t.Logf("%d files in %d directories, %d-byte clusters", len(files), len(dirs), fs.bs.ClusterSize())
}

// TestConcurrentWriters: goroutines appending to their own files in one
// directory at once (as processes would) leave every byte in place and the
// volume clean: the FS lock makes each call whole.
func TestConcurrentWriters(t *testing.T) {
	img := newImage(t)
	fs := mount(t, img, 0)
	dir, err := fs.Root().Create("shared", true)
	require.NoError(t, err)
	const writers, appends = 8, 50
	want := make([][]byte, writers)
	errs := make(chan error, writers)
	for w := range writers {
		n, err := dir.Create(fmt.Sprintf("writer %d.log", w), false)
		require.NoError(t, err)
		for i := range appends {
			want[w] = append(want[w], pattern(int64(w*1000+i), 100+i*7)...)
		}
		go func() {
			off := 0
			for i := range appends {
				chunk := pattern(int64(w*1000+i), 100+i*7)
				if _, err := n.WriteAt(chunk, int64(off)); err != nil {
					errs <- err
					return
				}
				off += len(chunk)
			}
			errs <- nil
		}()
	}
	for range writers {
		require.NoError(t, <-errs)
	}
	fsck(t, img)
	for w := range writers {
		require.True(t, bytes.Equal(want[w], mtype(t, img, fmt.Sprintf("shared/writer %d.log", w))), "writer %d's file", w)
	}
}
