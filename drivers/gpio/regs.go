package gpio

// Register offsets, BCM2711 ARM Peripherals section 5.2, table "GPIO
// register assignment". Banks of 32 pins: register 0 holds pins 0-31,
// register 1 pins 32-57.
const (
	GPFSEL0 = 0x00 // function select, 10 pins of 3 bits per register (GPFSEL0-5)
	GPSET0  = 0x1c // write 1: drive the pin high
	GPCLR0  = 0x28 // write 1: drive the pin low
	GPLEV0  = 0x34 // the pin's level
	GPEDS0  = 0x40 // event detected; write 1 to clear
	GPREN0  = 0x4c // rising edge detect enable
	GPFEN0  = 0x58 // falling edge detect enable
	GPHEN0  = 0x64 // high level detect enable
	GPLEN0  = 0x70 // low level detect enable
	GPAREN0 = 0x7c // asynchronous rising edge
	GPAFEN0 = 0x88 // asynchronous falling edge

	// GPIO_PUP_PDN_CNTRL_REG0 is the first of four pull registers, 16
	// pins of 2 bits each (5.2, "GPIO_PUP_PDN_CNTRL_REG0 Register").
	GPIO_PUP_PDN_CNTRL_REG0 = 0xe4
)

// Pins is how many GPIOs the BCM2711 has (0-57).
const Pins = 58

// Function is a pin's 3-bit function select code (5.2, GPFSELn): note that
// the alternate functions are not numbered in order.
type Function uint32

// Function select codes.
const (
	Input  Function = 0b000
	Output Function = 0b001
	Alt0   Function = 0b100
	Alt1   Function = 0b101
	Alt2   Function = 0b110
	Alt3   Function = 0b111
	Alt4   Function = 0b011
	Alt5   Function = 0b010
)

// Pull is a pin's resistor setting in GPIO_PUP_PDN_CNTRL_REGn.
type Pull uint32

// Pull codes (5.2): 0b11 is reserved.
const (
	PullNone Pull = 0b00
	PullUp   Pull = 0b01
	PullDown Pull = 0b10
)

// fselReg returns the GPFSELn offset and bit shift of pin: pin / 10 picks
// the register, 3 * (pin % 10) the field.
func fselReg(pin int) (off uint32, shift uint) {
	return GPFSEL0 + 4*uint32(pin/10), 3 * uint(pin%10)
}

// pullReg returns the pull register offset and bit shift of pin: 16 pins
// per register, 2 bits each.
func pullReg(pin int) (off uint32, shift uint) {
	return GPIO_PUP_PDN_CNTRL_REG0 + 4*uint32(pin/16), 2 * uint(pin%16)
}

// bank returns the offset of pin's word in a one-bit-per-pin register
// block starting at base, and the pin's bit.
func bank(base uint32, pin int) (off uint32, bit uint32) {
	return base + 4*uint32(pin/32), 1 << (pin % 32)
}
