// Package boot holds what a real Raspberry Pi 4 needs on its SD card besides
// the kernel: config.txt for the GPU firmware and the disable-bt overlay
// source. scripts/sdcard.sh assembles the card image (make sdcard); this
// package's test lists the image's files with mtools. It has no Go code.
package boot
