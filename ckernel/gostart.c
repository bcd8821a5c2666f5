// gostart.c: the C core's loader for the Go kernel, a static linux/arm64
// ELF built by the standard Go tool chain (kernel/, linked at 2^47 with
// -ldflags=-T). What it does is what Linux's execve does for such a binary,
// minus everything a static Go program does not need:
//
//   1. check the ELF header and program headers;
//   2. map each PT_LOAD segment into the kernel region (copy the file
//      bytes, zero the rest), with its permissions;
//   3. map an 8 MiB stack, committed on demand, and build the Linux initial
//      stack on it: argc, argv, envp, auxv, and the strings they point to;
//   4. make a thread whose trap frame enters the ELF at EL1t (SP_EL0).
#include "gostart.h"
#include "arch.h"
#include "elf.h"
#include "lib.h"
#include "memlayout.h"
#include "palloc.h"
#include "random.h"
#include "thread.h"
#include "trap.h"
#include "vm.h"
#include "vma.h"

extern const u8 _payload_start[], _payload_end[];

#define STACK_TOP 0x0000fffffffff000UL
#define STACK_SIZE (8 * MiB)
#define MAX_ARGS 32

// Auxiliary vector types (include/uapi/linux/auxvec.h).
enum { AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_ENTRY = 9,
       AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_HWCAP = 16, AT_CLKTCK = 17,
       AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31 };

// SPSR for entering the Go kernel: EL1t (M = 0b0100, running on SP_EL0),
// IRQs unmasked so the tick can preempt it; debug, SError and FIQ masked.
#define SPSR_EL1T_IRQ_ON ((1 << 9) | (1 << 8) | (1 << 6) | 0x4)

// hwcap derives AT_HWCAP from the ID registers (Linux's
// arch/arm64/kernel/cpufeature.c bit assignments). The A72 has no LSE
// atomics, so HWCAP_ATOMICS must stay clear or Go would use them.
static u64 hwcap(void) {
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1), isar0 = read_sysreg(id_aa64isar0_el1);
	u64 h = 0;
	if (((pfr0 >> 16) & 0xf) != 0xf)
		h |= 1 << 0; // FP
	if (((pfr0 >> 20) & 0xf) != 0xf)
		h |= 1 << 1; // ASIMD
	if (((isar0 >> 4) & 0xf) >= 1)
		h |= 1 << 3; // AES
	if (((isar0 >> 4) & 0xf) >= 2)
		h |= 1 << 4; // PMULL
	if (((isar0 >> 8) & 0xf) >= 1)
		h |= 1 << 5; // SHA1
	if (((isar0 >> 12) & 0xf) >= 1)
		h |= 1 << 6; // SHA2
	if (((isar0 >> 16) & 0xf) >= 1)
		h |= 1 << 7; // CRC32
	if (((isar0 >> 20) & 0xf) >= 2)
		h |= 1 << 8; // ATOMICS (LSE)
	return h;
}

static int prot_of(u32 flags) {
	return (flags & PF_R ? VM_READ : 0) | (flags & PF_W ? VM_WRITE : 0) | (flags & PF_X ? VM_EXEC : 0);
}

// load_segments maps every PT_LOAD segment; NULL or the reason it failed.
static const char *load_segments(const u8 *elf, u64 size, const struct elf64_ehdr *eh, u64 *phdr_va) {
	const struct elf64_phdr *ph = (const void *)(elf + eh->phoff);
	for (int i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *p = &ph[i];
		if (p->type != PT_LOAD)
			continue;
		if (p->offset + p->filesz > size || p->filesz > p->memsz)
			return "a PT_LOAD segment lies outside the file";
		if (p->vaddr < KREGION_BASE || p->vaddr + p->memsz > MMAP_BASE)
			return "a PT_LOAD segment lies outside the kernel region (link with -T 0x800000011000)";
		if ((p->vaddr & (PAGE_SIZE - 1)) != (p->offset & (PAGE_SIZE - 1)))
			return "a PT_LOAD segment is misaligned";
		if (p->offset == 0)
			*phdr_va = p->vaddr + eh->phoff; // the headers are in the first segment
		u64 start = ALIGN_DOWN(p->vaddr, PAGE_SIZE), end = ALIGN_UP(p->vaddr + p->memsz, PAGE_SIZE);
		int prot = prot_of(p->flags);
		if (vma_map(start, end - start, prot) < 0)
			return "no room for a segment's area";
		// Fill each page eagerly: copy file bytes, leave the rest zero.
		for (u64 va = start; va < end; va += PAGE_SIZE) {
			u64 pa = palloc_alloc(1);
			if (!pa || !vm_map(va, pa, prot))
				return "out of memory loading the Go kernel";
			u64 lo = va > p->vaddr ? va : p->vaddr;
			u64 hi = va + PAGE_SIZE < p->vaddr + p->filesz ? va + PAGE_SIZE : p->vaddr + p->filesz;
			if (lo < hi)
				memcpy((u8 *)PHYS_TO_VIRT(pa) + (lo - va), elf + p->offset + (lo - p->vaddr), hi - lo);
		}
	}
	return NULL;
}

// push copies n bytes onto the downward-growing stack and returns where.
static u64 push(u64 *sp, const void *src, u64 n) {
	*sp -= n;
	memcpy((void *)*sp, src, n);
	return *sp;
}

const char *go_start(const char *bootargs) {
	const u8 *elf = _payload_start;
	u64 size = (u64)(_payload_end - _payload_start);
	const struct elf64_ehdr *eh = (const void *)elf;
	// 1. The header: a static little-endian AArch64 executable.
	if (size < sizeof *eh || memcmp(eh->ident, "\x7f" "ELF", 4) != 0)
		return "the payload is not an ELF file";
	if (eh->ident[4] != 2 || eh->ident[5] != 1)
		return "the payload is not a 64-bit little-endian ELF";
	if (eh->type != ET_EXEC || eh->machine != EM_AARCH64)
		return "the payload is not an AArch64 executable (ET_EXEC)";
	if (eh->phentsize != sizeof(struct elf64_phdr) || eh->phoff + (u64)eh->phnum * eh->phentsize > size)
		return "the payload's program headers are outside the file";
	// 2. The segments.
	u64 phdr_va = 0;
	const char *err = load_segments(elf, size, eh, &phdr_va);
	if (err)
		return err;
	// 3. The stack: an area committed on first touch, like any other.
	if (vma_map(STACK_TOP - STACK_SIZE, STACK_SIZE, VM_READ | VM_WRITE) < 0)
		return "no room for the stack";
	// Strings first (at the top), then the vectors below them. Boot
	// arguments of the form NAME=value with an upper-case NAME (GODEBUG=,
	// GOGC=) become environment variables; every other word is an argument.
	u64 sp = STACK_TOP;
	u64 argv[MAX_ARGS + 1], envp[MAX_ARGS + 1];
	int argc = 0, envc = 0;
	argv[argc++] = push(&sp, "burrow", 7);
	char word[256];
	for (const char *s = bootargs; *s;) {
		while (*s == ' ')
			s++;
		u64 n = 0;
		while (s[n] && s[n] != ' ' && n < sizeof word - 1)
			n++;
		if (!n)
			break;
		memcpy(word, s, n);
		word[n] = 0;
		s += n;
		bool env = word[0] >= 'A' && word[0] <= 'Z';
		for (u64 i = 0; env && word[i] && word[i] != '='; i++)
			if (!((word[i] >= 'A' && word[i] <= 'Z') || word[i] == '_' || (word[i] >= '0' && word[i] <= '9')))
				env = false;
		if (env && envc < MAX_ARGS)
			envp[envc++] = push(&sp, word, n + 1);
		else if (!env && argc < MAX_ARGS)
			argv[argc++] = push(&sp, word, n + 1);
	}
	u64 rnd[2] = {random_next(), random_next()};
	u64 at_random = push(&sp, rnd, 16);
	u64 auxv[][2] = {
		{AT_PHDR, phdr_va}, {AT_PHENT, sizeof(struct elf64_phdr)}, {AT_PHNUM, eh->phnum},
		{AT_PAGESZ, PAGE_SIZE}, {AT_ENTRY, eh->entry}, {AT_UID, 0}, {AT_EUID, 0}, {AT_GID, 0},
		{AT_EGID, 0}, {AT_HWCAP, hwcap()}, {AT_HWCAP2, 0}, {AT_CLKTCK, 100},
		{AT_RANDOM, at_random}, {AT_EXECFN, argv[0]}, {AT_NULL, 0},
	};
	// argc, argv[], NULL, envp[], NULL, auxv[]: 16-byte aligned at argc.
	u64 words = 1 + (u64)argc + 1 + (u64)envc + 1 + 2 * ARRAY_LEN(auxv);
	sp = ALIGN_DOWN(sp - words * 8, 16);
	u64 *w = (u64 *)sp;
	*w++ = (u64)argc;
	for (int i = 0; i < argc; i++)
		*w++ = argv[i];
	*w++ = 0;
	for (int i = 0; i < envc; i++)
		*w++ = envp[i];
	*w++ = 0;
	memcpy(w, auxv, sizeof auxv);
	// 4. The first thread: enter at the ELF's entry point on that stack.
	struct trapframe tf;
	memset(&tf, 0, sizeof tf);
	tf.elr = eh->entry;
	tf.spsr = SPSR_EL1T_IRQ_ON;
	tf.sp = sp;
	tf.kind = FROM_EL1T | TRAP_SYNC; // trap_return restores SP_EL0 from tf.sp
	struct thread *t = thread_create(&tf);
	if (!t)
		return "cannot create the Go kernel's first thread";
	thread_run(t);
	return NULL;
}
