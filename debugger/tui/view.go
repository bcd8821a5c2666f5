package tui

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/burrow-os/burrow/debugger"
	"github.com/burrow-os/burrow/debugger/rsp"
)

var (
	styleTitle   = lipgloss.NewStyle().Bold(true)
	styleCurrent = lipgloss.NewStyle().Reverse(true)
	styleChanged = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("11"))
	styleStatus  = lipgloss.NewStyle().Reverse(true)
	styleError   = lipgloss.NewStyle().Foreground(lipgloss.Color("9"))
)

// fit truncates or pads s to exactly w cells.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s = strings.ReplaceAll(s, "\t", "    ")
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-ansi.StringWidth(s))
}

// box draws a bordered pane of exactly w x h cells around lines. Sizes
// never depend on the content, so panes keep their place as it changes.
func box(title string, lines []string, w, h int) []string {
	if w < 4 || h < 2 {
		return blank(w, h)
	}
	t := ansi.Truncate(" "+title+" ", w-4, "…")
	top := "┌─" + styleTitle.Render(t) + strings.Repeat("─", w-3-ansi.StringWidth(t)) + "┐"
	out := []string{top}
	for i := 0; i < h-2; i++ {
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		out = append(out, "│"+fit(l, w-2)+"│")
	}
	return append(out, "└"+strings.Repeat("─", w-2)+"┘")
}

func blank(w, h int) []string {
	out := make([]string, max(h, 0))
	for i := range out {
		out[i] = strings.Repeat(" ", max(w, 0))
	}
	return out
}

// beside joins two columns of lines row by row.
func beside(a, b []string) []string {
	out := make([]string, max(len(a), len(b)))
	for i := range out {
		if i < len(a) {
			out[i] += a[i]
		}
		if i < len(b) {
			out[i] += b[i]
		}
	}
	return out
}

// layout is the size of every pane for a terminal size.
type layout struct {
	w, h          int
	leftW, rightW int
	srcH, disH    int
	regH, tabH    int
	midH, outH    int
	memBytes      int
}

func computeLayout(w, h int) layout {
	l := layout{w: w, h: h}
	l.outH = 4
	if h >= 40 {
		l.outH = 8
	}
	l.midH = max(h-2-l.outH, 4)
	switch {
	case w >= 160:
		l.rightW = 78
	case w >= 100:
		l.rightW = 48
	default:
		l.rightW = 28 // one register a line
	}
	l.rightW = min(l.rightW, w/2)
	l.leftW = w - l.rightW
	l.srcH = l.midH / 2
	l.disH = l.midH - l.srcH
	l.regH = min(l.midH, 34)
	if l.midH-l.regH < 8 {
		l.regH = max(l.midH-8, l.midH*2/3)
	}
	l.tabH = l.midH - l.regH
	// A memory line is a 16-digit address, a space, then three cells
	// (hex and space) and one ASCII cell per byte: show the largest power
	// of two that fits.
	l.memBytes = 1
	for 17+4*l.memBytes*2 <= l.rightW-2 {
		l.memBytes *= 2
	}
	return l
}

// View renders the whole screen: exactly h lines of exactly w cells.
func (m Model) View() string {
	l := computeLayout(m.w, m.h)
	var rows []string
	rows = append(rows, styleStatus.Render(fit(m.statusLine(), m.w)))
	switch {
	case m.overlay != nil:
		lines := m.overlay[min(m.overlayTop, len(m.overlay)):]
		title := fmt.Sprintf("%s  (%d lines; up/down/pgup/pgdn scroll, any other key closes)", m.overlayTitle, len(m.overlay))
		rows = append(rows, box(title, lines, l.w, l.midH)...)
	default:
		left := append(box(m.sourceTitle(), m.sourceLines(l.srcH-2), l.leftW, l.srcH),
			box("Disassembly", m.disasmLines(l.disH-2), l.leftW, l.disH)...)
		right := box("Registers "+m.snap.EL, m.regLines(l.rightW-2), l.rightW, l.regH)
		if l.tabH >= 3 {
			title, lines := m.tabLines(l)
			right = append(right, box(title, lines, l.rightW, l.tabH)...)
		}
		rows = append(rows, beside(left, right)...)
	}
	out := m.out
	if n := l.outH - 2; len(out) > n {
		out = out[len(out)-n:]
	}
	rows = append(rows, box("Output", out, l.w, l.outH)...)
	rows = append(rows, fit(m.commandLine(), m.w))
	return strings.Join(rows[:min(len(rows), m.h)], "\n")
}

func (m Model) statusLine() string {
	if !m.loaded {
		return " burrow debug │ connecting…"
	}
	s := fmt.Sprintf(" burrow debug │ %s", m.snap.Status)
	if m.running != "" {
		s += " │ running: " + m.running
	}
	return s
}

func (m Model) commandLine() string {
	switch {
	case m.editing:
		return "(burrow) " + m.input + "█"
	case m.running != "":
		return fmt.Sprintf("running %s… ctrl+c interrupts", m.running)
	}
	return "c continue  s step  n next  i stepi  f finish  b break  m mem  w walk  : cmd  tab pane  ? help  q quit"
}

func (m Model) sourceTitle() string {
	if m.snap.File == "" {
		return "Source"
	}
	return fmt.Sprintf("Source %s:%d", filepath.Base(m.snap.File), m.snap.Line)
}

func (m Model) sourceLines(n int) []string {
	sn := m.snap
	if len(sn.Source) == 0 {
		return []string{sn.SrcNote}
	}
	start := max(sn.Line-n/2, sn.First)
	var out []string
	for ln := start; ln < sn.First+len(sn.Source) && len(out) < n; ln++ {
		text := fmt.Sprintf("   %4d  %s", ln, sn.Source[ln-sn.First])
		if ln == sn.Line {
			text = styleCurrent.Render(fmt.Sprintf("=> %4d  %s", ln, sn.Source[ln-sn.First]))
		}
		out = append(out, text)
	}
	return out
}

func (m Model) disasmLines(n int) []string {
	ins := m.snap.Disasm
	idx := 0
	for i, in := range ins {
		if in.Addr == m.snap.PC {
			idx = i
		}
	}
	start := max(0, min(idx-n/3, len(ins)-n))
	bp := map[uint64]bool{}
	for _, b := range m.snap.Breaks {
		if b.Kind == rsp.SoftwareBreak || b.Kind == rsp.HardwareBreak {
			bp[b.Addr] = true
		}
	}
	var out []string
	for _, in := range ins[start:min(len(ins), start+n)] {
		mark := " "
		if bp[in.Addr] {
			mark = "●" // a breakpoint
		}
		text := fmt.Sprintf("  %s%#x %-14s %s", mark, in.Addr, "<"+in.Symbol+">", in.Text)
		if in.Addr == m.snap.PC {
			text = styleCurrent.Render(fmt.Sprintf("=>%s%#x %-14s %s", mark, in.Addr, "<"+in.Symbol+">", in.Text))
		}
		out = append(out, text)
	}
	if len(out) == 0 {
		out = []string{fmt.Sprintf("cannot read code at %#x", m.snap.PC)}
	}
	return out
}

// regLines puts the registers a kernel developer looks at first (pc, sp,
// frame and link registers) at the top, so a short pane still shows them.
func (m Model) regLines(w int) []string {
	byName := map[string]RegLine{}
	for _, r := range m.snap.Core {
		byName[r.Name] = r
	}
	cell := func(name string) string {
		r, ok := byName[name]
		if !ok {
			return ""
		}
		s := fmt.Sprintf("%-4s %016x", name, r.Value)
		if r.Changed {
			return styleChanged.Render(s + "*")
		}
		return s + " "
	}
	order := []string{"pc", "sp", "x29", "x30", "cpsr"}
	for i := 0; i <= 28; i++ {
		order = append(order, fmt.Sprintf("x%d", i))
	}
	var out []string
	if w < 46 {
		for _, n := range order {
			if n == "cpsr" {
				out = append(out, cell(n), "     "+m.snap.EL)
				continue
			}
			out = append(out, cell(n))
		}
		for _, r := range m.snap.Sys {
			mark := " "
			if r.Changed {
				mark = "*"
			}
			out = append(out, fmt.Sprintf("%-9s%s%x", strings.TrimSuffix(r.Name, "_EL1"), mark, r.Value))
		}
		return out
	}
	for i := 0; i < len(order); i += 2 {
		if order[i] == "cpsr" {
			out = append(out, cell("cpsr")+" "+m.snap.EL)
			i--
			continue
		}
		line := cell(order[i])
		if i+1 < len(order) {
			line += "  " + cell(order[i+1])
		}
		out = append(out, line)
	}
	for _, r := range m.snap.Sys {
		mark := " "
		if r.Changed {
			mark = "*"
		}
		s := fmt.Sprintf("%-10s%s%016x %s", r.Name, mark, r.Value, r.Note)
		if r.Changed {
			s = styleChanged.Render(s)
		}
		out = append(out, s)
	}
	return out
}

func (m Model) tabLines(l layout) (string, []string) {
	names := []string{"Backtrace", "Breakpoints", "Memory"}
	title := ""
	for i, n := range names {
		if i == m.tab {
			title += "[" + n + "] "
		} else {
			title += n + " "
		}
	}
	var out []string
	switch m.tab {
	case tabBacktrace:
		for i, f := range m.snap.Frames {
			out = append(out, fmt.Sprintf("#%-2d %#x %s", i, f.PC, f.Where))
		}
	case tabBreaks:
		for _, b := range m.snap.Breaks {
			out = append(out, fmt.Sprintf("%-2d %-6s %#x %s", b.ID, b.Kind, b.Addr, b.Where))
		}
		if len(out) == 0 {
			out = []string{"no breakpoints (b to add)"}
		}
	case tabMemory:
		if m.snap.MemErr != "" {
			out = append(out, styleError.Render(m.snap.MemErr))
		}
		n := l.memBytes
		mem := m.snap.Mem
		for off := 0; off < len(mem); off += n {
			chunk := mem[off:min(off+n, len(mem))]
			var hx, asc strings.Builder
			for _, c := range chunk {
				fmt.Fprintf(&hx, "%02x ", c)
				if c < 32 || c > 126 {
					c = '.'
				}
				asc.WriteByte(c)
			}
			out = append(out, fmt.Sprintf("%016x %-*s%s", m.snap.MemAddr+uint64(off), 3*n, hx.String(), asc.String()))
		}
	}
	return strings.TrimSpace(title), out
}

// helpLines is the help overlay: keys, then the command language.
func helpLines() []string {
	var lines []string
	lines = append(lines, "Keys")
	for _, k := range keys.all() {
		hl := k.Help()
		lines = append(lines, fmt.Sprintf("  %-8s %s", hl.Key, hl.Desc))
	}
	lines = append(lines, "", "Commands (type : first; up/down recall history)")
	for _, l := range strings.Split(strings.TrimRight(debugger.HelpText(), "\n"), "\n") {
		lines = append(lines, "  "+l)
	}
	return lines
}
