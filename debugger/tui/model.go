package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/burrow-os/burrow/debugger"
)

// keyMap holds the single-key bindings; the help overlay lists them.
type keyMap struct {
	Continue, Step, Next, StepI, Finish, Break, Command, Memory, Walk, Tab, Help, Interrupt, Quit key.Binding
}

var keys = keyMap{
	Continue:  key.NewBinding(key.WithKeys("c", "f5"), key.WithHelp("c F5", "continue every CPU")),
	Step:      key.NewBinding(key.WithKeys("s", "f11"), key.WithHelp("s F11", "step one source line, into calls")),
	Next:      key.NewBinding(key.WithKeys("n", "f10"), key.WithHelp("n F10", "next source line, over calls")),
	StepI:     key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "step one instruction")),
	Finish:    key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "finish: run until the function returns")),
	Break:     key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "break at a symbol or file:line")),
	Command:   key.NewBinding(key.WithKeys(":"), key.WithHelp(":", "command line (help lists commands)")),
	Memory:    key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "show memory at an address or symbol")),
	Walk:      key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "walk the page tables for a VA")),
	Tab:       key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "cycle backtrace / breakpoints / memory")),
	Help:      key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("? F1", "this help")),
	Interrupt: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "interrupt the running target")),
	Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit (the target stays stopped)")),
}

func (k keyMap) all() []key.Binding {
	return []key.Binding{k.Continue, k.Step, k.Next, k.StepI, k.Finish, k.Break, k.Command, k.Memory,
		k.Walk, k.Tab, k.Help, k.Interrupt, k.Quit}
}

// Tabs of the lower right pane.
const (
	tabBacktrace = iota
	tabBreaks
	tabMemory
	numTabs
)

// Model is the TUI's state.
type Model struct {
	b       Backend
	w, h    int
	snap    Snapshot
	loaded  bool
	memExpr string
	out     []string // command output, newest last

	editing bool
	input   string
	history []string
	histPos int

	running string // the command in flight, "" when stopped
	help    bool
	tab     int
}

// New returns a model on a backend.
func New(b Backend) Model {
	return Model{b: b, w: 80, h: 24}
}

type snapMsg Snapshot

type doneMsg struct {
	line string
	res  debugger.Result
	snap Snapshot
}

// Init loads the first snapshot.
func (m Model) Init() tea.Cmd {
	b, mem := m.b, m.memExpr
	return func() tea.Msg { return snapMsg(b.Snapshot(mem)) }
}

// run executes a command off the UI goroutine, then takes a snapshot.
func (m Model) run(line string) (Model, tea.Cmd) {
	line = strings.TrimSpace(line)
	if line == "" {
		return m, nil
	}
	if len(m.history) == 0 || m.history[len(m.history)-1] != line {
		m.history = append(m.history, line)
	}
	m.histPos = len(m.history)
	if f := strings.Fields(line); f[0] == "mem" {
		if len(f) == 2 {
			m.memExpr = f[1]
			m.tab = tabMemory
		}
		line = "" // a TUI-only command: just refresh
	}
	m.running = line
	if line == "" {
		m.running = "mem"
	}
	b, mem := m.b, m.memExpr
	return m, func() tea.Msg {
		var r debugger.Result
		if line != "" {
			r = b.Exec(line)
		} else {
			r.OK = true
		}
		return doneMsg{line: line, res: r, snap: b.Snapshot(mem)}
	}
}

func (m *Model) print(s string) {
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		m.out = append(m.out, l)
	}
	if len(m.out) > 500 {
		m.out = m.out[len(m.out)-500:]
	}
}

// Update handles one message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		return m, nil
	case snapMsg:
		m.snap, m.loaded = Snapshot(msg), true
		return m, nil
	case doneMsg:
		m.running = ""
		m.snap, m.loaded = msg.snap, true
		if msg.line != "" {
			m.print("(burrow) " + msg.line)
			if msg.res.Text != "" {
				m.print(msg.res.Text)
			}
			if msg.res.Error != "" {
				m.print("error: " + msg.res.Error)
			}
		}
		return m, nil
	case tea.KeyMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m Model) key(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	if key.Matches(k, keys.Interrupt) {
		if m.running != "" {
			if err := m.b.Interrupt(); err != nil {
				m.print("error: " + err.Error())
			}
			return m, nil
		}
		return m, tea.Quit
	}
	if m.help {
		m.help = false // any key closes the overlay
		return m, nil
	}
	if m.editing {
		return m.edit(k)
	}
	if m.running != "" {
		return m, nil // one command at a time; ctrl+c interrupts
	}
	switch {
	case key.Matches(k, keys.Quit):
		return m, tea.Quit
	case key.Matches(k, keys.Help):
		m.help = true
	case key.Matches(k, keys.Continue):
		return m.run("continue")
	case key.Matches(k, keys.Step):
		return m.run("step")
	case key.Matches(k, keys.Next):
		return m.run("next")
	case key.Matches(k, keys.StepI):
		return m.run("stepi")
	case key.Matches(k, keys.Finish):
		return m.run("finish")
	case key.Matches(k, keys.Tab):
		m.tab = (m.tab + 1) % numTabs
	case key.Matches(k, keys.Command):
		m.editing, m.input = true, ""
	case key.Matches(k, keys.Break):
		m.editing, m.input = true, "break "
	case key.Matches(k, keys.Memory):
		m.editing, m.input = true, "mem "
	case key.Matches(k, keys.Walk):
		m.editing, m.input = true, "walk "
	}
	return m, nil
}

// edit handles keys while the command line is open.
func (m Model) edit(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	switch k.Type {
	case tea.KeyEnter:
		m.editing = false
		line := m.input
		m.input = ""
		return m.run(line)
	case tea.KeyEsc:
		m.editing, m.input = false, ""
	case tea.KeyBackspace:
		if r := []rune(m.input); len(r) > 0 {
			m.input = string(r[:len(r)-1])
		}
	case tea.KeyUp:
		if m.histPos > 0 {
			m.histPos--
			m.input = m.history[m.histPos]
		}
	case tea.KeyDown:
		if m.histPos < len(m.history)-1 {
			m.histPos++
			m.input = m.history[m.histPos]
		} else {
			m.histPos, m.input = len(m.history), ""
		}
	case tea.KeySpace:
		m.input += " "
	case tea.KeyRunes:
		m.input += string(k.Runes)
	}
	return m, nil
}
