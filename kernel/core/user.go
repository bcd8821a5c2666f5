package core

// UserRegs is a user thread's register state, which SwitchToUser loads
// before entering the program at EL0 and fills in when it stops. It mirrors
// struct user_regs in ckernel/user.h field for field (a test checks).
type UserRegs struct {
	X      [31]uint64
	SP     uint64
	PC     uint64
	PState uint64 // only the condition flags, NZCV (bits 31:28), are kept
	TPIDR  uint64 // TPIDR_EL0, the thread pointer
	FPSR   uint64
	FPCR   uint64
	Pad    uint64
	Q      [32][2]uint64 // the FP/SIMD registers q0-q31, low half first
}

// Why a user program stopped (UserTrap.Kind): ckernel/trap.h's TRAP_*.
const (
	TrapSync   = 0 // a system call, fault or other synchronous exception: see ESR
	TrapIRQ    = 1 // an interrupt (the tick or a device): the program was interrupted
	TrapFIQ    = 2
	TrapSError = 3
)

// UserTrap says why a user program stopped: struct user_trap.
type UserTrap struct {
	Kind uint64
	ESR  uint64 // ESR_EL1: EC (bits 31:26) 0x15 is an SVC, 0x24 a data abort, 0x20 an instruction abort
	FAR  uint64 // FAR_EL1: the faulting address, for aborts
}

// EC returns the exception class of a synchronous trap.
func (t UserTrap) EC() uint64 { return t.ESR >> 26 & 0x3f }
