package proc

// The system call table: data, one entry per Linux arm64 system call Burrow
// answers (numbers from include/uapi/asm-generic/unistd.h, checked against
// kernel/abi/linux by a test). The book's compatibility page is generated
// from it. Any number not listed returns ENOSYS and is logged once.

// Support says how completely an entry follows Linux.
type Support string

const (
	Full    Support = "full"    // as Linux, for the cases a program can observe
	Partial Support = "partial" // the common cases; the note says what is missing
	Stub    Support = "stub"    // succeeds without effect, or answers a fixed value
	NoSys   Support = "enosys"  // known and deliberately ENOSYS (programs fall back)
)

// args are a system call's arguments, x0..x5.
type args [6]uint64

// Syscall is one table entry.
type Syscall struct {
	Number  uint64
	Name    string
	Handler func(t *Thread, a args) (uint64, error)
	Support Support
	Note    string
}

// Table lists the system calls, in number order.
var Table = []Syscall{
	{Number: 17, Name: "getcwd", Handler: sysGetcwd, Support: Full},
	{Number: 19, Name: "eventfd2", Handler: sysEventfd2, Support: Partial, Note: "counter semantics; no EFD_SEMAPHORE"},
	{Number: 20, Name: "epoll_create1", Handler: sysEpollCreate1, Support: Partial, Note: "watches eventfds only; other files get EPERM, so Go falls back to blocking I/O"},
	{Number: 21, Name: "epoll_ctl", Handler: sysEpollCtl, Support: Partial, Note: "eventfds only"},
	{Number: 22, Name: "epoll_pwait", Handler: sysEpollPwait, Support: Partial, Note: "eventfds only"},
	{Number: 23, Name: "dup", Handler: sysDup, Support: Full},
	{Number: 24, Name: "dup3", Handler: sysDup3, Support: Full},
	{Number: 25, Name: "fcntl", Handler: sysFcntl, Support: Partial, Note: "F_DUPFD*, F_GETFD/SETFD, F_GETFL/SETFL; no locks"},
	{Number: 29, Name: "ioctl", Handler: sysIoctl, Support: Partial, Note: "terminal ioctls on the console"},
	{Number: 34, Name: "mkdirat", Handler: sysMkdirat, Support: Full},
	{Number: 35, Name: "unlinkat", Handler: sysUnlinkat, Support: Full},
	{Number: 36, Name: "symlinkat", Handler: sysSymlinkat, Support: Full},
	{Number: 38, Name: "renameat", Handler: sysRenameat, Support: Full},
	{Number: 39, Name: "umount2", Handler: sysUmount2, Support: Partial, Note: "volumes mount(2) mounted; always lazy"},
	{Number: 40, Name: "mount", Handler: sysMount, Support: Partial, Note: "vfat (FAT32 from a block device); proc, devtmpfs and tmpfs are always mounted"},
	{Number: 43, Name: "statfs", Handler: sysStatfs, Support: Full, Note: "FAT32 volumes report clusters; the ramfs reports the machine's memory, as a tmpfs"},
	{Number: 44, Name: "fstatfs", Handler: sysFstatfs, Support: Full},
	{Number: 46, Name: "ftruncate", Handler: sysFtruncate, Support: Full},
	{Number: 48, Name: "faccessat", Handler: sysFaccessat, Support: Partial, Note: "existence only: everyone is root"},
	{Number: 49, Name: "chdir", Handler: sysChdir, Support: Full},
	{Number: 50, Name: "fchdir", Handler: sysFchdir, Support: Full},
	{Number: 52, Name: "fchmod", Handler: sysStubZero, Support: Stub},
	{Number: 53, Name: "fchmodat", Handler: sysFchmodat, Support: Partial, Note: "permission bits only"},
	{Number: 54, Name: "fchownat", Handler: sysStubZero, Support: Stub},
	{Number: 55, Name: "fchown", Handler: sysStubZero, Support: Stub},
	{Number: 56, Name: "openat", Handler: sysOpenat, Support: Partial, Note: "O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_CLOEXEC, O_NONBLOCK"},
	{Number: 57, Name: "close", Handler: sysClose, Support: Full},
	{Number: 59, Name: "pipe2", Handler: sysPipe2, Support: Full},
	{Number: 61, Name: "getdents64", Handler: sysGetdents64, Support: Full},
	{Number: 62, Name: "lseek", Handler: sysLseek, Support: Full},
	{Number: 63, Name: "read", Handler: sysRead, Support: Full},
	{Number: 64, Name: "write", Handler: sysWrite, Support: Full},
	{Number: 65, Name: "readv", Handler: sysReadv, Support: Full},
	{Number: 66, Name: "writev", Handler: sysWritev, Support: Full},
	{Number: 67, Name: "pread64", Handler: sysPread64, Support: Full},
	{Number: 68, Name: "pwrite64", Handler: sysPwrite64, Support: Full},
	{Number: 71, Name: "sendfile", Handler: sysSendfile, Support: Full},
	{Number: 72, Name: "pselect6", Handler: sysPselect6, Support: Partial, Note: "read and write sets from each file's readiness, re-checked every 10 ms; the except set is always empty"},
	{Number: 73, Name: "ppoll", Handler: sysPpoll, Support: Full, Note: "pipes and the terminal are re-checked every 10 ms while waiting"},
	{Number: 78, Name: "readlinkat", Handler: sysReadlinkat, Support: Full},
	{Number: 79, Name: "newfstatat", Handler: sysNewfstatat, Support: Full},
	{Number: 80, Name: "fstat", Handler: sysFstat, Support: Full},
	{Number: 81, Name: "sync", Handler: sysSync, Support: Full, Note: "FAT32 writes are write-through already"},
	{Number: 82, Name: "fsync", Handler: sysFsync, Support: Full},
	{Number: 88, Name: "utimensat", Handler: sysUtimensat, Support: Partial, Note: "sets the modification time to now"},
	{Number: 93, Name: "exit", Handler: sysExit, Support: Full},
	{Number: 94, Name: "exit_group", Handler: sysExitGroup, Support: Full},
	{Number: 95, Name: "waitid", Handler: sysWaitid, Support: Partial, Note: "exited children; WNOWAIT and WNOHANG"},
	{Number: 96, Name: "set_tid_address", Handler: sysSetTidAddress, Support: Full},
	{Number: 98, Name: "futex", Handler: sysFutex, Support: Partial, Note: "WAIT, WAKE, WAIT_BITSET, WAKE_BITSET; private to an address space"},
	{Number: 99, Name: "set_robust_list", Handler: sysStubZero, Support: Stub},
	{Number: 101, Name: "nanosleep", Handler: sysNanosleep, Support: Full},
	{Number: 113, Name: "clock_gettime", Handler: sysClockGettime, Support: Full},
	{Number: 114, Name: "clock_getres", Handler: sysClockGetres, Support: Full},
	{Number: 115, Name: "clock_nanosleep", Handler: sysClockNanosleep, Support: Full},
	{Number: 123, Name: "sched_getaffinity", Handler: sysSchedGetaffinity, Support: Partial, Note: "one CPU"},
	{Number: 124, Name: "sched_yield", Handler: sysSchedYield, Support: Full},
	{Number: 129, Name: "kill", Handler: sysKill, Support: Full},
	{Number: 130, Name: "tkill", Handler: sysTkill, Support: Full},
	{Number: 131, Name: "tgkill", Handler: sysTgkill, Support: Full},
	{Number: 132, Name: "sigaltstack", Handler: sysSigaltstack, Support: Full},
	{Number: 133, Name: "rt_sigsuspend", Handler: sysRtSigsuspend, Support: Full},
	{Number: 134, Name: "rt_sigaction", Handler: sysRtSigaction, Support: Full},
	{Number: 135, Name: "rt_sigprocmask", Handler: sysRtSigprocmask, Support: Full},
	{Number: 139, Name: "rt_sigreturn", Handler: sysRtSigreturn, Support: Full},
	{Number: 144, Name: "setgid", Handler: sysStubZero, Support: Stub, Note: "everyone is root"},
	{Number: 146, Name: "setuid", Handler: sysStubZero, Support: Stub, Note: "everyone is root"},
	{Number: 148, Name: "getresuid", Handler: sysGetresid, Support: Full},
	{Number: 150, Name: "getresgid", Handler: sysGetresid, Support: Full},
	{Number: 153, Name: "times", Handler: sysTimes, Support: Partial, Note: "elapsed time only"},
	{Number: 154, Name: "setpgid", Handler: sysSetpgid, Support: Full},
	{Number: 155, Name: "getpgid", Handler: sysGetpgid, Support: Full},
	{Number: 156, Name: "getsid", Handler: sysGetsid, Support: Full},
	{Number: 157, Name: "setsid", Handler: sysSetsid, Support: Full},
	{Number: 158, Name: "getgroups", Handler: sysStubZero, Support: Stub, Note: "no supplementary groups"},
	{Number: 160, Name: "uname", Handler: sysUname, Support: Full},
	{Number: 163, Name: "getrlimit", Handler: sysGetrlimit, Support: Partial, Note: "fixed limits"},
	{Number: 165, Name: "getrusage", Handler: sysGetrusage, Support: Stub, Note: "zeros"},
	{Number: 166, Name: "umask", Handler: sysUmask, Support: Full},
	{Number: 167, Name: "prctl", Handler: sysPrctl, Support: Partial, Note: "PR_GET_NAME, and Burrow's application admission (PR_BURROW_*); other options succeed without effect"},
	{Number: 169, Name: "gettimeofday", Handler: sysGettimeofday, Support: Full},
	{Number: 172, Name: "getpid", Handler: sysGetpid, Support: Full},
	{Number: 173, Name: "getppid", Handler: sysGetppid, Support: Full},
	{Number: 174, Name: "getuid", Handler: sysStubZero, Support: Full, Note: "root"},
	{Number: 175, Name: "geteuid", Handler: sysStubZero, Support: Full, Note: "root"},
	{Number: 176, Name: "getgid", Handler: sysStubZero, Support: Full, Note: "root"},
	{Number: 177, Name: "getegid", Handler: sysStubZero, Support: Full, Note: "root"},
	{Number: 178, Name: "gettid", Handler: sysGettid, Support: Full},
	{Number: 179, Name: "sysinfo", Handler: sysSysinfo, Support: Full},
	{Number: 214, Name: "brk", Handler: withMemoryLimit(sysBrk, brkGrowth, brkUnchanged), Support: Full},
	{Number: 215, Name: "munmap", Handler: sysMunmap, Support: Full},
	{Number: 220, Name: "clone", Handler: sysClone, Support: Partial, Note: "threads, fork and vfork; no namespaces"},
	{Number: 221, Name: "execve", Handler: sysExecve, Support: Full, Note: "static ELF and #! scripts"},
	{Number: 222, Name: "mmap", Handler: withMemoryLimit(sysMmap, mmapGrowth, errNoMemory), Support: Partial, Note: "anonymous, and private copies of files"},
	{Number: 226, Name: "mprotect", Handler: withMemoryLimit(sysMprotect, mprotectGrowth, errNoMemory), Support: Partial, Note: "PROT_NONE unmaps; narrowing a mapped area keeps its pages' access"},
	{Number: 233, Name: "madvise", Handler: sysMadvise, Support: Partial, Note: "MADV_DONTNEED and MADV_FREE drop pages; others ignored"},
	{Number: 260, Name: "wait4", Handler: sysWait4, Support: Partial, Note: "exited children; no stopped ones; no rusage"},
	{Number: 261, Name: "prlimit64", Handler: sysPrlimit64, Support: Partial, Note: "fixed limits"},
	{Number: 276, Name: "renameat2", Handler: sysRenameat2, Support: Partial, Note: "flags 0 only"},
	{Number: 278, Name: "getrandom", Handler: sysGetrandom, Support: Full},
	{Number: 291, Name: "statx", Handler: sysStatx, Support: Full},
	{Number: 293, Name: "rseq", Support: NoSys, Note: "glibc carries on without it"},
	{Number: 434, Name: "pidfd_open", Support: NoSys, Note: "Go's os/exec falls back to wait4"},
	{Number: 435, Name: "clone3", Support: NoSys, Note: "callers fall back to clone"},
	{Number: 439, Name: "faccessat2", Handler: sysFaccessat, Support: Partial, Note: "existence only"},
}

// dispatch is Table indexed by number, for the trap path.
var dispatch []*Syscall

func init() {
	dispatch = make([]*Syscall, 512)
	for i := range Table {
		dispatch[Table[i].Number] = &Table[i]
	}
}
