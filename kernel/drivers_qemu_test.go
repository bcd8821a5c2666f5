package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/burrow-os/burrow/qemu"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bootDrivers boots test=drivers with extra QEMU arguments and typed input.
func bootDrivers(t *testing.T, board, args string, extra []string, input []qemu.Input) *qemu.Result {
	t.Helper()
	res, err := qemu.Run(context.Background(), qemu.Config{
		Board: board, Kernel: testenv.Build(t, "kernel8.img"), Root: testenv.Root(t),
		Append: "semihosting=1 test=drivers " + args, Icount: true, Semihosting: true,
		Protocol: true, Backstop: 5 * time.Minute, Extra: extra, Input: input,
	})
	require.NoError(t, err, "console:\n%s", strings.Join(res.Lines, "\n"))
	return res
}

// results maps each check's name to its status, failing the test on any
// check that failed.
func results(t *testing.T, res *qemu.Result) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, r := range res.Find("result") {
		got[r.Get("name")] = r.Get("status")
		if r.Get("status") == "fail" {
			t.Errorf("%s: %s", r.Get("name"), r.Get("detail"))
		}
	}
	return got
}

func bench(t *testing.T, res *qemu.Result, name string) map[string]string {
	t.Helper()
	for _, r := range res.Find("bench") {
		if r.Get("name") == name {
			t.Logf("%s", r)
			return map[string]string{"raw": r.String()}
		}
	}
	t.Errorf("no bench %s reported", name)
	return nil
}

// TestQEMUDriversRaspi4b: on raspi4b the framework binds the GIC, the
// mailbox, the GPIO and the PL011 from the device tree; characters typed
// on the serial port reach a Go reader through the receive interrupt; the
// mailbox answers QEMU's board revision and memory split; GPIO levels read
// back; disabled and absent devices are reported and skipped. It runs with
// the Go PL011 driver and with the C one (uart=c).
func TestQEMUDriversRaspi4b(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img")
	for _, kind := range []string{"Go", "C"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			args := "rx=typed-through-the-ring"
			if kind == "C" {
				args += " uart=c"
			}
			res := bootDrivers(t, "raspi4b", args, nil,
				[]qemu.Input{{After: "uart-rx: type a line", Text: "typed-through-the-ring\r"}})
			console := strings.Join(res.Lines, "\n")
			assert.Equal(t, 0, res.ExitCode, "console:\n%s", console)
			got := results(t, res)
			for _, name := range []string{"probe", "mailbox", "gpio-level", "uart-rx", "irq-latency", "uart-go-vs-c"} {
				assert.Equal(t, "pass", got[name], "check %s", name)
			}
			mb := res.Find("mailbox")
			require.Len(t, mb, 1)
			assert.Equal(t, "0xb03115", mb[0].Get("revision"))
			assert.Equal(t, "0x0", mb[0].Get("arm_base"))
			assert.Equal(t, "0x3c000000", mb[0].Get("arm_size"))
			rx := res.Find("uart-rx")
			require.Len(t, rx, 1)
			assert.NotEqual(t, "0", rx[0].Get("irqs"), "receive interrupts counted")
			t.Logf("%s", rx[0])
			// The zero-configuration report.
			for _, want := range []string{
				"bound    gic      Go /soc/interrupt-controller@40041000",
				"bound    uart     " + kind + " ",
				"disabled uart     /soc/serial@7e201400",
				"absent   rng200   no brcm,bcm2711-rng200 in the device tree: keeping the C core's seeded generator",
			} {
				assert.Contains(t, console, want)
			}
			bench(t, res, "irq-latency")
			bench(t, res, "pl011-tx")
		})
	}
}

// TestQEMUDriversRemoved: a device tree with the GPIO block disabled and
// the mailbox node removed still boots; both are reported and skipped, and
// the UART, which orders itself after them, binds without them.
func TestQEMUDriversRemoved(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img", "bcm2711-rpi-4-b.dtb")
	dtb := filepath.Join(t.TempDir(), "edited.dtb")
	orig, err := os.ReadFile(testenv.Build(t, "bcm2711-rpi-4-b.dtb"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(dtb, orig, 0o644))
	for _, cmd := range [][]string{
		{"fdtput", "-t", "s", dtb, "/soc/gpio@7e200000", "status", "disabled"},
		{"fdtput", "-r", dtb, "/soc/mailbox@7e00b880"},
	} {
		out, err := exec.Command(cmd[0], cmd[1:]...).CombinedOutput()
		require.NoError(t, err, "%v: %s", cmd, out)
	}
	res, err := qemu.Run(context.Background(), qemu.Config{
		Board: "raspi4b", Kernel: testenv.Build(t, "kernel8.img"), Root: testenv.Root(t), DTB: dtb,
		Append: "semihosting=1 test=drivers", Icount: true, Semihosting: true, Protocol: true,
		Backstop: 5 * time.Minute,
	})
	console := strings.Join(res.Lines, "\n")
	require.NoError(t, err, "console:\n%s", console)
	assert.Equal(t, 0, res.ExitCode, "console:\n%s", console)
	got := results(t, res)
	assert.Equal(t, "pass", got["probe"])
	assert.Equal(t, "skip", got["mailbox"])
	assert.Equal(t, "skip", got["gpio-level"])
	assert.Contains(t, console, "disabled gpio     /soc/gpio@7e200000")
	assert.Contains(t, console, "absent   mbox     no brcm,bcm2835-mbox in the device tree")
	assert.Contains(t, console, "bound    uart     Go /soc/serial@7e201000")
}

// TestQEMUConsole is what `make run` lands in: the console at the burrow>
// prompt, reading typed lines through the UART driver, answers devices and
// mem, then powers off.
func TestQEMUConsole(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img")
	res, err := qemu.Run(context.Background(), qemu.Config{
		Board: "raspi4b", Kernel: testenv.Build(t, "kernel8.img"), Root: testenv.Root(t),
		Append: "semihosting=1", Icount: true, Semihosting: true, Backstop: 5 * time.Minute,
		Input: []qemu.Input{
			{After: "burrow> ", Text: "devices\r"},
			{After: "board revision 0xb03115", Text: "mem\r"},
			{After: "Go heap:", Text: "irq\r"},
			{After: "lines driver", Text: "poweroff\r"},
		},
	})
	console := strings.Join(res.Lines, "\n")
	require.NoError(t, err, "console:\n%s", console)
	assert.Equal(t, 0, res.ExitCode, "console:\n%s", console)
	assert.Regexp(t, `/soc/serial@7e201000 +bound +uart +Go`, console, "devices lists the UART")
	assert.Contains(t, console, "RAM pages (C core):")
	assert.Regexp(t, `\[153\] +uart +/soc/serial@7e201000 +[1-9]`, console, "irq counts the UART's receive interrupts")
}

// testImage writes a disk image of size bytes (a power of two, as QEMU's
// SD card needs) filled with a seeded pattern and returns its path and
// SHA-256.
func testImage(t *testing.T, size int) (string, string) {
	t.Helper()
	img := make([]byte, size)
	x := uint32(2463534242)
	for i := range img {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		img[i] = byte(x)
	}
	path := filepath.Join(t.TempDir(), "disk.img")
	require.NoError(t, os.WriteFile(path, img, 0o644))
	return path, fmt.Sprintf("%x", sha256.Sum256(img))
}

// assertBlock asserts the block check's report: the kernel read the image
// byte for byte, and its write of the last sector reached the file.
func assertBlock(t *testing.T, res *qemu.Result, driver, path, sum string, size int) {
	t.Helper()
	blk := res.Find("block")
	require.Len(t, blk, 1, "console:\n%s", strings.Join(res.Lines, "\n"))
	assert.Equal(t, driver, blk[0].Get("driver"))
	assert.Equal(t, strconv.Itoa(size), blk[0].Get("size"))
	assert.Equal(t, sum, blk[0].Get("sha256"), "the disk as the driver read it")
	t.Logf("%s", blk[0])
	img, err := os.ReadFile(path)
	require.NoError(t, err)
	last := img[size-512:]
	assert.True(t, strings.HasPrefix(string(last), fmt.Sprintf("%s%d\n", BlockPattern, size/512-1)),
		"the last sector of the image after the run: %q", last[:48])
}

// TestQEMUVirtioBlock: on virt, the virtio-mmio block driver reads a disk
// image byte for byte and writes a sector that lands in the file, over the
// legacy transport (QEMU's default) and the modern one.
func TestQEMUVirtioBlock(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img")
	for _, transport := range []string{"legacy", "modern", "legacy-polled"} {
		t.Run(transport, func(t *testing.T) {
			t.Parallel()
			const size = 1 << 20
			path, sum := testImage(t, size)
			extra := []string{"-drive", "if=none,id=d0,format=raw,file=" + path, "-device", "virtio-blk-device,drive=d0"}
			if transport == "modern" {
				extra = append(extra, "-global", "virtio-mmio.force-legacy=false")
			}
			args := "rx=typed-on-virt" // virt's PL011 receives through its interrupt too
			if transport == "legacy-polled" {
				args += " block=poll"
			}
			res := bootDrivers(t, "virt", args, extra,
				[]qemu.Input{{After: "uart-rx: type a line", Text: "typed-on-virt\r"}})
			assert.Equal(t, 0, res.ExitCode, "console:\n%s", strings.Join(res.Lines, "\n"))
			got := results(t, res)
			assert.Equal(t, "pass", got["block"])
			assert.Equal(t, "pass", got["uart-rx"])
			assert.Equal(t, "pass", got["irq-latency"])
			assert.Equal(t, "skip", got["mailbox"], "virt has no mailbox")
			assertBlock(t, res, "virtio", path, sum, size)
			assert.Contains(t, strings.Join(res.Lines, "\n"), "unbound  virtio   31 node(s): empty virtio-mmio slot")
		})
	}
}

// TestQEMUSDCard: on raspi4b, the SDHCI driver reads a FAT disk image that
// the test builds with mtools (4 MiB: QEMU wants a power of two) byte for
// byte, and writes a sector that lands in the file. QEMU attaches the card
// to the legacy SDHCI; EMMC2, bound by the same driver, has no card and is
// reported so.
func TestQEMUSDCard(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img")
	const size = 4 << 20
	path := filepath.Join(t.TempDir(), "sd.img")
	require.NoError(t, os.WriteFile(path, make([]byte, size), 0o644))
	hello := filepath.Join(t.TempDir(), "HELLO.TXT")
	require.NoError(t, os.WriteFile(hello, []byte("hello from the host\n"), 0o644))
	for _, cmd := range [][]string{
		{"mformat", "-i", path, "-v", "BURROW", "::"},
		{"mcopy", "-i", path, hello, "::HELLO.TXT"},
	} {
		out, err := exec.Command(cmd[0], cmd[1:]...).CombinedOutput()
		require.NoError(t, err, "%v: %s", cmd, out)
	}
	img, err := os.ReadFile(path)
	require.NoError(t, err)
	sum := fmt.Sprintf("%x", sha256.Sum256(img))
	res := bootDrivers(t, "raspi4b", "", []string{"-drive", "if=sd,format=raw,file=" + path}, nil)
	console := strings.Join(res.Lines, "\n")
	assert.Equal(t, 0, res.ExitCode, "console:\n%s", console)
	assert.Equal(t, "pass", results(t, res)["block"])
	assertBlock(t, res, "sdhci", path, sum, size)
	assert.Contains(t, console, "bound    sdhci    Go /soc/mmc@7e300000")
	assert.Contains(t, console, "unbound  sdhci    1 node(s): no card in the slot")
}
