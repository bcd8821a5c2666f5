package board

import (
	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/drivers/reg"
	"github.com/burrow-os/burrow/drivers/virtio"
)

// registerBlock adds the block-device drivers.
func registerBlock(r *drivers.Registry) {
	r.Register(drivers.Binding{
		Name: "virtio", Compatible: []string{"virtio,mmio"},
		New: func(d *drivers.Device, env *drivers.Env) (drivers.DeviceDriver, error) {
			return virtio.New(reg.New(env.Regs, d.Regs[0].Address), env.DMA)
		},
	})
}
