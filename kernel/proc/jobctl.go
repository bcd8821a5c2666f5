package proc

import (
	"github.com/burrow-os/burrow/kernel/abi/linux"
)

// Job control: stopping and continuing processes, as a shell's ^Z, fg and
// bg need it.
//
// A stop signal (SIGSTOP, or SIGTSTP/SIGTTIN/SIGTTOU at their default
// action) stops the whole process: every thread waits in
// waitWhileStopped, on its way back to EL0, until SIGCONT or SIGKILL.
// SIGCONT continues the process the moment it is sent, whatever its
// disposition, and throws away pending stop signals; a stop signal throws
// away a pending SIGCONT. The parent hears of both through SIGCHLD
// (unless it asked for SA_NOCLDSTOP) and through wait4's WUNTRACED and
// WCONTINUED.
//
// A system call that a signal interrupted is restarted when no handler
// runs for that signal (it stopped the process, or was ignored), as
// Linux's ERESTARTSYS does, so a stopped and continued `sleep 5` still
// sleeps until its original deadline instead of failing with EINTR.

// Pending state changes the parent has not collected with wait4 yet.
const (
	reportNone = iota
	reportStopped
	reportContinued
)

const stopSignals = 1<<(linux.SIGSTOP-1) | 1<<(linux.SIGTSTP-1) | 1<<(linux.SIGTTIN-1) | 1<<(linux.SIGTTOU-1)

func isStopSignal(sig linux.Signal) bool { return sigbit(sig)&stopSignals != 0 }

// jobState is a process's part in job control (guarded by Process.mu).
type jobState struct {
	stopped bool
	stopSig linux.Signal
	report  int           // reportStopped or reportContinued, until wait4 takes it
	contCh  chan struct{} // closed when the process continues
}

// restartPoint remembers a system call that returned EINTR, so it can be
// issued again if no handler runs.
type restartPoint struct {
	pending bool
	x0      uint64 // x0 as the program passed it (the result overwrote it)
}

// stop stops p for sig and tells its parent.
func (p *Process) stop(sig linux.Signal) {
	p.mu.Lock()
	if p.job.stopped || p.exiting {
		p.mu.Unlock()
		return
	}
	p.job = jobState{stopped: true, stopSig: sig, report: reportStopped, contCh: make(chan struct{})}
	threads := p.threadList()
	parent := p.parent
	p.mu.Unlock()
	for _, t := range threads {
		t.kick() // threads blocked in system calls come back and stop too
	}
	p.k.cfg.Log("proc: pid %d (%s) stopped by %s", p.PID, p.comm(), sigName(sig))
	p.tellParent(parent, linux.CLD_STOPPED, sig)
}

// continueJob is SIGCONT's immediate effect: pending stops are dropped and
// a stopped process runs again.
func (p *Process) continueJob() {
	p.mu.Lock()
	p.pending &^= stopSignals
	for _, t := range p.threads {
		t.mu.Lock()
		t.pending &^= stopSignals
		t.mu.Unlock()
	}
	was := p.job.stopped
	if was {
		close(p.job.contCh)
		p.job = jobState{report: reportContinued}
	}
	parent := p.parent
	p.mu.Unlock()
	if was {
		p.tellParent(parent, linux.CLD_CONTINUED, linux.SIGCONT)
	}
}

// tellParent wakes the parent's wait4 and posts it SIGCHLD, unless its
// handler was installed with SA_NOCLDSTOP.
func (p *Process) tellParent(parent *Process, code int32, sig linux.Signal) {
	if parent == nil {
		return
	}
	parent.notifyChild()
	parent.sig.mu.Lock()
	quiet := parent.sig.act[linux.SIGCHLD].Flags&linux.SA_NOCLDSTOP != 0
	parent.sig.mu.Unlock()
	if !quiet {
		parent.post(linux.SIGCHLD, linux.Siginfo{Signo: int32(linux.SIGCHLD), Code: code, Addr: uint64(p.PID)})
	}
}

// waitWhileStopped blocks the thread while its process is stopped, until
// it continues, or SIGKILL or an exit makes it leave.
func (t *Thread) waitWhileStopped() {
	p := t.p
	for {
		p.mu.Lock()
		stopped, ch := p.job.stopped, p.job.contCh
		leave := p.exiting || p.pending&sigbit(linux.SIGKILL) != 0
		p.mu.Unlock()
		t.mu.Lock()
		leave = leave || t.exiting || t.pending&sigbit(linux.SIGKILL) != 0
		t.mu.Unlock()
		if !stopped || leave {
			return
		}
		select {
		case <-ch:
		case <-t.wake:
		}
	}
}

// takeReport returns the wait status of c's pending stop or continue, if
// the caller asked for that kind, and consumes it unless keep is set.
func takeReport(c *Process, stopped, continued, keep bool) (int, bool) {
	var status int
	switch {
	case c.job.report == reportStopped && stopped:
		status = 0x7f | int(c.job.stopSig)<<8 // WIFSTOPPED
	case c.job.report == reportContinued && continued:
		status = 0xffff // WIFCONTINUED
	default:
		return 0, false
	}
	if !keep {
		c.job.report = reportNone
	}
	return status, true
}

// restartIfNoHandler issues the interrupted system call again: the PC goes
// back to the SVC and x0 gets its argument back. The saved signal mask of
// rt_sigsuspend is restored first, as the call will set it again.
func (t *Thread) restartIfNoHandler() {
	if !t.restart.pending {
		return
	}
	t.restart.pending = false
	t.regs.PC -= 4
	t.regs.X[0] = t.restart.x0
	t.resumeSleep = true
	t.mu.Lock()
	if t.hasSaved {
		t.mask, t.hasSaved = t.savedMask, false
	}
	t.mu.Unlock()
}

// threadList returns p's threads; p.mu must be held.
func (p *Process) threadList() []*Thread {
	threads := make([]*Thread, 0, len(p.threads))
	for _, t := range p.threads {
		threads = append(threads, t)
	}
	return threads
}
