package linux

// The structures below cross the user boundary byte for byte; their sizes
// are checked by a test.

// Stat is struct stat for arm64 (include/uapi/asm-generic/stat.h): 128 bytes.
type Stat struct {
	Dev     uint64
	Ino     uint64
	Mode    uint32
	Nlink   uint32
	UID     uint32
	GID     uint32
	Rdev    uint64
	Pad1    uint64
	Size    int64
	Blksize int32
	Pad2    int32
	Blocks  int64
	Atime   Timespec
	Mtime   Timespec
	Ctime   Timespec
	Unused  [2]uint32
}

// Timespec is struct timespec: 16 bytes.
type Timespec struct {
	Sec  int64
	Nsec int64
}

// Timeval is struct timeval: 16 bytes.
type Timeval struct {
	Sec  int64
	Usec int64
}

// Iovec is struct iovec: 16 bytes.
type Iovec struct {
	Base uint64
	Len  uint64
}

// Termios is the kernel's struct termios for TCGETS (asm-generic/termbits.h):
// 36 bytes (no speed fields).
type Termios struct {
	Iflag uint32
	Oflag uint32
	Cflag uint32
	Lflag uint32
	Line  uint8
	Cc    [NCCS]uint8
}

// Winsize is struct winsize: 8 bytes.
type Winsize struct {
	Row, Col, Xpixel, Ypixel uint16
}

// Utsname is struct new_utsname: six 65-byte fields.
type Utsname struct {
	Sysname, Nodename, Release, Version, Machine, Domainname [65]byte
}

// Sigaction is the kernel's struct sigaction on arm64 (no sa_restorer
// unless SA_RESTORER): handler, flags, restorer, mask. 32 bytes.
type Sigaction struct {
	Handler  uint64
	Flags    uint64
	Restorer uint64
	Mask     uint64
}

// Stack is stack_t for sigaltstack: 24 bytes.
type Stack struct {
	SP    uint64
	Flags int32
	Pad   int32
	Size  uint64
}

// Rlimit is struct rlimit64.
type Rlimit struct {
	Cur, Max uint64
}

// Sysinfo is struct sysinfo on a 64-bit kernel: 112 bytes.
type Sysinfo struct {
	Uptime    int64
	Loads     [3]uint64
	Totalram  uint64
	Freeram   uint64
	Sharedram uint64
	Bufferram uint64
	Totalswap uint64
	Freeswap  uint64
	Procs     uint16
	Pad       uint16
	Pad2      uint32
	Totalhigh uint64
	Freehigh  uint64
	MemUnit   uint32
	Pad3      [4]byte
}

// Dirent64 is the fixed head of struct linux_dirent64; the name follows,
// NUL-terminated, and the record is padded to 8 bytes. 19 bytes.
const Dirent64NameOffset = 19

// Siginfo is the first 48 bytes of siginfo_t (128 bytes in all) for the
// signals Burrow sends: number, errno, code, then the union.
type Siginfo struct {
	Signo int32
	Errno int32
	Code  int32
	Pad   int32
	Addr  uint64 // si_addr for SIGSEGV/SIGBUS/SIGILL; si_pid|si_uid for kill
	Data  [13]uint64
}

// Sizes of the arm64 signal frame pieces (arch/arm64/include/uapi/asm/sigcontext.h,
// arch/arm64/kernel/signal.c).
const (
	SizeofSiginfo       = 128
	SizeofUcontextHead  = 168 // uc_flags, uc_link, uc_stack, uc_sigmask, __unused[120] before uc_mcontext (aligned 16)
	FPSIMD_MAGIC        = 0x46508001
	SizeofFPSIMDContext = 528
)
