// Package drivers is Burrow's driver framework: the plan's DeviceDriver
// interface, a registry that binds drivers to device-tree nodes by their
// compatible strings, probing in dependency order, an interrupt loop per
// bound line, and the device list (state, IRQ counts, errors, init time)
// that the console and the debugger show.
//
// It follows the Devicetree Specification v0.4 for what a device is (a node
// with a compatible property, 2.3.1) and whether it exists (status, 2.3.4).
// Drivers come in two kinds, as in the plan: standard drivers written in Go
// and critical drivers whose hot path is C in the C core, called through
// the direct-call trampoline (kernel/core.CCall). Both satisfy DeviceDriver.
//
// Where it runs: in the Go kernel at EL1, after the runtime has started
// (it allocates and starts goroutines); on the host under test with fake
// registers. It does no MMIO itself: drivers use package reg.
package drivers
