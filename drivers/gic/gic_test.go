package gic

import (
	"testing"

	"github.com/burrow-os/burrow/drivers/reg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const dist, cpu = 0x1000, 0x2000

func newGIC(t *testing.T) (*GIC, *reg.Fake) {
	f := reg.NewFake()
	f.Poke(dist+GICD_TYPER, 7) // 256 lines, as the GIC-400 of the BCM2711
	f.Poke(dist+GICD_CTLR, 1)
	f.Poke(cpu+GICC_CTLR, 1)
	g := New(reg.New(f, dist), reg.New(f, cpu), 27)
	require.NoError(t, g.Initialize())
	return g, f
}

func TestConfigure(t *testing.T) {
	g, f := newGIC(t)
	assert.Equal(t, 256, g.Lines())
	f.Poke(dist+GICD_ICFGR+4*9, 0xffffffff) // IDs 144-159 edge, as if left so
	g.Configure(153, false)                 // the PL011 of the BCM2711
	assert.Equal(t, uint32(Priority)<<8, f.Peek(dist+GICD_IPRIORITYR+152), "priority byte 1 of the word of IDs 152-155")
	assert.Equal(t, uint32(1)<<8, f.Peek(dist+GICD_ITARGETSR+152), "CPU 0 in byte 1")
	assert.Equal(t, uint32(0xffffffff)&^(2<<18), f.Peek(dist+GICD_ICFGR+36), "ID 153 level-sensitive, bit 19 clear")
	g.Enable(153)
	assert.Equal(t, uint32(1)<<25, f.Peek(dist+GICD_ISENABLER+16), "ISENABLER4 bit 25")
	g.Disable(153)
	assert.Equal(t, uint32(1)<<25, f.Peek(dist+GICD_ICENABLER+16), "ICENABLER4 bit 25")
	require.NoError(t, g.SetEdge(40, true))
	assert.Equal(t, uint32(2)<<16, f.Peek(dist+GICD_ICFGR+8), "ID 40 edge: ICFGR2 bit 17")
}

func TestRules(t *testing.T) {
	g, f := newGIC(t)
	for _, id := range []int{3, 27, 256} {
		assert.Error(t, g.SetPriority(id, 0), "SetPriority(%d)", id)
	}
	g.Enable(27) // the C core's timer: ignored
	for id := 32; id < 256; id++ {
		g.Configure(id, id%2 == 0)
		g.Enable(id)
		g.Disable(id)
	}
	for _, w := range f.Writes {
		off := w.PA - dist
		if w.PA >= dist && w.PA < dist+0x1000 {
			assert.False(t, off >= GICD_IGROUPR && off < GICD_ISENABLER, "wrote GICD_IGROUPR at %#x", off)
			assert.NotEqual(t, uint64(GICD_CTLR), off, "wrote GICD_CTLR")
			if off == GICD_ISENABLER {
				assert.Zero(t, w.V&(1<<27), "enabled the timer line")
			}
		} else {
			t.Errorf("wrote the CPU interface at %#x", w.PA)
		}
	}
	f.Poke(dist+GICD_CTLR, 0)
	assert.Error(t, g.Initialize(), "Initialize with the distributor off")
}
