package core

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCPUStatMatchesC keeps CPUStat identical to struct cpu_stat
// (ckernel/services.h) and MaxCPUs to MAX_CPUS (ckernel/cpu.h).
func TestCPUStatMatchesC(t *testing.T) {
	header, err := os.ReadFile(testenv.Root(t) + "/ckernel/services.h")
	require.NoError(t, err)
	cFields := cStructFields(t, string(header), "cpu_stat")
	st := reflect.TypeOf(CPUStat{})
	require.Equal(t, len(cFields), st.NumField(), "CPUStat has %d fields, struct cpu_stat %v", st.NumField(), cFields)
	for i, c := range cFields {
		assert.Equal(t, strings.ReplaceAll(c, "_", ""), strings.ToLower(st.Field(i).Name), "field %d", i)
		assert.Equal(t, reflect.Uint64, st.Field(i).Type.Kind(), "field %s", st.Field(i).Name)
	}
	cpu, err := os.ReadFile(testenv.Root(t) + "/ckernel/cpu.h")
	require.NoError(t, err)
	m := regexp.MustCompile(`#define MAX_CPUS (\d+)`).FindSubmatch(cpu)
	require.NotNil(t, m, "MAX_CPUS in cpu.h")
	assert.Equal(t, string(m[1]), "4", "MAX_CPUS")
	assert.Equal(t, 4, MaxCPUs)
}

func TestCPUStatSub(t *testing.T) {
	prev := CPUStat{Online: 1, Since: 100, Now: 1100, IdleTicks: 500, IRQTicks: 10, UserTicks: 90, SystemTicks: 400, Switches: 7, IRQs: 3}
	cur := CPUStat{Online: 1, Since: 100, Now: 2100, IdleTicks: 600, IRQTicks: 20, UserTicks: 390, SystemTicks: 990, Switches: 9, IRQs: 8}
	cases := []struct {
		name      string
		cur, prev CPUStat
		want      CPUStat
	}{
		{"an interval", cur, prev, CPUStat{Online: 1, Since: 1100, Now: 2100, IdleTicks: 100, IRQTicks: 10, UserTicks: 300, SystemTicks: 590, Switches: 2, IRQs: 5}},
		{"no earlier snapshot", cur, CPUStat{}, CPUStat{Online: 1, Since: 100, Now: 2100, IdleTicks: 600, IRQTicks: 20, UserTicks: 390, SystemTicks: 990, Switches: 9, IRQs: 8}},
		{"a count that went back", CPUStat{Online: 1, Since: 100, Now: 200, SystemTicks: 5}, CPUStat{Online: 1, Since: 100, Now: 150, SystemTicks: 9}, CPUStat{Online: 1, Since: 150, Now: 200}},
	}
	for _, c := range cases {
		got := c.cur.Sub(c.prev)
		assert.Equal(t, c.want, got, "%s: Sub(%+v) = %+v, want %+v", c.name, c.prev, got, c.want)
		if got.Online == 1 && c.name != "a count that went back" {
			assert.Equal(t, got.Total(), got.IdleTicks+got.Busy(), "%s: the parts add up to the interval", c.name)
		}
	}
}

func TestCPUStatPercentAndDuration(t *testing.T) {
	c := CPUStat{Since: 0, Now: 200, IdleTicks: 50}
	assert.InDelta(t, 25.0, c.Percent(c.IdleTicks), 1e-9, "Percent(50 of 200)")
	assert.Equal(t, 0.0, CPUStat{}.Percent(10), "Percent with no online time")
	cases := []struct {
		ticks, freq uint64
		want        time.Duration
	}{
		{62_500_000, 62_500_000, time.Second},
		{1_000_000_000, 1_000_000_000, time.Second},
		{31_250, 62_500_000, 500 * time.Microsecond},
		{5, 0, 0},
		{54_000_000*86_400*365 + 27_000_000, 54_000_000, 365*24*time.Hour + 500*time.Millisecond}, // a year: no overflow
	}
	for _, c := range cases {
		got := Duration(c.ticks, c.freq)
		assert.Equal(t, c.want, got, "Duration(%d, %d) = %v, want %v", c.ticks, c.freq, got, c.want)
	}
}
