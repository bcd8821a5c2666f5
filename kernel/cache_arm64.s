//go:build linux && arm64

#include "textflag.h"

// func syncICache()
//
// Makes instructions written through the data side visible to instruction
// fetch everywhere (ARM ARM B2.4.4): the data writes must reach the point of
// unification (DSB ISH after the stores; the direct map is write-back and
// the caches are coherent for data), then every instruction cache in the
// inner-shareable domain is invalidated (IC IALLUIS), and the pipeline
// refetches (ISB).
TEXT ·syncICache(SB), NOSPLIT, $0-0
	DSB	$11			// ISH
	WORD	$0xd508711f		// IC IALLUIS (C5.3.12)
	DSB	$11
	ISB	$15
	RET
