// fdt.c: the C core's device-tree reader; see fdt.h. All values in a DTB are
// big-endian, and every structure-block token is 4-byte aligned.
#include "fdt.h"
#include "lib.h"

enum {
	FDT_BEGIN_NODE = 1, // followed by the NUL-terminated node name
	FDT_END_NODE = 2,
	FDT_PROP = 3, // followed by len, nameoff, then len bytes of value
	FDT_NOP = 4,  // QEMU's raspi4b overwrites removed nodes with these
	FDT_END = 9,
	MAX_DEPTH = 16,
};

u32 fdt_be32(const void *p) {
	const u8 *b = p;
	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static u64 read_cells(const u8 *p, int n) {
	u64 v = 0;
	for (int i = 0; i < n; i++)
		v = v << 32 | fdt_be32(p + 4 * i);
	return v;
}

bool fdt_open(struct fdt *f, const void *p) {
	const u8 *b = p;
	if (fdt_be32(b) != FDT_MAGIC) // p may be 0: RAM starts there on the Pi
		return false;
	u32 version = fdt_be32(b + 20);
	if (version < 16)
		return false;
	f->base = b;
	f->totalsize = fdt_be32(b + 4);
	f->off_struct = fdt_be32(b + 8);
	f->off_strings = fdt_be32(b + 12);
	f->size_struct = fdt_be32(b + 36);
	return f->off_struct < f->totalsize && f->off_strings < f->totalsize;
}

static u32 tok(const struct fdt *f, int off) { return fdt_be32(f->base + f->off_struct + off); }
static const char *str_at(const struct fdt *f, int off) { return (const char *)f->base + f->off_struct + off; }

// skip_name returns the offset of the token after a BEGIN_NODE at off.
static int after_name(const struct fdt *f, int off) {
	const char *name = str_at(f, off + 4);
	return off + 4 + (int)ALIGN_UP(strlen(name) + 1, 4);
}

// next_token returns the offset of the token after the one at off, or -1 at
// FDT_END or on a token this reader does not know.
static int next_token(const struct fdt *f, int off) {
	switch (tok(f, off)) {
	case FDT_BEGIN_NODE:
		return after_name(f, off);
	case FDT_PROP:
		return off + 12 + (int)ALIGN_UP(fdt_be32(f->base + f->off_struct + off + 4), 4);
	case FDT_END_NODE:
	case FDT_NOP:
		return off + 4;
	default:
		return -1;
	}
}

const void *fdt_prop(const struct fdt *f, int node, const char *name, int *len) {
	if (node < 0 || tok(f, node) != FDT_BEGIN_NODE)
		return NULL;
	for (int off = after_name(f, node); off >= 0; off = next_token(f, off)) {
		u32 t = tok(f, off);
		if (t == FDT_NOP)
			continue;
		if (t != FDT_PROP)
			return NULL; // properties come before child nodes
		const u8 *p = f->base + f->off_struct + off;
		const char *pname = (const char *)f->base + f->off_strings + fdt_be32(p + 8);
		if (strcmp(pname, name) == 0) {
			if (len)
				*len = (int)fdt_be32(p + 4);
			return p + 12;
		}
	}
	return NULL;
}

// walk visits every node in document order. For the node at target it
// fills the chain of ancestors (root first) and returns its depth; with
// target -1 it just validates the tree.
static int ancestry(const struct fdt *f, int target, int chain[MAX_DEPTH]) {
	int depth = 0;
	for (int off = 0; off >= 0; off = next_token(f, off)) {
		switch (tok(f, off)) {
		case FDT_BEGIN_NODE:
			if (depth >= MAX_DEPTH)
				return -1;
			chain[depth++] = off;
			if (off == target)
				return depth;
			break;
		case FDT_END_NODE:
			if (--depth < 0)
				return -1;
			break;
		}
	}
	return -1;
}

static bool name_matches(const char *node, const char *want, size_t n) {
	if (strncmp(node, want, n) != 0)
		return false;
	return node[n] == 0 || node[n] == '@';
}

int fdt_find_path(const struct fdt *f, const char *path) {
	if (path[0] != '/')
		return -1;
	int depth = 0, matched = 0; // matched: how many path components agree
	const char *comp = path + 1;
	if (!*comp)
		return 0;
	for (int off = 0; off >= 0; off = next_token(f, off)) {
		u32 t = tok(f, off);
		if (t == FDT_BEGIN_NODE) {
			depth++;
			if (depth == matched + 2) { // a child of the deepest match
				size_t n = 0;
				while (comp[n] && comp[n] != '/')
					n++;
				if (name_matches(str_at(f, off + 4), comp, n)) {
					matched++;
					if (!comp[n])
						return off;
					comp += n + 1;
				}
			}
		} else if (t == FDT_END_NODE) {
			if (depth == matched + 1 && matched > 0)
				return -1; // left the matched parent without a hit
			depth--;
		}
	}
	return -1;
}

static bool enabled(const struct fdt *f, int node) {
	const char *s = fdt_prop(f, node, "status", NULL);
	return !s || strcmp(s, "okay") == 0 || strcmp(s, "ok") == 0;
}

int fdt_find_compatible(const struct fdt *f, int start, const char *compat) {
	int off = start < 0 ? 0 : next_token(f, start);
	size_t want = strlen(compat);
	for (; off >= 0; off = next_token(f, off)) {
		if (tok(f, off) != FDT_BEGIN_NODE)
			continue;
		int len;
		const char *c = fdt_prop(f, off, "compatible", &len);
		// compatible is a list of NUL-terminated strings.
		for (int i = 0; c && i < len; i += (int)strlen(c + i) + 1)
			if (strlen(c + i) == want && strcmp(c + i, compat) == 0 && enabled(f, off))
				return off;
	}
	return -1;
}

static int cells(const struct fdt *f, int node, const char *name, int dflt) {
	const void *p = fdt_prop(f, node, name, NULL);
	return p ? (int)fdt_be32(p) : dflt;
}

bool fdt_reg(const struct fdt *f, int node, int idx, u64 *addr, u64 *size) {
	int chain[MAX_DEPTH];
	int depth = ancestry(f, node, chain);
	if (depth < 2)
		return false;
	int parent = chain[depth - 2];
	int ac = cells(f, parent, "#address-cells", 2), sc = cells(f, parent, "#size-cells", 1);
	int len;
	const u8 *reg = fdt_prop(f, node, "reg", &len);
	int stride = 4 * (ac + sc);
	if (!reg || stride == 0 || (idx + 1) * stride > len)
		return false;
	u64 a = read_cells(reg + idx * stride, ac);
	*size = read_cells(reg + idx * stride + 4 * ac, sc);
	// Walk up: each bus maps child addresses to its parent's through ranges.
	for (int d = depth - 2; d > 0; d--) {
		int bus = chain[d], up = chain[d - 1];
		int rlen;
		const u8 *r = fdt_prop(f, bus, "ranges", &rlen);
		if (!r)
			return false; // no ranges: the bus is not memory-mapped
		if (rlen == 0)
			continue; // empty ranges: identity
		int cac = cells(f, bus, "#address-cells", 2);
		int csc = cells(f, bus, "#size-cells", 1);
		int pac = cells(f, up, "#address-cells", 2);
		int ent = 4 * (cac + pac + csc);
		bool hit = false;
		for (int i = 0; i + ent <= rlen; i += ent) {
			u64 child = read_cells(r + i, cac);
			u64 par = read_cells(r + i + 4 * cac, pac);
			u64 sz = read_cells(r + i + 4 * (cac + pac), csc);
			if (a >= child && a - child < sz) {
				a = a - child + par;
				hit = true;
				break;
			}
		}
		if (!hit)
			return false;
	}
	*addr = a;
	return true;
}

int fdt_count_children(const struct fdt *f, int node, const char *prefix) {
	int depth = 0, n = 0;
	size_t plen = strlen(prefix);
	for (int off = node; off >= 0; off = next_token(f, off)) {
		u32 t = tok(f, off);
		if (t == FDT_BEGIN_NODE) {
			depth++;
			if (depth == 2 && strncmp(str_at(f, off + 4), prefix, plen) == 0)
				n++;
		} else if (t == FDT_END_NODE && --depth == 0) {
			break;
		}
	}
	return n;
}

int fdt_node_by_phandle(const struct fdt *f, u32 ph) {
	for (int off = 0; off >= 0; off = next_token(f, off)) {
		if (tok(f, off) != FDT_BEGIN_NODE)
			continue;
		const void *p = fdt_prop(f, off, "phandle", NULL);
		if (p && fdt_be32(p) == ph)
			return off;
	}
	return -1;
}
