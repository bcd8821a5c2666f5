// gpio_bcm2711.c: just enough of the BCM2711 GPIO block to route the PL011
// to the header pins (BCM2711 ARM Peripherals, chapter 5 "General Purpose
// I/O"). QEMU prints without this; a real Pi 4 does not.
#include "gpio.h"
#include "arch.h"

// Register offsets, BCM2711 ARM Peripherals 5.2.
enum {
	GPFSEL1 = 0x04,                  // function select for pins 10-19
	GPIO_PUP_PDN_CNTRL_REG0 = 0xe4, // pull-up/down for pins 0-15
};
enum { FSEL_ALT0 = 4 }; // 0b100 selects alternate function 0 (table 5-2)

void gpio_uart0_pins(u64 base) {
	// 1. GPIO 14 (TXD0) and 15 (RXD0) to ALT0: three bits per pin, pin
	//    10 + n at bit 3n of GPFSEL1.
	u32 sel = mmio_read32(base + GPFSEL1);
	sel &= ~((7u << 12) | (7u << 15));
	sel |= (FSEL_ALT0 << 12) | (FSEL_ALT0 << 15);
	mmio_write32(base + GPFSEL1, sel);
	// 2. No pull on TX, pull-up on RX so an unconnected line reads idle:
	//    two bits per pin (00 none, 01 up), pin n at bit 2n.
	u32 pull = mmio_read32(base + GPIO_PUP_PDN_CNTRL_REG0);
	pull &= ~((3u << 28) | (3u << 30));
	pull |= 1u << 30;
	mmio_write32(base + GPIO_PUP_PDN_CNTRL_REG0, pull);
}
