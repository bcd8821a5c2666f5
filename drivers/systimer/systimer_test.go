package systimer

import (
	"testing"
	"time"

	"github.com/burrow-os/burrow/drivers/reg"
	"github.com/stretchr/testify/assert"
)

func TestCountAcrossWrap(t *testing.T) {
	f := reg.NewFake()
	// The low half wraps between the first CHI read and CLO: the driver
	// must see the second CHI differ and read again.
	his := []uint32{4, 5, 5, 5}
	los := []uint32{0x0000_0003, 0x0000_0007}
	f.OnRead = func(pa uint64, v uint32) uint32 {
		switch pa {
		case CHI:
			h := his[0]
			his = his[1:]
			return h
		case CLO:
			l := los[0]
			los = los[1:]
			return l
		}
		return v
	}
	tm := New(reg.New(f, 0), 0)
	assert.Equal(t, uint64(5)<<32|7, tm.Count(), "Count() across a wrap of CLO")
}

func TestArmAndInterrupt(t *testing.T) {
	f := reg.NewFake()
	f.Poke(CLO, 1000)
	tm := New(reg.New(f, 0), 1_000_000)
	tm.Arm(2500 * time.Microsecond)
	assert.Equal(t, uint32(3500), f.Peek(C0+4), "C1 = CLO + 2500 ticks")
	assert.Error(t, tm.HandleInterrupt(), "no match pending")
	f.Poke(CS, 1<<Channel)
	assert.NoError(t, tm.HandleInterrupt())
	assert.Equal(t, uint64(1), tm.Fired.Load())
	f.Poke(CHI, 0)
	f.Poke(CLO, 1_500_000)
	assert.Equal(t, 1500*time.Millisecond, tm.Now())
}
