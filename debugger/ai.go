package debugger

import (
	"fmt"
	"strings"
	"time"
)

// The Go kernel's AI decision engine is found by type: a global
// *engine.Engine (ai/engine), whatever it is named.
const engineType = "*github.com/burrow-os/burrow/ai/engine.Engine"

// aiCounters are the engine's counters (engine.Counters), in field order.
var aiCounters = []string{"Decisions", "CacheHits", "RuleAnswers", "Queued", "Dropped", "Deduplicated",
	"ModelAnswers", "Applied", "Stale", "Errors", "InferenceTime", "BudgetWait"}

// AIState is the engine's state as the ai view shows it.
type AIState struct {
	Var      string            `json:"var"`
	Model    bool              `json:"model"` // a model is loaded (else rule policies only)
	Counters map[string]uint64 `json:"counters"`
}

// AI reads the Go kernel's AI engine.
func (s *Session) AI() (AIState, error) {
	st := AIState{Counters: map[string]uint64{}}
	name, et, b, err := s.globalStruct(engineType, "the AI engine")
	if err != nil {
		return st, fmt.Errorf("the AI engine view is not available: %w", err)
	}
	st.Var = name
	for _, name := range aiCounters {
		if n, ok := field(et, b, "counters."+name); ok {
			st.Counters[name] = n
		}
	}
	// opt.Model is an interface: a non-nil data word means a model.
	if off, _, ok := nestedField(et, "opt.Model"); ok && off+16 <= int64(len(b)) {
		st.Model = leUint(b[off+8:off+16]) != 0
	}
	return st, nil
}

func cmdAI(s *Session, a []string) (string, any, error) {
	st, err := s.AI()
	if err != nil {
		return "", nil, err
	}
	var sb strings.Builder
	model := "rule policies only (no model)"
	if st.Model {
		model = "model loaded"
	}
	fmt.Fprintf(&sb, "AI engine %s: %s\n", st.Var, model)
	for _, name := range aiCounters {
		v := st.Counters[name]
		if strings.HasSuffix(name, "Time") || strings.HasSuffix(name, "Wait") {
			fmt.Fprintf(&sb, "  %-14s %v\n", name, time.Duration(v))
		} else {
			fmt.Fprintf(&sb, "  %-14s %d\n", name, v)
		}
	}
	return sb.String(), st, nil
}
