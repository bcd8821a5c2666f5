// Package tui is the Burrow debugger's terminal interface: source,
// disassembly, registers (changes since the last stop highlighted, the
// exception level from CPSR bits 3:2), memory, backtrace and breakpoints in
// fixed-size panes that keep their place when the terminal is resized,
// single-key stepping, a command line with history for the full command
// language of package debugger, and a help overlay.
//
// It is built on bubbletea v1 (the Elm architecture: Update takes a message
// and returns the next model, View renders it), bubbles' key bindings and
// lipgloss styles. Commands run off the UI goroutine, so the screen stays
// live while the target runs and Ctrl-C can interrupt it. It runs on the
// host, behind `burrow debug`.
package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/burrow-os/burrow/debugger"
)

// Run opens the TUI on a session and returns when the user quits.
func Run(s *debugger.Session) error {
	s.WaitTimeout = 0 // the user interrupts with Ctrl-C
	m := New(NewSessionBackend(s))
	_, err := tea.NewProgram(m, tea.WithAltScreen()).Run()
	return err
}
