package boottest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/burrow-os/burrow/kernel/fdt"
	"github.com/burrow-os/burrow/qemu"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// boot runs the kernel on a board under icount and semihosting, with the
// protocol's nonce, and returns the result.
func boot(t *testing.T, board, kernel, args string, extra ...string) *qemu.Result {
	t.Helper()
	res, err := qemu.Run(context.Background(), qemu.Config{
		Extra:       extra,
		Board:       board,
		Kernel:      testenv.Build(t, kernel),
		Root:        testenv.Root(t),
		Append:      "semihosting=1 " + args,
		Icount:      true,
		Semihosting: true,
		Protocol:    true,
		Backstop:    10 * time.Minute, // a safety net only: a loaded CI host must not fail a test
	})
	require.NoError(t, err, "console:\n%s", strings.Join(res.Lines, "\n"))
	return res
}

// deviceTreeRAM asks QEMU for the device tree it gives the board (dumpdtb)
// and returns the RAM size /memory declares, read by the Go parser: the
// kernel's figure is checked against the tree, not against a constant.
func deviceTreeRAM(t *testing.T, board string) uint64 {
	t.Helper()
	b, err := qemu.LookupBoard(board)
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), "board.dtb")
	args := append([]string{}, b.Machine...)
	for i := range args {
		if args[i] == "-machine" {
			args[i+1] += ",dumpdtb=" + out
		}
	}
	if b.DTB != "" {
		args = append(args, "-dtb", filepath.Join(testenv.Root(t), b.DTB))
	}
	cmd := exec.Command(qemu.DefaultQEMU, append(args, "-display", "none")...)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "dumpdtb: %s", msg)
	blob, err := os.ReadFile(out)
	require.NoError(t, err)
	tree, err := fdt.Parse(blob)
	require.NoError(t, err)
	mem, err := tree.Memory()
	require.NoError(t, err)
	var total uint64
	for _, r := range mem {
		total += r.Size
	}
	require.NotZero(t, total, "the %s device tree declares no RAM", board)
	return total
}

func TestQEMUBoot(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img", "ckernel.elf")
	cases := []struct {
		name, board, kernel string
		el, cpus            int
	}{
		{"raspi4b Image enters at EL2", "raspi4b", "kernel8.img", 2, 4},
		{"raspi4b ELF enters at EL3 on all cores", "raspi4b", "ckernel.elf", 3, 4},
		{"virt enters at EL1", "virt", "kernel8.img", 1, 1},
		{"virt with virtualization=on enters at EL2", "virt-el2", "kernel8.img", 2, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res := boot(t, c.board, c.kernel, "test=boot")
			console := strings.Join(res.Lines, "\n")
			assert.Equal(t, 0, res.ExitCode, "exit status; console:\n%s", console)
			assert.Contains(t, console, "Burrow C core on", "banner")
			assert.Empty(t, res.Rejected, "lines with a wrong or missing nonce")

			bootRep := res.Find("boot")
			require.Len(t, bootRep, 1, "boot reports; console:\n%s", console)
			r := bootRep[0]
			assert.Equal(t, strings.TrimSuffix(c.board, "-el2"), r.Get("board"))
			assert.Equal(t, strconv.Itoa(c.el), r.Get("el"), "entry exception level")
			assert.Equal(t, strconv.Itoa(c.cpus), r.Get("cpus"))
			assert.Equal(t, fmt.Sprintf("0x%x", deviceTreeRAM(t, c.board)), r.Get("ram"), "RAM from the device tree")
			insns, err := strconv.ParseUint(r.Get("banner_insns"), 10, 64)
			assert.NoError(t, err)
			assert.NotZero(t, insns, "instructions from entry to the banner")
			t.Logf("%s: %d instructions from entry to banner", c.name, insns)

			ticks := res.Find("tick")
			require.Len(t, ticks, 1)
			n, err := strconv.Atoi(ticks[0].Get("n"))
			assert.NoError(t, err)
			assert.GreaterOrEqual(t, n, 5, "timer ticks")
			results := res.Find("result")
			require.Len(t, results, 1)
			assert.Equal(t, "boot", results[0].Get("name"))
			assert.Equal(t, "pass", results[0].Get("status"))
			require.Len(t, res.Find("done"), 1)
		})
	}
}

func TestQEMUFaultReport(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img")
	cases := []struct {
		fault, class, esr, frame string
		far                      string
	}{
		{"null", "data abort (same EL)", "0x96000004", "fault_read_null", "0x0"},
		{"undef", "unknown reason", "0x2000000", "fault_undefined", ""},
	}
	for _, c := range cases {
		t.Run(c.fault, func(t *testing.T) {
			t.Parallel()
			res := boot(t, "virt", "kernel8.img", "fault="+c.fault)
			console := strings.Join(res.Lines, "\n")
			assert.Equal(t, 1, res.ExitCode, "a panic exits with failure; console:\n%s", console)
			assert.Contains(t, console, "PANIC: unexpected synchronous exception from EL1 on SP_EL1: "+c.class)
			if c.fault == "null" {
				assert.Contains(t, console, "translation fault, level 0, read")
			}
			for _, reg := range []string{"ESR_EL1", "FAR_EL1", "ELR_EL1", "SPSR_EL1", " x0 ", "x30 ", "sp  "} {
				assert.Contains(t, console, reg, "register dump")
			}
			// The backtrace names the faulting function and its callers.
			assert.Regexp(t, `#0  0x[0-9a-f]{16}  `+c.frame+`\+0x[0-9a-f]+`, console)
			assert.Regexp(t, `#\d  0x[0-9a-f]{16}  selftest_run\+0x[0-9a-f]+`, console)
			assert.Regexp(t, `#\d  0x[0-9a-f]{16}  kmain\+0x[0-9a-f]+`, console)
			p := res.Find("panic")
			require.Len(t, p, 1)
			assert.Equal(t, c.class, p[0].Get("class"))
			assert.Equal(t, c.esr, p[0].Get("esr"))
			if c.far != "" {
				assert.Equal(t, c.far, p[0].Get("far"))
			}
			assert.Empty(t, res.Find("done"), "a panicking kernel never reports done")
		})
	}
}

// TestQEMUSecondaryCores starts all four cores (cpus=4) the way each board
// expects (spin-table on raspi4b, from the image's own parking loop when
// the ELF entered at EL3, PSCI on virt) and checks all four report in. Run
// without icount: QEMU's icount puts every vCPU on one host thread.
func TestQEMUSecondaryCores(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img", "ckernel.elf")
	cases := []struct {
		name, board, kernel string
		extra               []string
	}{
		{"raspi4b spin-table", "raspi4b", "kernel8.img", nil},
		{"raspi4b ELF parked at EL3", "raspi4b", "ckernel.elf", nil},
		{"virt PSCI", "virt", "kernel8.img", []string{"-smp", "4"}},
		{"virt-el2 PSCI", "virt-el2", "kernel8.img", []string{"-smp", "4"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res, err := qemu.Run(context.Background(), qemu.Config{
				Board: c.board, Kernel: testenv.Build(t, c.kernel), Root: testenv.Root(t),
				Append: "semihosting=1 cpus=4 test=smp", Semihosting: true, Protocol: true,
				Backstop: 5 * time.Minute, Extra: c.extra,
			})
			require.NoError(t, err)
			console := strings.Join(res.Lines, "\n")
			assert.Equal(t, 0, res.ExitCode, "console:\n%s", console)
			smp := res.Find("smp")
			require.Len(t, smp, 1, "console:\n%s", console)
			assert.Equal(t, "4", smp[0].Get("online"))
			assert.Equal(t, "0xf", smp[0].Get("mask"))
			for n := 1; n < 4; n++ {
				assert.Contains(t, console, fmt.Sprintf("smp: cpu %d online", n))
			}
		})
	}
}
