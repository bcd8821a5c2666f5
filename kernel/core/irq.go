package core

// Interrupt services for the driver framework (drivers/): a Go driver
// claims its line, configures and unmasks it at the GIC itself, and waits;
// the C top half masks the line, stamps the counter and wakes the waiter.
const (
	svcIRQStamp = 0x1010 // ckernel/services.h SVC_IRQ_STAMP

	waitIRQClaim     = 1 // WAIT_IRQ_CLAIM
	waitIRQGoUnmasks = 2 // WAIT_IRQ_GO_UNMASKS
)

// C functions of the critical PL011 driver (ckernel/drv_pl011.c).
const (
	CFuncPL011Attach = 5 // u64 c_pl011_attach(u64 pa)
	CFuncPL011Write  = 6 // u64 c_pl011_write(u64 buf, u64 len) -> bytes sent
	CFuncPL011Drain  = 7 // u64 c_pl011_drain(u64 buf, u64 cap) -> bytes received
)
