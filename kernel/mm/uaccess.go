package mm

import (
	"bytes"
	"fmt"
)

// Kernel code never dereferences a user address. A goroutine may run on any
// thread, under any process's TTBR0, so a user pointer means nothing to the
// CPU at that moment. Instead these functions walk the process's own page
// tables in software, resolve faults first (so a system call on
// not-yet-touched memory works, as on Linux), and copy through the physical
// address, which the kernel reaches through its direct map.
//
// The space's lock is held while each page is copied, so the page cannot be
// unmapped, freed and reused under the copy.

// userPage returns the physical address of user address va, ready for the
// given access, resolving a fault if needed.
func (us *UserSpace) userPage(va uint64, access Access) (uint64, error) {
	if va >= UserTop {
		return 0, fmt.Errorf("mm: user address %#x: %w", va, ErrFault)
	}
	for try := 0; try < 2; try++ {
		tr, err := us.as.Translate(va)
		if err == nil && tr.Prot&ProtUser != 0 && (access != AccessWrite || tr.Prot&ProtWrite != 0) {
			return tr.PA, nil
		}
		if err := us.faultLocked(va, access); err != nil {
			return 0, err
		}
	}
	return 0, fmt.Errorf("mm: user address %#x: fault did not resolve: %w", va, ErrFault)
}

// CopyIn copies len(dst) bytes from user address va into dst. An address
// outside every area returns an error wrapping ErrFault (EFAULT); bytes
// before the bad page have been copied.
func (us *UserSpace) CopyIn(dst []byte, va uint64) error {
	return us.copy(va, uint64(len(dst)), AccessRead, func(pa uint64, off, n uint64) {
		us.vm.mem.ReadAt(dst[off:off+n], int64(pa))
	})
}

// CopyOut copies src to user address va, breaking copy-on-write sharing
// where it writes.
func (us *UserSpace) CopyOut(va uint64, src []byte) error {
	return us.copy(va, uint64(len(src)), AccessWrite, func(pa uint64, off, n uint64) {
		us.vm.mem.WriteAt(src[off:off+n], int64(pa))
	})
}

// copy walks [va, va+size) a page at a time, calling fn with each piece's
// physical address and its offset in the caller's buffer.
func (us *UserSpace) copy(va, size uint64, access Access, fn func(pa, off, n uint64)) error {
	if va+size < va {
		return fmt.Errorf("mm: user range %#x+%#x wraps: %w", va, size, ErrFault)
	}
	us.mu.Lock()
	defer us.mu.Unlock()
	for off := uint64(0); off < size; {
		pa, err := us.userPage(va+off, access)
		if err != nil {
			return err
		}
		n := min(size-off, PageSize-(va+off)%PageSize) // to the end of this page
		fn(pa, off, n)
		off += n
	}
	return nil
}

// CopyInString reads a NUL-terminated string at user address va, of at most
// limit bytes before the NUL, as system calls taking a path do. A string
// with no NUL within limit bytes is an ErrBadArgument (ENAMETOOLONG to the
// caller).
func (us *UserSpace) CopyInString(va uint64, limit int) (string, error) {
	start := va
	us.mu.Lock()
	defer us.mu.Unlock()
	var out []byte
	for len(out) <= limit {
		pa, err := us.userPage(va, AccessRead)
		if err != nil {
			return "", err
		}
		chunk := make([]byte, min(uint64(limit+1-len(out)), PageSize-va%PageSize))
		us.vm.mem.ReadAt(chunk, int64(pa))
		if i := bytes.IndexByte(chunk, 0); i >= 0 {
			return string(append(out, chunk[:i]...)), nil
		}
		out = append(out, chunk...)
		va += uint64(len(chunk))
	}
	return "", fmt.Errorf("mm: user string at %#x is longer than %d bytes: %w", start, limit, ErrBadArgument)
}
