//go:build linux && arm64

package main

import "github.com/burrow-os/burrow/drivers/reg"

// deviceDMA returns the drivers' source of DMA memory: kernel/mm's DMA
// allocator, whose buffers are physically contiguous and mapped
// non-cacheable, so a device and the CPU see the same bytes without cache
// maintenance. Nil (the drivers then use the C core's allocator) if the
// memory manager did not come up.
func deviceDMA() func(size int) ([]byte, uint64, error) {
	if kmm == nil || kmm.DMA == nil {
		return nil
	}
	return func(size int) ([]byte, uint64, error) {
		buf, err := kmm.DMA.Alloc(uint64(size))
		if err != nil {
			return nil, 0, err
		}
		b := reg.Mem(uintptr(buf.VA), size)
		clear(b)
		return b, buf.CPU, nil
	}
}
