// Package userland holds the user programs Burrow ships in its initramfs.
// They are ordinary static linux/arm64 Go programs that run at EL0 on
// Burrow (and, unchanged, on Linux): init, the first process. mk/user.mk
// builds them into build/initramfs.cpio next to Debian's busybox.
package userland
