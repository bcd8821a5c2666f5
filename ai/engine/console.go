package engine

import (
	"fmt"
	"io"
	"sort"
)

// Console runs the kernel console's `ai` command: `ai log` prints the
// decision log, `ai state` the counters and the policy cache.
func (e *Engine) Console(w io.Writer, args []string) error {
	if len(args) == 0 {
		args = []string{"log"}
	}
	switch args[0] {
	case "log":
		ents := e.Log()
		if len(ents) == 0 {
			fmt.Fprintln(w, "ai: no model decisions yet")
		}
		for _, l := range ents {
			fmt.Fprintln(w, l)
		}
	case "state":
		st := e.Snapshot()
		c := st.Counters
		fmt.Fprintf(w, "model %v  pending %d  budget tokens %v\n", st.Model, st.Queue, st.Tokens)
		fmt.Fprintf(w, "decisions %d  cache hits %d  rule answers %d  queued %d  dropped %d  deduplicated %d\n",
			c.Decisions, c.CacheHits, c.RuleAnswers, c.Queued, c.Dropped, c.Deduplicated)
		fmt.Fprintf(w, "model answers %d  applied %d  stale %d  errors %d  inference %v  budget wait %v\n",
			c.ModelAnswers, c.Applied, c.Stale, c.Errors, c.InferenceTime, c.BudgetWait)
		keys := make([]string, 0, len(st.Cache))
		for k := range st.Cache {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			cp := st.Cache[k]
			fmt.Fprintf(w, "  %-50s %-16s %-5s hits %d\n", k, cp.Action, cp.Source, cp.Hits)
		}
	default:
		return fmt.Errorf("usage: ai log | ai state")
	}
	return nil
}
