// Package pl011 drives the ARM PrimeCell UART PL011 (Technical Reference
// Manual DDI 0183G, chapter 3 "Programmers model"): UART0 of the BCM2711
// (BCM2711 ARM Peripherals, chapter 11) and the UART of QEMU virt.
//
// It comes in the plan's two kinds. UART is the standard driver, all Go:
// real-hardware initialisation (GPIO 14/15 to ALT0, the clock from the
// firmware, the baud divisors), interrupt-driven receive into a ring buffer
// that Read drains, and an io.Writer for transmit. CUART is the critical
// driver: the same transmit and receive-drain paths in C (ckernel/drv_pl011.c),
// called through the direct-call trampoline; the kernel measures one
// against the other.
//
// Where it runs: the Go kernel at EL1 after the runtime has started, with
// the receive handler in the device's interrupt goroutine; the logic runs
// on the host over reg.Fake.
package pl011
