//go:build !(linux && arm64)

package core

// SwitchToUser needs the C core.
func SwitchToUser(regs *UserRegs, ttbr0 uint64) (UserTrap, error) { return UserTrap{}, ErrNotBurrow }
