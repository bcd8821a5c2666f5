# sdhci.mk: the SD card driver (drivers/sdhci): its host tests, the ADMA2
# path on QEMU's PCI SDHCI (virt), and the PIO path on raspi4b.

sdhci-test: kernel $(BUILD)/ktest/drivers-sdhci.img ## the SD driver's host tests, then ADMA2 on virt+sdhci-pci and PIO on raspi4b in QEMU, with instructions per sector
	@$(GO) test -count=1 ./drivers/sdhci/
	@BURROW_QEMU=1 $(GO) test -count=1 -v -run '^TestQEMUADMA2$$' ./drivers/sdhci/ | grep -E '^(---|ok|FAIL)|figure|data by'
	@BURROW_QEMU=1 $(GO) test -count=1 -v -run '^TestQEMUSDCard$$' ./kernel | grep -E '^(---|ok|FAIL)|ns_per_sector'

.PHONY: sdhci-test
