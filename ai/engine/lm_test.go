package engine

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/burrow-os/burrow/ai/model"
	"github.com/burrow-os/burrow/ai/policy"
	"github.com/stretchr/testify/require"
)

// TestShippedModelEndToEnd runs the engine with the embedded model on real
// time: the first answer is the rule's, the model's answer lands in the
// log and the cache, and it equals what the model decides directly.
func TestShippedModelEndToEnd(t *testing.T) {
	m, tok, err := model.Load()
	require.NoError(t, err)
	st := &fakeStats{total: gib, free: gib * 9 / 10}
	var lines []string
	opt := WithLM(Options{Stats: st, Logf: func(f string, a ...any) { lines = append(lines, fmt.Sprintf(f, a...)) }}, m, tok, nil)
	e := New(opt)
	defer e.Close()
	require.Empty(t, lines)
	s := Assemble(st).Situation(gcAsk)
	require.Equal(t, policy.Rule(s), e.MakeConfigurationDecision(gcAsk))
	eventually(t, "the model's answer", func() bool { return len(e.Log()) == 1 })
	l := e.Log()[0]
	require.Empty(t, l.Err)
	direct, err := NewLM(m, tok).Decide(s)
	require.NoError(t, err)
	require.Equal(t, direct, l.Model)
	require.Greater(t, l.Compute, time.Duration(0))
	require.Equal(t, l.Model, e.MakeConfigurationDecision(gcAsk))
}

func TestCorruptModelLeavesRules(t *testing.T) {
	var lines []string
	logf := func(f string, a ...any) { lines = append(lines, fmt.Sprintf(f, a...)) }
	_, _, err := model.Parse([]byte("not a model at all, just some bytes"), nil)
	require.Error(t, err)
	e := New(WithLM(Options{Stats: &fakeStats{total: gib, free: gib}, Logf: logf}, nil, nil, err))
	defer e.Close()
	require.Len(t, lines, 1)
	require.Contains(t, lines[0], "ai: model unavailable (model.bin: llama2c: ")
	require.Contains(t, lines[0], "rule policies in charge")
	require.False(t, e.HasModel())
	s := Assemble(e.opt.Stats).Situation(gcAsk)
	require.Equal(t, policy.Rule(s), e.MakeConfigurationDecision(gcAsk))
}

func TestTranscript(t *testing.T) {
	m, tok, err := model.Load()
	require.NoError(t, err)
	var a, b strings.Builder
	require.NoError(t, Transcript(&a, NewLM(m, tok)))
	require.NoError(t, Transcript(&b, NewLM(m, tok)))
	require.Equal(t, a.String(), b.String(), "a transcript must be deterministic")
	lines := strings.Split(strings.TrimSpace(a.String()), "\n")
	require.Len(t, lines, 16)
	for i, s := range Scenarios() {
		require.Contains(t, lines[i], s.Signature())
	}
}

func TestDemo(t *testing.T) {
	m, tok, err := model.Load()
	require.NoError(t, err)
	e := New(WithLM(Options{Stats: &fakeStats{total: gib, free: gib}}, m, tok, nil))
	defer e.Close()
	line := e.Demo(DemoSituation, 10*time.Second)
	require.Regexp(t, `^ai: demo decision gc=100 at once, model answered gc=\d+ in \S+ \(compute \S+\)$`, line)
	// Asked again, the model's answer comes straight from the cache.
	require.Equal(t, fmt.Sprintf("ai: demo decision %s (cached)", e.Log()[0].Model), e.Demo(DemoSituation, time.Second))
	rules := New(Options{Stats: &fakeStats{total: gib, free: gib}})
	require.Equal(t, "ai: demo decision gc=100 (rule; no model)", rules.Demo(DemoSituation, time.Second))
}

// TestLMConcurrent runs one LM from several inference goroutines (run
// with -race): each decision gets its own KV cache.
func TestLMConcurrent(t *testing.T) {
	m, tok, err := model.Load()
	require.NoError(t, err)
	st := &fakeStats{total: gib, free: gib}
	e := New(WithLM(Options{Stats: st, Workers: 3, QueueLen: 64}, m, tok, nil))
	defer e.Close()
	lm := NewLM(m, tok)
	want := map[string]policy.Action{} // situation text -> single-threaded answer
	r := policy.NewRand(3)
	for i := 0; i < 24; i++ {
		cs := ConfigSituation{Ask: policy.AskSched, Task: policy.TaskLevels[r.Intn(4)],
			Burst: time.Duration(r.Intn(80)) * time.Millisecond, Nice: r.Intn(3) - 1}
		s := Assemble(st).Situation(cs)
		a, err := lm.Decide(s)
		require.NoError(t, err)
		want[s.Text()] = a
		e.MakeConfigurationDecision(cs)
	}
	eventually(t, "all answers", func() bool {
		c := e.Snapshot().Counters
		return c.ModelAnswers+c.Errors == c.Queued
	})
	require.NotEmpty(t, e.Log())
	for _, l := range e.Log() {
		require.Empty(t, l.Err)
		require.Equal(t, want[l.Situation], l.Model, "answer to %s", l.Situation)
	}
}
