package board

import "github.com/burrow-os/burrow/drivers"

// registerBlock adds the block-device drivers.
func registerBlock(r *drivers.Registry) {}
