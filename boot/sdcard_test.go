package boot

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mtools addresses the FAT32 partition by its byte offset in the image.
const partition = "@@1M"

func mdir(t *testing.T, img, dir string) string {
	t.Helper()
	out, err := exec.Command("mdir", "-b", "-i", img+partition, dir).CombinedOutput()
	require.NoError(t, err, "mdir %s: %s", dir, out)
	return string(out)
}

// TestImageSDCard lists the card image's files: everything the Pi 4's
// firmware needs to boot Burrow must be on it, and kernel8.img must be the
// one just built.
func TestImageSDCard(t *testing.T) {
	testenv.NeedBuild(t, "sdcard.img", "kernel8.img", "initramfs.cpio")
	img := testenv.Build(t, "sdcard.img")
	root := mdir(t, img, "::")
	for _, f := range []string{"start4.elf", "fixup4.dat", "config.txt", "bcm2711-rpi-4-b.dtb", "kernel8.img", "initramfs.cpio", "overlays/"} {
		assert.Contains(t, root, "::/"+f, "the card's root holds %s", f)
	}
	assert.Contains(t, mdir(t, img, "::overlays"), "::/overlays/disable-bt.dtbo")

	got, err := exec.Command("mtype", "-i", img+partition, "::config.txt").Output()
	require.NoError(t, err)
	for _, line := range []string{"arm_64bit=1", "enable_uart=1", "dtoverlay=disable-bt", "kernel=kernel8.img", "initramfs initramfs.cpio followkernel"} {
		assert.Contains(t, strings.Split(string(got), "\n"), line, "config.txt sets %s", line)
	}

	kernel, err := exec.Command("mtype", "-i", img+partition, "::kernel8.img").Output()
	require.NoError(t, err)
	built, err := os.ReadFile(testenv.Build(t, "kernel8.img"))
	require.NoError(t, err)
	assert.Equal(t, built, kernel, "kernel8.img on the card is the built image")

	rd, err := exec.Command("mtype", "-i", img+partition, "::initramfs.cpio").Output()
	require.NoError(t, err)
	builtRD, err := os.ReadFile(testenv.Build(t, "initramfs.cpio"))
	require.NoError(t, err)
	assert.Equal(t, builtRD, rd, "initramfs.cpio on the card is the built one")
}
