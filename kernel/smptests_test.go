package main

import (
	"testing"

	"github.com/burrow-os/burrow/kernel/core"
	"github.com/stretchr/testify/assert"
)

func TestBusyCheck(t *testing.T) {
	at := func(now, idle uint64) core.CPUStat {
		return core.CPUStat{Online: 1, Since: 0, Now: now, IdleTicks: idle, SystemTicks: now - idle}
	}
	cases := []struct {
		name          string
		before, after []core.CPUStat
		wantErr       string
	}{
		{"all busy", []core.CPUStat{at(100, 50), at(100, 50)}, []core.CPUStat{at(1100, 60), at(1100, 150)}, ""},
		{"one idle", []core.CPUStat{at(100, 50), at(100, 50)}, []core.CPUStat{at(1100, 60), at(1100, 200)}, "busy under 90%: [cpu1 85.0%]"},
		{"offline ignored", []core.CPUStat{at(100, 50), {}}, []core.CPUStat{at(1100, 60), {}}, ""},
		{"none online", []core.CPUStat{{}}, []core.CPUStat{{}}, "no CPU online"},
		{"sizes differ", []core.CPUStat{at(1, 0)}, nil, "1 CPUs before, 0 after"},
	}
	for _, c := range cases {
		err := busyCheck(c.before, c.after, 90)
		if c.wantErr == "" {
			assert.NoError(t, err, "%s: busyCheck = %v, want nil", c.name, err)
		} else {
			assert.EqualError(t, err, c.wantErr, "%s: busyCheck = %v, want %q", c.name, err, c.wantErr)
		}
	}
}

func TestSpinStops(t *testing.T) {
	n := 0
	h := spin(func() bool { n++; return n <= 3 })
	assert.Equal(t, 4, n, "spin asked the clock %d times, want 4", n)
	assert.NotZero(t, h, "spin(3 rounds) = 0: the work was optimised away")
}
