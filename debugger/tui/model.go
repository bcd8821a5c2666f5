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
	Threads, Goroutines, Log, CPUs                                                                key.Binding
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

	Threads:    key.NewBinding(key.WithKeys("K"), key.WithHelp("K", "the C core's threads (kthreads)")),
	Goroutines: key.NewBinding(key.WithKeys("G"), key.WithHelp("G", "the Go kernel's goroutines")),
	Log:        key.NewBinding(key.WithKeys("L"), key.WithHelp("L", "the kernel log ring")),
	CPUs:       key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "CPUs (threads of the stub)")),
}

func (k keyMap) all() []key.Binding {
	return []key.Binding{k.Continue, k.Step, k.Next, k.StepI, k.Finish, k.Break, k.Command, k.Memory,
		k.Walk, k.Threads, k.Goroutines, k.Log, k.CPUs, k.Tab, k.Help, k.Interrupt, k.Quit}
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
	tab     int

	// A result too long for the output pane opens in a scrollable
	// overlay: page-table walks, thread and goroutine lists, the log.
	overlay      []string
	overlayTitle string
	overlayTop   int
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
			text := strings.TrimRight(msg.res.Text, "\n")
			if n := strings.Count(text, "\n") + 1; text != "" && n > computeLayout(m.w, m.h).outH-2 {
				m.overlay = strings.Split(text, "\n")
				if msg.res.Error != "" {
					m.overlay = append(m.overlay, "error: "+msg.res.Error)
				}
				m.overlayTitle, m.overlayTop = msg.line, 0
			}
		}
		return m, nil
	case tea.KeyMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m Model) key(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	// bubbletea delivers runes that arrive together (fast typing, a
	// paste, a script driving the terminal) as one message: take them one
	// at a time, so "bfib" is the b key and then "fib" on the command line.
	if k.Type == tea.KeyRunes && len(k.Runes) > 1 && !k.Paste {
		var cmds []tea.Cmd
		var next tea.Model = m
		for i, r := range k.Runes {
			cur := next.(Model)
			if cur.editing {
				cur.input += string(k.Runes[i:])
				return cur, tea.Batch(cmds...)
			}
			var cmd tea.Cmd
			next, cmd = cur.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: k.Alt})
			cmds = append(cmds, cmd)
		}
		return next, tea.Batch(cmds...)
	}
	if key.Matches(k, keys.Interrupt) {
		if m.running != "" {
			if err := m.b.Interrupt(); err != nil {
				m.print("error: " + err.Error())
			}
			return m, nil
		}
		return m, tea.Quit
	}
	if m.overlay != nil {
		page := computeLayout(m.w, m.h).midH - 2
		switch k.Type {
		case tea.KeyUp:
			m.overlayTop = max(0, m.overlayTop-1)
		case tea.KeyDown:
			m.overlayTop = max(0, min(m.overlayTop+1, len(m.overlay)-page))
		case tea.KeyPgUp:
			m.overlayTop = max(0, m.overlayTop-page)
		case tea.KeyPgDown:
			m.overlayTop = max(0, min(m.overlayTop+page, len(m.overlay)-page))
		default:
			m.overlay = nil // any other key closes it
		}
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
		m.overlay, m.overlayTitle, m.overlayTop = helpLines(), "Help", 0
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
	case key.Matches(k, keys.Threads):
		return m.run("kthreads")
	case key.Matches(k, keys.Goroutines):
		return m.run("goroutines")
	case key.Matches(k, keys.Log):
		return m.run("klog")
	case key.Matches(k, keys.CPUs):
		return m.run("threads")
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
