#!/usr/bin/env bash
# The SMP tier (issue #11): lock torture, TLB shootdown, the parallel busy
# workload, the runtime stress test with GOMAXPROCS=4 and per-CPU
# accounting, each booting QEMU with four vCPUs and no icount. They run
# alone and one at a time (-p 1): four vCPUs already want more host cores
# than this machine has. About 35 s on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
env BURROW_QEMU=1 BURROW_SMP_TIER=1 go test -count=1 -p 1 -v -run '^TestQEMUSMP' ./ckernel/smptest ./kernel/proc |
	grep -E '^(--- |ok|FAIL|PASS)|smp_test.go|cpus_test.go|qemu_test.go'
