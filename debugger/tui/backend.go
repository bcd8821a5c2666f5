package tui

import (
	"fmt"

	"github.com/burrow-os/burrow/debugger"
)

// Backend is what the TUI needs from a debugging session. The real one
// wraps *debugger.Session; tests use a fake.
type Backend interface {
	// Exec runs one command of the command language (it may block while
	// the target runs).
	Exec(line string) debugger.Result
	// Snapshot gathers everything the panes show, with memory at memExpr
	// ("" means the stack pointer).
	Snapshot(memExpr string) Snapshot
	// Interrupt stops a running target; safe while Exec blocks.
	Interrupt() error
}

// RegLine is one register in the register pane.
type RegLine struct {
	Name    string
	Value   uint64
	Changed bool   // differs from the previous stop
	Note    string // decoded meaning (ESR class, symbol, MMU state)
}

// Snapshot is the state of the target at a stop, as the panes show it.
type Snapshot struct {
	Status  string // "stopped: ... at fib (fixture.c:59) [EL1h ...]"
	Thread  string
	PC      uint64
	EL      string
	Core    []RegLine
	Sys     []RegLine
	Disasm  []debugger.Instruction
	File    string // source file of the PC, "" when unknown
	Line    int
	Source  []string // lines around Line
	First   int      // line number of Source[0]
	SrcNote string   // why there is no source
	Frames  []debugger.Frame
	MemAddr uint64
	Mem     []byte
	MemErr  string
	Breaks  []debugger.Breakpoint
}

type sessionBackend struct {
	s *debugger.Session
	// System registers at the last stop and the one before, to flag
	// changes the way the session flags core registers.
	stop           int
	sysNow, sysWas map[string]uint64
}

// NewSessionBackend wraps a session for the TUI.
func NewSessionBackend(s *debugger.Session) Backend { return &sessionBackend{s: s, stop: s.Stops} }

func (b *sessionBackend) Exec(line string) debugger.Result { return b.s.Exec(line) }
func (b *sessionBackend) Interrupt() error                 { return b.s.C.Interrupt() }

func (b *sessionBackend) Snapshot(memExpr string) Snapshot {
	s := b.s
	sn := Snapshot{Thread: s.Thread, PC: s.PC(), EL: debugger.ExceptionLevel(s.Regs["cpsr"])}
	sn.Status = fmt.Sprintf("CPU %s at %#x %s", s.Thread, sn.PC, s.Where(sn.PC))
	if s.Viewing >= 0 {
		sn.Status = fmt.Sprintf("C thread %d (saved context) at %#x %s", s.Viewing, sn.PC, s.Where(sn.PC))
	}
	for _, n := range debugger.CoreRegs {
		v := s.Regs[n]
		sn.Core = append(sn.Core, RegLine{Name: n, Value: v, Changed: s.Prev != nil && s.Prev[n] != v})
	}
	if s.Stops != b.stop {
		b.stop, b.sysWas, b.sysNow = s.Stops, b.sysNow, nil
	}
	if b.sysNow == nil {
		b.sysNow = map[string]uint64{}
	}
	for _, n := range debugger.SysRegs {
		v, err := s.SysReg(n)
		if err != nil {
			continue
		}
		b.sysNow[n] = v
		was, ok := b.sysWas[n]
		rl := RegLine{Name: n, Value: v, Changed: ok && was != v}
		switch n {
		case "ESR_EL1":
			rl.Note = debugger.DecodeESR(v)
		case "ELR_EL1", "VBAR_EL1":
			if v != 0 {
				rl.Note = s.Where(v)
			}
		case "SCTLR_EL1":
			rl.Note = map[bool]string{true: "MMU on", false: "MMU off"}[v&1 != 0]
		}
		sn.Sys = append(sn.Sys, rl)
	}
	start := sn.PC
	if start >= 4*8 {
		start -= 4 * 8
	}
	sn.Disasm, _ = s.Disassemble(start, 40)
	if loc, ok := s.Syms.Lookup(sn.PC); ok && loc.File != "" {
		sn.File, sn.Line = loc.File, loc.Line
		if lines, first, ok := debugger.SourceLines(loc.File, loc.Line, 60); ok {
			sn.Source, sn.First = lines, first
		} else {
			sn.SrcNote = "source " + loc.File + " is not on this machine"
		}
	} else {
		sn.SrcNote = fmt.Sprintf("no line information for %#x", sn.PC)
	}
	sn.Frames = s.Backtrace(16)
	sn.MemAddr = s.Regs["sp"]
	if memExpr != "" {
		if a, err := s.Syms.Resolve(memExpr); err == nil {
			sn.MemAddr = a
		} else {
			sn.MemErr = err.Error()
		}
	}
	if sn.MemErr == "" {
		mem, err := s.ReadMemory(sn.MemAddr, 256)
		if err != nil {
			sn.MemErr = err.Error()
		}
		sn.Mem = mem
	}
	sn.Breaks = append(sn.Breaks, s.Breaks...)
	return sn
}
