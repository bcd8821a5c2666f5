package debugger

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/burrow-os/burrow/debugger/mmu"
	"github.com/burrow-os/burrow/debugger/rsp"
	"github.com/burrow-os/burrow/debugger/sym"
)

// Session is one debugging session: a connection, the symbols of the
// kernel ELFs, the current CPU and the breakpoints.
type Session struct {
	C      *rsp.Client
	Syms   *sym.Table
	Thread string // current CPU as a thread id, "1" for CPU 0
	Breaks []Breakpoint
	// Last is the most recent stop, and Prev/Regs the core registers at
	// the stop before and at this one, for change highlighting.
	Last       rsp.Stop
	Regs, Prev map[string]uint64
	// WaitTimeout bounds continue in batch mode: after it the target is
	// interrupted. Zero means wait forever.
	WaitTimeout time.Duration
	// Stops counts stops, so views can tell a new stop from a refresh.
	Stops int
	// Viewing is the C core thread whose saved context Regs shows (see
	// ViewKThread), or -1 for the CPU's live registers.
	Viewing   int
	nextBreak int
}

// Breakpoint is a breakpoint or watchpoint the session inserted.
type Breakpoint struct {
	ID    int           `json:"id"`
	Kind  rsp.BreakKind `json:"-"`
	Addr  uint64        `json:"-"`
	Size  int           `json:"size"`
	Where string        `json:"where"` // symbolized address
}

// MarshalJSON spells the kind by name and the address in hex.
func (b Breakpoint) MarshalJSON() ([]byte, error) {
	type plain Breakpoint
	return json.Marshal(struct {
		plain
		Kind string `json:"kind"`
		Addr string `json:"addr"`
	}{plain(b), b.Kind.String(), hex64(b.Addr)})
}

// Attach connects to a stub at addr ("host:port" or a Unix socket path)
// and loads the given ELFs.
func Attach(addr string, elfs []string, timeout time.Duration) (*Session, error) {
	syms, err := sym.Load(elfs...)
	if err != nil {
		return nil, err
	}
	c, err := rsp.Dial(addr, timeout)
	if err != nil {
		return nil, err
	}
	s, err := NewSession(c, syms)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("debugger: %s did not answer as a GDB stub: %w", addr, err)
	}
	return s, nil
}

// NewSession starts a session on a connected client: it handshakes, learns
// the register layout and asks why the target is stopped.
func NewSession(c *rsp.Client, syms *sym.Table) (*Session, error) {
	if syms == nil {
		syms = &sym.Table{}
	}
	s := &Session{C: c, Syms: syms, Thread: "1", WaitTimeout: 30 * time.Second, nextBreak: 1, Viewing: -1}
	if err := c.Handshake(); err != nil {
		return nil, err
	}
	if _, err := c.Target(); err != nil {
		return nil, err
	}
	stop, err := c.Halted()
	if err != nil {
		return nil, err
	}
	if err := s.stopped(stop); err != nil {
		return nil, err
	}
	return s, nil
}

// Close detaches: it removes the breakpoints and closes the connection,
// leaving the target stopped (QEMU resumes only on request).
func (s *Session) Close() error {
	for _, b := range s.Breaks {
		s.C.Remove(b.Kind, b.Addr, b.Size)
	}
	return s.C.Close()
}

// normThread turns "01" into "1".
func normThread(t string) string {
	if n, err := strconv.ParseUint(t, 16, 64); err == nil {
		return strconv.FormatUint(n, 16)
	}
	return t
}

// stopped records a stop: the stopping CPU becomes current (except after
// an interrupt, which lands on whichever CPU QEMU picks), and the core
// registers are read.
func (s *Session) stopped(stop rsp.Stop) error {
	s.Last = stop
	if stop.Exited {
		return fmt.Errorf("debugger: %s", stop)
	}
	if stop.Thread != "" && stop.Signal != 2 {
		s.Thread = normThread(stop.Thread)
	}
	s.Prev = s.Regs
	s.Stops++
	return s.refresh()
}

// refresh reads the current CPU's core registers.
func (s *Session) refresh() error {
	s.Viewing = -1
	if err := s.C.SelectThread(s.Thread); err != nil {
		return err
	}
	regs, err := s.C.ReadCore()
	if err != nil {
		return err
	}
	s.Regs = map[string]uint64{}
	for k, v := range regs {
		s.Regs[k] = v.Uint64()
	}
	return nil
}

// PC returns the current CPU's program counter.
func (s *Session) PC() uint64 { return s.Regs["pc"] }

// SetThread makes another CPU current.
func (s *Session) SetThread(id string) error {
	old := s.Thread
	s.Thread = normThread(id)
	if err := s.refresh(); err != nil {
		s.Thread = old
		return err
	}
	s.Prev = nil
	return nil
}

// Resume continues every CPU; the caller then waits with Wait.
func (s *Session) Resume() error {
	if s.Viewing >= 0 {
		if err := s.refresh(); err != nil { // back to the live registers
			return err
		}
	}
	if err := s.stepOverBreaks(); err != nil {
		return err
	}
	// A stop by a signal other than SIGTRAP and SIGINT (a user-mode
	// target, such as Go's SIGURG preemption under qemu-aarch64) hands the
	// signal on; QEMU's system-mode stub only ever reports those two.
	if sig := s.Last.Signal; sig != 0 && sig != 2 && sig != 5 && !s.Last.Exited {
		return s.C.ContinueSignal(sig, s.Thread)
	}
	return s.C.Continue()
}

// stepOverBreaks moves the current CPU off a breakpoint it is stopped on.
// QEMU reports a breakpoint at the PC again as soon as the CPU resumes, so,
// as gdb does, the breakpoint is lifted for one single step.
func (s *Session) stepOverBreaks() error {
	pc := s.PC()
	var at []Breakpoint
	for _, b := range s.Breaks {
		if b.Addr == pc && (b.Kind == rsp.SoftwareBreak || b.Kind == rsp.HardwareBreak) {
			at = append(at, b)
		}
	}
	if len(at) == 0 {
		return nil
	}
	for _, b := range at {
		if err := s.C.Remove(b.Kind, b.Addr, b.Size); err != nil {
			return err
		}
	}
	_, err := s.C.Step(s.Thread)
	for _, b := range at {
		if ierr := s.C.Insert(b.Kind, b.Addr, b.Size); err == nil {
			err = ierr
		}
	}
	if err != nil {
		return err
	}
	return s.refreshKeepPrev()
}

// refreshKeepPrev re-reads the registers without moving the "previous
// stop" used for change highlighting.
func (s *Session) refreshKeepPrev() error {
	prev := s.Prev
	err := s.refresh()
	s.Prev = prev
	return err
}

// Wait waits for the target to stop after Resume and records the stop.
func (s *Session) Wait() (rsp.Stop, error) {
	stop, err := s.C.Wait()
	if err != nil {
		return stop, err
	}
	return stop, s.stopped(stop)
}

// ErrTimedOut reports a continue that was interrupted after WaitTimeout.
var ErrTimedOut = errors.New("the target did not stop in time and was interrupted")

// Continue resumes the target and waits for the next stop, interrupting it
// after WaitTimeout.
func (s *Session) Continue() (rsp.Stop, error) {
	if err := s.Resume(); err != nil {
		return rsp.Stop{}, err
	}
	if s.WaitTimeout <= 0 {
		return s.Wait()
	}
	type result struct {
		stop rsp.Stop
		err  error
	}
	done := make(chan result, 1)
	go func() {
		st, err := s.C.Wait()
		done <- result{st, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return r.stop, r.err
		}
		return r.stop, s.stopped(r.stop)
	case <-time.After(s.WaitTimeout):
		if err := s.C.Interrupt(); err != nil {
			return rsp.Stop{}, err
		}
		r := <-done
		if r.err != nil {
			return r.stop, r.err
		}
		if err := s.stopped(r.stop); err != nil {
			return r.stop, err
		}
		return r.stop, fmt.Errorf("%w (after %v)", ErrTimedOut, s.WaitTimeout)
	}
}

// StepInstruction steps the current CPU by one instruction.
func (s *Session) StepInstruction() (rsp.Stop, error) {
	if s.Viewing >= 0 {
		if err := s.refresh(); err != nil {
			return rsp.Stop{}, err
		}
	}
	st, err := s.C.Step(s.Thread)
	if err != nil {
		return st, err
	}
	return st, s.stopped(st)
}

// maxLineSteps bounds stepping by line, so a line that loops forever
// (a wfe loop, say) gives control back.
const maxLineSteps = 10000

// StepLine steps until the current CPU reaches a different source line.
// With over set, calls (BL, BLR) are stepped over with a temporary
// breakpoint on the return address, as gdb's next does.
func (s *Session) StepLine(over bool) (rsp.Stop, error) {
	start, _ := s.Syms.Lookup(s.PC())
	if start.File == "" {
		return rsp.Stop{}, fmt.Errorf("debugger: no line information at %#x; use stepi", s.PC())
	}
	var st rsp.Stop
	for i := 0; i < maxLineSteps; i++ {
		var err error
		if over && s.isCall(s.PC()) {
			st, err = s.runTo(s.PC() + 4)
		} else {
			st, err = s.StepInstruction()
		}
		if err != nil {
			return st, err
		}
		loc, _ := s.Syms.Lookup(s.PC())
		if loc.File != "" && (loc.File != start.File || loc.Line != start.Line) {
			if _, end, ok := s.Syms.LineRange(s.PC()); ok && end > s.PC() {
				return st, nil
			}
		}
	}
	return st, fmt.Errorf("debugger: still on %s:%d after %d instructions", start.File, start.Line, maxLineSteps)
}

// Finish runs until the current function returns to its caller.
func (s *Session) Finish() (rsp.Stop, error) {
	frames := s.Backtrace(2)
	if len(frames) < 2 {
		return rsp.Stop{}, errors.New("debugger: no caller frame to finish to")
	}
	return s.runTo(frames[1].PC)
}

// runTo continues to addr with a temporary hardware breakpoint (hardware,
// so it works on read-only or not-yet-mapped code).
func (s *Session) runTo(addr uint64) (rsp.Stop, error) {
	if err := s.C.Insert(rsp.HardwareBreak, addr, 4); err != nil {
		return rsp.Stop{}, err
	}
	st, err := s.Continue()
	if rerr := s.C.Remove(rsp.HardwareBreak, addr, 4); err == nil && rerr != nil {
		err = rerr
	}
	return st, err
}

// AddBreak inserts a breakpoint or watchpoint at an address expression.
func (s *Session) AddBreak(kind rsp.BreakKind, expr string, size int) (Breakpoint, error) {
	addr, err := s.Syms.Resolve(expr)
	if err != nil {
		return Breakpoint{}, err
	}
	if size == 0 {
		size = 4
	}
	if err := s.C.Insert(kind, addr, size); err != nil {
		return Breakpoint{}, err
	}
	b := Breakpoint{ID: s.nextBreak, Kind: kind, Addr: addr, Size: size, Where: s.Where(addr)}
	s.nextBreak++
	s.Breaks = append(s.Breaks, b)
	return b, nil
}

// DeleteBreak removes breakpoint id.
func (s *Session) DeleteBreak(id int) error {
	for i, b := range s.Breaks {
		if b.ID == id {
			if err := s.C.Remove(b.Kind, b.Addr, b.Size); err != nil {
				return err
			}
			s.Breaks = append(s.Breaks[:i], s.Breaks[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("debugger: no breakpoint %d", id)
}

// Where symbolizes an address as "func+off (file:line)".
func (s *Session) Where(addr uint64) string {
	if loc, ok := s.Syms.Lookup(addr); ok {
		return loc.String()
	}
	return fmt.Sprintf("%#x", addr)
}

// SysReg reads a system register of the current CPU by name.
func (s *Session) SysReg(name string) (uint64, error) {
	if err := s.C.SelectThread(s.Thread); err != nil {
		return 0, err
	}
	v, err := s.C.ReadRegister(name)
	if err != nil {
		return 0, err
	}
	return v.Uint64(), nil
}

// physReader adapts the client to mmu.PhysReader.
type physReader struct{ c *rsp.Client }

func (p physReader) ReadPhys(pa uint64, n int) ([]byte, error) { return p.c.ReadPhysical(pa, n) }

// Walk translates va through the current CPU's translation tables.
func (s *Session) Walk(va uint64) (mmu.Translation, error) {
	return s.WalkWith(va, 0)
}

// WalkWith translates va with table as the root for its half (TTBR0 or
// TTBR1) instead of the CPU's register, when table is not zero: a process
// that is not running can be walked through its own TTBR0 value.
func (s *Session) WalkWith(va, table uint64) (mmu.Translation, error) {
	var r mmu.Regs
	for _, x := range []struct {
		name string
		dst  *uint64
	}{{"TTBR0_EL1", &r.TTBR0}, {"TTBR1_EL1", &r.TTBR1}, {"TCR_EL1", &r.TCR}, {"MAIR_EL1", &r.MAIR}} {
		v, err := s.SysReg(x.name)
		if err != nil {
			return mmu.Translation{VA: va}, err
		}
		*x.dst = v
	}
	if table != 0 {
		if va>>63 == 0 {
			r.TTBR0 = table
			r.TCR &^= 1 << 7 // walk it even if TTBR0 walks are off (EPD0) right now
		} else {
			r.TTBR1 = table
		}
	}
	return mmu.Walk(physReader{s.C}, r, va)
}

// ReadMemory reads virtual memory of the current CPU, saying clearly when
// the address is not mapped.
func (s *Session) ReadMemory(addr uint64, n int) ([]byte, error) {
	if err := s.C.SelectThread(s.Thread); err != nil {
		return nil, err
	}
	b, err := s.C.ReadMemory(addr, n)
	var se *rsp.StubError
	if errors.As(err, &se) {
		if sctlr, rerr := s.SysReg("SCTLR_EL1"); rerr == nil && sctlr&1 == 0 {
			return b, fmt.Errorf("debugger: cannot read %#x (%s): the MMU is off on CPU %s, so addresses are physical; the kernel's virtual addresses work once it has turned the MMU on", addr, strings.TrimSpace(s.Where(addr)), s.Thread)
		}
		return b, fmt.Errorf("debugger: cannot read %#x (%s): the address is not mapped on CPU %s, or not memory", addr, strings.TrimSpace(s.Where(addr)), s.Thread)
	}
	return b, err
}
