// Package apps holds Burrow's sample applications, each a main package in
// its own directory, written on the Application framework (app/):
//
//   - sysmon prints a snapshot of the system: uptime, memory, processes,
//     its own admission and the AI layer's latest decisions;
//   - wordfreq counts the words of its input, a CPU and memory workload that
//     declares what it needs;
//   - greedy declares more memory than the board has and is refused, or,
//     with -declare, is admitted and maps memory until the kernel's limit
//     stops it.
//
// They are static linux/arm64 programs that run at EL0 on Burrow (make
// initramfs puts them in /apps) and, unadmitted, on Linux. This package
// itself holds only the test that boots them (TestQEMUApps).
package apps
