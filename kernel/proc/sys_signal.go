package proc

import (
	"encoding/binary"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

func sysRtSigaction(t *Thread, a args) (uint64, error) {
	sig := linux.Signal(a[0])
	if sig < 1 || sig > 64 || a[3] != 8 {
		return 0, linux.EINVAL
	}
	mem := t.p.memory()
	var act linux.Sigaction
	if a[1] != 0 {
		if sig == linux.SIGKILL || sig == linux.SIGSTOP {
			return 0, linux.EINVAL
		}
		b := make([]byte, 32)
		if err := mem.CopyIn(b, a[1]); err != nil {
			return 0, linux.EFAULT
		}
		le := binary.LittleEndian
		act = linux.Sigaction{Handler: le.Uint64(b), Flags: le.Uint64(b[8:]), Restorer: le.Uint64(b[16:]), Mask: le.Uint64(b[24:]) &^ unblockable}
	}
	h := t.p.sig
	h.mu.Lock()
	old := h.act[sig]
	if a[1] != 0 {
		h.act[sig] = act
	}
	h.mu.Unlock()
	if a[2] != 0 {
		b := make([]byte, 0, 32)
		for _, v := range []uint64{old.Handler, old.Flags, old.Restorer, old.Mask} {
			b = binary.LittleEndian.AppendUint64(b, v)
		}
		if err := mem.CopyOut(a[2], b); err != nil {
			return 0, linux.EFAULT
		}
	}
	return 0, nil
}

func sysRtSigprocmask(t *Thread, a args) (uint64, error) {
	if a[3] != 8 {
		return 0, linux.EINVAL
	}
	mem := t.p.memory()
	var set uint64
	if a[1] != 0 {
		b := make([]byte, 8)
		if err := mem.CopyIn(b, a[1]); err != nil {
			return 0, linux.EFAULT
		}
		set = binary.LittleEndian.Uint64(b)
	}
	t.mu.Lock()
	old := t.mask
	if a[1] != 0 {
		switch a[0] {
		case linux.SIG_BLOCK:
			t.mask |= set
		case linux.SIG_UNBLOCK:
			t.mask &^= set
		case linux.SIG_SETMASK:
			t.mask = set
		default:
			t.mu.Unlock()
			return 0, linux.EINVAL
		}
		t.mask &^= unblockable
	}
	t.mu.Unlock()
	t.notice() // an unblocked signal may be pending
	if a[2] != 0 {
		if err := mem.CopyOut(a[2], binary.LittleEndian.AppendUint64(nil, old)); err != nil {
			return 0, linux.EFAULT
		}
	}
	return 0, nil
}

// minSigStackSize is arm64's MINSIGSTKSZ.
const minSigStackSize = 5120

func sysSigaltstack(t *Thread, a args) (uint64, error) {
	mem := t.p.memory()
	t.mu.Lock()
	old := t.altstack
	t.mu.Unlock()
	on := old.Flags&linux.SS_DISABLE == 0 && old.Size > 0 && t.regs.SP > old.SP && t.regs.SP <= old.SP+old.Size
	if a[1] != 0 {
		oflags := old.Flags
		if on {
			oflags |= linux.SS_ONSTACK
		}
		if old.Size == 0 {
			oflags = linux.SS_DISABLE
		}
		b := binary.LittleEndian.AppendUint64(nil, old.SP)
		b = binary.LittleEndian.AppendUint32(b, uint32(oflags))
		b = binary.LittleEndian.AppendUint32(b, 0)
		b = binary.LittleEndian.AppendUint64(b, old.Size)
		if err := mem.CopyOut(a[1], b); err != nil {
			return 0, linux.EFAULT
		}
	}
	if a[0] != 0 {
		b := make([]byte, 24)
		if err := mem.CopyIn(b, a[0]); err != nil {
			return 0, linux.EFAULT
		}
		if on {
			return 0, linux.EPERM
		}
		ss := linux.Stack{SP: binary.LittleEndian.Uint64(b), Flags: int32(binary.LittleEndian.Uint32(b[8:])), Size: binary.LittleEndian.Uint64(b[16:])}
		switch {
		case uint32(ss.Flags)&^(linux.SS_DISABLE|1<<31) != 0: // SS_AUTODISARM is bit 31
			return 0, linux.EINVAL
		case ss.Flags&linux.SS_DISABLE != 0:
			ss = linux.Stack{Flags: linux.SS_DISABLE}
		case ss.Size < minSigStackSize:
			return 0, linux.ENOMEM
		}
		t.mu.Lock()
		t.altstack = ss
		t.mu.Unlock()
	}
	return 0, nil
}

func sysRtSigreturn(t *Thread, a args) (uint64, error) {
	if err := t.sigreturn(); err != nil {
		t.force(linux.SIGSEGV, linux.SEGV_MAPERR, t.regs.SP)
		return t.regs.X[0], nil
	}
	return t.regs.X[0], nil
}

// sysRtSigsuspend waits for a signal with the given mask; the handler's
// frame saves the mask from before the call, which sigreturn restores.
func sysRtSigsuspend(t *Thread, a args) (uint64, error) {
	if a[1] != 8 {
		return 0, linux.EINVAL
	}
	b := make([]byte, 8)
	if err := t.p.memory().CopyIn(b, a[0]); err != nil {
		return 0, linux.EFAULT
	}
	t.mu.Lock()
	old := t.mask
	t.mask = binary.LittleEndian.Uint64(b) &^ unblockable
	t.savedMask, t.hasSaved = old, true
	t.mu.Unlock()
	for !t.interrupted() {
		<-t.wake
	}
	return 0, linux.EINTR
}
