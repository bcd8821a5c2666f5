package debugger

import (
	"debug/dwarf"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/burrow-os/burrow/debugger/sym"
)

// The kernel-aware views read kernel data structures through their DWARF
// types, so a field added to struct thread does not break them. Each view
// names the symbol it needs and says plainly when the loaded ELFs do not
// have it: that subsystem has not landed in this build.

// readVar reads a whole global variable (up to limit bytes).
func (s *Session) readVar(name string, limit int) (sym.Var, []byte, error) {
	v, err := s.Syms.Variable(name)
	if err != nil {
		return v, nil, err
	}
	n := int(v.Type.Size())
	if n <= 0 || n > limit {
		n = limit
	}
	b, err := s.ReadMemory(v.Addr, n)
	return v, b, err
}

// field reads an unsigned field (through nested "a.b" names) of a value.
func field(t dwarf.Type, b []byte, path string) (uint64, bool) {
	var off int64
	for _, name := range strings.Split(path, ".") {
		o, ft, ok := sym.Field(t, name)
		if !ok {
			return 0, false
		}
		off += o
		t = ft
	}
	size := t.Size()
	if st, ok := sym.Underlying(t).(*dwarf.StructType); ok && len(st.Field) == 1 {
		size = st.Field[0].Type.Size() // Go's atomic.Uint32 and friends wrap one value
	}
	if off+size > int64(len(b)) || size <= 0 || size > 8 {
		return 0, false
	}
	return leUint(b[off : off+size]), true
}

// enumName names value v of an enum type, for state fields.
func enumName(t dwarf.Type, path string, v uint64) string {
	for _, name := range strings.Split(path, ".") {
		_, ft, ok := sym.Field(t, name)
		if !ok {
			return fmt.Sprint(v)
		}
		t = ft
	}
	if et, ok := sym.Underlying(t).(*dwarf.EnumType); ok {
		for _, e := range et.Val {
			if uint64(e.Val) == v {
				return e.Name
			}
		}
	}
	return fmt.Sprint(v)
}

// KThread is one C core thread as the debugger sees it.
type KThread struct {
	TID      int    `json:"tid"`
	State    string `json:"state"`
	Current  bool   `json:"current"` // running on the CPU being debugged
	CPU      int    `json:"cpu"`     // the CPU it is running on, or -1
	PC       string `json:"pc"`      // saved lr: where swtch returns to
	SP       string `json:"sp"`
	FP       string `json:"fp"`
	Where    string `json:"where"`
	Switches uint64 `json:"switches"`
	Syscalls uint64 `json:"syscalls"`
	pc, fp   uint64
	regs     map[string]uint64
}

const threadsMissing = "the C core's thread table (threads[] in ckernel/thread.c) is not in the loaded ELF's DWARF: threads have not landed in this build"

// KThreads reads the C core's thread table.
func (s *Session) KThreads() ([]KThread, error) {
	v, b, err := s.readVar("threads", 1<<20)
	if err != nil {
		if _, missing := s.Syms.Variable("threads"); missing != nil {
			return nil, fmt.Errorf("%s", threadsMissing)
		}
		return nil, err
	}
	arr, ok := sym.Underlying(v.Type).(*dwarf.ArrayType)
	if !ok {
		return nil, fmt.Errorf("debugger: threads is a %s, want an array of struct thread", v.Type)
	}
	elem := arr.Type
	es := int(elem.Size())
	cur, running := s.runningThreads()
	var out []KThread
	for i := 0; (i+1)*es <= len(b); i++ {
		e := b[i*es : (i+1)*es]
		state, _ := field(elem, e, "state")
		name := enumName(elem, "state", state)
		if name == "T_UNUSED" {
			continue
		}
		tid, _ := field(elem, e, "tid")
		addr := v.Addr + uint64(i*es)
		kt := KThread{TID: int(int32(tid)), State: name, Current: cur == addr, CPU: -1, regs: map[string]uint64{}}
		if c, ok := running[addr]; ok {
			kt.CPU = c
		}
		for _, r := range []string{"x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "fp", "lr", "sp"} {
			kt.regs[r], _ = field(elem, e, "ctx."+r)
		}
		kt.pc, kt.fp = kt.regs["lr"], kt.regs["fp"]
		kt.PC, kt.SP, kt.FP = hex64(kt.pc), hex64(kt.regs["sp"]), hex64(kt.fp)
		kt.Where = s.Where(kt.pc)
		kt.Switches, _ = field(elem, e, "switches")
		kt.Syscalls, _ = field(elem, e, "syscalls")
		out = append(out, kt)
	}
	return out, nil
}

// runningThreads finds which thread each CPU runs, from the C core's
// per-CPU array cpus[] (struct cpu's thread field, ckernel/cpu.h), and the
// one on the CPU being debugged: the struct cpu its TPIDR_EL1 points at, or
// by index before the CPU has set TPIDR_EL1. Kernels from before per-CPU
// state have a global current instead.
func (s *Session) runningThreads() (cur uint64, running map[uint64]int) {
	running = map[uint64]int{}
	v, b, err := s.readVar("cpus", 64<<10)
	if err != nil {
		if _, cb, err := s.readVar("current", 8); err == nil {
			cur = leUint(cb)
			running[cur] = 0
		}
		return cur, running
	}
	arr, ok := sym.Underlying(v.Type).(*dwarf.ArrayType)
	if !ok {
		return 0, running
	}
	es := int(arr.Type.Size())
	tpidr, _ := s.SysReg("TPIDR_EL1")
	n, _ := strconv.ParseUint(s.Thread, 16, 64)
	var byIndex uint64
	for i := 0; (i+1)*es <= len(b); i++ {
		th, _ := field(arr.Type, b[i*es:(i+1)*es], "thread")
		if th == 0 {
			continue
		}
		running[th] = i
		if v.Addr+uint64(i*es) == tpidr {
			cur = th
		}
		if uint64(i+1) == n {
			byIndex = th
		}
	}
	if cur == 0 {
		cur = byIndex
	}
	return cur, running
}

func cmdKThreads(s *Session, a []string) (string, any, error) {
	ts, err := s.KThreads()
	if err != nil {
		return "", nil, err
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "  %-4s %-11s %-3s %-18s %-18s %8s %8s  %s\n", "TID", "STATE", "CPU", "SAVED PC", "SAVED SP", "SWITCHES", "SYSCALLS", "WHERE")
	for _, t := range ts {
		mark := " "
		if t.Current {
			mark = "*"
		}
		cpu := "-"
		if t.CPU >= 0 {
			cpu = fmt.Sprint(t.CPU)
		}
		fmt.Fprintf(&sb, "%s %-4d %-11s %-3s %-18s %-18s %8d %8d  %s\n", mark, t.TID, t.State, cpu, t.PC, t.SP, t.Switches, t.Syscalls, t.Where)
	}
	return sb.String(), ts, nil
}

func cmdKThread(s *Session, a []string) (string, any, error) {
	if len(a) != 1 {
		return "", nil, errUsage("kthread")
	}
	tid, err := parseInt(a[0])
	if err != nil {
		return "", nil, errUsage("kthread")
	}
	ts, err := s.KThreads()
	if err != nil {
		return "", nil, err
	}
	for _, t := range ts {
		if t.TID != tid {
			continue
		}
		var sb strings.Builder
		fmt.Fprintf(&sb, "thread %d %s", t.TID, t.State)
		if t.Current {
			sb.WriteString(" (running now: its saved context is stale; see regs and bt)")
		}
		sb.WriteString("\n")
		for i, r := range []string{"x19", "x20", "x21", "x22", "x23", "x24", "x25", "x26", "x27", "x28", "fp", "lr", "sp"} {
			fmt.Fprintf(&sb, "%-4s %016x", r, t.regs[r])
			if i%3 == 2 {
				sb.WriteByte('\n')
			} else {
				sb.WriteString("   ")
			}
		}
		sb.WriteString("\n\nbacktrace from the saved context:\n")
		for i, f := range s.chain(t.pc, t.fp, 0, 16) {
			fmt.Fprintf(&sb, "#%-2d %#016x  %s\n", i, f.PC, f.Where)
		}
		return sb.String(), t, nil
	}
	return "", nil, fmt.Errorf("debugger: no C core thread %d", tid)
}

// ViewKThread shows a C core thread's saved context as if it were running:
// Regs take its callee-saved registers, frame pointer and stack pointer,
// with pc at the saved link register (where swtch returns to), so the
// backtrace, source and disassembly follow that thread. The next refresh,
// step or continue goes back to the live registers.
func (s *Session) ViewKThread(tid int) (KThread, error) {
	ts, err := s.KThreads()
	if err != nil {
		return KThread{}, err
	}
	for _, t := range ts {
		if t.TID != tid {
			continue
		}
		if t.Current {
			return t, fmt.Errorf("debugger: thread %d is running on this CPU: its live registers are the ones shown", tid)
		}
		regs := map[string]uint64{"cpsr": s.Regs["cpsr"]}
		for i := 19; i <= 28; i++ {
			regs[fmt.Sprintf("x%d", i)] = t.regs[fmt.Sprintf("x%d", i)]
		}
		regs["x29"], regs["x30"], regs["sp"], regs["pc"] = t.regs["fp"], t.regs["lr"], t.regs["sp"], t.regs["lr"]
		s.Prev, s.Regs, s.Viewing = nil, regs, tid
		return t, nil
	}
	return KThread{}, fmt.Errorf("debugger: no C core thread %d", tid)
}

func cmdKView(s *Session, a []string) (string, any, error) {
	if len(a) != 1 {
		return "", nil, errUsage("kview")
	}
	if a[0] == "off" {
		if err := s.refresh(); err != nil {
			return "", nil, err
		}
		return fmt.Sprintf("live registers of CPU %s", s.Thread), nil, nil
	}
	tid, err := parseInt(a[0])
	if err != nil {
		return "", nil, errUsage("kview")
	}
	t, err := s.ViewKThread(tid)
	if err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("viewing C core thread %d (%s) as if it were running: pc %#x %s (kview off to go back)",
		t.TID, t.State, t.pc, t.Where), t, nil
}

// KLog returns the kernel log ring's contents, oldest first. The C core
// keeps it in klog_buf (a power-of-two char array) and klog_head (bytes
// ever written; the ring holds the last len(klog_buf)), see ckernel/klog.h.
func (s *Session) KLog() (string, error) {
	buf, okB := s.Syms.Symbol("klog_buf")
	head, okH := s.Syms.Symbol("klog_head")
	if !okB || !okH || buf.Size == 0 {
		return "", fmt.Errorf("the kernel log ring (klog_buf and klog_head, ckernel/klog.h) is not in the loaded ELFs: the kernel log has not landed in this build")
	}
	hb, err := s.ReadMemory(head.Addr, 8)
	if err != nil {
		return "", err
	}
	n, size := leUint(hb), buf.Size
	if n <= size {
		b, err := s.ReadMemory(buf.Addr, int(n))
		return string(b), err
	}
	b, err := s.ReadMemory(buf.Addr, int(size))
	if err != nil {
		return "", err
	}
	start := n % size
	return string(b[start:]) + string(b[:start]), nil
}

func cmdKLog(s *Session, a []string) (string, any, error) {
	text, err := s.KLog()
	return text, map[string]string{"log": text}, err
}

func cmdTrace(s *Session, a []string) (string, any, error) {
	if len(a) != 1 {
		return "", nil, errUsage("trace")
	}
	evs, err := s.TraceEvents()
	if err != nil {
		return "", nil, err
	}
	freq, err := s.SysReg("CNTFRQ_EL0")
	if err != nil || freq == 0 {
		freq = 62_500_000 // QEMU's generic timer
	}
	js, err := ChromeTrace(evs, freq)
	if err != nil {
		return "", nil, err
	}
	if err := os.WriteFile(a[0], js, 0o644); err != nil {
		return "", nil, err
	}
	return fmt.Sprintf("wrote %d events to %s (open it in https://ui.perfetto.dev)", len(evs), a[0]),
		map[string]any{"events": len(evs), "file": a[0]}, nil
}

// TraceEvents reads the kernel's event ring `trace_ring`: a struct with
// `head` (events ever written) and `ev`, an array of events with fields
// time (counter ticks), kind, cpu, arg0 and arg1.
func (s *Session) TraceEvents() ([]Event, error) {
	v, b, err := s.readVar("trace_ring", 4<<20)
	if err != nil {
		if _, missing := s.Syms.Variable("trace_ring"); missing != nil {
			return nil, fmt.Errorf("the kernel event ring (trace_ring) is not in the loaded ELFs: the trace collector's kernel side has not landed in this build")
		}
		return nil, err
	}
	head, ok := field(v.Type, b, "head")
	off, et, ok2 := sym.Field(v.Type, "ev")
	arr, ok3 := sym.Underlying(et).(*dwarf.ArrayType)
	if !ok || !ok2 || !ok3 {
		return nil, fmt.Errorf("debugger: trace_ring needs head and an ev array")
	}
	es := arr.Type.Size()
	n := uint64(et.Size() / es)
	first := uint64(0)
	if head > n {
		first = head - n
	}
	var evs []Event
	for i := first; i < head; i++ {
		e := b[off+int64(i%n)*es:]
		var ev Event
		ev.Time, _ = field(arr.Type, e, "time")
		k, _ := field(arr.Type, e, "kind")
		ev.Kind = enumName(arr.Type, "kind", k)
		cpu, _ := field(arr.Type, e, "cpu")
		ev.CPU = int(cpu)
		ev.Arg0, _ = field(arr.Type, e, "arg0")
		ev.Arg1, _ = field(arr.Type, e, "arg1")
		evs = append(evs, ev)
	}
	return evs, nil
}

// Goroutine is one goroutine of the Go kernel.
type Goroutine struct {
	ID     uint64 `json:"id"`
	Status string `json:"status"`
	PC     string `json:"pc"`
	Where  string `json:"where"`
	// Frames are the top frames from the saved pc and frame pointer
	// (stale for a running goroutine, whose registers are live).
	Frames []string `json:"frames"`
}

// goStatus names runtime.g.atomicstatus values (runtime/runtime2.go).
var goStatus = []string{"idle", "runnable", "running", "syscall", "waiting", "moribund", "dead", "enqueue", "copystack", "preempted"}

// Goroutines reads runtime.allgs ([]*g) and each g's id, status and saved
// pc.
func (s *Session) Goroutines() ([]Goroutine, error) {
	v, b, err := s.readVar("runtime.allgs", 24)
	if err != nil {
		if _, missing := s.Syms.Variable("runtime.allgs"); missing != nil {
			return nil, fmt.Errorf("the goroutine view needs the Go kernel (build/burrow.elf, the hybrid core of #3): runtime.allgs is not in the loaded ELFs")
		}
		return nil, err
	}
	arr, _ := field(v.Type, b, "array")
	n, _ := field(v.Type, b, "len")
	gt, err := s.gType()
	if err != nil {
		return nil, err
	}
	var out []Goroutine
	for i := uint64(0); i < n && i < 10000; i++ {
		pb, err := s.ReadMemory(arr+8*i, 8)
		if err != nil {
			return out, err
		}
		gb, err := s.ReadMemory(leUint(pb), int(gt.Size()))
		if err != nil {
			return out, err
		}
		id, _ := field(gt, gb, "goid")
		st, _ := field(gt, gb, "atomicstatus")
		pc, _ := field(gt, gb, "sched.pc")
		bp, _ := field(gt, gb, "sched.bp")
		name := fmt.Sprint(st)
		if st&^0x1000 < uint64(len(goStatus)) {
			name = goStatus[st&^0x1000]
		}
		g := Goroutine{ID: id, Status: name, PC: hex64(pc), Where: s.Where(pc)}
		if name != "dead" {
			for _, f := range s.chain(pc, bp, 0, 4)[1:] {
				g.Frames = append(g.Frames, f.Where)
			}
		}
		out = append(out, g)
	}
	return out, nil
}

// gType finds runtime.g through the type of runtime.allgs' elements.
func (s *Session) gType() (dwarf.Type, error) {
	v, err := s.Syms.Variable("runtime.allgs")
	if err != nil {
		return nil, err
	}
	_, at, ok := sym.Field(v.Type, "array")
	if !ok {
		return nil, fmt.Errorf("debugger: runtime.allgs is not a slice")
	}
	p, ok := sym.Underlying(at).(*dwarf.PtrType) // **g
	if !ok {
		return nil, fmt.Errorf("debugger: runtime.allgs has an unexpected type %s", at)
	}
	pp, ok := sym.Underlying(p.Type).(*dwarf.PtrType) // *g
	if !ok {
		return nil, fmt.Errorf("debugger: runtime.allgs has an unexpected type %s", at)
	}
	return pp.Type, nil
}

func cmdGoroutines(s *Session, a []string) (string, any, error) {
	gs, err := s.Goroutines()
	if err != nil {
		return "", nil, err
	}
	var sb strings.Builder
	for _, g := range gs {
		fmt.Fprintf(&sb, "%6d %-10s %s %s\n", g.ID, g.Status, g.PC, g.Where)
		for _, f := range g.Frames {
			fmt.Fprintf(&sb, "%32s %s\n", "<-", f)
		}
	}
	return sb.String(), gs, nil
}
