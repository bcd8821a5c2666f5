package gpio

import (
	"testing"

	"github.com/burrow-os/burrow/drivers/reg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFunctionSelect(t *testing.T) {
	tests := []struct {
		pin   int
		f     Function
		off   uint32
		value uint32 // the register after setting, from all ones
	}{
		{0, Output, GPFSEL0, 0x3fffffff&^0b110 | 0x38000000}, // bits 2:0 = 001
		{14, Alt0, GPFSEL0 + 4, 0},                           // GPFSEL1 bits 14:12 = 100
		{15, Alt0, GPFSEL0 + 4, 0},                           // GPFSEL1 bits 17:15 = 100
		{57, Alt5, GPFSEL0 + 20, 0},                          // GPFSEL5 bits 23:21 = 010
	}
	for _, tt := range tests {
		f := reg.NewFake()
		f.Poke(uint64(tt.off), 0x3fffffff)
		g := New(reg.New(f, 0))
		require.NoError(t, g.SetFunction(tt.pin, tt.f))
		_, shift := fselReg(tt.pin)
		want := uint32(0x3fffffff)&^(7<<shift) | uint32(tt.f)<<shift
		if got := f.Peek(uint64(tt.off)); got != want {
			t.Errorf("SetFunction(%d, %03b): GPFSEL = %#x, want %#x", tt.pin, tt.f, got, want)
		}
		if got, _ := g.FunctionOf(tt.pin); got != tt.f {
			t.Errorf("FunctionOf(%d) = %03b, want %03b", tt.pin, got, tt.f)
		}
	}
	g := New(reg.New(reg.NewFake(), 0))
	assert.Error(t, g.SetFunction(58, Input), "pin 58 does not exist")
	assert.Error(t, g.SetFunction(-1, Input))
}

func TestPull(t *testing.T) {
	tests := []struct {
		pin  int
		p    Pull
		off  uint32
		want uint32
	}{
		{0, PullUp, GPIO_PUP_PDN_CNTRL_REG0, 0b01},
		{15, PullDown, GPIO_PUP_PDN_CNTRL_REG0, 0b10 << 30},
		{16, PullUp, GPIO_PUP_PDN_CNTRL_REG0 + 4, 0b01},
		{57, PullDown, GPIO_PUP_PDN_CNTRL_REG0 + 12, 0b10 << 18},
	}
	for _, tt := range tests {
		f := reg.NewFake()
		g := New(reg.New(f, 0))
		require.NoError(t, g.SetPull(tt.pin, tt.p))
		if got := f.Peek(uint64(tt.off)); got != tt.want {
			t.Errorf("SetPull(%d, %02b): register %#x = %#x, want %#x", tt.pin, tt.p, tt.off, got, tt.want)
		}
	}
	// Changing one pin leaves its neighbours alone.
	f := reg.NewFake()
	f.Poke(GPIO_PUP_PDN_CNTRL_REG0, 0xffffffff&^(3<<4))
	require.NoError(t, New(reg.New(f, 0)).SetPull(2, PullNone))
	assert.Equal(t, uint32(0xffffffcf), f.Peek(GPIO_PUP_PDN_CNTRL_REG0))
	assert.Error(t, New(reg.New(f, 0)).SetPull(2, Pull(3)), "0b11 is reserved")
}

func TestSetClearLevel(t *testing.T) {
	f := reg.NewFake()
	// The level registers follow set and clear, as the hardware's do.
	f.OnWrite = func(f *reg.Fake, pa uint64, v uint32) uint32 {
		switch pa {
		case GPSET0, GPSET0 + 4:
			lev := pa - GPSET0 + GPLEV0
			f.Poke(lev, f.Peek(lev)|v)
		case GPCLR0, GPCLR0 + 4:
			lev := pa - GPCLR0 + GPLEV0
			f.Poke(lev, f.Peek(lev)&^v)
		}
		return v
	}
	g := New(reg.New(f, 0))
	for _, pin := range []int{0, 21, 31, 32, 42, 57} {
		require.NoError(t, g.Set(pin))
		if l, _ := g.Level(pin); !l {
			t.Errorf("Level(%d) after Set = false, want true", pin)
		}
		require.NoError(t, g.Clear(pin))
		if l, _ := g.Level(pin); l {
			t.Errorf("Level(%d) after Clear = true, want false", pin)
		}
	}
}

func TestEvents(t *testing.T) {
	f := reg.NewFake()
	f.OnWrite = func(f *reg.Fake, pa uint64, v uint32) uint32 {
		if pa == GPEDS0 || pa == GPEDS0+4 {
			return f.Peek(pa) &^ v // write 1 to clear
		}
		return v
	}
	g := New(reg.New(f, 0))
	require.NoError(t, g.Initialize())
	require.NoError(t, g.Watch(17, Rising))
	require.NoError(t, g.Watch(40, Rising|Falling))
	assert.Equal(t, uint32(1<<17), f.Peek(GPREN0))
	assert.Equal(t, uint32(1<<8), f.Peek(GPREN0+4))
	assert.Equal(t, uint32(1<<8), f.Peek(GPFEN0+4))
	require.NoError(t, g.Watch(40, Falling))
	assert.Equal(t, uint32(0), f.Peek(GPREN0+4), "rising edge of pin 40 disabled again")

	// The hardware detects a rising edge on 17 and a falling one on 40.
	f.Poke(GPEDS0, 1<<17)
	f.Poke(GPEDS0+4, 1<<8)
	f.Poke(GPLEV0, 1<<17)
	require.NoError(t, g.HandleInterrupt())
	assert.Equal(t, Event{Pin: 17, Level: true}, <-g.Events())
	assert.Equal(t, Event{Pin: 40, Level: false}, <-g.Events())
	assert.Zero(t, f.Peek(GPEDS0), "status cleared")
	assert.Zero(t, f.Peek(GPEDS0+4))

	for i := 0; i < 70; i++ {
		f.Poke(GPEDS0, 1<<3)
		err := g.HandleInterrupt()
		if i < 64 {
			require.NoError(t, err)
		} else {
			assert.ErrorContains(t, err, "dropped", "event %d", i)
		}
	}
}
