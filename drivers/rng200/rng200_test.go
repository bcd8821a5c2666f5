package rng200

import (
	"testing"

	"github.com/burrow-os/burrow/drivers/reg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRead(t *testing.T) {
	f := reg.NewFake()
	next := uint32(0x03020100)
	f.OnRead = func(pa uint64, v uint32) uint32 {
		switch pa {
		case RNG_FIFO_COUNT:
			if f.Peek(RNG_CTRL)&RNG_CTRL_RBGEN == 0 {
				return 0
			}
			return 2
		case RNG_FIFO_DATA:
			w := next
			next += 0x04040404
			return w
		}
		return v
	}
	r := New(reg.New(f, 0))
	require.NoError(t, r.Initialize())
	p := make([]byte, 10)
	n, err := r.Read(p)
	require.NoError(t, err)
	assert.Equal(t, 10, n)
	assert.Equal(t, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, p, "Read: words little-endian, in order")
}
