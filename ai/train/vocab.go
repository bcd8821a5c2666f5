package train

import (
	"fmt"
	"math"
	"sort"

	"github.com/burrow-os/burrow/ai/policy"
	"github.com/burrow-os/burrow/ai/tokenizer"
)

// Tokenizer builds the vocabulary of the decision model in llama2.c's
// layout: <unk>, <s>, </s>, the 256 byte-fallback pieces, every character
// of the situation language, and every prefix of every word (with its
// leading space) scored by its length. Because only space-initial pieces
// are longer than one character, byte-pair merging can only grow a word
// from its start, and each word of policy.Words ends as exactly one token.
func Tokenizer() *tokenizer.Tokenizer {
	pieces := []string{"<unk>", "<s>", "</s>"}
	for b := 0; b < 256; b++ {
		pieces = append(pieces, fmt.Sprintf("<0x%02X>", b))
	}
	scores := make([]float32, len(pieces))
	seen := map[string]bool{}
	var chars, prefixes []string
	for _, w := range policy.Words() {
		for _, c := range w {
			if s := string(c); !seen[s] {
				seen[s] = true
				chars = append(chars, s)
			}
		}
		for n := 2; n <= len(w); n++ {
			if p := w[:n]; !seen[p] {
				seen[p] = true
				prefixes = append(prefixes, p)
			}
		}
	}
	sort.Strings(chars)
	sort.Slice(prefixes, func(i, j int) bool {
		if len(prefixes[i]) != len(prefixes[j]) {
			return len(prefixes[i]) < len(prefixes[j])
		}
		return prefixes[i] < prefixes[j]
	})
	for _, c := range chars {
		pieces = append(pieces, c)
		scores = append(scores, 0)
	}
	for _, p := range prefixes {
		pieces = append(pieces, p)
		scores = append(scores, float32(len(p)))
	}
	t, err := tokenizer.New(pieces, scores, 1, 2)
	if err != nil {
		panic(err) // the inputs above are well formed by construction
	}
	return t
}

// Example is one training sequence: the prompt (BOS and the situation)
// followed by the answer (the expert's action and EOS). The loss covers the
// answer only.
type Example struct {
	Tokens []int
	Answer int // index in Tokens of the first answer token
	// Soft, when set, replaces the one-hot target of the first answer
	// token with a distribution over the question's action tokens.
	Soft []Target
}

// Target is one token's share of a soft target.
type Target struct {
	Token int
	P     float32
}

// NewExample encodes situation s with the expert's action. With tau > 0
// the first answer token is trained towards the distribution
// p(a) ∝ exp(-(cost(a)/cost(best) - 1)/tau) over all actions, so the model
// also learns which actions are nearly as good as the expert's (knowledge
// distillation from the cost model, Hinton et al. 2015); the expert's
// action always has the largest share.
func NewExample(tok *tokenizer.Tokenizer, s policy.Situation, tau float64) Example {
	p := Prompt(tok, s)
	a := tok.Encode(policy.Expert(s).String(), false, true)
	ex := Example{Tokens: append(p, a...), Answer: len(p)}
	if tau > 0 {
		ex.Soft = softTargets(tok, s, tau)
	}
	return ex
}

func softTargets(tok *tokenizer.Tokenizer, s policy.Situation, tau float64) []Target {
	best := policy.Cost(s, policy.Expert(s).Index)
	var out []Target
	var sum float64
	ws := make([]float64, len(policy.Actions[s.Ask]))
	for i := range ws {
		c := policy.Cost(s, i)
		if math.IsInf(c, 1) {
			continue
		}
		rel := 0.0
		if best > 0 {
			rel = c/best - 1
		}
		ws[i] = math.Exp(-rel / tau)
		sum += ws[i]
	}
	for i, w := range ws {
		if w == 0 {
			continue
		}
		id := tok.Encode(policy.Actions[s.Ask][i], false, false)
		if len(id) != 1 {
			return nil // an action that is not one token: fall back to one-hot
		}
		out = append(out, Target{id[0], float32(w / sum)})
	}
	return out
}

// Prompt encodes the situation the model is asked about.
func Prompt(tok *tokenizer.Tokenizer, s policy.Situation) []int {
	return tok.Encode(s.Text(), true, false)
}
