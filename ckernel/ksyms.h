// ksyms.h: the symbol table built into the image, for symbolized backtraces.
// The build links the C core once, lists its text symbols with nm, and links
// again with the list (scripts/ksyms.sh generates ksyms.S). The table lives
// after .data, so adding it moves no code; the build checks that.
#pragma once
#include "types.h"

// ksym_lookup returns the name of the function containing addr and the
// offset into it, or NULL if addr is outside the C core's text.
const char *ksym_lookup(u64 addr, u64 *offset);
// ksym_addr returns the address of a function by name, or 0.
u64 ksym_addr(const char *name);
