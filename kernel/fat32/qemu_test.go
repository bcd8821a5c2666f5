package fat32_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/burrow-os/burrow/qemu"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// partStart is where the card's FAT32 partition starts (1 MiB, as make
// sdcard puts it), and cardSize the card: QEMU's SD card must be a power
// of two.
const (
	partStart = 1 << 20
	cardSize  = 64 << 20
)

// bootScript is what busybox's shell does on /boot, started by /init
// (which mounts the card there) in place of the interactive shell. The
// lines starting "ns " are guest times (instructions, under icount).
const bootScript = `#!/bin/sh
ls /dev/mmcblk0* /dev/vda* 2>/dev/null | wc -l
cat /boot/config.txt
wc -c < "/boot/Long Named File.txt"
fatbench read /boot/big.bin
echo "written by burrow" > /boot/new.txt
echo "appended line" >> /boot/new.txt
mkdir /boot/newdir
echo inside > /boot/newdir/inner.txt
rm /boot/doomed.txt
mv /boot/old.txt /boot/newdir/renamed.txt
seq 1 20000 > /boot/newdir/numbers.txt
fatbench write /boot/zeros.bin 1048576
cp "/boot/Long Named File.txt" /boot/copy.bin
ls /boot
ls /boot/newdir
sync
grep -c ' /boot vfat ' /proc/mounts
stat -f -c %t /boot
df /boot | grep -c ' /boot$'
`

// wantOutput is the script's output, the "ns" lines left out.
const wantOutput = "2\n" + // mmcblk0 and mmcblk0p1, or vda and vda1
	"arm_64bit=1\nkernel=kernel8.img\n" +
	"3000\n" +
	"Long Named File.txt\nbig.bin\nconfig.txt\ncopy.bin\nnew.txt\nnewdir\nzeros.bin\n" +
	"inner.txt\nnumbers.txt\nrenamed.txt\n" +
	"1\n4d44\n1\n" // /proc/mounts lists the card; statfs says vfat; df finds it

// pattern is n bytes of a repeatable pseudo-random sequence.
func pattern(seed uint32, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		seed ^= seed << 13
		seed ^= seed >> 17
		seed ^= seed << 5
		b[i] = byte(seed)
	}
	return b
}

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

// makeCard writes a 64 MiB card image: an MBR with one FAT32 partition
// (type 0x0c) from 1 MiB, made by mkfs.vfat and filled by mtools.
func makeCard(t *testing.T, files map[string][]byte) string {
	img := filepath.Join(t.TempDir(), "card.img")
	require.NoError(t, os.WriteFile(img, make([]byte, cardSize), 0o644))
	mbr := make([]byte, 512)
	e := mbr[446:]
	e[4] = 0x0c
	le32 := func(b []byte, v uint32) { b[0], b[1], b[2], b[3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24) }
	le32(e[8:], partStart/512)
	le32(e[12:], (cardSize-partStart)/512)
	mbr[510], mbr[511] = 0x55, 0xaa
	f, err := os.OpenFile(img, os.O_RDWR, 0)
	require.NoError(t, err)
	_, err = f.WriteAt(mbr, 0)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	run(t, "mkfs.vfat", "-F", "32", "-n", "BOOT", "--offset", strconv.Itoa(partStart/512), img, strconv.Itoa((cardSize-partStart)/1024))
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, "f")
		require.NoError(t, os.WriteFile(p, data, 0o644))
		run(t, "mcopy", "-o", "-i", fmt.Sprintf("%s@@%d", img, partStart), p, "::"+name)
	}
	return img
}

// initramfs packs /init, busybox with its applets, fatbench, and
// /test/boot.sh holding script, with the test=proc case list that runs
// "/init /test/boot.sh".
func initramfs(t *testing.T, script string) string {
	root := t.TempDir()
	for _, d := range []string{"bin", "test"} {
		require.NoError(t, os.MkdirAll(filepath.Join(root, d), 0o755))
	}
	testenv.GoArm64(t, filepath.Join(root, "init"), "../userland/init")
	testenv.GoArm64(t, filepath.Join(root, "bin", "fatbench"), "./testdata/fatbench")
	testenv.Busybox(t, filepath.Join(root, "bin"), "sh", "ls", "cat", "wc", "echo", "mkdir", "rm", "mv", "cp", "seq", "sync", "grep", "stat", "df")
	require.NoError(t, os.WriteFile(filepath.Join(root, "test", "boot.sh"), []byte(script), 0o755))
	testenv.WriteProcCases(t, root, testenv.ProcCase{Name: "boot", Argv: []string{"/init", "/test/boot.sh"}})
	return testenv.Cpio(t, root)
}

// TestQEMUBootFAT boots Burrow with a FAT32 card and the initramfs; /init
// mounts the card at /boot and runs a busybox script that reads, writes,
// appends, makes a directory, removes and renames there. After power-off
// fsck.vfat -n must find the partition clean and mtools must read the new
// files back byte for byte. raspi4b has the card on its SD controller,
// virt as a virtio disk.
func TestQEMUBootFAT(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img", "deps/busybox")
	cpio := initramfs(t, bootScript)
	long := pattern(1, 3000)
	big := pattern(2, 1<<20)
	for _, board := range []string{"raspi4b", "virt"} {
		t.Run(board, func(t *testing.T) {
			img := makeCard(t, map[string][]byte{
				"config.txt":          []byte("arm_64bit=1\nkernel=kernel8.img\n"),
				"Long Named File.txt": long,
				"big.bin":             big,
				"doomed.txt":          []byte("to be removed\n"),
				"old.txt":             []byte("to be renamed\n"),
			})
			drive := []string{"-drive", "if=sd,format=raw,file=" + img}
			if board == "virt" {
				drive = []string{"-drive", "if=none,id=d0,format=raw,file=" + img, "-device", "virtio-blk-device,drive=d0"}
			}
			res, err := qemu.Run(context.Background(), qemu.Config{
				Board: board, Kernel: testenv.Build(t, "kernel8.img"), Root: testenv.Root(t),
				Initrd: cpio, Append: "semihosting=1 test=proc", Icount: true, Semihosting: true,
				Protocol: true, Backstop: 5 * time.Minute, Extra: drive,
			})
			console := strings.Join(res.Lines, "\n")
			require.NoError(t, err, "console:\n%s", console)
			var out strings.Builder
			for _, r := range res.Find("proc-out") {
				out.WriteString(r.Get("text"))
			}
			procs := res.Find("proc")
			require.Len(t, procs, 1, "console:\n%s", console)
			require.Equal(t, "done", procs[0].Get("status"), "%s\nconsole:\n%s", procs[0].Get("detail"), console)
			require.Equal(t, "0", procs[0].Get("exit"), "output:\n%s", out.String())

			for _, r := range res.Find("result") { // no pages or goroutines leaked
				assert.Equal(t, "pass", r.Get("status"), "%s: %s", r.Get("name"), r.Get("detail"))
			}
			got, figures := splitFigures(out.String())
			src := "/dev/mmcblk0p1"
			if board == "virt" {
				src = "/dev/vda1"
			}
			assert.Equal(t, "init: "+src+" (FAT32) mounted on /boot\n"+
				"Burrow init: starting /test/boot.sh (type exit to return to the kernel console)\n"+wantOutput, got)
			for _, f := range figures {
				t.Logf("%s: %s instructions", board, f)
			}

			// The card, after power-off.
			part := filepath.Join(t.TempDir(), "part.img")
			data, err := os.ReadFile(img)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(part, data[partStart:], 0o644))
			fsckOut, err := exec.Command("/usr/sbin/fsck.vfat", "-n", "-V", part).CombinedOutput()
			require.NoError(t, err, "fsck.vfat -n of the card after Burrow wrote it:\n%s", fsckOut)
			read := func(name string) []byte {
				p := filepath.Join(t.TempDir(), "out")
				run(t, "mcopy", "-n", "-i", part, "::"+name, p)
				b, err := os.ReadFile(p)
				require.NoError(t, err)
				return b
			}
			assert.Equal(t, "written by burrow\nappended line\n", string(read("new.txt")))
			assert.Equal(t, "inside\n", string(read("newdir/inner.txt")))
			assert.Equal(t, "to be renamed\n", string(read("newdir/renamed.txt")))
			var seq bytes.Buffer
			for i := 1; i <= 20000; i++ {
				fmt.Fprintf(&seq, "%d\n", i)
			}
			assert.True(t, bytes.Equal(seq.Bytes(), read("newdir/numbers.txt")), "newdir/numbers.txt is seq 1 20000")
			assert.True(t, bytes.Equal(long, read("copy.bin")), "copy.bin is the long-named file byte for byte")
			assert.True(t, bytes.Equal(make([]byte, 1<<20), read("zeros.bin")), "zeros.bin is 1 MiB of zeros")
			listing := run(t, "mdir", "-b", "-/", "-i", part, "::")
			assert.NotContains(t, listing, "doomed.txt")
			assert.NotContains(t, listing, "::/old.txt")
		})
	}
}

// TestQEMUNoCard: without a card, /init says so in one line and goes on.
func TestQEMUNoCard(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img", "deps/busybox")
	res, err := qemu.Run(context.Background(), qemu.Config{
		Board: "virt", Kernel: testenv.Build(t, "kernel8.img"), Root: testenv.Root(t),
		Initrd: initramfs(t, "#!/bin/sh\necho shell runs\n"), Append: "semihosting=1 test=proc",
		Icount: true, Semihosting: true, Protocol: true, Backstop: 2 * time.Minute,
	})
	require.NoError(t, err, "console:\n%s", strings.Join(res.Lines, "\n"))
	var out strings.Builder
	for _, r := range res.Find("proc-out") {
		out.WriteString(r.Get("text"))
	}
	assert.Equal(t, "init: no SD card (no /dev/mmcblk0p1 or /dev/vda1): /boot is not mounted\n"+
		"Burrow init: starting /test/boot.sh (type exit to return to the kernel console)\nshell runs\n", out.String())
	procs := res.Find("proc")
	require.Len(t, procs, 1)
	assert.Equal(t, "0", procs[0].Get("exit"), "init's exit status")
}

// splitFigures takes the "ns NAME N" lines out of the output.
func splitFigures(out string) (string, []string) {
	re := regexp.MustCompile(`(?m)^ns (\S+) (\d+)\n`)
	var figs []string
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		figs = append(figs, m[1]+" "+m[2])
	}
	return re.ReplaceAllString(out, ""), figs
}
