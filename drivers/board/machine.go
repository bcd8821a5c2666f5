package board

import (
	"fmt"
	"io"
	"time"

	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/drivers/reg"
	"github.com/burrow-os/burrow/kernel/core"
	"github.com/burrow-os/burrow/kernel/fdt"
)

// Machine returns the drivers' environment on the machine: MMIO through
// the direct map, the generic timer's virtual time, interrupts through the
// C core's claim-and-wait services, and DMA memory from the C core's
// fixed-size allocator (direct-mapped, physically contiguous, at most
// 2 KiB, aligned to its power-of-two size).
func Machine(log io.Writer) (*drivers.Env, error) {
	st, err := core.ReadStats()
	if err != nil {
		return nil, err
	}
	freq := st.CounterFreq
	clock := func() time.Duration {
		c := core.Counter()
		return time.Duration(c/freq*1e9 + c%freq*1e9/freq)
	}
	reg.Clock = func() func() time.Duration {
		start := clock()
		return func() time.Duration { return clock() - start }
	}
	alloc, err := core.CFunc(core.CFuncAlloc)
	if err != nil {
		return nil, err
	}
	return &drivers.Env{
		Regs:  reg.MMIO{},
		Clock: clock,
		Log:   log,
		Claim: core.ClaimIRQ,
		Wait:  core.WaitIRQUnmasked,
		DMA: func(size int) ([]byte, uint64, error) {
			va := core.CCall(alloc, uintptr(size), 0)
			if va == 0 {
				return nil, 0, fmt.Errorf("board: no %d bytes of DMA memory", size)
			}
			pa := uint64(va - reg.DirectMap)
			b := reg.Bytes(pa, size)
			clear(b)
			return b, pa, nil
		},
	}, nil
}

// Probe parses the booted device tree and binds every driver.
func Probe(o Options, log io.Writer) (*drivers.Manager, error) {
	blob, err := core.DeviceTree()
	if err != nil {
		return nil, err
	}
	tree, err := fdt.Parse(blob)
	if err != nil {
		return nil, err
	}
	env, err := Machine(log)
	if err != nil {
		return nil, err
	}
	if o.DMA != nil {
		env.DMA = o.DMA
	}
	return Drivers(o).Probe(tree, env), nil
}
