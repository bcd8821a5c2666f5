// Package sdhci drives SD cards through an SD Host Controller (SD
// Association, "SD Host Controller Simplified Specification" 3.00, chapter
// 2 "SD Host Standard Register", and "Physical Layer Simplified
// Specification" 6.00 4.2 "Card Identification Mode" for the card's
// bring-up). One driver binds both of the BCM2711's controllers:
// brcm,bcm2711-emmc2 (the Pi 4's SD slot) and brcm,bcm2835-sdhci (the
// legacy "Arasan" EMMC, where QEMU attaches -drive if=sd). Register names
// are the BCM2835 ARM Peripherals' (chapter 5 "External Mass Media
// Controller"), which the BCM2711 keeps.
//
// Card is an io.ReaderAt and io.WriterAt over 512-byte sectors. Data moves
// through the DATA register (programmed I/O). QEMU's legacy SDHCI
// advertises no DMA (its CAPABILITIES has neither SDMA nor ADMA2, which
// Control's description shows); the real EMMC2's ADMA2 is not used yet.
//
// Where it runs: the Go kernel at EL1 after the runtime has started; the
// host with a simulated card over reg.Fake.
package sdhci
