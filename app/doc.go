// Package app is Burrow's Application framework (the plan's section 4.2): a
// small user-space library for Go programs that run at EL0 on Burrow, built
// as ordinary static linux/arm64 binaries.
//
// An application implements Application and hands itself to Main. Main reads
// the configuration from flags and the environment, asks the kernel to admit
// the application with what GetResourceRequirements declares (a private
// prctl option, kernel/abi/burrow), and then calls Initialize, Run and
// Shutdown, Shutdown also when SIGINT or SIGTERM arrives. When the kernel
// refuses the requirements, Main says why and exits with ExitRefused.
//
// Linux does not know the private option and answers EINVAL, so the same
// binary runs on Linux (or under qemu-aarch64) unadmitted: Main reports it
// and carries on, unless the application requires admission.
//
// It runs in user space only, at EL0 on Burrow or on Linux; the kernel's
// side of the contract is kernel/proc/sys_app.go. README.md describes both.
package app
