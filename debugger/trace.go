package debugger

import (
	"encoding/json"
	"fmt"
)

// Event is one entry of the kernel's event ring.
type Event struct {
	Time uint64 // generic timer ticks (CNTVCT_EL0)
	Kind string // irq, switch, svc, syscall, ai... (the enum's names)
	CPU  int
	Arg0 uint64 // irq: interrupt id; switch: from tid; svc/syscall: number
	Arg1 uint64 // switch: to tid
}

// chromeEvent is one entry of the Chrome trace event format
// ("Trace Event Format", Google, 2016), which Perfetto and
// chrome://tracing open.
type chromeEvent struct {
	Name  string         `json:"name"`
	Phase string         `json:"ph"`
	TS    float64        `json:"ts"` // microseconds
	PID   int            `json:"pid"`
	TID   int            `json:"tid"` // one track per CPU
	Scope string         `json:"s,omitempty"`
	Args  map[string]any `json:"args,omitempty"`
}

// ChromeTrace converts events to Chrome trace JSON, with freq the counter
// frequency (CNTFRQ_EL0) to turn ticks into microseconds. Thread switches
// become slices named after the thread running on each CPU; everything
// else is an instant event on its CPU's track.
func ChromeTrace(evs []Event, freq uint64) ([]byte, error) {
	if freq == 0 {
		return nil, fmt.Errorf("debugger: counter frequency is zero")
	}
	out := []chromeEvent{{Name: "process_name", Phase: "M", Args: map[string]any{"name": "Burrow kernel"}}}
	var t0 uint64
	if len(evs) > 0 {
		t0 = evs[0].Time
	}
	open := map[int]string{} // CPU -> slice name running on it
	seen := map[int]bool{}
	var last float64
	for _, e := range evs {
		ts := float64(e.Time-t0) * 1e6 / float64(freq)
		last = ts
		if !seen[e.CPU] {
			seen[e.CPU] = true
			out = append(out, chromeEvent{Name: "thread_name", Phase: "M", TID: e.CPU,
				Args: map[string]any{"name": fmt.Sprintf("CPU %d", e.CPU)}})
		}
		switch e.Kind {
		case "switch", "TR_SWITCH":
			if name, ok := open[e.CPU]; ok {
				out = append(out, chromeEvent{Name: name, Phase: "E", TS: ts, TID: e.CPU})
			}
			name := fmt.Sprintf("thread %d", e.Arg1)
			open[e.CPU] = name
			out = append(out, chromeEvent{Name: name, Phase: "B", TS: ts, TID: e.CPU,
				Args: map[string]any{"from": e.Arg0, "to": e.Arg1}})
		default:
			out = append(out, chromeEvent{Name: fmt.Sprintf("%s %d", e.Kind, e.Arg0), Phase: "i", TS: ts,
				TID: e.CPU, Scope: "t", Args: map[string]any{"arg0": e.Arg0, "arg1": e.Arg1}})
		}
	}
	for cpu, name := range open {
		out = append(out, chromeEvent{Name: name, Phase: "E", TS: last, TID: cpu})
	}
	return json.MarshalIndent(map[string]any{"traceEvents": out, "displayTimeUnit": "ns"}, "", " ")
}
