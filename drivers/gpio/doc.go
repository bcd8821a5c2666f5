// Package gpio drives the BCM2711 GPIO block (BCM2711 ARM Peripherals,
// chapter 5 "General Purpose I/O"): function select, the BCM2711's pull-up
// and pull-down registers GPIO_PUP_PDN_CNTRL_REG0-3 (it has no GPPUD or
// GPPUDCLK, unlike the BCM2835), set, clear and level, and edge and level
// events delivered as interrupts.
//
// QEMU emulates function select, set, clear and level, but not the event
// registers (GPEDS, GPREN, GPFEN, GPHEN...), so events are tested on the
// host over reg.Fake.
//
// Where it runs: the Go kernel at EL1 after the runtime has started, events
// in the device's interrupt goroutine; the host with reg.Fake.
package gpio
