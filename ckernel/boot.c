// boot.c: boot_early, the C half of boot before the MMU is on. It must be
// position independent like boot.S; see mmu.c for what that rules out.
#include "boot.h"
#include "fdt.h"
#include "lib.h"
#include "mmu.h"

struct bootinfo bootinfo;

// find_dtb sets bootinfo.dtb_pa to the device tree's physical address
// (which may be 0) and says whether it found one. The Linux boot
// protocol passes it in x0 (Pi firmware, QEMU with a raw Image). QEMU does
// not set x0 for an ELF kernel; it places the DTB at the start of RAM
// instead, so boot looks there, below the image (a DTB is 8-byte aligned).
static bool find_dtb(u64 x0, u64 image_pa) {
	struct fdt f;
	bootinfo.dtb_pa = x0;
	if (fdt_open(&f, (const void *)x0))
		return true;
	u64 ram = ALIGN_DOWN(image_pa, 1 * GiB);
	for (u64 a = ram; a < image_pa; a += 8)
		if (fdt_open(&f, (const void *)a)) {
			bootinfo.dtb_pa = a;
			bootinfo.dtb_searched = true;
			return true;
		}
	return false;
}

void boot_early(u64 x0, u64 entry_count, u64 entry_el, u64 image_pa) {
	bootinfo.entry_count = entry_count;
	bootinfo.entry_el = entry_el;
	bootinfo.image_pa = image_pa;
	bootinfo.have_dtb = find_dtb(x0, image_pa);

	// RAM: every reg entry of every memory node. Without a device tree
	// there is no safe guess; map just the 1 GiB holding the image so
	// kmain can run and report the missing tree.
	struct fdt f;
	if (bootinfo.have_dtb && fdt_open(&f, (const void *)bootinfo.dtb_pa)) {
		for (int node = fdt_find_path(&f, "/memory"); node >= 0 && bootinfo.nram < MAX_RAM_REGIONS;) {
			u64 a, s;
			if (!fdt_reg(&f, node, bootinfo.nram, &a, &s))
				break;
			if (s) {
				bootinfo.ram_base[bootinfo.nram] = a;
				bootinfo.ram_size[bootinfo.nram] = s;
			}
			bootinfo.nram++;
		}
	}
	if (bootinfo.nram == 0) {
		bootinfo.ram_base[0] = ALIGN_DOWN(image_pa, GiB);
		bootinfo.ram_size[0] = GiB;
		bootinfo.nram = -1; // kmain reports: no /memory in the device tree
	}
	int n = bootinfo.nram < 0 ? 1 : bootinfo.nram;
	mmu_build(image_pa, bootinfo.ram_base, bootinfo.ram_size, n);
	mmu_enable();
}
