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
// Card is an io.ReaderAt and io.WriterAt over 512-byte sectors. A request
// of several sectors is one CMD18 (read) or CMD25 (write) per 64 KiB, with
// Auto CMD12 stopping the card after the last block. Data moves by ADMA2
// (SDHCI 3.00 1.13, 32-bit descriptors: adma.go) when CAPABILITIES says
// the controller has it and the board gave DMA memory (UseDMA), through a
// bounce buffer in that memory; otherwise by PIO through the DATA register.
// Control's description says which, and why.
//
// What QEMU 10 does (hw/sd/sdhci.c, hw/arm/bcm2838_peripherals.c): both of
// raspi4b's controllers are QEMU's generic SDHCI with CAPABILITIES
// 0x052134b4, which has neither SDMA (bit 22) nor ADMA2 (bit 19). The
// model drops TM_DMA_EN from every command when the SDMA bit is clear, and
// refuses ADMA2 when its bit is; the value is set by the SoC model itself,
// so no command-line option changes it. -drive if=sd attaches the card to
// the legacy SDHCI (0xfe300000); EMMC2 (0xfe340000) is a working
// controller with an empty slot. So on raspi4b this driver uses PIO, as
// it should. QEMU's sdhci-pci on virt keeps the default CAPABILITIES,
// 0x057834b4 (SDMA, ADMA1, ADMA2), and TestQEMUADMA2 runs the ADMA2 path
// there. The real BCM2711's EMMC2 has ADMA2; this driver has not run on
// one.
//
// Where it runs: the Go kernel at EL1 after the runtime has started; the
// host with a simulated card over reg.Fake.
package sdhci
