package main

import (
	"strings"
	"testing"

	"github.com/burrow-os/burrow/kernel/core"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteCPUs(t *testing.T) {
	const freq = 1000 // one tick per millisecond
	cpus := []core.CPUStat{
		{Online: 1, Since: 0, Now: 2000, IdleTicks: 500, IRQTicks: 100, UserTicks: 400, SystemTicks: 1000, Switches: 12, IRQs: 34},
		{Online: 1, Since: 1000, Now: 2000, IdleTicks: 1000},
		{},
	}
	var b strings.Builder
	writeCPUs(&b, cpus, freq)
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	require.Len(t, lines, 5, "header, three CPUs, summary:\n%s", b.String())
	cases := []struct {
		line int
		want []string
	}{
		{0, []string{"cpu", "state", "busy", "idle", "irq", "user", "system", "switches", "irqs"}},
		{1, []string{"0", "online", "1.5s", "75.0%", "500ms", "25.0%", "100ms", "5.0%", "400ms", "20.0%", "1s", "50.0%", "12", "34"}},
		{2, []string{"1", "online", "0s", "0.0%", "1s", "100.0%"}},
		{3, []string{"2", "offline"}},
		{4, []string{"2", "of", "3", "CPUs", "online;"}},
	}
	for _, c := range cases {
		got := strings.Fields(lines[c.line])
		require.GreaterOrEqual(t, len(got), len(c.want), "line %d = %q, want fields %q", c.line, lines[c.line], c.want)
		assert.Equal(t, c.want, got[:len(c.want)], "line %d = %q, want fields %q", c.line, lines[c.line], c.want)
	}
}
