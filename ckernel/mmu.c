// mmu.c: Burrow's boot-time page tables. See memlayout.h for the map.
//
// Everything in this file except mmu_drop_identity runs with the MMU off,
// at the physical load address. So: no absolute pointers (only adrp-relative
// addressing, which GCC emits for globals), and every address computed from
// a linker symbol here is a physical address.
//
// Translation regime: 4 KiB granule, 48-bit VA, four levels (L0 to L3);
// each level resolves 9 bits of the VA (ARM ARM D8.2.7, table D8-12):
//   L0: VA[47:39]  512 GiB per entry     L2: VA[29:21]  2 MiB (block)
//   L1: VA[38:30]  1 GiB (block)         L3: VA[20:12]  4 KiB (page)
#include "mmu.h"
#include "arch.h"
#include "lib.h"
#include "memlayout.h"

#define ENTRIES 512
#define DIRECT_L2_TABLES 8 // GiBs that need 2 MiB granularity (RAM edges)
#define IMAGE_L3_TABLES 16 // the image (with the Go kernel's ELF) may span up to 32 MiB

typedef u64 table[ENTRIES] __attribute__((aligned(4096)));

static table ttbr1_l0, direct_l1, direct_l2[DIRECT_L2_TABLES];
static table image_l1, image_l2, image_l3[IMAGE_L3_TABLES];
static table ttbr0_l0, idmap_l1;
u64 mmu_direct_map_end;

// Linker-script symbols (kernel.ld) bounding the image's sections.
extern char _start[], _etext[], _erodata[], _end[];

static u64 idx(u64 va, int level) { return (va >> (39 - 9 * level)) & (ENTRIES - 1); }

// Attributes for kinds of mapping. The direct map is never executable.
static const u64 NORMAL_RW = PTE_AF | PTE_SH_INNER | PTE_ATTR(MT_NORMAL) | PTE_PXN | PTE_UXN;
static const u64 DEVICE_RW = PTE_AF | PTE_ATTR(MT_DEVICE) | PTE_PXN | PTE_UXN;

// ram_overlap reports whether [pa, pa+len) touches any RAM region.
static bool ram_overlap(u64 pa, u64 len, const u64 *base, const u64 *size, int n) {
	for (int i = 0; i < n; i++)
		if (pa < base[i] + size[i] && base[i] < pa + len)
			return true;
	return false;
}

// build_direct_map maps every GiB below 4 GiB (RAM normal, the rest device,
// where MMIO lives on both boards) and any RAM above it.
static void build_direct_map(const u64 *base, const u64 *size, int n) {
	int l2_used = 0;
	u64 end = 4 * GiB;
	for (int i = 0; i < n; i++)
		if (base[i] + size[i] > end)
			end = ALIGN_UP(base[i] + size[i], GiB);
	if (end > ENTRIES * GiB)
		end = ENTRIES * GiB; // one L1 table: 512 GiB is plenty for a Pi
	mmu_direct_map_end = end;
	ttbr1_l0[idx(DIRECT_MAP, 0)] = (u64)direct_l1 | PTE_TABLE | PTE_VALID;
	for (u64 gib = 0; gib < end; gib += GiB) {
		u64 *e = &direct_l1[gib / GiB];
		bool ram = ram_overlap(gib, GiB, base, size, n);
		if (!ram) {
			if (gib < 4 * GiB) // 1 GiB device block
				*e = gib | DEVICE_RW | PTE_VALID;
			continue;
		}
		bool all_ram = false;
		for (int i = 0; i < n; i++)
			if (base[i] <= gib && gib + GiB <= base[i] + size[i])
				all_ram = true;
		if (all_ram || l2_used == DIRECT_L2_TABLES) {
			*e = gib | NORMAL_RW | PTE_VALID; // 1 GiB normal block
			continue;
		}
		// A GiB holding the edge of RAM: 2 MiB blocks, RAM normal,
		// the rest device (on raspi4b, 0x3C000000-0x3FFFFFFF).
		u64 *l2 = direct_l2[l2_used++];
		for (u64 j = 0; j < ENTRIES; j++) {
			u64 pa = gib + j * 2 * MiB;
			l2[j] = pa | PTE_VALID |
				(ram_overlap(pa, 2 * MiB, base, size, n) ? NORMAL_RW : DEVICE_RW);
		}
		*e = (u64)l2 | PTE_TABLE | PTE_VALID;
	}
}

// build_image_map maps the C core's image at KIMAGE_VA page by page, with
// text read-only and executable, rodata read-only, and data and BSS
// read-write, neither executable: a stray write into code faults.
static void build_image_map(u64 image_pa) {
	u64 base = image_pa - TEXT_OFFSET; // 2 MiB aligned by the boot protocol
	u64 text_end = (u64)_etext - (u64)_start, ro_end = (u64)_erodata - (u64)_start;
	u64 end = (u64)_end - (u64)_start;
	ttbr1_l0[idx(KIMAGE_VA, 0)] = (u64)image_l1 | PTE_TABLE | PTE_VALID;
	image_l1[idx(KIMAGE_VA, 1)] = (u64)image_l2 | PTE_TABLE | PTE_VALID;
	for (int t = 0; t < IMAGE_L3_TABLES; t++)
		image_l2[t] = (u64)image_l3[t] | PTE_TABLE | PTE_VALID;
	for (u64 off = 0; off < ALIGN_UP(end, 4096); off += 4096) {
		u64 attr = PTE_AF | PTE_SH_INNER | PTE_ATTR(MT_NORMAL) | PTE_UXN;
		if (off >= text_end)
			attr |= PTE_PXN;
		if (off < ro_end)
			attr |= PTE_AP_RO;
		u64 page = (TEXT_OFFSET + off) / 4096;
		image_l3[page / ENTRIES][page % ENTRIES] = (base + TEXT_OFFSET + off) | attr | PTE_TABLE | PTE_VALID;
	}
}

// build_identity_map maps the GiB holding the image at its own physical
// address, so the instructions right after the MMU turns on still fetch.
static void build_identity_map(u64 image_pa) {
	ttbr0_l0[idx(image_pa, 0)] = (u64)idmap_l1 | PTE_TABLE | PTE_VALID;
	u64 gib = ALIGN_DOWN(image_pa, GiB);
	idmap_l1[idx(image_pa, 1)] = gib | PTE_AF | PTE_SH_INNER | PTE_ATTR(MT_NORMAL) | PTE_UXN | PTE_VALID;
}

void mmu_build(u64 image_pa, const u64 *ram_base, const u64 *ram_size, int n) {
	build_direct_map(ram_base, ram_size, n);
	build_image_map(image_pa);
	build_identity_map(image_pa);
}

// tcr_value composes TCR_EL1 (ARM ARM D23.2.142).
static u64 tcr_value(void) {
	u64 mmfr0 = read_sysreg(id_aa64mmfr0_el1); // D23.2.82
	u64 parange = mmfr0 & 0xf;
	u64 asid16 = ((mmfr0 >> 4) & 0xf) == 2 ? 1UL << 36 : 0; // AS: 16-bit ASIDs if the CPU has them
	return asid16 | 16UL                 // T0SZ: 48-bit lower half
	       | (1UL << 8) | (1UL << 10) | (3UL << 12) // IRGN0/ORGN0 WB-WA, SH0 inner
	       | (0UL << 14)          // TG0: 4 KiB
	       | (16UL << 16)         // T1SZ: 48-bit upper half
	       | (1UL << 24) | (1UL << 26) | (3UL << 28) // IRGN1/ORGN1 WB-WA, SH1 inner
	       | (2UL << 30)          // TG1: 4 KiB
	       | (parange << 32);     // IPS: the CPU's physical address size
}

// invalidate_dcache discards any cache lines for [start, end): the tables
// were written with the MMU (and so the caches) off, and a stale line left by
// the firmware must not hide them from the table walker. DC IVAC: ARM ARM
// C5.3.13; the line size comes from CTR_EL0.DminLine (D23.2.33).
static void invalidate_dcache(u64 start, u64 end) {
	u64 line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	for (u64 a = ALIGN_DOWN(start, line); a < end; a += line)
		__asm__ volatile("dc ivac, %0" ::"r"(a) : "memory");
	dsb(sy);
}

// load_and_enable is the common half of turning the MMU on.
static void load_and_enable(void) {
	write_sysreg(mair_el1, MAIR_VALUE);
	write_sysreg(tcr_el1, tcr_value());
	write_sysreg(ttbr0_el1, (u64)ttbr0_l0);
	write_sysreg(ttbr1_el1, (u64)ttbr1_l0);
	isb();
	__asm__ volatile("tlbi vmalle1" ::: "memory"); // C5.5.74: drop stale TLB entries
	dsb(nsh);
	isb();
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 12));
	isb();
}

void mmu_enable(void) {
	extern char __data_start[];
	invalidate_dcache((u64)__data_start, (u64)_end);
	load_and_enable();
}

// mmu_enable_secondary turns a secondary core's MMU on with the tables the
// primary built. It must not invalidate any cache line: the primary's
// caches may hold data not yet written back, and the page-table walks and
// loads of this core are coherent with them once its MMU is on.
void mmu_enable_secondary(void) { load_and_enable(); }

void mmu_drop_identity(void) {
	write_sysreg(tcr_el1, read_sysreg(tcr_el1) | (1UL << 7)); // EPD0: no TTBR0 walks
	isb();
	__asm__ volatile("tlbi vmalle1" ::: "memory");
	dsb(nsh);
	isb();
}
