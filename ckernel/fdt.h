// fdt.h: a small reader for the flattened device tree (Devicetree
// Specification v0.4, chapter 5). The C core uses it for the few facts it
// needs before the Go kernel's full parser runs: RAM, the console UART, the
// interrupt controller, the timer's interrupt and the boot arguments.
//
// It is position independent and allocation free, so boot calls it with the
// MMU off. A node is named by its offset in the structure block.
#pragma once
#include "types.h"

#define FDT_MAGIC 0xd00dfeed

struct fdt {
	const u8 *base;
	u32 off_struct, off_strings, size_struct, totalsize;
};

// fdt_open checks the header of the blob at p and fills f; false if p does
// not point at a device tree this reader understands.
bool fdt_open(struct fdt *f, const void *p);
// fdt_find_path returns the node at an absolute path such as "/chosen",
// matching each component with or without its @unit-address; -1 if absent.
int fdt_find_path(const struct fdt *f, const char *path);
// fdt_find_compatible returns the first enabled node after offset start
// (use -1 to search from the root) whose compatible list contains compat.
int fdt_find_compatible(const struct fdt *f, int start, const char *compat);
// fdt_prop returns the value of a node's property and its length, or NULL.
const void *fdt_prop(const struct fdt *f, int node, const char *name, int *len);
// fdt_reg returns entry idx of a node's reg property, translated through
// every parent's ranges to a CPU physical address.
bool fdt_reg(const struct fdt *f, int node, int idx, u64 *addr, u64 *size);
// fdt_count_children returns how many direct children of node have names
// starting with prefix (for example "cpu@" under /cpus).
int fdt_count_children(const struct fdt *f, int node, const char *prefix);
// fdt_node_by_phandle returns the node whose phandle is ph, or -1.
int fdt_node_by_phandle(const struct fdt *f, u32 ph);
// fdt_be32 reads one big-endian cell.
u32 fdt_be32(const void *p);
