package engine

import (
	"sync"

	"github.com/burrow-os/burrow/ai/constrain"
	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/policy"
	"github.com/burrow-os/burrow/ai/tokenizer"
)

// LM is the language-model Decider: greedy decoding constrained to the
// question's actions, so every answer parses. It is safe for concurrent
// use: each decision takes a KV cache from a free list (one per
// inference goroutine in steady state).
type LM struct {
	Model     *llama.Model
	Tokenizer *tokenizer.Tokenizer
	grammars  [policy.NumAsks]*constrain.Grammar

	mu   sync.Mutex     // guards free
	free []*llama.State // idle KV caches
}

// NewLM wraps a model and its tokenizer.
func NewLM(m *llama.Model, tok *tokenizer.Tokenizer) *LM {
	lm := &LM{Model: m, Tokenizer: tok, free: []*llama.State{llama.NewState(m)}}
	for a := range lm.grammars {
		var alts []string
		for _, s := range policy.Actions[a] {
			alts = append(alts, " "+s)
		}
		lm.grammars[a] = constrain.Alternatives(alts...)
	}
	return lm
}

// Decide implements Decider.
func (lm *LM) Decide(s policy.Situation) (policy.Action, error) {
	a, _, err := lm.decide(s, lm.Tokenizer.Encode(s.Text(), true, false))
	return a, err
}

func (lm *LM) decide(s policy.Situation, prompt []int) (policy.Action, []int, error) {
	lm.mu.Lock()
	var st *llama.State
	if n := len(lm.free); n > 0 {
		st, lm.free = lm.free[n-1], lm.free[:n-1]
	} else {
		st = llama.NewState(lm.Model)
	}
	lm.mu.Unlock()
	defer func() {
		lm.mu.Lock()
		lm.free = append(lm.free, st)
		lm.mu.Unlock()
	}()
	out, toks, err := constrain.Decode(st, lm.Tokenizer, lm.grammars[s.Ask], prompt, &llama.Sampler{})
	if err != nil {
		return policy.Action{}, toks, err
	}
	a, err := policy.ParseAction(s.Ask, out)
	return a, toks, err
}

// Bytes returns the memory the LM holds: weights, KV caches and buffers.
func (lm *LM) Bytes() int {
	lm.mu.Lock()
	defer lm.mu.Unlock()
	n := lm.Model.Bytes()
	for _, st := range lm.free {
		n += st.Bytes()
	}
	return n
}

// WithLM puts the result of loading a model into opt: the LM when err is
// nil, otherwise no model and err as the reason the engine logs once.
func WithLM(opt Options, m *llama.Model, tok *tokenizer.Tokenizer, err error) Options {
	if err == nil && (m == nil || tok == nil) {
		err = errNoModel
	}
	if err == nil && tok.Len() != m.Config.Vocab {
		err = errVocab
	}
	if err != nil {
		opt.Model, opt.ModelNote = nil, err.Error()
		return opt
	}
	opt.Model = NewLM(m, tok)
	return opt
}

var (
	errNoModel = errorString("no model file")
	errVocab   = errorString("tokenizer and model vocabulary sizes differ")
)

type errorString string

func (e errorString) Error() string { return string(e) }
