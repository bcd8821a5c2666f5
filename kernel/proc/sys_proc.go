package proc

import (
	"encoding/binary"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

func sysGetpid(t *Thread, a args) (uint64, error) { return uint64(t.p.PID), nil }
func sysGettid(t *Thread, a args) (uint64, error) { return uint64(t.TID), nil }

func sysGetppid(t *Thread, a args) (uint64, error) {
	t.p.mu.Lock()
	defer t.p.mu.Unlock()
	if t.p.parent == nil {
		return 0, nil
	}
	return uint64(t.p.parent.PID), nil
}

func sysSetTidAddress(t *Thread, a args) (uint64, error) {
	t.mu.Lock()
	t.clearTID = a[0]
	t.mu.Unlock()
	return uint64(t.TID), nil
}

func (t *Thread) putU32(addr uint64, v uint32) error {
	return t.p.memory().CopyOut(addr, binary.LittleEndian.AppendUint32(nil, v))
}

// sysClone creates a thread (CLONE_THREAD) or a process (fork; with
// CLONE_VM|CLONE_VFORK, a vfork child that borrows the parent's memory
// until it execs or exits, as Go's os/exec and posix_spawn use it).
func sysClone(t *Thread, a args) (uint64, error) {
	flags, stack, ptid, tls, ctid := a[0], a[1], a[2], a[3], a[4]
	p, k := t.p, t.p.k
	if flags&linux.CLONE_THREAD != 0 && flags&(linux.CLONE_VM|linux.CLONE_SIGHAND) != linux.CLONE_VM|linux.CLONE_SIGHAND {
		return 0, linux.EINVAL
	}
	if flags&linux.CLONE_SIGHAND != 0 && flags&linux.CLONE_VM == 0 {
		return 0, linux.EINVAL
	}
	k.mu.Lock()
	id := k.newID()
	k.mu.Unlock()
	nt := &Thread{TID: id, regs: t.regs, wake: make(chan struct{}, 1)}
	nt.regs.X[0] = 0
	if stack != 0 {
		nt.regs.SP = stack
	}
	if flags&linux.CLONE_SETTLS != 0 {
		nt.regs.TPIDR = tls
	}
	t.mu.Lock()
	nt.mask = t.mask
	nt.altstack = t.altstack
	t.mu.Unlock()
	if flags&linux.CLONE_CHILD_CLEARTID != 0 {
		nt.clearTID = ctid
	}

	if flags&linux.CLONE_THREAD != 0 {
		nt.p = p
		p.mu.Lock()
		if p.exiting {
			p.mu.Unlock()
			return 0, linux.EAGAIN
		}
		p.threads[id] = nt
		p.mu.Unlock()
		k.mu.Lock()
		k.threads[id] = nt
		k.mu.Unlock()
		if flags&linux.CLONE_PARENT_SETTID != 0 {
			t.putU32(ptid, uint32(id))
		}
		if flags&linux.CLONE_CHILD_SETTID != 0 {
			t.putU32(ctid, uint32(id))
		}
		go nt.run()
		return uint64(id), nil
	}

	c := &Process{k: k, PID: id, startNs: int64(k.cfg.Clock()), childCh: make(chan struct{}, 1), done: make(chan struct{})}
	nt.p = c
	p.mu.Lock()
	c.parent = p
	c.pgid, c.sid, c.cwd, c.umask = p.pgid, p.sid, p.cwd, p.umask
	c.args, c.exe = append([]string(nil), p.args...), p.exe
	c.brkBase, c.brk = p.brkBase, p.brk
	c.regions = p.regions.clone()
	if flags&linux.CLONE_VM != 0 {
		c.mem, c.memShared = p.mem, true
	} else {
		m, err := p.mem.Fork()
		if err != nil {
			p.mu.Unlock()
			return 0, linux.ENOMEM
		}
		c.mem = m
	}
	p.mu.Unlock()
	if flags&linux.CLONE_FILES != 0 {
		c.fds = p.fds
	} else {
		c.fds = p.fds.clone()
	}
	if flags&linux.CLONE_SIGHAND != 0 {
		c.sig = p.sig
	} else {
		p.sig.mu.Lock()
		c.sig = &sigHandlers{act: p.sig.act}
		p.sig.mu.Unlock()
	}
	var vfork chan struct{}
	if flags&linux.CLONE_VFORK != 0 {
		vfork = make(chan struct{})
		c.vforkCh = vfork
	}
	c.threads = map[int]*Thread{id: nt}
	if flags&linux.CLONE_PARENT_SETTID != 0 {
		t.putU32(ptid, uint32(id))
	}
	if flags&linux.CLONE_CHILD_SETTID != 0 {
		c.mem.CopyOut(ctid, binary.LittleEndian.AppendUint32(nil, uint32(id)))
	}
	k.mu.Lock()
	k.procs[id] = c
	k.threads[id] = nt
	k.mu.Unlock()
	p.mu.Lock()
	p.children = append(p.children, c)
	p.mu.Unlock()
	go nt.run()
	if vfork != nil {
		<-vfork // the child execs or exits
	}
	return uint64(id), nil
}

// strings reads a NULL-terminated array of string pointers (argv, envp).
func (t *Thread) strings(addr uint64, budget *int) ([]string, error) {
	var out []string
	if addr == 0 {
		return nil, nil
	}
	mem := t.p.memory()
	b := make([]byte, 8)
	for i := uint64(0); ; i++ {
		if i >= 1<<14 {
			return nil, linux.E2BIG
		}
		if err := mem.CopyIn(b, addr+8*i); err != nil {
			return nil, linux.EFAULT
		}
		ptr := binary.LittleEndian.Uint64(b)
		if ptr == 0 {
			return out, nil
		}
		s, err := mem.CopyInString(ptr, *budget)
		if err != nil {
			return nil, linux.EFAULT
		}
		if *budget -= len(s) + 1; *budget < 0 {
			return nil, linux.E2BIG
		}
		out = append(out, s)
	}
}

func sysExecve(t *Thread, a args) (uint64, error) {
	path, err := t.path(a[0])
	if err != nil {
		return 0, err
	}
	budget := maxArgBytes
	argv, err := t.strings(a[1], &budget)
	if err != nil {
		return 0, err
	}
	envp, err := t.strings(a[2], &budget)
	if err != nil {
		return 0, err
	}
	return 0, t.p.exec(t, path, argv, envp)
}

func sysExit(t *Thread, a args) (uint64, error) {
	p := t.p
	p.mu.Lock()
	if len(p.threads) == 1 && !p.exiting {
		p.status = int(a[0]&0xff) << 8
	}
	p.mu.Unlock()
	t.mu.Lock()
	t.exiting = true
	t.mu.Unlock()
	t.notice()
	return 0, nil
}

func sysExitGroup(t *Thread, a args) (uint64, error) {
	t.p.exitGroup(int(a[0]&0xff) << 8)
	return 0, nil
}

// waitOptions says which state changes a wait accepts.
type waitOptions struct {
	exited, stopped, continued bool
	nohang                     bool
	keep                       bool // WNOWAIT: leave the child waitable
}

// waitFor waits for a child that match accepts to exit (reaping it unless
// keep is set), stop or continue, as opts allows. It returns the child and
// its wait status, or nil with WNOHANG and nothing ready.
func (t *Thread) waitFor(match func(c *Process, mypgid int) bool, opts waitOptions) (*Process, int, error) {
	p, k := t.p, t.p.k
	for {
		p.mu.Lock()
		found := false
		for i, c := range p.children {
			c.mu.Lock()
			if !match(c, p.pgid) {
				c.mu.Unlock()
				continue
			}
			found = true
			if !c.zombie || !opts.exited {
				status, ok := takeReport(c, opts.stopped, opts.continued, opts.keep)
				c.mu.Unlock()
				if ok {
					p.mu.Unlock()
					return c, status, nil
				}
				continue
			}
			status := c.status
			c.mu.Unlock()
			if !opts.keep {
				p.children = append(p.children[:i:i], p.children[i+1:]...)
			}
			p.mu.Unlock()
			if !opts.keep {
				k.mu.Lock()
				delete(k.procs, c.PID)
				k.mu.Unlock()
			}
			return c, status, nil
		}
		p.mu.Unlock()
		if !found {
			return nil, 0, linux.ECHILD
		}
		if opts.nohang {
			return nil, 0, nil
		}
		if t.interrupted() {
			return nil, 0, linux.EINTR
		}
		select {
		case <-p.childCh:
		case <-t.wake:
		}
	}
}

// sysWait4 waits for a child: pid > 0 that child, -1 any, 0 the caller's
// group, < -1 group -pid. It reaps exited children, and reports stopped
// ones with WUNTRACED and continued ones with WCONTINUED.
func sysWait4(t *Thread, a args) (uint64, error) {
	pid, options := int32(a[0]), a[2]
	if options&^(linux.WNOHANG|linux.WUNTRACED|linux.WCONTINUED|linux.WALL) != 0 {
		return 0, linux.EINVAL
	}
	c, status, err := t.waitFor(func(c *Process, mypgid int) bool {
		return pid == -1 || int32(c.PID) == pid || (pid == 0 && c.pgid == mypgid) || (pid < -1 && int32(c.pgid) == -pid)
	}, waitOptions{
		exited:    true,
		stopped:   options&linux.WUNTRACED != 0,
		continued: options&linux.WCONTINUED != 0,
		nohang:    options&linux.WNOHANG != 0,
	})
	if c == nil {
		return 0, err
	}
	if a[1] != 0 {
		if err := t.putU32(a[1], uint32(status)); err != nil {
			return 0, linux.EFAULT
		}
	}
	if a[3] != 0 { // struct rusage: Burrow keeps no usage figures yet
		if err := t.p.memory().CopyOut(a[3], make([]byte, 144)); err != nil {
			return 0, linux.EFAULT
		}
	}
	return uint64(c.PID), nil
}

// sysWaitid is waitid(idtype, id, infop, options): WEXITED, WSTOPPED and
// WCONTINUED, with WNOHANG and WNOWAIT.
func sysWaitid(t *Thread, a args) (uint64, error) {
	const pAll, pPID, pPGID = 0, 1, 2
	idtype, id, options := a[0], int(int32(a[1])), a[3]
	kinds := uint64(linux.WEXITED | linux.WUNTRACED | linux.WCONTINUED)
	if options&kinds == 0 || options&^(kinds|linux.WNOHANG|linux.WNOWAIT|linux.WALL) != 0 || idtype > pPGID {
		return 0, linux.EINVAL
	}
	c, status, err := t.waitFor(func(c *Process, _ int) bool {
		return idtype == pAll || (idtype == pPID && c.PID == id) || (idtype == pPGID && c.pgid == id)
	}, waitOptions{
		exited:    options&linux.WEXITED != 0,
		stopped:   options&linux.WUNTRACED != 0,
		continued: options&linux.WCONTINUED != 0,
		nohang:    options&linux.WNOHANG != 0,
		keep:      options&linux.WNOWAIT != 0,
	})
	if err != nil {
		return 0, err
	}
	if a[2] == 0 {
		return 0, nil
	}
	info := make([]byte, linux.SizeofSiginfo)
	if c != nil {
		code, val := childCode(status)
		le := binary.LittleEndian
		le.PutUint32(info[0:], uint32(linux.SIGCHLD))
		le.PutUint32(info[8:], uint32(code))
		le.PutUint32(info[16:], uint32(c.PID))
		le.PutUint32(info[24:], uint32(val))
	}
	return 0, t.p.memory().CopyOut(a[2], info)
}

// childCode turns a wait status into siginfo's si_code and si_status.
func childCode(status int) (code, val int) {
	switch {
	case status == 0xffff:
		return linux.CLD_CONTINUED, int(linux.SIGCONT)
	case status&0xff == 0x7f:
		return linux.CLD_STOPPED, status >> 8 & 0xff
	case status&0x7f != 0:
		return linux.CLD_KILLED, status & 0x7f
	}
	return linux.CLD_EXITED, status >> 8 & 0xff
}

func (k *Kernel) pidArg(t *Thread, pid uint64) (*Process, error) {
	if pid == 0 {
		return t.p, nil
	}
	c := k.Lookup(int(int32(pid)))
	if c == nil {
		return nil, linux.ESRCH
	}
	return c, nil
}

func sysSetpgid(t *Thread, a args) (uint64, error) {
	c, err := t.p.k.pidArg(t, a[0])
	if err != nil {
		return 0, err
	}
	if c != t.p {
		c.mu.Lock()
		mine := c.parent == t.p
		c.mu.Unlock()
		if !mine {
			return 0, linux.ESRCH
		}
	}
	pgid := int(int32(a[1]))
	if pgid < 0 {
		return 0, linux.EINVAL
	}
	if pgid == 0 {
		pgid = c.PID
	}
	c.mu.Lock()
	c.pgid = pgid
	c.mu.Unlock()
	return 0, nil
}

func sysGetpgid(t *Thread, a args) (uint64, error) {
	c, err := t.p.k.pidArg(t, a[0])
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return uint64(c.pgid), nil
}

func sysGetsid(t *Thread, a args) (uint64, error) {
	c, err := t.p.k.pidArg(t, a[0])
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return uint64(c.sid), nil
}

func sysSetsid(t *Thread, a args) (uint64, error) {
	p := t.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pgid == p.PID {
		return 0, linux.EPERM
	}
	p.pgid, p.sid = p.PID, p.PID
	return uint64(p.PID), nil
}

func sysKill(t *Thread, a args) (uint64, error) {
	pid, sig := int(int32(a[0])), linux.Signal(a[1])
	if sig < 0 || sig > 64 {
		return 0, linux.EINVAL
	}
	k := t.p.k
	info := linux.Siginfo{Signo: int32(sig), Code: linux.SI_USER, Addr: uint64(t.p.PID)}
	var targets []*Process
	switch {
	case pid > 0:
		if c := k.Lookup(pid); c != nil {
			targets = append(targets, c)
		}
	case pid == -1:
		for _, c := range k.Processes() {
			if c.PID != 1 && c != t.p {
				targets = append(targets, c)
			}
		}
	default:
		pg := -pid
		if pid == 0 {
			t.p.mu.Lock()
			pg = t.p.pgid
			t.p.mu.Unlock()
		}
		for _, c := range k.Processes() {
			c.mu.Lock()
			in := c.pgid == pg
			c.mu.Unlock()
			if in {
				targets = append(targets, c)
			}
		}
	}
	sent := 0
	for _, c := range targets {
		c.mu.Lock()
		zombie := c.zombie
		c.mu.Unlock()
		if zombie && pid > 0 {
			sent++ // a zombie exists but takes no signals
			continue
		}
		if !zombie {
			if sig != 0 {
				c.post(sig, info)
			}
			sent++
		}
	}
	if sent == 0 {
		return 0, linux.ESRCH
	}
	return 0, nil
}

func (k *Kernel) thread(tid int) *Thread {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.threads[tid]
}

func sysTgkill(t *Thread, a args) (uint64, error) {
	tgid, tid, sig := int(int32(a[0])), int(int32(a[1])), linux.Signal(a[2])
	if sig < 0 || sig > 64 || tid <= 0 {
		return 0, linux.EINVAL
	}
	target := t.p.k.thread(tid)
	if target == nil || (tgid > 0 && target.p.PID != tgid) {
		return 0, linux.ESRCH
	}
	if sig != 0 {
		target.postThread(sig, linux.Siginfo{Signo: int32(sig), Code: linux.SI_TKILL, Addr: uint64(t.p.PID)})
	}
	return 0, nil
}

func sysTkill(t *Thread, a args) (uint64, error) {
	return sysTgkill(t, args{0, a[0], a[1]})
}
