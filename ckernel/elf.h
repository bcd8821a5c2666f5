// elf.h: the parts of ELF64 (System V ABI, "ELF-64 Object File Format"
// v1.5) the loader reads.
#pragma once
#include "types.h"

struct elf64_ehdr {
	u8 ident[16]; // \x7fELF, class 2 (64-bit), data 1 (little endian), ...
	u16 type, machine;
	u32 version;
	u64 entry, phoff, shoff;
	u32 flags;
	u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	u32 type, flags;
	u64 offset, vaddr, paddr, filesz, memsz, align;
};

#define ET_EXEC 2
#define EM_AARCH64 183
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4
