package tui

import (
	"flag"
	"os"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/burrow-os/burrow/debugger"
	"github.com/burrow-os/burrow/debugger/rsp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii) // golden views are plain text
	os.Exit(m.Run())
}

// fake is a Backend with a fixed stop state that records commands.
type fake struct {
	longText    string // returned by the next command instead of "did ..."
	execs       []string
	interrupted bool
	snap        Snapshot
}

func (f *fake) Exec(line string) debugger.Result {
	f.execs = append(f.execs, line)
	if line == "continue" {
		f.snap.PC += 4
	}
	if f.longText != "" {
		text := f.longText
		f.longText = ""
		return debugger.Result{Command: line, OK: true, Text: text}
	}
	return debugger.Result{Command: line, OK: true, Text: "did " + line}
}

func (f *fake) Snapshot(mem string) Snapshot {
	s := f.snap
	s.Status = "CPU 1 at 0x40080020 fib (fixture.c:59)"
	if mem != "" {
		s.MemAddr = 0x40080210
	}
	return s
}

func (f *fake) Interrupt() error { f.interrupted = true; return nil }

func newFake() *fake {
	sn := Snapshot{Thread: "1", PC: 0x40080020, EL: "EL1h -ZC- mask=DAIF", File: "/src/fixture.c", Line: 59,
		First: 55, MemAddr: 0x40089fd0}
	sn.Source = []string{"\tasm volatile(\"msr sctlr_el1, %0; isb\" ::\"r\"(sctlr));", "}", "",
		"// fib is the function the tests break on.", "unsigned long fib(unsigned long n) {",
		"\tunsigned long a = 0, b = 1;", "\tfor (unsigned long i = 0; i < n; i++) {"}
	for i, n := range debugger.CoreRegs {
		sn.Core = append(sn.Core, RegLine{Name: n, Value: uint64(i) * 0x1111, Changed: i == 2 || n == "pc"})
	}
	sn.Core[32].Value = 0x40080020
	sn.Sys = []RegLine{{Name: "ESR_EL1", Value: 0x96000045, Note: debugger.DecodeESR(0x96000045)},
		{Name: "TTBR1_EL1", Value: 0x40085000}, {Name: "SCTLR_EL1", Value: 0xc5183d, Note: "MMU on", Changed: true}}
	for i := 0; i < 12; i++ {
		a := uint64(0x40080010 + 4*i)
		sn.Disasm = append(sn.Disasm, debugger.Instruction{Addr: a, Text: "nop", Symbol: "fib+" + string(rune('0'+i%10))})
	}
	sn.Frames = []debugger.Frame{{PC: 0x40080020, Where: "fib (fixture.c:59)"}, {PC: 0x40080184, Where: "fixture_main+0x134 (fixture.c:79)"}}
	sn.Breaks = []debugger.Breakpoint{{ID: 1, Kind: rsp.SoftwareBreak, Addr: 0x40080020, Size: 4, Where: "fib (fixture.c:59)"},
		{ID: 2, Kind: rsp.HardwareBreak, Addr: 0x40080028, Size: 4, Where: "fib+0x8 (fixture.c:60)"},
		{ID: 3, Kind: rsp.WriteWatch, Addr: 0x40080030, Size: 8, Where: "counter"}}
	sn.Mem = []byte("Burrow kernel debugger memory pane\x00\x01\x02")
	return &fake{snap: sn}
}

// drive feeds a message and runs the command it returns (one level), the
// way bubbletea would.
func drive(t *testing.T, m Model, msg tea.Msg) Model {
	t.Helper()
	next, cmd := m.Update(msg)
	m = next.(Model)
	if cmd != nil {
		if out := cmd(); out != nil {
			if _, quit := out.(tea.QuitMsg); !quit {
				next, _ = m.Update(out)
				m = next.(Model)
			}
		}
	}
	return m
}

func keyRunes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func typeLine(t *testing.T, m Model, s string) Model {
	for _, r := range s {
		if r == ' ' {
			m = drive(t, m, tea.KeyMsg{Type: tea.KeySpace})
		} else {
			m = drive(t, m, keyRunes(string(r)))
		}
	}
	return drive(t, m, tea.KeyMsg{Type: tea.KeyEnter})
}

func loaded(t *testing.T, f *fake, w, h int) Model {
	m := New(f)
	m = drive(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	return drive(t, m, m.Init()())
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := "testdata/" + name + ".golden"
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(p, []byte(got), 0o644))
	}
	want, err := os.ReadFile(p)
	require.NoError(t, err, "run go test ./debugger/tui -update to create it")
	assert.Equal(t, string(want), got, "view %s differs from %s", name, p)
}

func TestGoldenViews(t *testing.T) {
	for _, tc := range []struct {
		name string
		w, h int
		keys []string
	}{
		{"stopped-80x24", 80, 24, nil},
		{"stopped-120x40", 120, 40, nil},
		{"stopped-200x50", 200, 50, nil},
		{"memory-200x50", 200, 50, []string{"tab", "tab"}},
		{"help-80x24", 80, 24, []string{"?"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := loaded(t, newFake(), tc.w, tc.h)
			for _, k := range tc.keys {
				if k == "tab" {
					m = drive(t, m, tea.KeyMsg{Type: tea.KeyTab})
				} else {
					m = drive(t, m, keyRunes(k))
				}
			}
			golden(t, tc.name, m.View())
		})
	}
}

// TestViewSize checks that every size gives exactly h lines of exactly w
// cells, so panes never jump.
func TestViewSize(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {120, 40}, {200, 50}, {60, 20}} {
		for _, help := range []bool{false, true} {
			m := loaded(t, newFake(), sz[0], sz[1])
			if help {
				m = drive(t, m, keyRunes("?"))
			}
			lines := strings.Split(m.View(), "\n")
			assert.Len(t, lines, sz[1], "View() at %dx%d (help %v) height", sz[0], sz[1], help)
			for i, l := range lines {
				if w := ansi.StringWidth(l); w != sz[0] {
					t.Errorf("View() at %dx%d line %d is %d cells wide, want %d: %q", sz[0], sz[1], i, w, sz[0], l)
				}
			}
		}
	}
}

func TestKeys(t *testing.T) {
	f := newFake()
	m := loaded(t, f, 80, 24)
	for _, k := range []string{"c", "s", "n", "i", "f"} {
		m = drive(t, m, keyRunes(k))
	}
	assert.Equal(t, []string{"continue", "step", "next", "stepi", "finish"}, f.execs)
	assert.Contains(t, m.View(), "did finish", "the output pane shows the last result")
	assert.Contains(t, m.View(), "=> 0x40080024", "continue moved the pc and the disassembly marker followed")

	m = drive(t, m, keyRunes("b"))
	m = typeLine(t, m, "fib")
	assert.Equal(t, "break fib", f.execs[len(f.execs)-1], "b opens the command line with break")

	// Runes that arrive in one message are keys one by one, and the rest
	// go to the command line once a key opens it.
	m = drive(t, m, keyRunes("bfib"))
	assert.True(t, m.editing)
	assert.Equal(t, "break fib", m.input)
	m = drive(t, m, tea.KeyMsg{Type: tea.KeyEnter})
	assert.Equal(t, "break fib", f.execs[len(f.execs)-1])

	m = drive(t, m, keyRunes(":"))
	m = typeLine(t, m, "x sp 16")
	assert.Equal(t, "x sp 16", f.execs[len(f.execs)-1])

	// History: up recalls the last two commands, down walks back.
	m = drive(t, m, keyRunes(":"))
	m = drive(t, m, tea.KeyMsg{Type: tea.KeyUp})
	assert.Equal(t, "x sp 16", m.input)
	m = drive(t, m, tea.KeyMsg{Type: tea.KeyUp})
	assert.Equal(t, "break fib", m.input)
	m = drive(t, m, tea.KeyMsg{Type: tea.KeyDown})
	assert.Equal(t, "x sp 16", m.input)
	m = drive(t, m, tea.KeyMsg{Type: tea.KeyEsc})
	assert.False(t, m.editing)

	// m: memory at a symbol, shown in the memory tab.
	m = drive(t, m, keyRunes("m"))
	m = typeLine(t, m, "magic")
	assert.Equal(t, tabMemory, m.tab)
	assert.Contains(t, m.View(), "0000000040080210", "memory pane at magic")

	// The help overlay opens and closes with any key.
	// The help overlay opens, scrolls, and closes with any other key.
	m = drive(t, m, keyRunes("?"))
	assert.Contains(t, m.View(), "continue every CPU")
	assert.NotContains(t, m.View(), "break|b                EXPR", "the command list is below the fold at 80x24")
	m = drive(t, m, tea.KeyMsg{Type: tea.KeyPgDown})
	assert.Contains(t, m.View(), "break|b                EXPR", "page down shows the commands")
	m = drive(t, m, keyRunes("x"))
	assert.NotContains(t, m.View(), "Help")

	// A long result opens in the overlay instead of the two-line output.
	f.snap.PC = 0x40080020
	m = drive(t, m, keyRunes("K"))
	assert.Equal(t, "kthreads", f.execs[len(f.execs)-1])
	f.longText = "line 1\nline 2\nline 3\nline 4"
	m = drive(t, m, keyRunes("G"))
	assert.Contains(t, m.View(), "goroutines  (4 lines")
	assert.Contains(t, m.View(), "line 4")
	m = drive(t, m, tea.KeyMsg{Type: tea.KeyEsc})
	assert.NotContains(t, m.View(), "goroutines  (4 lines")
}

func TestInterrupt(t *testing.T) {
	f := newFake()
	m := loaded(t, f, 80, 24)
	next, cmd := m.Update(keyRunes("c")) // do not run the command: the target is "running"
	m = next.(Model)
	require.NotNil(t, cmd)
	assert.Equal(t, "continue", m.running)
	assert.Contains(t, m.View(), "ctrl+c interrupts")
	m = drive(t, m, keyRunes("s"))
	assert.Empty(t, f.execs, "keys are ignored while running")
	m = drive(t, m, tea.KeyMsg{Type: tea.KeyCtrlC})
	assert.True(t, f.interrupted, "ctrl+c while running interrupts the target")
	m = drive(t, m, cmd())
	assert.Equal(t, "", m.running)
}
