package proc

import (
	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/mm"
)

// The memory limit of an admitted application. What it limits is the
// process's mapped memory: the bytes of its regions that a program may
// touch (any protection but PROT_NONE). PROT_NONE reservations do not
// count, because Go's runtime reserves hundreds of megabytes of address
// space that way and maps pieces of it as the heap grows; Linux's
// overcommit accounting (Committed_AS) leaves them out for the same
// reason. Pages are given on first touch, so the figure bounds what the
// program can ever make resident.
//
// The three calls that can grow a process's mapped memory (mmap, brk and
// mprotect of a reservation) go through withMemoryLimit in the system call
// table. For a process that was never admitted it is one map lookup.

// growthFunc returns how many bytes a call with these arguments would add
// to p's mapped memory. Caller holds p.mu.
type growthFunc func(p *Process, a args) uint64

// withMemoryLimit wraps a handler so that, for an admitted application, a
// call that would take its mapped memory past the admitted figure is not
// run: it answers what refused answers instead.
func withMemoryLimit(handler func(*Thread, args) (uint64, error), growth growthFunc, refused func(*Thread) (uint64, error)) func(*Thread, args) (uint64, error) {
	return func(t *Thread, a args) (uint64, error) {
		adm := admissionOf(t.p)
		if adm == nil {
			return handler(t, a)
		}
		adm.mu.Lock()
		defer adm.mu.Unlock()
		p := t.p
		p.mu.Lock()
		now, more := p.committed(), growth(p, a)
		p.mu.Unlock()
		if more > 0 && now+more > adm.req.Memory {
			adm.refusals++
			if adm.refusals == 1 { // once per admission: a program may retry in a loop
				p.k.cfg.Log("proc: pid %d (%s): %s more memory refused: %s mapped of the %s admitted",
					p.PID, adm.name, size(more), size(now), size(adm.req.Memory))
			}
			return refused(t)
		}
		return handler(t, a)
	}
}

// errNoMemory is how mmap and mprotect refuse: ENOMEM.
func errNoMemory(*Thread) (uint64, error) { return 0, linux.ENOMEM }

// brkUnchanged is how brk refuses: it has no error return, so it answers
// the break as it stands (a query), as Linux's brk does when it cannot grow.
func brkUnchanged(t *Thread) (uint64, error) { return sysBrk(t, args{}) }

// committed returns the bytes of p's regions that are not PROT_NONE.
// Caller holds p.mu.
func (p *Process) committed() uint64 {
	var n uint64
	for _, r := range p.regions.r {
		if r.prot != linux.PROT_NONE {
			n += r.end - r.start
		}
	}
	return n
}

// accessible returns how many bytes of [lo, hi) are mapped with a
// protection other than PROT_NONE. Caller holds p.mu.
func (p *Process) accessible(lo, hi uint64) uint64 {
	var n uint64
	for _, r := range p.regions.r {
		if r.prot != linux.PROT_NONE && r.start < hi && lo < r.end {
			n += min(r.end, hi) - max(r.start, lo)
		}
	}
	return n
}

// mmapGrowth: a new mapping adds its length, less what a MAP_FIXED mapping
// replaces. PROT_NONE adds nothing, and arguments mmap will refuse add
// nothing either (the handler returns their error).
func mmapGrowth(p *Process, a args) uint64 {
	addr, length, prot, flags := a[0], a[1], int(a[2]), int(a[3])
	if length == 0 || length > mm.UserTop || prot == linux.PROT_NONE {
		return 0
	}
	size := pageUp(length)
	if flags&(linux.MAP_FIXED|linux.MAP_FIXED_NOREPLACE) != 0 && userRange(addr, size) {
		return size - p.accessible(addr, addr+size)
	}
	return size
}

// brkGrowth: raising the break maps the pages between the old and the new
// top (sysBrk ignores a break out of its range, so that adds nothing).
func brkGrowth(p *Process, a args) uint64 {
	want := a[0]
	if want < p.brkBase || want > p.brkBase+1<<30 || pageUp(want) <= pageUp(p.brk) {
		return 0
	}
	return pageUp(want) - pageUp(p.brk)
}

// mprotectGrowth: making a PROT_NONE reservation accessible maps it.
func mprotectGrowth(p *Process, a args) uint64 {
	va, prot := a[0], int(a[2])
	if prot == linux.PROT_NONE || va%pageSize != 0 || va+a[1] > mm.UserTop || va+a[1] < va {
		return 0
	}
	hi := va + pageUp(a[1])
	var n uint64
	for _, r := range p.regions.r {
		if r.prot == linux.PROT_NONE && r.start < hi && va < r.end {
			n += min(r.end, hi) - max(r.start, va)
		}
	}
	return n
}
