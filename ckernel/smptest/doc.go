// Package smptest holds the C core's tests on four cores (issue #11): lock
// torture, TLB shootdown, the parallel busy workload, the runtime stress
// test with GOMAXPROCS=4, user processes in parallel, and per-CPU
// accounting on the console and in /proc/stat. They boot QEMU without icount (icount runs every vCPU on one
// host thread), with -smp 4 on virt; raspi4b always has four cores.
//
// Four vCPUs want four host cores, so these tests run alone, in their own
// tier (mk/smp.test.sh sets BURROW_SMP_TIER=1), one at a time; in the
// general QEMU tier they skip and say where they run. make soak-smp loops
// over them for longer (BURROW_SMP_SOAK) and counts runs and faults.
package smptest
