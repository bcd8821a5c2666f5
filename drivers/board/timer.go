package board

import (
	"fmt"

	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/kernel/core"
)

// genericTimer is the ARM generic timer (ARM ARM D11 "The Generic Timer in
// AArch64 state"). The C core owns it: its EL1 virtual timer is the
// scheduler tick (ckernel/timer.c), and Go reads the count with
// core.Counter. The binding puts the timer in the device list and checks
// that the device tree agrees with the C core about the tick's line.
type genericTimer struct {
	drivers.Base
	irqs []int
	freq uint64
}

func newGenericTimer(d *drivers.Device, env *drivers.Env) (drivers.DeviceDriver, error) {
	return &genericTimer{irqs: d.IRQs}, nil
}

// Initialize reads CNTFRQ_EL0 through the C core and checks the lines: the
// arm,armv8-timer binding lists the secure, non-secure, virtual and
// hypervisor timers' PPIs, in that order.
func (t *genericTimer) Initialize() error {
	if len(t.irqs) < 3 || t.irqs[2] != TimerIRQ {
		return fmt.Errorf("timer: the device tree's virtual timer line is not INTID %d: %v", TimerIRQ, t.irqs)
	}
	st, err := core.ReadStats()
	if err != nil {
		return err
	}
	t.freq = st.CounterFreq
	return nil
}

// Control answers ControlDescribe.
func (t *genericTimer) Control(cmd drivers.ControlCommand, arg any) error {
	if s, ok := arg.(*string); ok && cmd == drivers.ControlDescribe {
		*s = fmt.Sprintf("CNTFRQ %d Hz; the C core's tick on INTID %d (EL1 virtual timer); Go reads CNTVCT_EL0",
			t.freq, TimerIRQ)
		return nil
	}
	return drivers.ErrUnsupported
}
