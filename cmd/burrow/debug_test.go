package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/burrow-os/burrow/internal/testenv"
)

// TestQEMUDebugCommand runs `burrow debug --batch - --json` the way make
// debug-batch does: it starts QEMU halted itself, runs the script from
// stdin, prints JSON Lines and stops QEMU.
func TestQEMUDebugCommand(t *testing.T) {
	testenv.NeedQEMU(t, "ckernel.elf", "kernel8.img")
	root := testenv.Root(t)
	bin := filepath.Join(t.TempDir(), "burrow")
	build := exec.Command("go", "build", "-o", bin, "./cmd/burrow")
	build.Dir = root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	cmd := exec.Command(bin, "debug", "-batch", "-", "-json", "-console", filepath.Join(t.TempDir(), "console.log"))
	cmd.Dir = root
	cmd.Env = append(cmd.Environ(), "BURROW_ROOT="+root)
	cmd.Stdin = strings.NewReader("break kmain\ncontinue\nprint nosuch\n")
	out, err = cmd.Output()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "one command fails, so the exit status is 1: %s", out)
	assert.Equal(t, 1, exit.ExitCode())

	var results []map[string]any
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		var r map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r), "line %q", sc.Text())
		results = append(results, r)
	}
	require.Len(t, results, 3, "one JSON object per command:\n%s", out)
	assert.Equal(t, true, results[1]["ok"], "continue: %v", results[1])
	assert.Contains(t, results[1]["data"].(map[string]any)["where"], "kmain")
	assert.Equal(t, false, results[2]["ok"])
	assert.Contains(t, results[2]["error"], `unknown symbol "nosuch"`)
}

// TestQEMUDebugTrace exports the C core's event ring from a running Go
// kernel: thread switches become slices on the CPU's track, interrupts and
// system calls instants, in Chrome trace JSON that Perfetto opens. It also
// reads the Go kernel's page allocator (pmm), AI engine (ai) and device
// list (devices) views.
func TestQEMUDebugTrace(t *testing.T) {
	testenv.NeedQEMU(t, "ckernel.elf", "kernel8.img", "burrow.elf")
	root := testenv.Root(t)
	bin := filepath.Join(t.TempDir(), "burrow")
	build := exec.Command("go", "build", "-o", bin, "./cmd/burrow")
	build.Dir = root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	traceFile := filepath.Join(t.TempDir(), "trace.json")
	cmd := exec.Command(bin, "debug", "-batch", "-", "-console", filepath.Join(t.TempDir(), "console.log"))
	cmd.Dir = root
	cmd.Env = append(cmd.Environ(), "BURROW_ROOT="+root)
	cmd.Stdin = strings.NewReader("break main.console\ncontinue\ntrace " + traceFile + "\npmm\nai\ndevices\n")
	out, err = cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "page allocator main.kmm.Phys", "the pmm view finds the Go kernel's memory manager")
	assert.Regexp(t, `total\s+\d+ pages`, string(out))
	assert.Contains(t, string(out), "AI engine main.kai: model loaded", "the ai view")
	assert.Regexp(t, `Decisions\s+1\n`, string(out), "the boot-time demonstration decision")
	assert.Regexp(t, `/soc/serial@7e201000\s+bound`, string(out), "the devices view: the PL011 is bound")

	raw, err := os.ReadFile(traceFile)
	require.NoError(t, err)
	var trace struct {
		TraceEvents []struct {
			Name  string `json:"name"`
			Phase string `json:"ph"`
		} `json:"traceEvents"`
	}
	require.NoError(t, json.Unmarshal(raw, &trace))
	var switches, irqs, mmaps int
	for _, e := range trace.TraceEvents {
		switch {
		case e.Phase == "B" && strings.HasPrefix(e.Name, "thread "):
			switches++
		case strings.HasPrefix(e.Name, "TR_IRQ"):
			irqs++
		case e.Name == "TR_SYSCALL 222": // mmap, which the Go runtime calls at start
			mmaps++
		}
	}
	assert.Positive(t, switches, "thread switches")
	assert.Positive(t, irqs, "interrupts")
	assert.Positive(t, mmaps, "mmap system calls")
}
