// vma.h: the Go kernel's address space as Linux's mmap family sees it: a
// sorted list of areas, each with its permissions. An area is a promise; a
// page is committed (given RAM) only when first touched, so the Go runtime's
// large PROT_NONE reservations and sparse arrays cost nothing until used.
#pragma once
#include "spinlock.h"
#include "types.h"

// vm_lock guards the area list and the kernel region's page tables (vm.c),
// with vm_committed. Every vma_* function below needs it held. Order: after
// the BKL, futex_lock and irq_lock; before palloc_lock and console_lock.
// Nothing under it touches Go memory, so a fault cannot re-enter it.
extern struct spinlock vm_lock;

// Kernel-region VA where mmap places areas without a usable hint, and the
// main thread's stack (memlayout.h shows the whole map).
#define MMAP_BASE 0x0000c00000000000UL
#define MMAP_END 0x0000ff0000000000UL
#define KREGION_BASE 0x0000800000000000UL
#define KREGION_END 0x0001000000000000UL
// The Go memory manager's own window (kernel/mm DMABase, 2^47 + 2^40, for
// 1 TiB): DMA buffers and its MMU checks. The C core never maps there, so the
// two sides never edit the same page tables.
#define GO_MM_BASE 0x0000810000000000UL
#define GO_MM_END 0x0000820000000000UL

// vma_map creates an area of len bytes with prot (VM_*) at addr, replacing
// whatever was there (MAP_FIXED semantics); its pages start uncommitted.
// It returns 0 or -errno.
long vma_map(u64 addr, u64 len, int prot);
// vma_find_free returns a free, page-aligned range of len bytes, preferring
// hint when it lies in the kernel region and is free; 0 if none.
u64 vma_find_free(u64 hint, u64 len);
// vma_unmap removes [addr, addr+len) and frees its committed pages.
void vma_unmap(u64 addr, u64 len);
// vma_protect changes the permissions of [addr, addr+len); -ENOMEM if part
// of it is not mapped.
long vma_protect(u64 addr, u64 len, int prot);
// vma_discard frees the committed pages of [addr, addr+len) but keeps the
// area: the next touch reads zeros (MADV_DONTNEED).
void vma_discard(u64 addr, u64 len);
// vma_fault commits the page holding va if an area allows the access
// (write: a store; exec: an instruction fetch). False means the access is
// invalid: the caller raises SIGSEGV.
bool vma_fault(u64 va, bool write, bool exec);
// vma_count is the number of areas, for the console.
int vma_count(void);
