//go:build linux && arm64

package core

import "unsafe"

// bufPtr is the address of a slice's first byte, for services that take a
// buffer. The slice stays alive across the call because the caller holds it.
func bufPtr(b []byte) uintptr { return uintptr(unsafe.Pointer(&b[0])) }

// PhysHandover returns the RAM the C core set aside for the Go kernel's
// memory manager.
func PhysHandover() (Region, error) {
	var r Region
	_, err := svc0(svcPhysHandover, uintptr(unsafe.Pointer(&r)), 0, 0)
	return r, err
}

// ReadStats returns the C core's counters.
func ReadStats() (Stats, error) {
	var s Stats
	_, err := svc0(svcStats, uintptr(unsafe.Pointer(&s)), unsafe.Sizeof(s), 0)
	return s, err
}

// KlogRead copies the kernel log from byte offset from into b.
func KlogRead(b []byte, from uint64) (int, error) {
	n, err := svc0(svcKlogRead, bufPtr(b), uintptr(len(b)), uintptr(from))
	return int(n), err
}

// DeviceTree returns the flattened device tree the machine booted with,
// read in place through the C core's direct map (it is never copied).
func DeviceTree() ([]byte, error) {
	var d struct{ VA, Size uint64 }
	if _, err := svc0(svcDTB, uintptr(unsafe.Pointer(&d)), 0, 0); err != nil {
		return nil, err
	}
	return unsafe.Slice((*byte)(unsafe.Add(nil, d.VA)), d.Size), nil
}

// InitRD returns the initial RAM disk the loader placed in memory (QEMU's
// -initrd, the Pi firmware's initramfs line), read in place through the
// direct map; syscall.ENOENT if there is none.
func InitRD() ([]byte, error) {
	var d struct{ VA, Size uint64 }
	if _, err := svc0(svcInitRD, uintptr(unsafe.Pointer(&d)), 0, 0); err != nil {
		return nil, err
	}
	return unsafe.Slice((*byte)(unsafe.Add(nil, d.VA)), d.Size), nil
}
