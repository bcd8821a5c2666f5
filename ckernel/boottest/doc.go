// Package boottest boots the C core in QEMU and checks what it reports
// through the in-kernel test protocol (qemu/PROTOCOL.md): one image, four
// ways of entering it, and deliberate faults. It has only tests; they run
// in the QEMU tier of make test (BURROW_QEMU=1).
package boottest
