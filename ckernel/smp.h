// smp.h: starting the secondary cores and waking them.
#pragma once
#include "types.h"

// smp_start releases up to max - 1 secondary cores (parking the rest in
// WFI where the firmware left them spinning), as the device tree
// says (spin-table on the Pi, PSCI on virt), or from park_secondary when
// all cores entered the image, and waits for them to come online. It
// returns how many CPUs are online.
int smp_start(int max);
// smp_kick_cpu interrupts CPU n, so that the thread running there passes
// through the C core (for example to take a pending signal).
void smp_kick_cpu(int n);
// SGI_WAKE is the software-generated interrupt smp_kick_cpu sends: it wakes
// an idle CPU from WFI, or makes a busy one pass through the C core.
#define SGI_WAKE 0
