package board

import (
	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/drivers/mbox"
	"github.com/burrow-os/burrow/drivers/reg"
	"github.com/burrow-os/burrow/drivers/sdhci"
	"github.com/burrow-os/burrow/drivers/virtio"
)

// registerBlock adds the block-device drivers.
func registerBlock(r *drivers.Registry, o Options) {
	// One SDHCI driver for both BCM2711 controllers; the base clock comes
	// from the firmware (EMMC2 is clock 12, the legacy EMMC clock 1).
	r.Register(drivers.Binding{
		Name: "sdhci", Compatible: []string{"brcm,bcm2711-emmc2", "brcm,bcm2835-sdhci"},
		After: []string{"mbox"},
		New: func(d *drivers.Device, env *drivers.Env) (drivers.DeviceDriver, error) {
			var hz uint32
			if m, ok := env.Lookup("mbox").(*mbox.Mailbox); ok {
				id := uint32(mbox.ClockEMMC)
				if d.Node.Compatible("brcm,bcm2711-emmc2") {
					id = mbox.ClockEMMC2
				}
				hz, _ = m.ClockRate(id)
			}
			c := sdhci.New(reg.New(env.Regs, d.Regs[0].Address), hz)
			if env.DMA != nil {
				c.UseDMA(busDMA(env, d)) // used if CAPABILITIES has ADMA2
			}
			return c, nil
		},
	})
	r.Register(drivers.Binding{
		Name: "virtio", Compatible: []string{"virtio,mmio"}, IRQ: !o.PollBlock,
		New: func(d *drivers.Device, env *drivers.Env) (drivers.DeviceDriver, error) {
			return virtio.New(reg.New(env.Regs, d.Regs[0].Address), env.DMA)
		},
	})
}

// busDMA is env.DMA returning the addresses device d must be given: the
// dma-ranges of its buses applied (in the Pi 4's tree, 0xc0000000 +
// physical below both /soc and /emmc2bus).
func busDMA(env *drivers.Env, d *drivers.Device) sdhci.DMAMemory {
	return func(size int) ([]byte, uint64, error) {
		buf, pa, err := env.DMA(size)
		if err != nil {
			return nil, 0, err
		}
		dm, err := env.Tree.DMA(d.Node)
		if err != nil {
			return nil, 0, err
		}
		bus, err := dm.ToBus(pa, uint64(size))
		return buf, bus, err
	}
}
