package debugger

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExceptionLevel(t *testing.T) {
	for _, tc := range []struct {
		cpsr uint64
		want string
	}{
		{0x3c5, "EL1h ---- mask=DAIF"},     // EL1, SP_EL1, all masked
		{0x60000344, "EL1t -ZC- mask=DAF"}, // the Go kernel: EL1 on SP_EL0
		{0x0, "EL0t ---- mask="},           // user mode
		{0x3c9, "EL2h ---- mask=DAIF"},     // QEMU raspi4b entry
		{0xf0000005, "EL1h NZCV mask="},    // flags
		{0x10, "AArch32"},
	} {
		if got := ExceptionLevel(tc.cpsr); got != tc.want {
			t.Errorf("ExceptionLevel(%#x) = %q, want %q", tc.cpsr, got, tc.want)
		}
	}
}

func TestDecodeESR(t *testing.T) {
	for _, tc := range []struct {
		esr  uint64
		want string
	}{
		{0x56000000, "EC=0x15 SVC (AArch64) imm=0x0"},
		{0x96000045, "EC=0x25 data abort (same EL) translation fault, level 1 (write)"},
		{0x9600000f, "EC=0x25 data abort (same EL) permission fault, level 3"},
		{0x86000006, "EC=0x21 instruction abort (same EL) translation fault, level 2"},
		{0xf2000000, "EC=0x3c BRK"},
		{0x0, "EC=0x00 unknown"},
		{0xfc000000, "EC=0x3f reserved"},
	} {
		if got := DecodeESR(tc.esr); got != tc.want {
			t.Errorf("DecodeESR(%#x) = %q, want %q", tc.esr, got, tc.want)
		}
	}
}

func TestHexDump(t *testing.T) {
	got := HexDump(0x1000, []byte("Burrow!\x00\x01\x02abcdefghij"))
	want := "0000000000001000  42 75 72 72 6f 77 21 00  01 02 61 62 63 64 65 66  |Burrow!...abcdef|\n" +
		"0000000000001010  67 68 69 6a                                       |ghij|\n"
	assert.Equal(t, want, got)
}

func TestChromeTrace(t *testing.T) {
	_, err := ChromeTrace(nil, 0)
	assert.Error(t, err, "a zero counter frequency is refused")

	evs := []Event{
		{Time: 1000, Kind: "TR_SWITCH", CPU: 0, Arg0: 0, Arg1: 1},
		{Time: 1625, Kind: "TR_IRQ", CPU: 0, Arg0: 27},
		{Time: 2250, Kind: "switch", CPU: 0, Arg0: 1, Arg1: 2},
		{Time: 2250, Kind: "TR_SWITCH", CPU: 1, Arg0: 0, Arg1: 3},
	}
	js, err := ChromeTrace(evs, 62_500_000) // 16 ns a tick
	require.NoError(t, err)
	var tr struct {
		TraceEvents []chromeEvent `json:"traceEvents"`
	}
	require.NoError(t, json.Unmarshal(js, &tr))
	var seq []string
	for _, e := range tr.TraceEvents {
		if e.Phase != "M" {
			seq = append(seq, e.Phase+" "+e.Name)
		}
	}
	// Each switch closes the slice of the thread that ran before on that
	// CPU; the open slices close at the last timestamp.
	assert.Equal(t, []string{"B thread 1", "i TR_IRQ 27", "E thread 1", "B thread 2", "B thread 3"}, seq[:5])
	assert.ElementsMatch(t, []string{"E thread 2", "E thread 3"}, seq[5:])
	for _, e := range tr.TraceEvents {
		if e.Name == "TR_IRQ 27" {
			assert.InDelta(t, 10.0, e.TS, 1e-9, "625 ticks at 62.5 MHz are 10 µs")
		}
	}
	assert.True(t, strings.Contains(string(js), `"name": "CPU 1"`), "one named track per CPU")
}
