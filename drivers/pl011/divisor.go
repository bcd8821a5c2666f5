package pl011

import "fmt"

// Divisor returns the baud rate divisors for a UART clock of clockHz
// (3.3.6): the divisor is clockHz / (16 * baud) as a 16.6 fixed-point
// number, IBRD its integer part and FBRD its 6 fraction bits, rounded to
// nearest. 64 * clockHz / (16 * baud) = 4 * clockHz / baud, so
// div64 = (4 * clockHz + baud/2) / baud. With the Pi 4's 48 MHz UART clock
// and 115200 baud: 26.0417, so IBRD = 26 and FBRD = 3.
func Divisor(clockHz, baud uint32) (ibrd, fbrd uint32, err error) {
	if baud == 0 {
		return 0, 0, fmt.Errorf("pl011: baud rate 0")
	}
	div64 := (4*uint64(clockHz) + uint64(baud)/2) / uint64(baud)
	ibrd, fbrd = uint32(div64>>6), uint32(div64&63)
	// IBRD is 16 bits and may not be 0; 0xffff requires FBRD = 0 (3.3.6).
	if ibrd == 0 || ibrd > 0xffff || ibrd == 0xffff && fbrd != 0 {
		return 0, 0, fmt.Errorf("pl011: %d baud is out of range for a %d Hz clock", baud, clockHz)
	}
	return ibrd, fbrd, nil
}

// Baud is the rate the divisors really give, for the report.
func Baud(clockHz, ibrd, fbrd uint32) uint32 {
	return uint32(4 * uint64(clockHz) / (uint64(ibrd)<<6 | uint64(fbrd)))
}
