# sdcard.mk: a bootable SD-card image for a real Raspberry Pi 4.

sdcard: $(BUILD)/sdcard.img ## write build/sdcard.img, a FAT32 card image that boots Burrow on a real Pi 4

$(BUILD)/sdcard.img: $(BUILD)/kernel8.img $(BUILD)/initramfs.cpio $(BUILD)/bcm2711-rpi-4-b.dtb boot/config.txt boot/disable-bt-overlay.dts scripts/sdcard.sh
	@scripts/setup.sh firmware
	scripts/sdcard.sh $@ $(BUILD)

.PHONY: sdcard

# make run attaches the card (burrow run -sd, default build/sdcard.img), so
# /init mounts its FAT32 partition at /boot: the shell sees config.txt.
run: $(BUILD)/sdcard.img
