// Package mbox talks to the VideoCore firmware through the BCM2711 mailbox's
// property channel: board revision and serial number, the ARM/VC memory
// split, and clock rates (get and set). It follows the Raspberry Pi
// firmware's "Mailbox property interface" (github.com/raspberrypi/firmware
// wiki) for the message format and tags, and BCM2835 ARM Peripherals'
// mailbox registers (the BCM2711 keeps them at offset 0xb880 of the ARM
// peripherals).
//
// Message packing and parsing are plain Go and tested on the host; the
// exchange needs a DMA buffer the firmware can read, and the mailbox
// registers through package reg.
//
// Where it runs: the Go kernel at EL1 after the runtime has started; the
// host with a simulated firmware over reg.Fake.
package mbox
