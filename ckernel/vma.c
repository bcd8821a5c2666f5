// vma.c: the area list. Areas are kept sorted and non-overlapping in a fixed
// array; adjacent areas with equal permissions are merged, which keeps the
// Go runtime's pattern (reserve a big PROT_NONE range, then map pieces of it
// read-write) down to a few dozen areas.
#include "vma.h"
#include "errno.h"
#include "lib.h"
#include "palloc.h"
#include "vm.h"

#define MAX_VMAS 512

struct vma {
	u64 start, end; // [start, end), page aligned
	int prot;       // VM_READ | VM_WRITE | VM_EXEC, or 0 for PROT_NONE
};

static struct vma vmas[MAX_VMAS];
static int nvmas;

struct spinlock vm_lock = SPINLOCK_INIT("vm", RANK_VM);

int vma_count(void) { return nvmas; }

// uncommit frees every committed page in [start, end).
static void uncommit(u64 start, u64 end) { vm_unmap_range(start, end); }

// cut removes [start, end) from the list, splitting areas that straddle
// its edges. It does not touch the pages.
static bool cut(u64 start, u64 end) {
	for (int i = 0; i < nvmas; i++) {
		struct vma *v = &vmas[i];
		if (v->end <= start || v->start >= end)
			continue;
		if (v->start < start && v->end > end) { // split in two
			if (nvmas == MAX_VMAS)
				return false;
			memmove(&vmas[i + 2], &vmas[i + 1], (size_t)(nvmas - i - 1) * sizeof *v);
			nvmas++;
			vmas[i + 1] = (struct vma){end, v->end, v->prot};
			v->end = start;
			return true;
		}
		if (v->start < start)
			v->end = start;
		else if (v->end > end)
			v->start = end;
		else { // wholly inside: delete
			memmove(&vmas[i], &vmas[i + 1], (size_t)(nvmas - i - 1) * sizeof *v);
			nvmas--;
			i--;
		}
	}
	return true;
}

// insert adds an area, merging with equal neighbours. The range is free.
static bool insert(u64 start, u64 end, int prot) {
	int i = 0;
	while (i < nvmas && vmas[i].start < start)
		i++;
	bool left = i > 0 && vmas[i - 1].end == start && vmas[i - 1].prot == prot;
	bool right = i < nvmas && vmas[i].start == end && vmas[i].prot == prot;
	if (left && right) {
		vmas[i - 1].end = vmas[i].end;
		memmove(&vmas[i], &vmas[i + 1], (size_t)(nvmas - i - 1) * sizeof vmas[0]);
		nvmas--;
	} else if (left) {
		vmas[i - 1].end = end;
	} else if (right) {
		vmas[i].start = start;
	} else {
		if (nvmas == MAX_VMAS)
			return false;
		memmove(&vmas[i + 1], &vmas[i], (size_t)(nvmas - i) * sizeof vmas[0]);
		vmas[i] = (struct vma){start, end, prot};
		nvmas++;
	}
	return true;
}

static bool range_ok(u64 addr, u64 len) {
	return len && !(addr & (PAGE_SIZE - 1)) && addr >= KREGION_BASE && addr + len <= KREGION_END &&
	       addr + len > addr && (addr + len <= GO_MM_BASE || addr >= GO_MM_END);
}

long vma_map(u64 addr, u64 len, int prot) {
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!range_ok(addr, len))
		return -EINVAL;
	uncommit(addr, addr + len);
	if (!cut(addr, addr + len) || !insert(addr, addr + len, prot))
		return -ENOMEM;
	return 0;
}

static bool is_free(u64 start, u64 end) {
	for (int i = 0; i < nvmas; i++)
		if (vmas[i].start < end && start < vmas[i].end)
			return false;
	return true;
}

u64 vma_find_free(u64 hint, u64 len) {
	len = ALIGN_UP(len, PAGE_SIZE);
	hint = ALIGN_DOWN(hint, PAGE_SIZE);
	if (hint && range_ok(hint, len) && is_free(hint, hint + len))
		return hint;
	// First fit above MMAP_BASE: try the base, then the end of each area.
	u64 cand = MMAP_BASE;
	for (int i = 0; i <= nvmas; i++) {
		if (i < nvmas && vmas[i].end <= MMAP_BASE)
			continue;
		if (cand + len <= MMAP_END && is_free(cand, cand + len))
			return cand;
		if (i < nvmas && vmas[i].end > cand)
			cand = vmas[i].end;
	}
	return 0;
}

void vma_unmap(u64 addr, u64 len) {
	len = ALIGN_UP(len, PAGE_SIZE);
	uncommit(addr, addr + len);
	cut(addr, addr + len);
}

long vma_protect(u64 addr, u64 len, int prot) {
	len = ALIGN_UP(len, PAGE_SIZE);
	u64 end = addr + len;
	// Every byte must be mapped (Linux returns ENOMEM otherwise).
	for (u64 a = addr; a < end;) {
		int i;
		for (i = 0; i < nvmas; i++)
			if (vmas[i].start <= a && a < vmas[i].end)
				break;
		if (i == nvmas)
			return -ENOMEM;
		a = vmas[i].end;
	}
	if (!cut(addr, end) || !insert(addr, end, prot))
		return -ENOMEM;
	if (prot == 0) // PROT_NONE: nothing may touch the pages, so drop them
		uncommit(addr, end);
	else
		for (u64 va = addr; va < end; va += PAGE_SIZE)
			vm_protect(va, prot);
	return 0;
}

void vma_discard(u64 addr, u64 len) { uncommit(ALIGN_DOWN(addr, PAGE_SIZE), ALIGN_UP(addr + len, PAGE_SIZE)); }

bool vma_fault(u64 va, bool write, bool exec) {
	for (int i = 0; i < nvmas; i++) {
		struct vma *v = &vmas[i];
		if (va < v->start || va >= v->end)
			continue;
		if (!(v->prot & VM_READ) || (write && !(v->prot & VM_WRITE)) || (exec && !(v->prot & VM_EXEC)))
			return false;
		u64 page = ALIGN_DOWN(va, PAGE_SIZE);
		if (vm_lookup(page))
			// Another core committed it between this core's fault and
			// now: the area allows the access, so retrying succeeds.
			return true;
		u64 pa = palloc_alloc(1);
		if (!pa) {
			static bool said;
			if (!said)
				kprintf("burrow: out of memory: no page to commit at 0x%lx\n", va);
			said = true;
			return false;
		}
		return vm_map(page, pa, v->prot);
	}
	return false;
}
