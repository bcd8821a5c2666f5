package fat32

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goodBootSector returns the boot sector mkfs.vfat writes for a 64 MiB
// volume, for the tests to break one field at a time.
func goodBootSector(t *testing.T) []byte {
	t.Helper()
	img := newImage(t)
	f, err := os.Open(img)
	require.NoError(t, err)
	defer f.Close()
	b := make([]byte, 512)
	_, err = f.ReadAt(b, 0)
	require.NoError(t, err)
	return b
}

func TestParseBootSector(t *testing.T) {
	good := goodBootSector(t)
	bs, err := ParseBootSector(good)
	require.NoError(t, err)
	assert.Equal(t, uint32(512), bs.BytesPerSector)
	assert.Equal(t, uint32(2), bs.NumFATs)
	assert.Equal(t, uint32(2), bs.RootCluster)
	assert.Equal(t, uint32(131072), bs.TotalSectors)
	le := binary.LittleEndian
	for _, c := range []struct {
		name  string
		patch func(b []byte)
		want  string // in the error
	}{
		{"short", nil, "want a 512-byte sector"},
		{"jump", func(b []byte) { b[0] = 0 }, "jump instruction"},
		{"signature", func(b []byte) { b[510] = 0 }, "signature"},
		{"sector size", func(b []byte) { le.PutUint16(b[11:], 500) }, "bytes per sector"},
		{"cluster size", func(b []byte) { b[13] = 3 }, "sectors per cluster"},
		{"no reserved", func(b []byte) { le.PutUint16(b[14:], 0) }, "no reserved sectors"},
		{"no FAT", func(b []byte) { b[16] = 0 }, "no FAT"},
		{"FAT16 root", func(b []byte) { le.PutUint16(b[17:], 512) }, "not FAT32"},
		{"FAT16 size", func(b []byte) { le.PutUint16(b[22:], 32) }, "not FAT32"},
		{"version", func(b []byte) { le.PutUint16(b[42:], 1) }, "version"},
		{"FATs fill it", func(b []byte) { le.PutUint32(b[36:], 1<<20) }, "sectors of FATs"},
		{"FAT too small", func(b []byte) { le.PutUint32(b[36:], 1) }, "too small"},
		{"root cluster", func(b []byte) { le.PutUint32(b[44:], 1) }, "root directory at cluster 1"},
		{"FSInfo", func(b []byte) { le.PutUint16(b[48:], 0) }, "FSInfo at sector 0"},
	} {
		b := append([]byte(nil), good...)
		if c.patch == nil {
			b = b[:100]
		} else {
			c.patch(b)
		}
		_, err := ParseBootSector(b)
		if assert.Error(t, err, "ParseBootSector(%s) = nil error, want one", c.name) {
			assert.Contains(t, err.Error(), c.want, "ParseBootSector(%s)", c.name)
		}
	}
}

func TestParseFSInfo(t *testing.T) {
	s := make([]byte, 512)
	binary.LittleEndian.PutUint32(s[0:], 0x41615252)
	binary.LittleEndian.PutUint32(s[484:], 0x61417272)
	binary.LittleEndian.PutUint32(s[508:], 0xaa550000)
	FSInfo{Free: 1234, NextFree: 99}.put(s)
	got, err := ParseFSInfo(s)
	require.NoError(t, err)
	assert.Equal(t, FSInfo{Free: 1234, NextFree: 99}, got)
	s[0] = 0
	_, err = ParseFSInfo(s)
	assert.ErrorContains(t, err, "signatures")
}

func TestChecksum(t *testing.T) {
	// The spec's algorithm by hand for "A          ": 'A' then ten
	// spaces, each step sum = ror(sum) + c.
	var want byte
	for _, c := range []byte("A          ") {
		want = (want>>1 | want<<7) + c
	}
	for _, c := range []struct {
		name string
		want byte
	}{
		{"A          ", want},
		{"README  TXT", 0x73},
	} {
		var n [11]byte
		copy(n[:], c.name)
		assert.Equal(t, c.want, checksum(n), "checksum(%q) = %#x, want %#x", c.name, checksum(n), c.want)
	}
}

func TestFitsShort(t *testing.T) {
	for _, c := range []struct {
		in    string
		short string
		ntres byte
		ok    bool
	}{
		{"README.TXT", "README  TXT", 0, true},
		{"config.txt", "CONFIG  TXT", ntLowerBase | ntLowerExt, true},
		{"Kernel8.img", "", 0, false}, // mixed case needs a long name
		{"FIXUP4.dat", "FIXUP4  DAT", ntLowerExt, true},
		{"overlays", "OVERLAYS   ", ntLowerBase, true},
		{"toolongname.txt", "", 0, false},
		{"a.b.c", "", 0, false},
		{".bashrc", "", 0, false},
		{"with space", "", 0, false},
		{"x.html", "", 0, false},
	} {
		short, ntres, ok := fitsShort(c.in)
		if ok != c.ok || ok && (string(short[:]) != c.short || ntres != c.ntres) {
			t.Errorf("fitsShort(%q) = %q, %#x, %v, want %q, %#x, %v", c.in, short, ntres, ok, c.short, c.ntres, c.ok)
		}
	}
}

func TestMakeShort(t *testing.T) {
	for _, c := range []struct {
		in    string
		taken []string
		want  string
	}{
		{"A long name.text", nil, "ALONGN~1TEX"},
		{"A long name.text", []string{"ALONGN~1TEX"}, "ALONGN~2TEX"},
		{".bashrc", nil, "BASHRC~1   "},
		{"grüße.txt", nil, "GR__E~1 TXT"},
		{"a+b=c.tar.gz", nil, "A_B_CT~1GZ "},
		{"...", nil, "_~1        "},
	} {
		taken := map[string]bool{}
		for _, s := range c.taken {
			taken[s] = true
		}
		got, err := makeShort(c.in, func(s [11]byte) bool { return taken[string(s[:])] })
		require.NoError(t, err)
		assert.Equal(t, c.want, string(got[:]), "makeShort(%q)", c.in)
	}
}

func TestLongNameRoundTrip(t *testing.T) {
	for _, name := range []string{"a", "exactly13char", "fourteen chars", "grüße, 世界 and more.txt", strings.Repeat("n", 255)} {
		var short [11]byte
		copy(short[:], "SHORT~1 TXT")
		var buf []byte
		for _, s := range lfnSlots(name, checksum(short)) {
			buf = append(buf, s[:]...)
		}
		d := dirent{name: short, attr: attrArchive}
		var s [slotSize]byte
		d.encode(s[:])
		buf = append(buf, s[:]...)
		l := scan(buf)
		require.Len(t, l.ents, 1, "scan of %q's slots", name)
		assert.Equal(t, name, l.ents[0].name, "the long name read back")
		assert.Equal(t, 0, l.ents[0].first)
		// A wrong checksum: the long name is ignored, the short one shown.
		buf[13] ^= 0xff
		l = scan(buf)
		assert.Equal(t, "SHORT~1.TXT", l.ents[0].name, "with a bad checksum, %q", name)
	}
}

func TestFATTime(t *testing.T) {
	for _, c := range []struct {
		in, want time.Time
	}{
		{time.Date(2026, 11, 26, 13, 45, 31, 0, time.UTC), time.Date(2026, 11, 26, 13, 45, 30, 0, time.UTC)},
		{time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		date, clock, _ := fatTime(c.in)
		assert.Equal(t, c.want, goTime(date, clock), "goTime(fatTime(%v))", c.in)
	}
}

// TestFsckSeesDamage makes sure the fsck check of the other tests can
// fail: an FSInfo free count one off is reported.
func TestFsckSeesDamage(t *testing.T) {
	img := newImage(t)
	fs := mount(t, img, 0)
	n, err := fs.Root().Create("f", false)
	require.NoError(t, err)
	_, err = n.WriteAt(bytes.Repeat([]byte("x"), 5000), 0)
	require.NoError(t, err)
	fs.info.Free++
	require.NoError(t, fs.writeInfo())
	out, err := exec.Command("/usr/sbin/fsck.vfat", "-n", img).CombinedOutput()
	assert.Error(t, err, "fsck.vfat -n passed a wrong free count:\n%s", out)
	assert.Contains(t, string(out), "Free cluster summary wrong")
}

// TestFull: writing until the volume is full fails with ENOSPC, and the
// image is still clean.
func TestFull(t *testing.T) {
	img := newImage(t)
	fs := mount(t, img, 0)
	n, err := fs.Root().Create("big", false)
	require.NoError(t, err)
	chunk := make([]byte, 1<<20)
	var werr error
	for i := 0; i < 80 && werr == nil; i++ {
		_, werr = n.WriteAt(chunk, int64(i)<<20)
	}
	require.ErrorIs(t, werr, errNoSpace)
	// A write that does not fit allocates nothing; smaller ones fill the rest.
	for werr = nil; werr == nil; {
		_, werr = n.WriteAt(chunk[:512], n.Size())
	}
	require.ErrorIs(t, werr, errNoSpace)
	assert.Equal(t, uint32(0), fs.Info().Free)
	assert.Equal(t, int64(fs.bs.Clusters-1)*fs.bs.ClusterSize(), n.Size(), "the file has every cluster but the root directory's")
	fsck(t, img)
}
