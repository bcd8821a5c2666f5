package proc

import (
	"strings"
	"testing"

	"github.com/burrow-os/burrow/kernel/core"
	"github.com/stretchr/testify/assert"
)

func TestFormatStat(t *testing.T) {
	const freq = 1000 // ticks per second: 10 ticks are one USER_HZ tick
	cpus := []core.CPUStat{
		{Online: 1, Since: 0, Now: 10000, UserTicks: 2000, SystemTicks: 3000, IdleTicks: 4900, IRQTicks: 100, Switches: 50, IRQs: 7},
		{}, // offline: no cpu1 line
		{Online: 1, Since: 5000, Now: 10000, UserTicks: 15, SystemTicks: 4985, Switches: 5, IRQs: 1},
	}
	got := formatStat(cpus, freq, 1700000000, 3, 2)
	want := strings.Join([]string{
		"cpu  201 0 798 490 0 10 0 0 0 0",
		"cpu0 200 0 300 490 0 10 0 0 0 0",
		"cpu2 1 0 498 0 0 0 0 0 0 0",
		"intr 8",
		"ctxt 55",
		"btime 1700000000",
		"processes 3",
		"procs_running 2",
		"procs_blocked 0",
		"softirq 0 0 0 0 0 0 0 0 0 0 0",
		"",
	}, "\n")
	assert.Equal(t, want, got, "formatStat(...) = %q, want %q", got, want)
}

func TestCPUTimes(t *testing.T) {
	cases := []struct {
		in   core.CPUStat
		freq uint64
		want statTimes
	}{
		{core.CPUStat{UserTicks: 54_000_000, SystemTicks: 27_000_000, IdleTicks: 540_000, IRQTicks: 539_999}, 54_000_000, statTimes{100, 0, 50, 1, 0, 0}},
		{core.CPUStat{UserTicks: 1 << 62}, 62_500_000, statTimes{7378697629483}}, // floor(2^62 * 100 / 62.5e6): no overflow
		{core.CPUStat{UserTicks: 5}, 0, statTimes{}},
	}
	for _, c := range cases {
		got := cpuTimes(c.in, c.freq)
		assert.Equal(t, c.want, got, "cpuTimes(%+v, %d) = %v, want %v", c.in, c.freq, got, c.want)
	}
}

func TestProcStatOnHost(t *testing.T) {
	// Off Burrow the counters are unavailable: /proc/stat still parses,
	// with one CPU and no time.
	k := &Kernel{}
	got := string(k.procStat(nil))
	assert.True(t, strings.HasPrefix(got, "cpu  0 0 0 0 0 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\n"), "procStat on the host = %q", got)
}
