// Package burrow holds Burrow's own additions to the Linux arm64 user ABI:
// the private prctl(2) options through which an application asks the kernel
// to admit it (the Application framework, app/), and the structure that
// carries its resource requirements. Like kernel/abi/linux it is plain data
// with no logic: the kernel (kernel/proc, at EL1) and user programs (the app
// package, at EL0, and on Linux under qemu-aarch64) both import it, so the
// two sides cannot disagree on a number or an offset.
//
// The options live in a private range that Linux does not use. Linux gives
// a few prctl options ASCII tags instead of small numbers (PR_SET_PTRACER is
// 0x59616d61, "Yama"; PR_SET_VMA is 0x53564d41, "SVMA"); Burrow's options are
// tagged "Bur" in their top three bytes, 0x427572nn. Linux answers any option
// it does not know with EINVAL, so a program can call PR_BURROW_VERSION to
// find out whether it runs on Burrow at all.
package burrow
