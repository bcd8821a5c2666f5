package proc

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/core"
	"github.com/burrow-os/burrow/kernel/mm"
	"github.com/burrow-os/burrow/kernel/vfs"
)

// Process is a thread group: one address space, file table, signal
// handlers, and the threads that run in them.
//
// Lock order: Kernel.mu, then Process.mu.
type Process struct {
	k   *Kernel
	PID int

	mu        sync.Mutex // guards everything below
	parent    *Process
	children  []*Process
	threads   map[int]*Thread
	pgid      int
	sid       int
	mem       *mm.UserSpace
	memShared bool      // mem belongs to the vfork parent too: exec and exit leave it alone
	regions   regionMap // the user address map, PROT_NONE reservations included
	brkBase   uint64
	brk       uint64
	fds       *fdTable
	cwd       *vfs.Inode
	umask     uint32
	sig       *sigHandlers
	pending   uint64 // process-directed signals, bit n-1 for signal n
	info      [65]linux.Siginfo
	args      []string
	exe       string
	exiting   bool // exit_group or a fatal signal: every thread leaves
	job       jobState
	zombie    bool
	reaped    bool
	status    int // wait status once a zombie
	childCh   chan struct{}
	done      chan struct{} // closed when the process is a zombie
	vforkCh   chan struct{} // closed at exec or exit of a vfork child
	startNs   int64
}

// Thread is one user thread and its saved registers.
type Thread struct {
	TID  int
	p    *Process
	regs core.UserRegs

	mu        sync.Mutex // guards mask, pending, altstack, exiting
	mask      uint64     // blocked signals
	savedMask uint64     // the mask to restore after a handler run from rt_sigsuspend
	hasSaved  bool
	pending   uint64 // thread-directed signals
	info      [65]linux.Siginfo
	altstack  linux.Stack
	clearTID  uint64 // CLONE_CHILD_CLEARTID / set_tid_address
	exiting   bool
	wake      chan struct{} // a signal arrived or the thread must exit: stop blocking

	// attention is set whenever something may need the task loop's slow
	// path before the thread returns to EL0: a signal was posted, the mask
	// changed, the thread or process must exit or stop, a call must be
	// restarted. Clear, the loop goes straight back to the program.
	attention atomic.Bool

	// Touched only by the thread's own task goroutine:
	restart       restartPoint  // a system call to issue again if no handler runs
	sleepDeadline time.Duration // the deadline of an interrupted sleep
	resumeSleep   bool          // the restarted sleep keeps sleepDeadline
}

// process returns the thread's process (which execve keeps).
func (t *Thread) process() *Process { return t.p }

// memory returns the process's address space.
func (p *Process) memory() *mm.UserSpace {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mem
}

func (p *Process) comm() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.args) > 0 {
		return p.args[0]
	}
	return p.exe
}

// notice makes the task loop look at signals, stops and exits before the
// thread next returns to EL0.
func (t *Thread) notice() { t.attention.Store(true) }

// kick wakes the thread from whatever it blocks in, and makes it notice.
func (t *Thread) kick() {
	t.notice()
	select {
	case t.wake <- struct{}{}:
	default:
	}
}

// sigHandlers is the signal disposition table, shared by CLONE_SIGHAND.
type sigHandlers struct {
	mu  sync.Mutex
	act [65]linux.Sigaction
}

// fdTable is a file descriptor table, shared by CLONE_FILES.
type fdTable struct {
	mu      sync.Mutex
	files   []*vfs.File
	cloexec []bool
}

const maxFDs = 1024

func newFDTable() *fdTable { return &fdTable{} }

func (t *fdTable) get(fd uint64) (*vfs.File, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if fd >= uint64(len(t.files)) || t.files[fd] == nil {
		return nil, linux.EBADF
	}
	return t.files[fd], nil
}

// install puts f at fd, closing what was there.
func (t *fdTable) install(fd int, f *vfs.File) {
	t.mu.Lock()
	for len(t.files) <= fd {
		t.files = append(t.files, nil)
		t.cloexec = append(t.cloexec, false)
	}
	old := t.files[fd]
	t.files[fd], t.cloexec[fd] = f, false
	t.mu.Unlock()
	if old != nil {
		old.Release()
	}
}

// add puts f at the lowest free descriptor at or above min.
func (t *fdTable) add(f *vfs.File, min int, cloexec bool) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for fd := min; fd < maxFDs; fd++ {
		for len(t.files) <= fd {
			t.files = append(t.files, nil)
			t.cloexec = append(t.cloexec, false)
		}
		if t.files[fd] == nil {
			t.files[fd], t.cloexec[fd] = f, cloexec
			return fd, nil
		}
	}
	return 0, linux.EMFILE
}

func (t *fdTable) close(fd uint64) error {
	t.mu.Lock()
	if fd >= uint64(len(t.files)) || t.files[fd] == nil {
		t.mu.Unlock()
		return linux.EBADF
	}
	f := t.files[fd]
	t.files[fd] = nil
	t.mu.Unlock()
	f.Release()
	return nil
}

// clone returns a copy sharing the open files (fork).
func (t *fdTable) clone() *fdTable {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := &fdTable{files: make([]*vfs.File, len(t.files)), cloexec: append([]bool(nil), t.cloexec...)}
	for i, f := range t.files {
		if f != nil {
			c.files[i] = f.Ref()
		}
	}
	return c
}

// closeExec closes the close-on-exec descriptors (execve).
func (t *fdTable) closeExec() {
	t.mu.Lock()
	var drop []*vfs.File
	for i, f := range t.files {
		if f != nil && t.cloexec[i] {
			drop = append(drop, f)
			t.files[i] = nil
		}
	}
	t.mu.Unlock()
	for _, f := range drop {
		f.Release()
	}
}

// closeAll releases every descriptor (exit).
func (t *fdTable) closeAll() {
	t.mu.Lock()
	files := t.files
	t.files, t.cloexec = nil, nil
	t.mu.Unlock()
	for _, f := range files {
		if f != nil {
			f.Release()
		}
	}
}

func (t *fdTable) cloexecOf(fd int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return fd < len(t.cloexec) && t.cloexec[fd]
}

func (t *fdTable) setCloexec(fd int, on bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if fd < len(t.cloexec) && t.files[fd] != nil {
		t.cloexec[fd] = on
	}
}

func (p *Process) exePath() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.exe
}
