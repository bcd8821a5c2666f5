// esr.c: names for exception classes and abort status codes, from the
// ARM ARM's ESR_ELx description (D23.2.41, table D23-6, and the DFSC/IFSC
// encodings).
#include "esr.h"
#include "lib.h"

const char *esr_class_name(u32 ec) {
	switch (ec) {
	case 0x00: return "unknown reason";
	case 0x01: return "WFI or WFE trapped";
	case 0x07: return "SVE, SIMD or FP access trapped";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC from AArch64";
	case 0x16: return "HVC from AArch64";
	case 0x17: return "SMC from AArch64";
	case 0x18: return "MSR, MRS or system instruction trapped";
	case 0x20: return "instruction abort (lower EL)";
	case 0x21: return "instruction abort (same EL)";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort (lower EL)";
	case 0x25: return "data abort (same EL)";
	case 0x26: return "SP alignment fault";
	case 0x2c: return "floating-point exception";
	case 0x2f: return "SError interrupt";
	case 0x30: return "breakpoint (lower EL)";
	case 0x31: return "breakpoint (same EL)";
	case 0x32: return "software step (lower EL)";
	case 0x33: return "software step (same EL)";
	case 0x34: return "watchpoint (lower EL)";
	case 0x35: return "watchpoint (same EL)";
	case 0x3c: return "BRK instruction";
	default: return "reserved exception class";
	}
}

const char *esr_fault_name(u64 esr, char *buf, size_t n) {
	u32 fsc = (u32)esr & 0x3f;
	u32 level = fsc & 3;
	const char *kind;
	switch (fsc & 0x3c) {
	case 0x00: kind = "address size fault"; break;
	case 0x04: kind = "translation fault"; break;
	case 0x08: kind = "access flag fault"; break;
	case 0x0c: kind = "permission fault"; break;
	default:
		switch (fsc) {
		case 0x10: kind = "synchronous external abort"; break;
		case 0x21: kind = "alignment fault"; break;
		case 0x30: kind = "TLB conflict abort"; break;
		default: kind = "other fault"; break;
		}
		ksnprintf(buf, n, "%s (FSC 0x%x)", kind, fsc);
		return buf;
	}
	ksnprintf(buf, n, "%s, level %u", kind, level);
	return buf;
}
