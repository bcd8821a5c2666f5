package proc

import (
	"errors"
	"runtime"

	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/core"
	"github.com/burrow-os/burrow/kernel/mm"
)

// Exception classes from ESR_EL1.EC (ARM ARM D17.2.37) that reach a task.
const (
	ecUnknown      = 0x00 // undefined instruction
	ecSVC64        = 0x15 // SVC #0: a system call
	ecSysReg       = 0x18 // a trapped MSR/MRS at EL0
	ecInsnAbortLow = 0x20
	ecPCAlign      = 0x22
	ecDataAbortLow = 0x24
	ecSPAlign      = 0x26
	ecFPException  = 0x2c
	ecBRK64        = 0x3c
)

// run is the thread's task: enter the program at EL0, handle whatever
// stopped it, repeat until the thread exits.
func (t *Thread) run() {
	t.notice() // the first entry goes through the slow path
	for {
		if t.attention.Swap(false) { // the slow path, only when something happened
			t.handleSignals()
			if t.shouldExit() {
				t.exitThread()
				return
			}
		}
		mem := t.p.memory()
		trap, err := t.p.k.cfg.Switch(&t.regs, mem.AddressSpace().TTBR0())
		if err != nil {
			t.p.k.cfg.Log("proc: pid %d tid %d: switch to user failed: %v", t.p.PID, t.TID, err)
			t.p.exitGroup(int(linux.SIGKILL))
			continue
		}
		t.trap(trap, mem)
	}
}

func (t *Thread) shouldExit() bool {
	t.mu.Lock()
	e := t.exiting
	t.mu.Unlock()
	t.p.mu.Lock()
	defer t.p.mu.Unlock()
	return e || t.p.exiting
}

// trap handles one stop of the program: one switch on the exception class.
func (t *Thread) trap(trap core.UserTrap, mem *mm.UserSpace) {
	k := t.p.k
	switch trap.Kind {
	case core.TrapIRQ, core.TrapFIQ:
		// The tick or a device: let other goroutines (and tasks) run.
		k.Preemptions.Add(1)
		runtime.Gosched()
		return
	case core.TrapSError:
		t.force(linux.SIGBUS, 0, trap.FAR)
		return
	}
	switch ec := trap.EC(); ec {
	case ecSVC64:
		t.syscall()
	case ecDataAbortLow, ecInsnAbortLow:
		fsc := trap.ESR & 0x3f
		access := mm.AccessRead
		if ec == ecInsnAbortLow {
			access = mm.AccessExec
		} else if trap.ESR&(1<<6) != 0 { // WnR
			access = mm.AccessWrite
		}
		switch {
		case fsc >= 0x04 && fsc <= 0x0f: // translation, access flag, permission faults
			if err := mem.Fault(trap.FAR, access); err == nil {
				k.Faults.Add(1)
				return
			} else if errors.Is(err, mm.ErrNoMemory) {
				k.cfg.Log("proc: pid %d: out of memory at %#x", t.p.PID, trap.FAR)
				t.force(linux.SIGKILL, 0, trap.FAR)
				return
			}
			code := linux.SEGV_MAPERR
			if fsc >= 0x0c {
				code = linux.SEGV_ACCERR
			}
			t.force(linux.SIGSEGV, code, trap.FAR)
		case fsc == 0x21: // alignment fault
			t.force(linux.SIGBUS, linux.BUS_ADRALN, trap.FAR)
		default:
			t.force(linux.SIGSEGV, linux.SEGV_MAPERR, trap.FAR)
		}
	case ecPCAlign, ecSPAlign:
		t.force(linux.SIGBUS, linux.BUS_ADRALN, t.regs.PC)
	case ecUnknown, ecSysReg:
		t.force(linux.SIGILL, linux.ILL_ILLOPC, t.regs.PC)
	case ecFPException:
		t.force(linux.SIGFPE, 0, t.regs.PC)
	case ecBRK64:
		t.force(linux.SIGTRAP, 0, t.regs.PC)
	default:
		// Nothing else can come from EL0 on this CPU; if it does, the
		// program gets SIGILL and the log names the class.
		k.cfg.Log("proc: pid %d: unexpected exception class %#x (ESR %#x) at %#x", t.p.PID, ec, trap.ESR, t.regs.PC)
		t.force(linux.SIGILL, linux.ILL_ILLOPC, t.regs.PC)
	}
}

// syscall answers the system call in x8 with arguments x0..x5, leaving the
// result (or -errno) in x0.
func (t *Thread) syscall() {
	k := t.p.k
	k.Syscalls.Add(1)
	nr := t.regs.X[8]
	a := args{t.regs.X[0], t.regs.X[1], t.regs.X[2], t.regs.X[3], t.regs.X[4], t.regs.X[5]}
	var ret uint64
	var err error
	switch {
	case nr < uint64(len(dispatch)) && dispatch[nr] != nil && dispatch[nr].Handler != nil:
		ret, err = dispatch[nr].Handler(t, a)
	case nr < uint64(len(dispatch)) && dispatch[nr] != nil:
		err = linux.ENOSYS // known, deliberately unsupported: not logged
	default:
		k.logUnknown(nr, t.p)
		err = linux.ENOSYS
	}
	t.resumeSleep = false // only the first run of a restarted sleep may use it
	if err == linux.EINTR {
		t.restart = restartPoint{pending: true, x0: a[0]}
		t.notice()
	}
	t.regs.X[0] = result(ret, err)
}

// result turns a handler's return into the x0 value: the result, or -errno.
// This is the only place errors become numbers.
func result(ret uint64, err error) uint64 {
	if err == nil {
		return ret
	}
	return -uint64(errnoOf(err))
}

func errnoOf(err error) linux.Errno {
	var e linux.Errno
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, mm.ErrFault):
		return linux.EFAULT
	case errors.Is(err, mm.ErrNoMemory):
		return linux.ENOMEM
	case errors.Is(err, mm.ErrBadArgument), errors.Is(err, mm.ErrOverlap):
		return linux.EINVAL
	}
	return linux.EIO
}

// exitThread ends the thread: clear_child_tid, then the process ends with
// its last thread.
func (t *Thread) exitThread() {
	p, k := t.p, t.p.k
	t.mu.Lock()
	ctid := t.clearTID
	t.mu.Unlock()
	if ctid != 0 {
		mem := p.memory()
		if mem.CopyOut(ctid, make([]byte, 4)) == nil {
			k.futex.wake(mem, ctid, 1, ^uint32(0))
		}
	}
	k.mu.Lock()
	delete(k.threads, t.TID)
	k.mu.Unlock()
	p.mu.Lock()
	delete(p.threads, t.TID)
	last := len(p.threads) == 0
	p.mu.Unlock()
	if last {
		p.finish()
	}
}

// exitGroup makes every thread of the process leave; status is the wait
// status (exit code << 8, or the signal number).
func (p *Process) exitGroup(status int) {
	p.mu.Lock()
	if !p.exiting {
		p.exiting = true
		p.status = status
	}
	threads := p.threadList()
	p.mu.Unlock()
	for _, t := range threads {
		t.kick()
	}
	if p.k.cfg.TTY != nil {
		p.k.cfg.TTY.Kick()
	}
}

// finish turns the process into a zombie once its last thread is gone:
// files closed, memory released, children handed to init, the parent told.
func (p *Process) finish() {
	k := p.k
	p.fds.closeAll()
	p.mu.Lock()
	mem, shared := p.mem, p.memShared
	p.mem = nil
	vfork := p.vforkCh
	p.vforkCh = nil
	p.zombie = true
	parent := p.parent
	children := p.children
	p.children = nil
	p.mu.Unlock()
	if mem != nil && !shared {
		mem.Destroy()
	}
	if vfork != nil {
		close(vfork)
	}
	// Orphans go to init (pid 1), or are reaped by nobody if it is gone.
	init := k.Lookup(1)
	for _, c := range children {
		c.mu.Lock()
		c.parent = nil
		if init != nil && init != p {
			c.parent = init
		}
		zombie := c.zombie
		c.mu.Unlock()
		if init != nil && init != p {
			init.mu.Lock()
			init.children = append(init.children, c)
			init.mu.Unlock()
			if zombie {
				init.notifyChild()
			}
		} else {
			k.mu.Lock()
			if zombie {
				delete(k.procs, c.PID)
			}
			k.mu.Unlock()
		}
	}
	close(p.done)
	if parent == nil {
		k.mu.Lock()
		delete(k.procs, p.PID)
		k.mu.Unlock()
		return
	}
	parent.notifyChild()
	parent.post(linux.SIGCHLD, linux.Siginfo{Signo: int32(linux.SIGCHLD), Code: linux.CLD_EXITED, Addr: uint64(p.PID)})
}

// notifyChild wakes a wait4 in the process.
func (p *Process) notifyChild() {
	select {
	case p.childCh <- struct{}{}:
	default:
	}
}
