// esr.h: decoding the Exception Syndrome Register (ARM ARM D23.2.41).
#pragma once
#include "types.h"

// ESR_EL1.EC, bits 31:26: the exception class.
static inline u32 esr_class(u64 esr) { return (u32)(esr >> 26) & 0x3f; }

enum {
	EC_UNKNOWN = 0x00,
	EC_SVC64 = 0x15,
	EC_IABT_LOW = 0x20,
	EC_IABT_CUR = 0x21,
	EC_PC_ALIGN = 0x22,
	EC_DABT_LOW = 0x24,
	EC_DABT_CUR = 0x25,
	EC_SP_ALIGN = 0x26,
	EC_BRK64 = 0x3c,
};

// esr_class_name names an exception class, such as "data abort (same EL)".
const char *esr_class_name(u32 ec);
// esr_fault_name names the fault status code of an abort (ISS bits 5:0),
// such as "translation fault, level 0"; it writes into buf.
const char *esr_fault_name(u64 esr, char *buf, size_t n);
