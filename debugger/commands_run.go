package debugger

// The commands that set breakpoints and make the target run.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/burrow-os/burrow/debugger/rsp"
)

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
