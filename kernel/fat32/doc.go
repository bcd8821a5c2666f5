// Package fat32 is a read-write FAT32 file system over any disk that reads
// and writes whole 512-byte sectors (io.ReaderAt and io.WriterAt): the SD
// card's boot partition on the Raspberry Pi 4, virtio-blk on QEMU virt, or
// an image file on the host.
//
// It follows Microsoft's "FAT: General Overview of On-Disk Format" (FAT32
// File System Specification 1.03, 2000): the BIOS Parameter Block and
// FSInfo sector (section 3 and 5), the file allocation table (section 4),
// directory entries and timestamps (section 6) and long file names
// (section 7, with the checksum and the numeric-tail short names). The MBR
// partition table it reads is the classic one (four 16-byte entries at
// byte 446, signature 0x55 0xAA).
//
// Writes are write-through: every change to a file, a directory entry, the
// FAT (all copies, kept in step) or the FSInfo sector reaches the disk
// before the call returns, so powering off at any time between calls loses
// nothing and leaves an image that fsck.vfat reports clean. Only FAT
// sectors and nothing else are cached, for reading.
//
// It runs at EL1 in the kernel (kernel/proc mounts it at /boot through
// kernel/vfs) and on the host in tests; it has no unsafe code and no
// kernel dependency besides the errno values of kernel/abi/linux.
package fat32
