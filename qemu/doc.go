// Package qemu boots Burrow kernels in QEMU: it builds the command line for
// each board (raspi4b, virt, virt-el2), runs QEMU with the console on a pipe,
// types console input, enforces a wall-clock backstop, and parses the
// in-kernel test protocol (PROTOCOL.md), whose lines carry a per-run nonce.
//
// It runs on the host. burrow run, the QEMU test tier, the grader and the
// debugger all start QEMU through this package, so every board fact lives in
// board.go and nowhere else.
package qemu
