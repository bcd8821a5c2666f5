package drivers

import (
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/burrow-os/burrow/kernel/fdt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func raspi4b(t *testing.T) *fdt.Tree {
	t.Helper()
	blob, err := os.ReadFile("../kernel/fdt/testdata/raspi4b.dtb")
	require.NoError(t, err)
	tree, err := fdt.Parse(blob)
	require.NoError(t, err)
	return tree
}

// fake is a driver that records its life.
type fake struct {
	Base
	name string
	log  *[]string
	err  error
	irqs chan struct{}
}

func (f *fake) Initialize() error { *f.log = append(*f.log, f.name); return f.err }
func (f *fake) HandleInterrupt() error {
	f.irqs <- struct{}{}
	return errors.New("spurious")
}

func TestProbeOrderAndStates(t *testing.T) {
	var log []string
	mk := func(name string, err error) func(*Device, *Env) (DeviceDriver, error) {
		return func(d *Device, e *Env) (DeviceDriver, error) {
			return &fake{name: name, log: &log, err: err}, nil
		}
	}
	var r Registry
	// Registered in the wrong order on purpose: probing must put the UART
	// after the GPIO and the clock (the mailbox).
	r.Register(Binding{Name: "uart", Compatible: []string{"arm,pl011"}, After: []string{"gpio", "mbox"}, New: mk("uart", nil)})
	r.Register(Binding{Name: "mbox", Compatible: []string{"brcm,bcm2835-mbox"}, New: mk("mbox", nil)})
	r.Register(Binding{Name: "gpio", Compatible: []string{"brcm,bcm2711-gpio"}, After: []string{"mbox"}, New: mk("gpio", nil)})
	r.Register(Binding{Name: "sdhost", Compatible: []string{"brcm,bcm2835-sdhost"}, New: mk("sdhost", nil)})
	r.Register(Binding{Name: "rng200", Compatible: []string{"brcm,bcm2711-rng200"}, Absent: "using the seeded generator", New: mk("rng", nil)})
	r.Register(Binding{Name: "systmr", Compatible: []string{"brcm,bcm2835-system-timer"}, New: mk("systmr", errors.New("no clock"))})

	m := r.Probe(raspi4b(t), &Env{})

	assert.Equal(t, []string{"systmr", "mbox", "gpio", "uart"}, log, "initialisation order")
	uart := m.Find("uart")
	require.NotNil(t, uart)
	assert.Equal(t, uint64(0xfe201000), uart.Regs[0].Address, "reg translated through the soc ranges")
	assert.Equal(t, []int{32 + 0x79}, uart.IRQs, "GIC SPI 0x79 is INTID 153")

	states := map[string]State{}
	reasons := map[string]string{}
	for _, d := range m.Devices {
		states[d.Path] = d.State
		reasons[d.Path] = d.Reason
	}
	assert.Equal(t, Disabled, states["/soc/mmc@7e202000"], "the sdhost node is disabled")
	assert.Equal(t, Failed, states["/soc/timer@7e003000"])
	assert.Equal(t, "no clock", reasons["/soc/timer@7e003000"])
	assert.Equal(t, Found, states["/soc/txp@7e004000"])
	assert.Equal(t, "no driver for brcm,bcm2835-txp", reasons["/soc/txp@7e004000"])
	require.Len(t, m.Missing, 1)
	assert.Equal(t, "rng200", m.Missing[0].Name)

	var b strings.Builder
	m.Report(&b)
	out := b.String()
	for _, want := range []string{
		"bound    uart     Go /soc/serial@7e201000",
		"failed   systmr   Go /soc/timer@7e003000                no clock",
		"disabled sdhost   /soc/mmc@7e202000",
		"disabled (no driver either): nvram@0 i2s@7e203000",
		"absent   rng200   no brcm,bcm2711-rng200 in the device tree: using the seeded generator",
		"unbound (no driver): ",
	} {
		assert.Contains(t, out, want)
	}
}

func TestProbeCycle(t *testing.T) {
	var r Registry
	n := func(*Device, *Env) (DeviceDriver, error) { return &fake{log: new([]string)}, nil }
	r.Register(Binding{Name: "a", Compatible: []string{"arm,pl011"}, After: []string{"b"}, New: n})
	r.Register(Binding{Name: "b", Compatible: []string{"brcm,bcm2711-gpio"}, After: []string{"a"}, New: n})
	m := r.Probe(raspi4b(t), &Env{})
	for _, d := range m.Devices {
		if d.Binding != nil && d.State != Disabled {
			assert.Equal(t, Failed, d.State, "%s in a cycle", d.Path)
			assert.Contains(t, d.Reason, "dependency cycle")
		}
	}
}

type fakeGIC struct {
	mu      sync.Mutex
	enables int
}

func (g *fakeGIC) Configure(int, bool) {}
func (g *fakeGIC) Enable(int)          { g.mu.Lock(); g.enables++; g.mu.Unlock() }

func TestInterruptLoop(t *testing.T) {
	fires := make(chan struct{})
	handled := make(chan struct{}, 1)
	var claimed []int
	env := &Env{
		Claim: func(id int) error { claimed = append(claimed, id); return nil },
		Wait:  func(id int) error { <-fires; return nil },
		IRQ:   &fakeGIC{},
		Clock: func() time.Duration { return 0 },
	}
	var r Registry
	r.Register(Binding{Name: "uart", Compatible: []string{"arm,pl011"}, IRQ: true,
		New: func(*Device, *Env) (DeviceDriver, error) { return &fake{log: new([]string), irqs: handled}, nil }})
	m := r.Probe(raspi4b(t), env)
	d := m.Find("uart")
	require.NotNil(t, d)
	assert.True(t, d.Serving)
	assert.Equal(t, []int{153}, claimed)
	for i := 0; i < 3; i++ {
		fires <- struct{}{}
		<-handled
	}
	assert.Eventually(t, func() bool { return d.IRQCount() == 3 && d.Errors() == 3 }, time.Second, time.Millisecond)
	assert.Equal(t, "spurious", d.LastError())
}

func TestWrap(t *testing.T) {
	got := wrap("aa bb cc dd", 5, "  ")
	assert.Equal(t, "aa bb\n  cc\n  dd", got, "wrap(aa bb cc dd, 5)")
}

func TestInterruptsWithoutController(t *testing.T) {
	claimed := false
	env := &Env{Claim: func(int) error { claimed = true; return nil }, Wait: func(int) error { select {} }}
	var r Registry
	r.Register(Binding{Name: "uart", Compatible: []string{"arm,pl011"}, IRQ: true,
		New: func(*Device, *Env) (DeviceDriver, error) { return &fake{log: new([]string)}, nil }})
	d := r.Probe(raspi4b(t), env).Find("uart")
	require.NotNil(t, d, "the device binds without its interrupt")
	assert.False(t, d.Serving)
	assert.False(t, claimed, "no line claimed that nobody can unmask")
	assert.Contains(t, d.LastError(), "no interrupt controller driver")
}

func TestServedLines(t *testing.T) {
	tests := []struct {
		irq   bool
		lines []int
		want  []int
	}{
		{false, nil, nil},
		{true, nil, []int{145}},
		{true, []int{0, 1, 2}, []int{145, 146, 147}},
		{true, []int{3, 9}, []int{148}}, // index 9 does not exist
	}
	for _, tt := range tests {
		d := &Device{IRQs: []int{145, 146, 147, 148}, Binding: &Binding{IRQ: tt.irq, Lines: tt.lines}}
		assert.Equal(t, tt.want, d.ServedLines(), "ServedLines(IRQ %v, Lines %v)", tt.irq, tt.lines)
	}
}

type recordingGIC struct {
	mu   sync.Mutex
	edge map[int]bool
}

func (g *recordingGIC) Configure(id int, edge bool) { g.mu.Lock(); g.edge[id] = edge; g.mu.Unlock() }
func (g *recordingGIC) Enable(int)                  {}

// TestTriggerFromTree: lines are configured with the trigger the device tree
// gives: virt's virtio-mmio lines are edge-triggered, its PL011 level.
func TestTriggerFromTree(t *testing.T) {
	blob, err := os.ReadFile("../kernel/fdt/testdata/virt.dtb")
	require.NoError(t, err)
	tree, err := fdt.Parse(blob)
	require.NoError(t, err)
	g := &recordingGIC{edge: map[int]bool{}}
	env := &Env{IRQ: g, Claim: func(int) error { return nil }, Wait: func(int) error { select {} }}
	var r Registry
	n := func(*Device, *Env) (DeviceDriver, error) { return &fake{log: new([]string)}, nil }
	r.Register(Binding{Name: "uart", Compatible: []string{"arm,pl011"}, IRQ: true, New: n})
	r.Register(Binding{Name: "virtio", Compatible: []string{"virtio,mmio"}, IRQ: true, New: n})
	r.Probe(tree, env)
	assert.Eventually(t, func() bool { g.mu.Lock(); defer g.mu.Unlock(); return len(g.edge) == 33 }, time.Second, time.Millisecond)
	g.mu.Lock()
	defer g.mu.Unlock()
	assert.False(t, g.edge[33], "PL011 (SPI 1) level")
	assert.True(t, g.edge[32+0x2f], "virtio_mmio@a003e00 (SPI 0x2f) edge")
}
