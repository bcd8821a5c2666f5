package proc

import (
	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/mm"
)

// mapRange makes [va, va+size) a fresh mapping with prot, replacing what
// was there. Caller holds p.mu.
func (p *Process) mapRange(va, size uint64, prot int, shared bool) error {
	p.mem.Unmap(va, size) // whatever was there goes, as MAP_FIXED says
	p.regions.insert(va, va+size, prot)
	if prot == linux.PROT_NONE {
		return nil // a reservation: no area, so any access faults
	}
	if err := p.mem.MapAnon(va, size, protToMM(prot), shared); err != nil {
		p.regions.remove(va, va+size)
		return err
	}
	return nil
}

func userRange(va, size uint64) bool {
	return va%pageSize == 0 && size > 0 && va >= mmapBottom && va+size <= mm.UserTop && va+size > va
}

func sysMmap(t *Thread, a args) (uint64, error) {
	addr, length, prot, flags, fd, off := a[0], a[1], int(a[2]), int(a[3]), a[4], a[5]
	if length == 0 || length > mm.UserTop || off%pageSize != 0 || prot&^(linux.PROT_READ|linux.PROT_WRITE|linux.PROT_EXEC) != 0 {
		return 0, linux.EINVAL
	}
	if flags&(linux.MAP_SHARED|linux.MAP_PRIVATE) == 0 {
		return 0, linux.EINVAL
	}
	size := pageUp(length)
	var data []byte
	if flags&linux.MAP_ANONYMOUS == 0 {
		f, err := t.p.fds.get(fd)
		if err != nil {
			return 0, err
		}
		if f.Ops != nil || f.Inode.Mode&linux.S_IFMT != linux.S_IFREG {
			return 0, linux.ENODEV
		}
		if flags&linux.MAP_SHARED != 0 && prot&linux.PROT_WRITE != 0 {
			return 0, linux.ENODEV // writes would not reach the file
		}
		// Only the file's bytes are copied (never a buffer of the length
		// the program asked for: that is its address range, not our memory).
		if size := uint64(f.Inode.Size()); off < size {
			data = make([]byte, min(length, size-off))
			n, _ := f.Pread(data, int64(off))
			data = data[:n]
		}
	}
	p := t.p
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case flags&(linux.MAP_FIXED|linux.MAP_FIXED_NOREPLACE) != 0:
		if !userRange(addr, size) {
			return 0, linux.EINVAL
		}
		if flags&linux.MAP_FIXED_NOREPLACE != 0 && !p.regions.free(addr, addr+size) {
			return 0, linux.EEXIST
		}
	case addr != 0 && userRange(pageDown(addr), size) && p.regions.free(pageDown(addr), pageDown(addr)+size):
		addr = pageDown(addr) // the hint is free: take it
	default:
		va, ok := p.regions.findFree(size, mmapBottom, mmapTop)
		if !ok {
			return 0, linux.ENOMEM
		}
		addr = va
	}
	if err := p.mapRange(addr, size, prot, flags&linux.MAP_SHARED != 0); err != nil {
		return 0, linux.ENOMEM
	}
	if len(data) > 0 {
		if prot == linux.PROT_NONE {
			return addr, nil
		}
		if err := p.k.poke(p.mem, addr, data); err != nil {
			return 0, linux.ENOMEM
		}
		if prot&linux.PROT_EXEC != 0 && p.k.cfg.SyncICache != nil {
			p.k.cfg.SyncICache()
		}
	}
	return addr, nil
}

func sysMunmap(t *Thread, a args) (uint64, error) {
	if a[0]%pageSize != 0 || a[1] == 0 || a[0]+a[1] > mm.UserTop || a[0]+a[1] < a[0] {
		return 0, linux.EINVAL
	}
	p := t.p
	p.mu.Lock()
	defer p.mu.Unlock()
	size := pageUp(a[1])
	p.mem.Unmap(a[0], size)
	p.regions.remove(a[0], a[0]+size)
	return 0, nil
}

// sysMprotect changes protections where kernel/mm allows it: PROT_NONE
// drops the pages, a reservation becomes a fresh mapping, and a mapped area
// keeps the access it was mapped with otherwise (recorded, not enforced).
func sysMprotect(t *Thread, a args) (uint64, error) {
	va, prot := a[0], int(a[2])
	if va%pageSize != 0 || va+a[1] > mm.UserTop || va+a[1] < va {
		return 0, linux.EINVAL
	}
	size := pageUp(a[1])
	if size == 0 {
		return 0, nil
	}
	p := t.p
	p.mu.Lock()
	defer p.mu.Unlock()
	pieces := p.regions.remove(va, va+size)
	covered := uint64(0)
	for _, r := range pieces {
		covered += r.end - r.start
	}
	for _, r := range pieces {
		switch {
		case prot == linux.PROT_NONE:
			p.mem.Unmap(r.start, r.end-r.start)
			p.regions.insert(r.start, r.end, prot)
		case r.prot == linux.PROT_NONE:
			if err := p.mapRange(r.start, r.end-r.start, prot, false); err != nil {
				return 0, linux.ENOMEM
			}
		default:
			p.regions.insert(r.start, r.end, prot)
			if err := p.mem.Protect(r.start, r.end-r.start, protToMM(prot)); err != nil {
				return 0, linux.ENOMEM
			}
		}
	}
	if covered != size {
		return 0, linux.ENOMEM // part of the range was not mapped
	}
	return 0, nil
}

func sysBrk(t *Thread, a args) (uint64, error) {
	p := t.p
	p.mu.Lock()
	defer p.mu.Unlock()
	want := a[0]
	if want < p.brkBase || want > p.brkBase+1<<30 {
		return p.brk, nil // a query, or out of range: the break stays
	}
	oldTop, newTop := pageUp(p.brk), pageUp(want)
	switch {
	case newTop > oldTop:
		if !p.regions.free(oldTop, newTop) {
			return p.brk, nil
		}
		if err := p.mapRange(oldTop, newTop-oldTop, linux.PROT_READ|linux.PROT_WRITE, false); err != nil {
			return p.brk, nil
		}
	case newTop < oldTop:
		p.mem.Unmap(newTop, oldTop-newTop)
		p.regions.remove(newTop, oldTop)
	}
	p.brk = want
	return p.brk, nil
}

func sysMadvise(t *Thread, a args) (uint64, error) {
	if a[0]%pageSize != 0 {
		return 0, linux.EINVAL
	}
	switch a[2] {
	case linux.MADV_DONTNEED, linux.MADV_FREE:
		size := pageUp(a[1])
		if size == 0 || a[0]+size > mm.UserTop {
			return 0, linux.EINVAL
		}
		t.p.memory().Discard(a[0], size)
	}
	return 0, nil
}
