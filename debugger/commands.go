package debugger

import (
	"fmt"
	"strconv"
	"strings"

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
		{[]string{"walk"}, "VA [TABLE]", "translate VA through TTBR0/TTBR1 (or the table at PA TABLE), every level decoded", cmdWalk},
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
		{[]string{"devices"}, "", "the driver framework's device list: state, IRQ and error counts, init time", cmdDevices},
		{[]string{"ai"}, "", "the AI engine's state: model, decisions, cache and budget counters", cmdAI},
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

func hex64(v uint64) string { return fmt.Sprintf("%#x", v) }

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
