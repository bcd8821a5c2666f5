package engine

import (
	"fmt"
	"time"

	"github.com/burrow-os/burrow/ai/policy"
)

// DemoSituation is the boot-time demonstration question: a batch process
// with a small heap that allocates fast, where the rule (gc=100) and the
// cost model disagree.
var DemoSituation = ConfigSituation{Ask: policy.AskGC, HeapBytes: 4 << 20, AllocBytesPerSec: 300 << 20, Task: "batch"}

// Demo makes the boot-time demonstration decision: it asks cs, waits on
// the engine's clock until the model has answered or wait has passed, and
// returns the line the kernel logs, with the model's latency.
func (e *Engine) Demo(cs ConfigSituation, wait time.Duration) string {
	before := e.Snapshot().Counters
	start := e.opt.Clock.Now()
	imm := e.MakeConfigurationDecision(cs)
	if !e.HasModel() {
		return fmt.Sprintf("ai: demo decision %s (rule; no model)", imm)
	}
	for e.opt.Clock.Now()-start < wait {
		c := e.Snapshot().Counters
		if c.ModelAnswers+c.Errors > before.ModelAnswers+before.Errors {
			l := e.Log()
			last := l[len(l)-1]
			if last.Err != "" {
				return fmt.Sprintf("ai: demo decision %s (rule); model failed after %v: %s", imm, last.Latency, last.Err)
			}
			return fmt.Sprintf("ai: demo decision %s at once, model answered %s in %v (compute %v)", imm, last.Model, last.Latency, last.Compute)
		}
		if c.Queued == before.Queued && c.Deduplicated == before.Deduplicated {
			return fmt.Sprintf("ai: demo decision %s (cached)", imm)
		}
		e.opt.Clock.Sleep(time.Millisecond)
	}
	return fmt.Sprintf("ai: demo decision %s; model did not answer within %v", imm, wait)
}
