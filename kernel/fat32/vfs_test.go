package fat32

import (
	"os"
	"strings"
	"testing"

	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/vfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestThroughVFS mounts an image at /boot of a ramfs and uses it the way
// the system calls do (paths, open files, O_APPEND, getdents), then checks
// the image with fsck.vfat and mtools.
func TestThroughVFS(t *testing.T) {
	img := newImage(t)
	run(t, "mcopy", "-i", img, writeTemp(t, "arm_64bit=1\n"), "::config.txt")
	root := vfs.New()
	require.NoError(t, root.Mkdir(nil, "/boot", 0o755))
	require.NoError(t, root.MountVolume("/boot", mount(t, img, 0).Volume()))

	cfg, err := root.Lookup(nil, "/boot/config.txt", true)
	require.NoError(t, err)
	assert.Equal(t, "arm_64bit=1\n", string(cfg.Data()))
	assert.Equal(t, uint32(linux.S_IFREG|0o755), cfg.Stat().Mode)

	n, err := root.Create(nil, "/boot/Boot Log.txt", linux.S_IFREG|0o644)
	require.NoError(t, err)
	f := vfs.NewFile(n, linux.O_WRONLY|linux.O_APPEND, "/boot/Boot Log.txt")
	for _, line := range []string{"first\n", "second\n"} {
		_, err := f.Write([]byte(line))
		require.NoError(t, err)
	}
	require.NoError(t, root.Mkdir(nil, "/boot/logs", 0o755))
	require.NoError(t, root.Rename(nil, "/boot/Boot Log.txt", "/boot/logs/boot.log"))
	require.NoError(t, root.WriteFile("/boot/doomed", []byte("x"), 0o644))
	require.NoError(t, root.Remove(nil, "/boot/doomed", false))

	d, err := root.Lookup(nil, "/boot", true)
	require.NoError(t, err)
	buf := make([]byte, 4096)
	k, err := vfs.NewFile(d, linux.O_RDONLY, "/boot").Getdents(buf)
	require.NoError(t, err)
	var names []string
	for off := 0; off < k; off += int(buf[off+16]) | int(buf[off+17])<<8 {
		names = append(names, strings.TrimRight(string(buf[off+19:off+int(buf[off+16])]), "\x00"))
	}
	assert.Equal(t, []string{".", "..", "config.txt", "logs"}, names, "getdents of /boot")

	// Names match without regard to case, as on Linux's vfat, and a
	// rename can change just the case.
	upper, err := root.Lookup(nil, "/BOOT/CONFIG.TXT", true)
	assert.Error(t, err, "/BOOT is on the ramfs, which minds case")
	upper, err = root.Lookup(nil, "/boot/CONFIG.TXT", true)
	require.NoError(t, err)
	assert.Same(t, cfg, upper)
	require.NoError(t, root.Rename(nil, "/boot/CONFIG.TXT", "/boot/Config.txt"))
	_, err = root.Create(nil, "/boot/config.TXT", linux.S_IFREG|0o644)
	assert.Equal(t, linux.EEXIST, err, "creating a name that differs only in case")
	require.NoError(t, root.Remove(nil, "/boot/LOGS/BOOT.LOG", false))
	require.NoError(t, root.WriteFile("/boot/logs/boot.log", []byte("first\nsecond\n"), 0o644))

	require.NoError(t, root.Unmount("/boot"))
	fsck(t, img)
	assert.Equal(t, "first\nsecond\n", string(mtype(t, img, "logs/boot.log")))
	assert.Contains(t, run(t, "mdir", "-b", "-/", "-i", img, "::"), "::/Config.txt\n")
}

func writeTemp(t *testing.T, s string) string {
	t.Helper()
	p := t.TempDir() + "/f"
	require.NoError(t, os.WriteFile(p, []byte(s), 0o644))
	return p
}
