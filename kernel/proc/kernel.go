package proc

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/core"
	"github.com/burrow-os/burrow/kernel/mm"
	"github.com/burrow-os/burrow/kernel/vfs"
)

// Config is what the kernel gives the process layer.
type Config struct {
	VM *mm.VM
	// Phys writes physical memory (the direct map at EL1): the loader fills
	// code pages through it, since they are not writable at EL0.
	Phys io.WriterAt
	// SyncICache makes written code visible to instruction fetch.
	SyncICache func()
	// Switch runs a thread at EL0 until it traps (core.SwitchToUser).
	Switch func(regs *core.UserRegs, ttbr0 uint64) (core.UserTrap, error)
	FS     *vfs.FS
	TTY    *vfs.TTY
	// Clock is the monotonic time since boot.
	Clock func() time.Duration
	// Log reports kernel-side events (unknown syscalls, fatal signals).
	Log func(format string, args ...any)
	// Random fills b with random bytes (AT_RANDOM, getrandom).
	Random func(b []byte)
	// Hostname is what uname reports.
	Hostname string
	// Memory is the RAM total and free, for sysinfo and /proc/meminfo.
	Memory func() (total, free uint64)
	// CPUs is how many CPUs are online (numbered from 0), for
	// sched_getaffinity, /proc/cpuinfo and sysconf; nil means one.
	CPUs func() int
}

// Kernel is the process layer: the process table and what every process
// shares.
type Kernel struct {
	cfg   Config
	boot  time.Time // wall time at boot: Clock() after it is now
	vdso  []byte    // the vDSO image mapped into every process
	futex futexTable
	cache pageCache // executables' pages, shared by every process running them

	mu      sync.Mutex // guards procs, threads, nextID
	procs   map[int]*Process
	threads map[int]*Thread
	nextID  int
	unknown map[uint64]bool // syscalls logged once

	Syscalls    atomic.Uint64 // system calls answered
	Faults      atomic.Uint64 // page faults resolved
	Signals     atomic.Uint64 // signals delivered to handlers
	Preemptions atomic.Uint64 // interrupts that stopped a user thread
}

// New returns the process layer.
func New(cfg Config) *Kernel {
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	if cfg.Hostname == "" {
		cfg.Hostname = "burrow"
	}
	if cfg.CPUs == nil {
		cfg.CPUs = func() int { return 1 }
	}
	if cfg.Memory == nil {
		cfg.Memory = func() (uint64, uint64) { return 1 << 30, 1 << 29 }
	}
	k := &Kernel{cfg: cfg, procs: map[int]*Process{}, threads: map[int]*Thread{}, nextID: 1,
		unknown: map[uint64]bool{}, boot: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	k.vdso = buildVDSO()
	k.cache = pageCache{vm: cfg.VM, files: map[*vfs.Inode]*cachedFile{}, fill: func(pa uint64, b []byte) error {
		_, err := cfg.Phys.WriteAt(b, int64(pa))
		return err
	}}
	k.futex.init()
	if cfg.TTY != nil {
		cfg.TTY.Signal = func(pgrp int, sig linux.Signal) { k.signalGroup(pgrp, sig) }
	}
	return k
}

func (k *Kernel) newID() int {
	id := k.nextID
	k.nextID++
	return id
}

// now returns the wall-clock time.
func (k *Kernel) now() time.Time { return k.boot.Add(k.cfg.Clock()) }

// logUnknown logs an unknown system call once per number.
func (k *Kernel) logUnknown(nr uint64, p *Process) {
	k.mu.Lock()
	seen := k.unknown[nr]
	k.unknown[nr] = true
	k.mu.Unlock()
	if !seen {
		name := linux.SyscallNames[nr]
		if name == "" {
			name = "?"
		}
		k.cfg.Log("proc: unknown syscall %d (%s) from pid %d (%s): ENOSYS", nr, name, p.PID, p.comm())
	}
}

// Lookup returns a live or zombie process.
func (k *Kernel) Lookup(pid int) *Process {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.procs[pid]
}

// Processes returns the process IDs in use.
func (k *Kernel) Processes() []*Process {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]*Process, 0, len(k.procs))
	for _, p := range k.procs {
		out = append(out, p)
	}
	return out
}

// Spawn starts a new process running path with argv and envp, as the
// kernel starts init. Its standard input, output and error are the
// console. It returns when the program is running.
func (k *Kernel) Spawn(path string, argv, envp []string) (*Process, error) {
	var stdio [3]*vfs.File
	if k.cfg.TTY != nil {
		con, err := k.cfg.FS.Lookup(nil, "/dev/console", true)
		if err != nil {
			return nil, fmt.Errorf("proc: no console: %w", err)
		}
		f := vfs.NewFile(con, linux.O_RDWR, "/dev/console")
		stdio = [3]*vfs.File{f, f.Ref(), f.Ref()}
	}
	return k.SpawnWith(path, argv, envp, stdio)
}

// SpawnWith is Spawn with the given standard input, output and error (nil
// leaves a descriptor closed). The new process is its own group, the
// terminal's foreground one.
func (k *Kernel) SpawnWith(path string, argv, envp []string, stdio [3]*vfs.File) (*Process, error) {
	k.mu.Lock()
	pid := k.newID()
	k.mu.Unlock()
	p := &Process{k: k, PID: pid, pgid: pid, sid: pid, startNs: int64(k.cfg.Clock()), fds: newFDTable(), sig: &sigHandlers{},
		cwd: k.cfg.FS.Root, umask: 0o022, childCh: make(chan struct{}, 1), done: make(chan struct{})}
	for i, f := range stdio {
		if f != nil {
			p.fds.install(i, f)
		}
	}
	if k.cfg.TTY != nil {
		k.cfg.TTY.SetForeground(pid)
	}
	t := &Thread{TID: pid, p: p, wake: make(chan struct{}, 1)}
	if err := p.exec(t, path, argv, envp); err != nil {
		p.fds.closeAll()
		return nil, err
	}
	k.mu.Lock()
	k.procs[pid] = p
	k.threads[pid] = t
	p.threads = map[int]*Thread{pid: t}
	k.mu.Unlock()
	go t.run()
	return p, nil
}

// Wait blocks until process p has exited and returns its wait status.
func (p *Process) Wait() int {
	<-p.done
	return p.status
}

// ExitCode decodes a wait status as a shell would: the exit code, or 128
// plus the signal number.
func ExitCode(status int) int {
	if status&0x7f != 0 {
		return 128 + status&0x7f
	}
	return status >> 8 & 0xff
}
