package debugger

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/burrow-os/burrow/debugger/mmu"
	"github.com/burrow-os/burrow/debugger/rsp"
)

// Result is what one command produced: text for people and, for the
// commands that have it, structured data for JSON output.
type Result struct {
	Command string `json:"command"`
	OK      bool   `json:"ok"`
	Error   string `json:"error,omitempty"`
	Text    string `json:"text,omitempty"`
	Data    any    `json:"data,omitempty"`
}

// Command is one entry of the command language.
type Command struct {
	Names []string // first is the canonical name; the rest are aliases
	Args  string
	Help  string
	run   func(s *Session, args []string) (string, any, error)
}

// Commands is the command language, shared by batch mode and the TUI's
// command line.
var Commands []Command

func init() {
	Commands = []Command{
		{[]string{"break", "b"}, "EXPR", "software breakpoint at a symbol, symbol+off, address or file:line", cmdBreak(rsp.SoftwareBreak)},
		{[]string{"hbreak"}, "EXPR", "hardware breakpoint", cmdBreak(rsp.HardwareBreak)},
		{[]string{"watch"}, "EXPR [LEN]", "write watchpoint (LEN bytes, default 8)", cmdBreak(rsp.WriteWatch)},
		{[]string{"rwatch"}, "EXPR [LEN]", "read watchpoint", cmdBreak(rsp.ReadWatch)},
		{[]string{"awatch"}, "EXPR [LEN]", "access watchpoint", cmdBreak(rsp.AccessWatch)},
		{[]string{"delete", "d"}, "ID", "remove a breakpoint", cmdDelete},
		{[]string{"breaks", "info-breaks"}, "", "list breakpoints", cmdBreaks},
		{[]string{"continue", "c"}, "", "resume every CPU until a stop", cmdRun(func(s *Session) (rsp.Stop, error) { return s.Continue() })},
		{[]string{"stepi", "si"}, "[N]", "step the current CPU by N instructions", cmdStepi},
		{[]string{"step", "s"}, "", "step to the next source line, into calls", cmdRun(func(s *Session) (rsp.Stop, error) { return s.StepLine(false) })},
		{[]string{"next", "n"}, "", "step to the next source line, over calls", cmdRun(func(s *Session) (rsp.Stop, error) { return s.StepLine(true) })},
		{[]string{"finish"}, "", "run until the current function returns", cmdRun(func(s *Session) (rsp.Stop, error) { return s.Finish() })},
		{[]string{"regs", "info-registers"}, "", "general and key system registers; EL from CPSR bits 3:2", cmdRegs},
		{[]string{"reg"}, "NAME", "one register by its stub name (x0, TCR_EL1, ...)", cmdReg},
		{[]string{"set"}, "REG VALUE", "write a register", cmdSet},
		{[]string{"x"}, "EXPR [LEN]", "hex dump of virtual memory (LEN default 64)", cmdX(false)},
		{[]string{"xp"}, "PADDR [LEN]", "hex dump of physical memory", cmdX(true)},
		{[]string{"print", "p"}, "NAME", "a variable, typed by DWARF (or by its ELF symbol size)", cmdPrint},
		{[]string{"walk"}, "VA", "translate VA through TTBR0/TTBR1, every level decoded", cmdWalk},
		{[]string{"bt", "backtrace"}, "[N]", "frame-pointer backtrace", cmdBt},
		{[]string{"threads"}, "", "CPUs as the stub reports them", cmdThreads},
		{[]string{"thread"}, "ID", "make CPU ID (1 = CPU 0) current", cmdThread},
		{[]string{"disas"}, "[EXPR] [N]", "disassemble N instructions (default 12 at pc)", cmdDisas},
		{[]string{"list"}, "[EXPR]", "source around an address (default pc)", cmdList},
		{[]string{"where", "info-symbol"}, "EXPR", "symbolize an address", cmdWhere},
		{[]string{"monitor"}, "CMD...", "QEMU monitor command through qRcmd", cmdMonitor},
		{[]string{"kthreads"}, "", "the C core's threads with their saved registers", cmdKThreads},
		{[]string{"kthread"}, "TID", "one C core thread's saved registers and backtrace, as if it were running", cmdKThread},
		{[]string{"kview"}, "TID|off", "show a C core thread's saved context in regs, bt, list and disas (off: live registers)", cmdKView},
		{[]string{"klog"}, "", "the kernel log ring", cmdKLog},
		{[]string{"trace"}, "FILE", "export the kernel event ring as Chrome trace JSON (Perfetto)", cmdTrace},
		{[]string{"goroutines"}, "", "the Go kernel's goroutines (runtime.allgs)", cmdGoroutines},
		{[]string{"pmm"}, "", "physical memory usage from the Go kernel's page allocator", cmdPMM},
		{[]string{"devices"}, "", "devices bound by the driver framework", notLanded("device list", "the driver framework (#5)")},
		{[]string{"ai"}, "", "the AI engine's state", notLanded("AI engine view", "the AI layer's kernel state")},
		{[]string{"help"}, "", "this list", cmdHelp},
	}
}

// Lookup finds a command by name or alias.
func Lookup(name string) (Command, bool) {
	for _, c := range Commands {
		for _, n := range c.Names {
			if n == name {
				return c, true
			}
		}
	}
	return Command{}, false
}

// Exec runs one command line.
func (s *Session) Exec(line string) Result {
	line = strings.TrimSpace(line)
	r := Result{Command: line}
	f := strings.Fields(line)
	if len(f) == 0 {
		r.OK = true
		return r
	}
	c, ok := Lookup(f[0])
	if !ok {
		r.Error = fmt.Sprintf("unknown command %q (try help)", f[0])
		return r
	}
	text, data, err := c.run(s, f[1:])
	r.Text, r.Data = text, data
	if err != nil {
		r.Error = err.Error()
		return r
	}
	r.OK = true
	return r
}

// errUsage reports bad arguments.
func errUsage(c string) error {
	cmd, _ := Lookup(c)
	return fmt.Errorf("usage: %s %s", c, cmd.Args)
}

func parseInt(s string) (int, error) {
	v, err := strconv.ParseInt(s, 0, 32)
	return int(v), err
}

func cmdBreak(kind rsp.BreakKind) func(*Session, []string) (string, any, error) {
	return func(s *Session, a []string) (string, any, error) {
		if len(a) < 1 || len(a) > 2 {
			return "", nil, errUsage(kind.String())
		}
		size := 4
		if kind >= rsp.WriteWatch {
			size = 8
		}
		if len(a) == 2 {
			n, err := parseInt(a[1])
			if err != nil {
				return "", nil, errUsage(kind.String())
			}
			size = n
		}
		b, err := s.AddBreak(kind, a[0], size)
		if err != nil {
			return "", nil, err
		}
		return fmt.Sprintf("%s %d at %#x: %s", kind, b.ID, b.Addr, b.Where), b, nil
	}
}

func cmdDelete(s *Session, a []string) (string, any, error) {
	if len(a) != 1 {
		return "", nil, errUsage("delete")
	}
	id, err := parseInt(a[0])
	if err != nil {
		return "", nil, errUsage("delete")
	}
	return fmt.Sprintf("deleted %d", id), nil, s.DeleteBreak(id)
}

func cmdBreaks(s *Session, a []string) (string, any, error) {
	var sb strings.Builder
	for _, b := range s.Breaks {
		fmt.Fprintf(&sb, "%-3d %-6s %#x  %s\n", b.ID, b.Kind, b.Addr, b.Where)
	}
	if len(s.Breaks) == 0 {
		sb.WriteString("no breakpoints\n")
	}
	return sb.String(), s.Breaks, nil
}

// StopData is the JSON form of a stop.
type StopData struct {
	Signal int    `json:"signal"`
	Thread string `json:"thread"`
	Reason string `json:"reason,omitempty"`
	Addr   string `json:"addr,omitempty"`
	PC     string `json:"pc"`
	Where  string `json:"where"`
	EL     string `json:"el"`
}

func (s *Session) stopData(st rsp.Stop) StopData {
	d := StopData{Signal: st.Signal, Thread: s.Thread, Reason: st.Reason, PC: fmt.Sprintf("%#x", s.PC()),
		Where: s.Where(s.PC()), EL: ExceptionLevel(s.Regs["cpsr"])}
	if st.Reason != "" && st.Addr != 0 {
		d.Addr = fmt.Sprintf("%#x", st.Addr)
	}
	return d
}

func (d StopData) String() string {
	why := "stopped"
	switch {
	case d.Reason != "" && d.Addr != "":
		why = fmt.Sprintf("%s %s", d.Reason, d.Addr)
	case d.Signal == 2:
		why = "interrupted"
	case d.Signal != 5:
		why = fmt.Sprintf("stopped by signal %d", d.Signal)
	}
	return fmt.Sprintf("%s: CPU thread %s at %s %s [%s]", why, d.Thread, d.PC, d.Where, d.EL)
}

func cmdRun(f func(*Session) (rsp.Stop, error)) func(*Session, []string) (string, any, error) {
	return func(s *Session, a []string) (string, any, error) {
		st, err := f(s)
		if err != nil && !errors.Is(err, ErrTimedOut) || s.Regs == nil {
			return "", nil, err
		}
		d := s.stopData(st)
		return d.String(), d, err
	}
}

func cmdStepi(s *Session, a []string) (string, any, error) {
	n := 1
	if len(a) == 1 {
		var err error
		if n, err = parseInt(a[0]); err != nil || n < 1 {
			return "", nil, errUsage("stepi")
		}
	}
	var st rsp.Stop
	for i := 0; i < n; i++ {
		var err error
		if st, err = s.StepInstruction(); err != nil {
			return "", nil, err
		}
	}
	d := s.stopData(st)
	return d.String(), d, nil
}

func hex64(v uint64) string { return fmt.Sprintf("%#x", v) }

func cmdRegs(s *Session, a []string) (string, any, error) {
	if s.Regs == nil {
		if err := s.refresh(); err != nil {
			return "", nil, err
		}
	}
	data := map[string]string{}
	var sb strings.Builder
	for i, n := range CoreRegs {
		v := s.Regs[n]
		data[n] = hex64(v)
		mark := " "
		if s.Prev != nil && s.Prev[n] != v {
			mark = "*"
		}
		fmt.Fprintf(&sb, "%-4s%s%016x", n, mark, v)
		if i%3 == 2 || i == len(CoreRegs)-1 {
			sb.WriteByte('\n')
		} else {
			sb.WriteString("   ")
		}
	}
	el := ExceptionLevel(s.Regs["cpsr"])
	data["el"] = el
	fmt.Fprintf(&sb, "%s\n", el)
	if s.Viewing >= 0 {
		fmt.Fprintf(&sb, "(saved context of C core thread %d; the system registers below are CPU %s's)\n", s.Viewing, s.Thread)
		data["viewing"] = fmt.Sprint(s.Viewing)
	}
	for _, n := range SysRegs {
		v, err := s.SysReg(n)
		if err != nil {
			continue
		}
		data[n] = hex64(v)
		fmt.Fprintf(&sb, "%-10s %016x", n, v)
		switch n {
		case "ESR_EL1":
			fmt.Fprintf(&sb, "  %s", DecodeESR(v))
		case "ELR_EL1", "VBAR_EL1":
			fmt.Fprintf(&sb, "  %s", s.Where(v))
		case "SCTLR_EL1":
			fmt.Fprintf(&sb, "  MMU %s", map[bool]string{true: "on", false: "off"}[v&1 != 0])
		}
		sb.WriteByte('\n')
	}
	return sb.String(), data, nil
}

func cmdReg(s *Session, a []string) (string, any, error) {
	if len(a) != 1 {
		return "", nil, errUsage("reg")
	}
	v, err := s.SysReg(a[0])
	if err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("%s = %#x", a[0], v), map[string]string{a[0]: hex64(v)}, nil
}

func cmdSet(s *Session, a []string) (string, any, error) {
	if len(a) != 2 {
		return "", nil, errUsage("set")
	}
	v, err := s.Syms.Resolve(a[1])
	if err != nil {
		return "", nil, err
	}
	if err := s.C.SelectThread(s.Thread); err != nil {
		return "", nil, err
	}
	if err := s.C.WriteRegister(a[0], v); err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("%s = %#x", a[0], v), nil, s.refresh()
}

func cmdX(phys bool) func(*Session, []string) (string, any, error) {
	return func(s *Session, a []string) (string, any, error) {
		name := map[bool]string{false: "x", true: "xp"}[phys]
		if len(a) < 1 || len(a) > 2 {
			return "", nil, errUsage(name)
		}
		addr, err := s.Syms.Resolve(a[0])
		if err != nil {
			return "", nil, err
		}
		n := 64
		if len(a) == 2 {
			if n, err = parseInt(a[1]); err != nil || n < 1 || n > 1<<20 {
				return "", nil, errUsage(name)
			}
		}
		var b []byte
		if phys {
			b, err = s.C.ReadPhysical(addr, n)
			if err != nil {
				err = fmt.Errorf("debugger: cannot read physical %#x: %w", addr, err)
			}
		} else {
			b, err = s.ReadMemory(addr, n)
		}
		if err != nil {
			return "", nil, err
		}
		return HexDump(addr, b), map[string]string{"addr": hex64(addr), "hex": fmt.Sprintf("%x", b)}, nil
	}
}

func cmdWalk(s *Session, a []string) (string, any, error) {
	if len(a) != 1 {
		return "", nil, errUsage("walk")
	}
	va, err := s.Syms.Resolve(a[0])
	if err != nil {
		return "", nil, err
	}
	tr, err := s.Walk(va)
	var fe *mmu.FaultError
	if err != nil && !errors.As(err, &fe) {
		return "", nil, err
	}
	return mmu.Describe(tr, err), walkData(tr), err
}

// WalkData is the JSON form of a translation.
type WalkData struct {
	VA     string     `json:"va"`
	TTBR   int        `json:"ttbr"`
	Mapped bool       `json:"mapped"`
	PA     string     `json:"pa,omitempty"`
	Size   uint64     `json:"size,omitempty"`
	Levels []mmu.Step `json:"levels"`
}

func walkData(tr mmu.Translation) WalkData {
	d := WalkData{VA: hex64(tr.VA), TTBR: tr.TTBR, Mapped: tr.Mapped, Levels: tr.Steps}
	if tr.Mapped {
		d.PA, d.Size = hex64(tr.PA), tr.Size
	}
	return d
}

func cmdBt(s *Session, a []string) (string, any, error) {
	n := 32
	if len(a) == 1 {
		var err error
		if n, err = parseInt(a[0]); err != nil || n < 1 {
			return "", nil, errUsage("bt")
		}
	}
	frames := s.Backtrace(n)
	var sb strings.Builder
	for i, f := range frames {
		fmt.Fprintf(&sb, "#%-2d %#016x  %s\n", i, f.PC, f.Where)
	}
	return sb.String(), frames, nil
}

func cmdThreads(s *Session, a []string) (string, any, error) {
	ts, err := s.C.Threads()
	if err != nil {
		return "", nil, err
	}
	var sb strings.Builder
	for _, t := range ts {
		mark := " "
		if normThread(t.ID) == s.Thread {
			mark = "*"
		}
		fmt.Fprintf(&sb, "%s %-3s %s\n", mark, normThread(t.ID), t.Info)
	}
	return sb.String(), ts, nil
}

func cmdThread(s *Session, a []string) (string, any, error) {
	if len(a) != 1 {
		return "", nil, errUsage("thread")
	}
	if err := s.SetThread(a[0]); err != nil {
		return "", nil, err
	}
	d := s.stopData(s.Last)
	return fmt.Sprintf("CPU thread %s at %s %s [%s]", s.Thread, d.PC, d.Where, d.EL), d, nil
}

func cmdDisas(s *Session, a []string) (string, any, error) {
	addr, n := s.PC(), 12
	if len(a) >= 1 {
		var err error
		if addr, err = s.Syms.Resolve(a[0]); err != nil {
			return "", nil, err
		}
	}
	if len(a) == 2 {
		var err error
		if n, err = parseInt(a[1]); err != nil || n < 1 || n > 4096 {
			return "", nil, errUsage("disas")
		}
	}
	ins, err := s.Disassemble(addr, n)
	if err != nil {
		return "", nil, err
	}
	var sb strings.Builder
	for _, in := range ins {
		mark := "  "
		if in.Addr == s.PC() {
			mark = "=>"
		}
		fmt.Fprintf(&sb, "%s %#x %-22s %08x  %s\n", mark, in.Addr, "<"+in.Symbol+">", in.Word, in.Text)
	}
	return sb.String(), ins, nil
}

func cmdList(s *Session, a []string) (string, any, error) {
	addr := s.PC()
	if len(a) == 1 {
		var err error
		if addr, err = s.Syms.Resolve(a[0]); err != nil {
			return "", nil, err
		}
	}
	loc, _ := s.Syms.Lookup(addr)
	if loc.File == "" {
		return "", nil, fmt.Errorf("debugger: no line information for %#x", addr)
	}
	lines, first, ok := SourceLines(loc.File, loc.Line, 11)
	if !ok {
		return "", nil, fmt.Errorf("debugger: source %s is not on this machine", loc.File)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s:%d\n", loc.File, loc.Line)
	for i, l := range lines {
		mark := "  "
		if first+i == loc.Line {
			mark = "=>"
		}
		fmt.Fprintf(&sb, "%s %4d  %s\n", mark, first+i, l)
	}
	return sb.String(), loc, nil
}

func cmdWhere(s *Session, a []string) (string, any, error) {
	if len(a) != 1 {
		return "", nil, errUsage("where")
	}
	addr, err := s.Syms.Resolve(a[0])
	if err != nil {
		return "", nil, err
	}
	loc, ok := s.Syms.Lookup(addr)
	if !ok {
		return fmt.Sprintf("%#x: no symbol", addr), nil, nil
	}
	return fmt.Sprintf("%#x: %s", addr, loc), loc, nil
}

func cmdMonitor(s *Session, a []string) (string, any, error) {
	if len(a) == 0 {
		return "", nil, errUsage("monitor")
	}
	out, err := s.C.Monitor(strings.Join(a, " "))
	return out, nil, err
}

func cmdHelp(s *Session, a []string) (string, any, error) {
	return HelpText(), nil, nil
}

// HelpText lists every command.
func HelpText() string {
	var sb strings.Builder
	for _, c := range Commands {
		name := strings.Join(c.Names, "|")
		fmt.Fprintf(&sb, "%-22s %-12s %s\n", name, c.Args, c.Help)
	}
	return sb.String()
}

func notLanded(view, subsystem string) func(*Session, []string) (string, any, error) {
	return func(s *Session, a []string) (string, any, error) {
		return "", nil, fmt.Errorf("the %s is not available: %s has not landed (no build/burrow.elf with it is loaded)", view, subsystem)
	}
}
