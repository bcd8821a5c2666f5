// Package constrain restricts a language model's output to a grammar of
// valid actions, so that every decision the AI layer takes parses.
//
// A grammar here is a finite language written as a pattern of literal text
// and parenthesized alternatives, for example "gc=(25|50|100)". At each
// decoding step only tokens that keep the generated text a prefix of some
// sentence of the language are allowed, and end-of-sequence only when the
// text is a complete sentence: the technique of grammar-constrained
// decoding (as in llama.cpp's GBNF sampler, reduced to finite languages).
//
// Pure Go: runs on the host and in the Burrow kernel.
package constrain

import (
	"fmt"
	"sort"
	"strings"

	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/tokenizer"
)

// Grammar is a finite set of valid outputs.
type Grammar struct {
	sentences []string // sorted, no duplicates
}

// Alternatives returns the grammar whose sentences are exactly alts.
func Alternatives(alts ...string) *Grammar {
	s := append([]string(nil), alts...)
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return &Grammar{out}
}

// Parse reads a pattern: literal text, with (a|b|...) groups that may nest
// and may be empty alternatives ("(k|)" means an optional k). A backslash
// escapes the next character.
func Parse(pattern string) (*Grammar, error) {
	alts, rest, err := parseSeq(pattern, 0)
	if err != nil {
		return nil, err
	}
	if rest != len(pattern) {
		return nil, fmt.Errorf("constrain: unbalanced ')' at offset %d of %q", rest, pattern)
	}
	return Alternatives(alts...), nil
}

const maxSentences = 1 << 14

// parseSeq parses alternatives separated by | until ')' or the end,
// returning their expansions and the offset where it stopped.
func parseSeq(p string, i int) ([]string, int, error) {
	var all []string
	cur := []string{""}
	for i < len(p) {
		c := p[i]
		switch c {
		case '|':
			all = append(all, cur...)
			cur = []string{""}
			i++
		case ')':
			return append(all, cur...), i, nil
		case '(':
			inner, j, err := parseSeq(p, i+1)
			if err != nil {
				return nil, 0, err
			}
			if j >= len(p) || p[j] != ')' {
				return nil, 0, fmt.Errorf("constrain: unclosed '(' at offset %d of %q", i, p)
			}
			if len(cur)*len(inner) > maxSentences {
				return nil, 0, fmt.Errorf("constrain: pattern %q has more than %d sentences", p, maxSentences)
			}
			var next []string
			for _, a := range cur {
				for _, b := range inner {
					next = append(next, a+b)
				}
			}
			cur = next
			i = j + 1
		default:
			if c == '\\' && i+1 < len(p) {
				i++
				c = p[i]
			}
			for k := range cur {
				cur[k] += string(c)
			}
			i++
		}
	}
	return append(all, cur...), i, nil
}

// Sentences returns the valid outputs, sorted.
func (g *Grammar) Sentences() []string { return g.sentences }

// Match reports whether s is a sentence of g.
func (g *Grammar) Match(s string) bool {
	i := sort.SearchStrings(g.sentences, s)
	return i < len(g.sentences) && g.sentences[i] == s
}

// isPrefix reports whether s is a prefix of some sentence.
func (g *Grammar) isPrefix(s string) bool {
	// The sentences with prefix s, if any, start at the first sentence >= s.
	i := sort.SearchStrings(g.sentences, s)
	return i < len(g.sentences) && strings.HasPrefix(g.sentences[i], s)
}

// Allowed sets allowed[t] for every token t that may follow the text
// generated so far, and reports whether any token is allowed.
func (g *Grammar) Allowed(tok *tokenizer.Tokenizer, sofar string, allowed []bool) bool {
	any := false
	for t := range allowed {
		ok := false
		if t == tok.EOS {
			ok = g.Match(sofar)
		} else if p := tok.Text(t); p != "" {
			ok = g.isPrefix(sofar + p)
		}
		allowed[t] = ok
		any = any || ok
	}
	return any
}

// Decode feeds prompt (starting at position 0) to the model and then
// generates under g until end-of-sequence, returning the sentence and the
// generated tokens. The result always matches g; when the vocabulary
// cannot continue a sentence, Decode returns an error instead.
func Decode(st *llama.State, tok *tokenizer.Tokenizer, g *Grammar, prompt []int, s *llama.Sampler) (string, []int, error) {
	if len(prompt) == 0 {
		return "", nil, fmt.Errorf("constrain: empty prompt")
	}
	var logits []float32
	var err error
	for pos, t := range prompt {
		if logits, err = st.Forward(t, pos); err != nil {
			return "", nil, err
		}
	}
	allowed := make([]bool, len(logits))
	var out []int
	var text strings.Builder
	for pos := len(prompt); ; pos++ {
		if !g.Allowed(tok, text.String(), allowed) {
			return "", out, fmt.Errorf("constrain: no token continues %q", text.String())
		}
		next := s.Sample(logits, allowed)
		if next == tok.EOS {
			return text.String(), out, nil
		}
		out = append(out, next)
		text.WriteString(tok.Text(next))
		if logits, err = st.Forward(next, pos); err != nil {
			return "", out, fmt.Errorf("constrain: %w", err)
		}
	}
}
