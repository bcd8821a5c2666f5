package debugger

// The commands that look at a stopped target.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/burrow-os/burrow/debugger/mmu"
)

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
	if len(a) < 1 || len(a) > 2 {
		return "", nil, errUsage("walk")
	}
	va, err := s.Syms.Resolve(a[0])
	if err != nil {
		return "", nil, err
	}
	var table uint64
	if len(a) == 2 {
		if table, err = s.Syms.Resolve(a[1]); err != nil {
			return "", nil, err
		}
	}
	tr, err := s.WalkWith(va, table)
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
