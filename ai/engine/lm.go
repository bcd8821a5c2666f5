package engine

import (
	"github.com/burrow-os/burrow/ai/constrain"
	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/policy"
	"github.com/burrow-os/burrow/ai/tokenizer"
)

// LM is the language-model Decider: greedy decoding constrained to the
// question's actions, so every answer parses. One LM serves one inference
// goroutine at a time (it owns a KV cache); give each worker its own, or
// use one worker.
type LM struct {
	Model     *llama.Model
	Tokenizer *tokenizer.Tokenizer
	state     *llama.State
	grammars  [policy.NumAsks]*constrain.Grammar
}

// NewLM wraps a model and its tokenizer.
func NewLM(m *llama.Model, tok *tokenizer.Tokenizer) *LM {
	lm := &LM{Model: m, Tokenizer: tok, state: llama.NewState(m)}
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
	out, toks, err := constrain.Decode(lm.state, lm.Tokenizer, lm.grammars[s.Ask], prompt, &llama.Sampler{})
	if err != nil {
		return policy.Action{}, toks, err
	}
	a, err := policy.ParseAction(s.Ask, out)
	return a, toks, err
}

// Bytes returns the memory the LM holds: weights, KV cache and buffers.
func (lm *LM) Bytes() int { return lm.Model.Bytes() + lm.state.Bytes() }

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
