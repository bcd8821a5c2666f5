package tui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/burrow-os/burrow/debugger/rsp/rsptest"
	"github.com/burrow-os/burrow/internal/testenv"
)

// tmux drives one tmux server of its own (-L), so the test never touches
// the user's sessions.
type tmux struct {
	t      *testing.T
	server string
}

func (x tmux) run(args ...string) string {
	x.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", x.server}, args...)...).CombinedOutput()
	require.NoError(x.t, err, "tmux %v: %s", args, out)
	return string(out)
}

func (x tmux) capture() string { return x.run("capture-pane", "-p", "-t", "dbg") }

// waitFor polls the pane until it shows want.
func (x tmux) waitFor(want string) string {
	x.t.Helper()
	var screen string
	for i := 0; i < 100; i++ {
		screen = x.capture()
		if strings.Contains(screen, want) {
			return screen
		}
		time.Sleep(100 * time.Millisecond)
	}
	x.t.Fatalf("the TUI never showed %q; screen:\n%s", want, screen)
	return ""
}

var sourceLine = regexp.MustCompile(`Source fixture\.c:\d+`)

// keyUntil sends key until the pane shows want.
func (x tmux) keyUntil(key, want string) {
	x.t.Helper()
	for i := 0; i < 20; i++ {
		x.run("send-keys", "-t", "dbg", key)
		for j := 0; j < 10; j++ {
			if strings.Contains(x.capture(), want) {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	x.t.Fatalf("key %q never made the TUI show %q", key, want)
}

// waitGone polls the pane until it no longer shows s.
func (x tmux) waitGone(s string) {
	x.t.Helper()
	for i := 0; i < 100; i++ {
		if !strings.Contains(x.capture(), s) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	x.t.Fatalf("the TUI kept showing %q", s)
}

// settled waits until the pane shows a whole frame of h lines ending in
// the key hint (tmux may be captured in the middle of a redraw).
func (x tmux) settled(h int) string {
	x.t.Helper()
	var screen string
	for i := 0; i < 100; i++ {
		screen = x.capture()
		lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
		if len(lines) == h && strings.HasPrefix(lines[h-1], "c continue") {
			return screen
		}
		time.Sleep(50 * time.Millisecond)
	}
	return screen
}

func checkSize(t *testing.T, screen string, w, h int) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	assert.Len(t, lines, h, "pane height")
	borders := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "┌") || strings.HasPrefix(l, "└") {
			assert.Equal(t, w, ansi.StringWidth(strings.TrimRight(l, " ")), "border line %q spans the terminal", l)
			borders++
		}
	}
	assert.GreaterOrEqual(t, borders, 4, "panes are drawn:\n%s", screen)
}

// TestQEMUTUITmux runs `burrow debug` in a real terminal (tmux) against
// QEMU running the fixture: the panes render at 80x24 and 200x50, and
// break, continue and stepi update them.
func TestQEMUTUITmux(t *testing.T) {
	testenv.NeedQEMU(t)
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatalf("tmux is not installed: run make setup")
	}
	bin := filepath.Join(t.TempDir(), "burrow")
	build := exec.Command("go", "build", "-o", bin, "./cmd/burrow")
	build.Dir = testenv.Root(t)
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	fixture, err := filepath.Abs("../testdata/fixture.elf")
	require.NoError(t, err)
	sock := rsptest.StartQEMU(t, fixture)

	x := tmux{t: t, server: fmt.Sprintf("burrow-tui-test-%d", os.Getpid())}
	x.run("new-session", "-d", "-s", "dbg", "-x", "80", "-y", "24",
		fmt.Sprintf("cd .. && %s debug --attach %s --elf %s", bin, sock, fixture))
	t.Cleanup(func() { exec.Command("tmux", "-L", x.server, "kill-server").Run() })

	// The status line names the stop once the first snapshot is in, and
	// the TUI is reading keys by then.
	x.waitFor("CPU 1 at 0x40080000 _start")
	screen := x.settled(24)
	checkSize(t, screen, 80, 24)
	assert.Contains(t, screen, "Registers")
	// Keys typed while the program starts up can be lost; open the
	// command line until it shows, so we know input is live.
	// (Enter on the empty line closes it; Escape would not do, as an
	// escape followed quickly by more keys reads as an Alt sequence.)
	x.keyUntil(":", "(burrow) ")
	x.run("send-keys", "-t", "dbg", "Enter")
	x.waitGone("(burrow) █")

	x.run("send-keys", "-t", "dbg", "b")
	x.run("send-keys", "-t", "dbg", "-l", "fib")
	x.run("send-keys", "-t", "dbg", "Enter")
	x.waitFor("break 1 at 0x400800a0")
	x.run("send-keys", "-t", "dbg", "c")
	screen = x.waitFor("Source fixture.c:59")
	assert.Contains(t, screen, "=>●0x400800a0 <fib+0>", "disassembly marks the pc and the breakpoint")
	assert.Contains(t, screen, "=>   59  unsigned long fib", "source marks the line")
	assert.Contains(t, screen, "pc   00000000400800a0*", "the changed pc is flagged")

	x.run("send-keys", "-t", "dbg", "i")
	screen = x.waitFor("=> 0x400800a4 <fib+4>")
	assert.Contains(t, screen, "pc   00000000400800a4*")

	before := sourceLine.FindString(screen)
	require.NotEmpty(t, before, "the source pane title names the line:\n%s", screen)
	x.run("send-keys", "-t", "dbg", "s")
	screen = x.waitFor("(burrow) step ") // not "stepi"
	after := sourceLine.FindString(screen)
	assert.NotEqual(t, before, after, "step moved to another source line:\n%s", screen)

	x.run("resize-window", "-t", "dbg", "-x", "200", "-y", "50")
	x.waitFor("TTBR1_EL1") // the system registers fit at 200x50
	screen = x.settled(50)
	checkSize(t, screen, 200, 50)
	assert.Contains(t, screen, "SCTLR_EL1  0000000000c5183d MMU on")

	x.run("send-keys", "-t", "dbg", "q")
}
