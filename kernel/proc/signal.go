package proc

import (
	"bytes"
	"encoding/binary"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

// Signals. A signal is posted to a thread (tgkill, a fault) or to a
// process (kill, the TTY's ^C, SIGCHLD); it is delivered by the task when
// the thread is about to return to EL0, by building an arm64 rt_sigframe
// on the user stack (arch/arm64/kernel/signal.c) and entering the handler:
//
//	          +--------------------------+  the interrupted sp (or the altstack top)
//	          | frame record: fp, lr     |  x29 points here
//	frame ->  +--------------------------+  sp, 16-byte aligned
//	          | siginfo (128 bytes)      |  x1
//	          | ucontext: flags, link,   |  x2
//	          |   stack, sigmask, pad    |
//	          |   sigcontext: fault      |
//	          |   address, x0-x30, sp,   |
//	          |   pc, pstate, then       |
//	          |   fpsimd_context, end    |
//	          +--------------------------+
//
// The handler returns to x30, the vDSO's __kernel_rt_sigreturn (or the
// action's SA_RESTORER), whose rt_sigreturn restores everything from the
// frame, including what the handler changed there (Go's runtime moves the
// pc to inject a panic).

const (
	frameSiginfo   = 0
	frameUcontext  = 128
	ucStack        = 16
	ucSigmask      = 40
	ucMcontext     = 176 // 168 rounded up to sigcontext's 16-byte alignment
	scFaultAddress = 0
	scRegs         = 8
	scSP           = 256
	scPC           = 264
	scPState       = 272
	scReserved     = 288
	sigcontextSize = scReserved + 4096
	frameSize      = frameUcontext + ucMcontext + sigcontextSize // 4688, a multiple of 16

	fpsimdFPSR  = 8
	fpsimdFPCR  = 12
	fpsimdVRegs = 16

	unblockable = 1<<(linux.SIGKILL-1) | 1<<(linux.SIGSTOP-1)
	nzcv        = 0xf << 28
)

func sigbit(sig linux.Signal) uint64 { return 1 << (sig - 1) }

// post makes sig pending for the process and wakes its threads.
func (p *Process) post(sig linux.Signal, info linux.Siginfo) {
	if sig < 1 || sig > 64 {
		return
	}
	if sig == linux.SIGCONT {
		p.continueJob()
	}
	p.mu.Lock()
	if isStopSignal(sig) {
		p.pending &^= sigbit(linux.SIGCONT)
	}
	p.pending |= sigbit(sig)
	p.info[sig] = info
	threads := p.threadList()
	p.mu.Unlock()
	for _, t := range threads {
		t.kick()
	}
	if p.k.cfg.TTY != nil {
		p.k.cfg.TTY.Kick()
	}
}

// postThread makes sig pending for one thread (tgkill, faults).
func (t *Thread) postThread(sig linux.Signal, info linux.Siginfo) {
	t.mu.Lock()
	t.pending |= sigbit(sig)
	t.info[sig] = info
	t.mu.Unlock()
	t.kick()
	if t.p.k.cfg.TTY != nil {
		t.p.k.cfg.TTY.Kick()
	}
}

// signalGroup posts sig to every process in group pgrp (the TTY's ^C).
func (k *Kernel) signalGroup(pgrp int, sig linux.Signal) int {
	n := 0
	for _, p := range k.Processes() {
		p.mu.Lock()
		in := p.pgid == pgrp && !p.zombie
		p.mu.Unlock()
		if in {
			p.post(sig, linux.Siginfo{Signo: int32(sig), Code: linux.SI_USER})
			n++
		}
	}
	return n
}

// interrupted reports whether a blocking call should return EINTR: a
// signal the thread does not block is pending, or the thread must exit.
func (t *Thread) interrupted() bool {
	if t.shouldExit() {
		return true
	}
	t.p.mu.Lock()
	pp := t.p.pending
	t.p.mu.Unlock()
	t.mu.Lock()
	defer t.mu.Unlock()
	return (t.pending|pp)&^(t.mask&^unblockable) != 0
}

// force delivers a synchronous signal from a fault: blocked or ignored, it
// still kills the process, as Linux's force_sig_fault does.
func (t *Thread) force(sig linux.Signal, code int, addr uint64) {
	t.p.sig.mu.Lock()
	act := t.p.sig.act[sig]
	t.p.sig.mu.Unlock()
	t.mu.Lock()
	blocked := t.mask&sigbit(sig) != 0
	t.mu.Unlock()
	if blocked || act.Handler == linux.SIG_IGN {
		t.p.k.cfg.Log("proc: pid %d (%s): fatal %s at %#x (pc %#x)", t.p.PID, t.p.comm(), sigName(sig), addr, t.regs.PC)
		t.p.exitGroup(int(sig))
		return
	}
	t.postThread(sig, linux.Siginfo{Signo: int32(sig), Code: int32(code), Addr: addr})
}

// handleSignals delivers the pending, unblocked signals, lowest first. A
// stopped process waits here. If no handler runs, a system call that the
// signals interrupted is issued again.
func (t *Thread) handleSignals() {
	for {
		t.waitWhileStopped()
		p := t.p
		p.mu.Lock()
		t.mu.Lock()
		ready := (t.pending | p.pending) &^ (t.mask &^ unblockable)
		if ready == 0 {
			t.mu.Unlock()
			p.mu.Unlock()
			t.restartIfNoHandler()
			return
		}
		var sig linux.Signal
		for sig = 1; ready&sigbit(sig) == 0; sig++ {
		}
		var info linux.Siginfo
		if t.pending&sigbit(sig) != 0 {
			t.pending &^= sigbit(sig)
			info = t.info[sig]
		} else {
			p.pending &^= sigbit(sig)
			info = p.info[sig]
		}
		t.mu.Unlock()
		p.mu.Unlock()

		p.sig.mu.Lock()
		act := p.sig.act[sig]
		if act.Handler > linux.SIG_IGN && act.Flags&linux.SA_RESETHAND != 0 {
			p.sig.act[sig].Handler = linux.SIG_DFL
		}
		p.sig.mu.Unlock()
		switch {
		case sig == linux.SIGKILL || act.Handler == linux.SIG_DFL:
			if defaultIgnored(sig) {
				continue
			}
			if isStopSignal(sig) {
				p.stop(sig) // the loop's top waits until SIGCONT
				continue
			}
			if info.Code > 0 && (sig == linux.SIGSEGV || sig == linux.SIGBUS || sig == linux.SIGILL) {
				p.k.cfg.Log("proc: pid %d (%s): %s at %#x (pc %#x)", p.PID, p.comm(), sigName(sig), info.Addr, t.regs.PC)
			}
			p.exitGroup(int(sig))
			return
		case act.Handler == linux.SIG_IGN:
			continue
		}
		if err := t.setupFrame(sig, info, act); err != nil {
			// No room for the frame: the program cannot take the signal.
			p.k.cfg.Log("proc: pid %d: cannot deliver %s: %v", p.PID, sigName(sig), err)
			p.exitGroup(int(linux.SIGSEGV))
			return
		}
		p.k.Signals.Add(1)
		t.restart.pending = false // the handler sees EINTR
		t.notice()                // more signals may be ready at the next return
		return                    // the handler runs first
	}
}

// defaultIgnored reports whether the default action is to ignore.
// SIGCONT's work (continuing) is done when it is sent.
func defaultIgnored(sig linux.Signal) bool {
	switch sig {
	case linux.SIGCHLD, linux.SIGURG, linux.SIGWINCH, linux.SIGCONT:
		return true
	}
	return false
}

// setupFrame builds the rt_sigframe and points the registers at the handler.
func (t *Thread) setupFrame(sig linux.Signal, info linux.Siginfo, act linux.Sigaction) error {
	mem := t.p.memory()
	r := &t.regs
	t.mu.Lock()
	alt := t.altstack
	oldMask := t.mask
	if t.hasSaved {
		oldMask, t.hasSaved = t.savedMask, false
	}
	t.mask |= act.Mask
	if act.Flags&linux.SA_NODEFER == 0 {
		t.mask |= sigbit(sig)
	}
	t.mask &^= unblockable
	t.mu.Unlock()

	sp := r.SP
	onAlt := alt.Flags&linux.SS_DISABLE == 0 && alt.Size > 0 && sp > alt.SP && sp <= alt.SP+alt.Size
	if act.Flags&linux.SA_ONSTACK != 0 && alt.Flags&linux.SS_DISABLE == 0 && alt.Size > 0 && !onAlt {
		sp = alt.SP + alt.Size
	}
	record := (sp - 16) &^ 15
	frame := (record - frameSize) &^ 15

	b := make([]byte, record+16-frame)
	le := binary.LittleEndian
	var ib bytes.Buffer
	binary.Write(&ib, le, info)
	copy(b[frameSiginfo:], ib.Bytes())
	uc := b[frameUcontext:]
	le.PutUint64(uc[ucStack:], alt.SP)
	le.PutUint32(uc[ucStack+8:], uint32(alt.Flags))
	le.PutUint64(uc[ucStack+16:], alt.Size)
	le.PutUint64(uc[ucSigmask:], oldMask)
	sc := uc[ucMcontext:]
	if sig == linux.SIGSEGV || sig == linux.SIGBUS || sig == linux.SIGILL || sig == linux.SIGFPE {
		le.PutUint64(sc[scFaultAddress:], info.Addr)
	}
	for i, x := range r.X {
		le.PutUint64(sc[scRegs+8*i:], x)
	}
	le.PutUint64(sc[scSP:], r.SP)
	le.PutUint64(sc[scPC:], r.PC)
	le.PutUint64(sc[scPState:], r.PState&nzcv)
	fp := sc[scReserved:]
	le.PutUint32(fp[0:], linux.FPSIMD_MAGIC)
	le.PutUint32(fp[4:], linux.SizeofFPSIMDContext)
	le.PutUint32(fp[fpsimdFPSR:], uint32(r.FPSR))
	le.PutUint32(fp[fpsimdFPCR:], uint32(r.FPCR))
	for i, q := range r.Q {
		le.PutUint64(fp[fpsimdVRegs+16*i:], q[0])
		le.PutUint64(fp[fpsimdVRegs+16*i+8:], q[1])
	}
	// The terminating null context header after fpsimd_context is zero.
	le.PutUint64(b[record-frame:], r.X[29])
	le.PutUint64(b[record-frame+8:], r.PC)
	if err := mem.CopyOut(frame, b); err != nil {
		return err
	}
	r.X[0] = uint64(sig)
	r.X[1] = frame + frameSiginfo
	r.X[2] = frame + frameUcontext
	r.X[29] = record
	r.X[30] = vdsoBase + vdsoSigreturn
	if act.Flags&linux.SA_RESTORER != 0 && act.Restorer != 0 {
		r.X[30] = act.Restorer
	}
	r.SP = frame
	r.PC = act.Handler
	return nil
}

// sigreturn restores the registers and mask saved in the frame at sp.
func (t *Thread) sigreturn() error {
	mem := t.p.memory()
	r := &t.regs
	frame := r.SP
	b := make([]byte, frameSize)
	if err := mem.CopyIn(b, frame); err != nil {
		return err
	}
	le := binary.LittleEndian
	uc := b[frameUcontext:]
	sc := uc[ucMcontext:]
	for i := range r.X {
		r.X[i] = le.Uint64(sc[scRegs+8*i:])
	}
	r.SP = le.Uint64(sc[scSP:])
	r.PC = le.Uint64(sc[scPC:])
	r.PState = le.Uint64(sc[scPState:]) & nzcv
	fp := sc[scReserved:]
	if le.Uint32(fp[0:]) == linux.FPSIMD_MAGIC {
		r.FPSR = uint64(le.Uint32(fp[fpsimdFPSR:]))
		r.FPCR = uint64(le.Uint32(fp[fpsimdFPCR:]))
		for i := range r.Q {
			r.Q[i] = [2]uint64{le.Uint64(fp[fpsimdVRegs+16*i:]), le.Uint64(fp[fpsimdVRegs+16*i+8:])}
		}
	}
	t.mu.Lock()
	t.mask = le.Uint64(uc[ucSigmask:]) &^ unblockable
	t.mu.Unlock()
	t.notice() // the restored mask may unblock a pending signal
	return nil
}

// resetHandlers sets caught signals back to the default at execve; ignored
// ones stay ignored.
func (p *Process) resetHandlers() {
	p.sig.mu.Lock()
	defer p.sig.mu.Unlock()
	for i := range p.sig.act {
		if p.sig.act[i].Handler != linux.SIG_IGN {
			p.sig.act[i] = linux.Sigaction{}
		}
	}
}

var sigNames = map[linux.Signal]string{
	linux.SIGHUP: "SIGHUP", linux.SIGINT: "SIGINT", linux.SIGQUIT: "SIGQUIT", linux.SIGILL: "SIGILL",
	linux.SIGTRAP: "SIGTRAP", linux.SIGABRT: "SIGABRT", linux.SIGBUS: "SIGBUS", linux.SIGFPE: "SIGFPE",
	linux.SIGKILL: "SIGKILL", linux.SIGUSR1: "SIGUSR1", linux.SIGSEGV: "SIGSEGV", linux.SIGUSR2: "SIGUSR2",
	linux.SIGPIPE: "SIGPIPE", linux.SIGALRM: "SIGALRM", linux.SIGTERM: "SIGTERM", linux.SIGCHLD: "SIGCHLD",
	linux.SIGCONT: "SIGCONT", linux.SIGSTOP: "SIGSTOP", linux.SIGTSTP: "SIGTSTP", linux.SIGTTIN: "SIGTTIN",
	linux.SIGTTOU: "SIGTTOU", linux.SIGURG: "SIGURG", linux.SIGWINCH: "SIGWINCH",
}

func sigName(sig linux.Signal) string {
	if s, ok := sigNames[sig]; ok {
		return s
	}
	return "signal " + string(rune('0'+sig/10)) + string(rune('0'+sig%10))
}
