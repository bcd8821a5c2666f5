package pl011

import (
	"bytes"
	"sync"
	"testing"

	"github.com/burrow-os/burrow/drivers/reg"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDivisor(t *testing.T) {
	tests := []struct {
		clock, baud, ibrd, fbrd uint32
	}{
		{48_000_000, 115200, 26, 3}, // the Pi 4's firmware clock
		{3_000_000, 115200, 1, 40},  // the Pi 3 default: 1.6276 -> 1 + 40/64
		{24_000_000, 115200, 13, 1}, // QEMU virt's apb_pclk: 13.0208
		{48_000_000, 9600, 312, 32}, // 312.5
		{48_000_000, 921600, 3, 16}, // 3.2552 -> 3 + 16/64
	}
	for _, tt := range tests {
		ibrd, fbrd, err := Divisor(tt.clock, tt.baud)
		if err != nil || ibrd != tt.ibrd || fbrd != tt.fbrd {
			t.Errorf("Divisor(%d, %d) = %d, %d, %v, want %d, %d", tt.clock, tt.baud, ibrd, fbrd, err, tt.ibrd, tt.fbrd)
		}
		if got := Baud(tt.clock, ibrd, fbrd); got < tt.baud*97/100 || got > tt.baud*103/100 {
			t.Errorf("Baud(%d, %d, %d) = %d, want within 3%% of %d", tt.clock, ibrd, fbrd, got, tt.baud)
		}
	}
	for _, bad := range [][2]uint32{{48_000_000, 0}, {1000, 115200}, {4_000_000_000, 300}} {
		if _, _, err := Divisor(bad[0], bad[1]); err == nil {
			t.Errorf("Divisor(%d, %d) = nil error, want out of range", bad[0], bad[1])
		}
	}
}

// device simulates a PL011: a receive FIFO the test fills, and a transmit
// line that records what was written.
type device struct {
	mu   sync.Mutex
	rx   []uint32
	tx   bytes.Buffer
	fake *reg.Fake
}

func newDevice() *device {
	d := &device{fake: reg.NewFake()}
	d.fake.OnRead = func(pa uint64, v uint32) uint32 {
		d.mu.Lock()
		defer d.mu.Unlock()
		switch pa {
		case UARTFR:
			if len(d.rx) == 0 {
				return FR_RXFE
			}
			return 0
		case UARTDR:
			c := d.rx[0]
			d.rx = d.rx[1:]
			return c
		}
		return v
	}
	d.fake.OnWrite = func(f *reg.Fake, pa uint64, v uint32) uint32 {
		if pa == UARTDR {
			d.mu.Lock()
			d.tx.WriteByte(byte(v))
			d.mu.Unlock()
		}
		return v
	}
	return d
}

func TestInitialize(t *testing.T) {
	d := newDevice()
	routed := false
	u := New(reg.New(d.fake, 0), Config{Pins: func() error { routed = true; return nil }})
	require.NoError(t, u.Initialize())
	assert.True(t, routed, "GPIO 14/15 routed")
	assert.Equal(t, uint32(26), d.fake.Peek(UARTIBRD))
	assert.Equal(t, uint32(3), d.fake.Peek(UARTFBRD))
	assert.Equal(t, uint32(LCRH_WLEN8|LCRH_FEN), d.fake.Peek(UARTLCR_H))
	assert.Equal(t, uint32(INT_RX|INT_RT), d.fake.Peek(UARTIMSC))
	assert.Equal(t, uint32(CR_UARTEN|CR_TXE|CR_RXE), d.fake.Peek(UARTCR))
	// The UART is disabled first and enabled last.
	assert.Equal(t, reg.Access{PA: UARTCR, V: 0}, d.fake.Writes[0])
	assert.Equal(t, reg.Access{PA: UARTCR, V: CR_UARTEN | CR_TXE | CR_RXE}, d.fake.Writes[len(d.fake.Writes)-1])
}

func TestReceiveRing(t *testing.T) {
	d := newDevice()
	u := New(reg.New(d.fake, 0), Config{})
	got := make(chan string)
	go func() {
		buf := make([]byte, 64)
		n, _ := u.Read(buf) // blocks until the interrupt delivers
		got <- string(buf[:n])
	}()
	d.mu.Lock()
	for _, c := range "hello" {
		d.rx = append(d.rx, uint32(c))
	}
	d.rx = append(d.rx, 0x400|'x') // a break error: dropped and counted
	d.mu.Unlock()
	err := u.HandleInterrupt()
	assert.ErrorContains(t, err, "1 received characters had errors")
	assert.Equal(t, "hello", <-got)
	assert.Equal(t, uint32(INT_RX|INT_RT), d.fake.Peek(UARTICR), "receive interrupts cleared")
}

func TestRingOverflow(t *testing.T) {
	q := newRing()
	q.put(bytes.Repeat([]byte{'a'}, 4096+10))
	assert.Equal(t, uint64(10), q.dropped)
	buf := make([]byte, 5000)
	assert.Equal(t, 4096, q.get(buf), "get(full ring)")
}

func TestWrite(t *testing.T) {
	d := newDevice()
	u := New(reg.New(d.fake, 0), Config{})
	n, err := u.Write([]byte("burrow\r\n"))
	require.NoError(t, err)
	assert.Equal(t, 8, n)
	assert.Equal(t, "burrow\r\n", d.tx.String())
}
