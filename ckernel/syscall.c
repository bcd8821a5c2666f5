// syscall.c: the Linux arm64 system calls the Go 1.26 runtime makes, served
// for the Go kernel at EL1, and the dispatch of Burrow's kernel services.
// Numbers are from include/uapi/asm-generic/unistd.h, which arm64 uses.
#include "syscall.h"
#include "sysnames.h"
#include "cpu.h"
#include "errno.h"
#include "fd.h"
#include "futex.h"
#include "lib.h"
#include "palloc.h"
#include "panic.h"
#include "random.h"
#include "services.h"
#include "signal.h"
#include "thread.h"
#include "timer.h"
#include "trace.h"
#include "vm.h"
#include "vma.h"

enum {
	SYS_getcwd = 17, SYS_eventfd2 = 19, SYS_epoll_create1 = 20, SYS_epoll_ctl = 21,
	SYS_epoll_pwait = 22, SYS_fcntl = 25, SYS_pipe2 = 59, SYS_ioctl = 29, SYS_openat = 56, SYS_close = 57,
	SYS_read = 63, SYS_write = 64, SYS_readlinkat = 78, SYS_exit = 93, SYS_exit_group = 94,
	SYS_set_tid_address = 96, SYS_futex = 98, SYS_set_robust_list = 99, SYS_nanosleep = 101,
	SYS_clock_gettime = 113, SYS_clock_getres = 114, SYS_clock_nanosleep = 115,
	SYS_sched_getaffinity = 123, SYS_sched_yield = 124, SYS_kill = 129, SYS_tkill = 130,
	SYS_tgkill = 131, SYS_sigaltstack = 132, SYS_rt_sigaction = 134, SYS_rt_sigprocmask = 135,
	SYS_rt_sigreturn = 139, SYS_uname = 160, SYS_getrlimit = 163, SYS_prctl = 167,
	SYS_getpid = 172, SYS_getppid = 173, SYS_getuid = 174, SYS_geteuid = 175, SYS_getgid = 176,
	SYS_getegid = 177, SYS_gettid = 178, SYS_brk = 214, SYS_munmap = 215, SYS_clone = 220,
	SYS_mmap = 222, SYS_mprotect = 226, SYS_madvise = 233, SYS_prlimit64 = 261,
	SYS_getrandom = 278,
};

#define PID 1 // the Go kernel is process 1 to itself

int syscall_unimplemented_count;

// ----- memory -----

enum { PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4 };
enum { MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_FIXED_NOREPLACE = 0x100000 };
enum { MADV_DONTNEED = 4, MADV_FREE = 8, MADV_REMOVE = 9 };

static long sys_mmap(u64 addr, u64 len, int prot, int flags, int fd, u64 off) {
	(void)off;
	if (!(flags & MAP_ANONYMOUS) || fd != -1)
		return -ENODEV; // no files to map
	if (len == 0 || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	u64 at = addr;
	long r = -ENOMEM;
	spin_lock(&vm_lock); // finding the range and mapping it are one step
	if (!(flags & MAP_FIXED))
		at = vma_find_free(addr, len);
	if (at)
		r = vma_map(at, len, prot);
	spin_unlock(&vm_lock);
	return r < 0 ? r : (long)at;
}

static long sys_munmap(u64 addr, u64 len) {
	if ((addr & (PAGE_SIZE - 1)) || len == 0)
		return -EINVAL;
	spin_lock(&vm_lock);
	vma_unmap(addr, len);
	spin_unlock(&vm_lock);
	return 0;
}

static long sys_mprotect(u64 addr, u64 len, int prot) {
	spin_lock(&vm_lock);
	long r = vma_protect(addr, len, prot);
	spin_unlock(&vm_lock);
	return r;
}

static long sys_madvise(u64 addr, u64 len, int advice) {
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	// Go 1.26 assumes pages it drops read as zero on the next touch, so
	// DONTNEED (and FREE, which Linux may treat alike) really frees them.
	if (advice == MADV_DONTNEED || advice == MADV_FREE || advice == MADV_REMOVE) {
		spin_lock(&vm_lock);
		vma_discard(addr, len);
		spin_unlock(&vm_lock);
	}
	return 0; // other advice (huge pages, ...) is a hint
}

// ----- threads and processes -----

enum { CLONE_VM = 0x100, CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000,
       CLONE_CHILD_CLEARTID = 0x200000, CLONE_CHILD_SETTID = 0x1000000, CLONE_THREAD = 0x10000 };

// clone makes a thread of the Go runtime: the child resumes after the SVC
// with x0 = 0 on the stack the runtime gave it. Arguments (arm64 order):
// flags, stack, parent_tid, tls, child_tid.
static long sys_clone(struct trapframe *tf) {
	u64 flags = tf->x[0], stack = tf->x[1];
	if (!(flags & CLONE_VM) || !(flags & CLONE_THREAD))
		return -EINVAL; // the Go kernel is one process; processes are Go's business
	struct thread *t = thread_create(tf);
	if (!t)
		return -EAGAIN;
	t->tf->x[0] = 0;
	if (stack)
		t->tf->sp = stack;
	t->tpidr = flags & CLONE_SETTLS ? tf->x[3] : current->tpidr;
	t->sigmask = current->sigmask;
	if (flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = tf->x[4];
	if (flags & CLONE_PARENT_SETTID)
		*(u32 *)tf->x[2] = (u32)t->tid;
	if (flags & CLONE_CHILD_SETTID)
		*(u32 *)tf->x[4] = (u32)t->tid;
	int tid = t->tid;
	thread_run(t); // last: another CPU may run it, and even end it, at once
	return tid;
}

static long sys_exit(void) {
	if (current->clear_child_tid) {
		*(u32 *)current->clear_child_tid = 0;
		futex_wake(current->clear_child_tid, 1);
	}
	thread_exit();
}

// ----- time -----

struct timespec {
	i64 sec, nsec;
};

static long sys_clock_gettime(int clock, u64 ts) {
	if (clock < 0 || clock > 11)
		return -EINVAL;
	// Every clock is the generic timer's count since boot: there is no
	// wall clock on the Pi (no RTC), and that is what REALTIME shows too.
	u64 ns = counter_to_ns(counter_now());
	struct timespec *t = (void *)ts;
	t->sec = (i64)(ns / 1000000000UL);
	t->nsec = (i64)(ns % 1000000000UL);
	return 0;
}

static long sys_nanosleep(u64 req) {
	u64 deadline = timeout_deadline(req);
	if (deadline == ~0UL)
		return -EINVAL;
	if (!deadline)
		return -EFAULT;
	long r;
	while ((r = sleep_on(&sys_nanosleep, deadline, NULL)) == 0)
		; // nothing wakes this channel; only the deadline or a signal
	return r == -ETIMEDOUT ? 0 : r;
}

// ----- identity and limits -----

static long sys_uname(u64 buf) {
	static const char fields[6][65] = {"Linux", "burrow", "6.1.0-burrow", "#1 Burrow", "aarch64", ""};
	memcpy((void *)buf, fields, sizeof fields);
	return 0;
}

static long sys_prlimit64(int pid, int resource, u64 newlim, u64 oldlim) {
	(void)pid;
	(void)newlim;
	if (oldlim) {
		u64 *l = (u64 *)oldlim;
		l[0] = l[1] = ~0UL; // RLIM_INFINITY
		if (resource == 3)  // RLIMIT_STACK: the main thread's 8 MiB
			l[0] = 8 * MiB;
	}
	return 0;
}

static long sys_sched_getaffinity(int pid, u64 len, u64 mask) {
	(void)pid;
	if (len < 8)
		return -EINVAL;
	*(u64 *)mask = cpus_online(); // the Go runtime sizes GOMAXPROCS from it
	return 8;
}

// ----- dispatch -----

// name returns a syscall's name for the once-only "unimplemented" log line.
static const char *name(u64 nr) {
	return nr < SYSNAMES_MAX && sysnames[nr] ? sysnames[nr] : "(no such call)";
}

static u64 seen_unknown[8]; // bitmap of unknown numbers below 512 already logged

static long unimplemented(u64 nr) {
	if (nr >= 512 || !(seen_unknown[nr / 64] >> (nr % 64) & 1)) {
		if (nr < 512)
			seen_unknown[nr / 64] |= 1UL << (nr % 64);
		syscall_unimplemented_count++;
		kprintf("burrow: unimplemented syscall %s (%lu) from pc 0x%lx\n", name(nr), nr, current->tf->elr);
	}
	return -ENOSYS;
}

// NOT_FAST is fast_syscall's answer for a call it does not serve: no
// system call returns it (results are addresses below 2^48 or -errno).
#define NOT_FAST (1L << 62)

// fast_syscall serves the calls that take only the locks of what they
// touch, or none: the Go runtime's hot paths (futexes, time, memory,
// threads). It returns NOT_FAST for every other call.
static long fast_syscall(struct trapframe *tf) {
	u64 *a = tf->x;
	switch (a[8]) {
	case SYS_mmap: return sys_mmap(a[0], a[1], (int)a[2], (int)a[3], (int)a[4], a[5]);
	case SYS_munmap: return sys_munmap(a[0], a[1]);
	case SYS_mprotect: return sys_mprotect(a[0], a[1], (int)a[2]);
	case SYS_madvise: return sys_madvise(a[0], a[1], (int)a[2]);
	case SYS_brk: return 0; // no heap break: the runtime falls back to mmap
	case SYS_clone: return sys_clone(tf);
	case SYS_exit: return sys_exit();
	case SYS_exit_group: services_poweroff((int)a[0]); return 0;
	case SYS_set_tid_address: current->clear_child_tid = a[0]; return current->tid;
	case SYS_set_robust_list: return 0;
	case SYS_futex: return sys_futex(a[0], (int)a[1], (u32)a[2], a[3]);
	case SYS_nanosleep: return sys_nanosleep(a[0]);
	case SYS_clock_nanosleep: return a[1] ? -EINVAL : sys_nanosleep(a[2]); // relative only
	case SYS_clock_gettime: return sys_clock_gettime((int)a[0], a[1]);
	case SYS_clock_getres: if (a[1]) { ((struct timespec *)a[1])->sec = 0; ((struct timespec *)a[1])->nsec = 1; } return 0;
	case SYS_sched_getaffinity: return sys_sched_getaffinity((int)a[0], a[1], a[2]);
	case SYS_sched_yield: yield(); return 0;
	case SYS_getpid: return PID;
	case SYS_getppid: return 0;
	case SYS_gettid: return current->tid;
	case SYS_getuid: case SYS_geteuid: case SYS_getgid: case SYS_getegid: return 0;
	case SYS_prctl: return 0;
	case SYS_getrandom: return random_fill(a[0], a[1]);
	default: return NOT_FAST;
	}
}

// bkl_syscall serves the rest, under the big kernel lock: files and
// eventfds (fd.c), signals (signal.c), and the once-only log of unknown
// calls.
static long bkl_syscall(struct trapframe *tf) {
	u64 *a = tf->x;
	u64 nr = a[8];
	switch (nr) {
	case SYS_read: return sys_read((int)a[0], a[1], a[2]);
	case SYS_write: return sys_write((int)a[0], a[1], a[2]);
	case SYS_openat: return -ENOENT; // no file system below the Go kernel
	case SYS_readlinkat: return -ENOENT;
	case SYS_close: return sys_close((int)a[0]);
	case SYS_fcntl: return sys_fcntl((int)a[0], (int)a[1], a[2]);
	case SYS_ioctl: return -ENOTTY;
	case SYS_getcwd: return -ENOENT;
	case SYS_eventfd2: return sys_eventfd2((u32)a[0], (int)a[1]);
	case SYS_pipe2: return sys_pipe2(a[0], (int)a[1]);
	case SYS_epoll_create1: return sys_epoll_create1((int)a[0]);
	case SYS_epoll_ctl: return sys_epoll_ctl((int)a[0], (int)a[1], (int)a[2], a[3]);
	case SYS_epoll_pwait: return sys_epoll_pwait((int)a[0], a[1], (int)a[2], (int)a[3]);
	case SYS_kill: return (int)a[0] == PID ? signal_send(current->tid, (int)a[1], 0, 0) : -ESRCH;
	case SYS_tkill: return signal_send((int)a[0], (int)a[1], SI_TKILL, 0);
	case SYS_tgkill: return (int)a[0] == PID ? signal_send((int)a[1], (int)a[2], SI_TKILL, 0) : -ESRCH;
	case SYS_rt_sigaction: return sys_rt_sigaction((int)a[0], a[1], a[2], a[3]);
	case SYS_rt_sigprocmask: return sys_rt_sigprocmask((int)a[0], a[1], a[2], a[3]);
	case SYS_sigaltstack: return sys_sigaltstack(a[0], a[1]);
	case SYS_rt_sigreturn: return sys_rt_sigreturn(tf);
	case SYS_uname: return sys_uname(a[0]);
	case SYS_getrlimit: return sys_prlimit64(0, (int)a[0], 0, a[1]);
	case SYS_prlimit64: return sys_prlimit64((int)a[0], (int)a[1], a[2], a[3]);
	default: return unimplemented(nr);
	}
}

// linux_syscall serves a Linux call: without the big kernel lock if it
// can, else under it.
static long linux_syscall(struct trapframe *tf) {
	long r = fast_syscall(tf);
	if (r != NOT_FAST)
		return r;
	bkl_enter();
	r = bkl_syscall(tf);
	bkl_exit();
	return r;
}

void syscall_dispatch(struct trapframe *tf) {
	current->syscalls++;
	u64 nr = tf->x[8];
	trace(nr >= BURROW_SVC_BASE ? TR_SVC : TR_SYSCALL, nr, (u64)current->tid);
	long r = nr >= BURROW_SVC_BASE ? services_dispatch(tf) : linux_syscall(tf);
	tf->x[0] = (u64)r;
}
