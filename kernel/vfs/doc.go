// Package vfs is Burrow's file system layer for user programs: a tree of
// in-memory inodes (the root ramfs, filled from the cpio initramfs), device
// files (/dev/console and friends) and open file descriptions with their
// offsets. Paths follow POSIX resolution (path_resolution(7)): "/"
// separated, "." and "..", symbolic links followed up to 40 times, trailing
// components optionally not followed.
//
// Errors are linux.Errno values, so kernel/proc returns them to user
// programs unchanged. It runs at EL1 in the kernel, and on the host in
// tests; it knows nothing about user memory.
package vfs
