package train

import (
	"fmt"
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
}

// NewExample encodes situation s with the expert's action.
func NewExample(tok *tokenizer.Tokenizer, s policy.Situation) Example {
	p := Prompt(tok, s)
	a := tok.Encode(policy.Expert(s).String(), false, true)
	return Example{Tokens: append(p, a...), Answer: len(p)}
}

// Prompt encodes the situation the model is asked about.
func Prompt(tok *tokenizer.Tokenizer, s policy.Situation) []int {
	return tok.Encode(s.Text(), true, false)
}
