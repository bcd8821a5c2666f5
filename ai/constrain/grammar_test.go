package constrain

import (
	"fmt"
	"testing"

	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/tokenizer"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"gc=(25|50)", []string{"gc=25", "gc=50"}},
		{"a(b|c)(d|)", []string{"abd", "ab", "acd", "ac"}},
		{"x|y", []string{"x", "y"}},
		{"(a(1|2)|b)!", []string{"a1!", "a2!", "b!"}},
		{`\(lit\)`, []string{"(lit)"}},
	}
	for _, tt := range tests {
		g, err := Parse(tt.in)
		require.NoError(t, err, tt.in)
		want := Alternatives(tt.want...).Sentences()
		if fmt.Sprint(g.Sentences()) != fmt.Sprint(want) {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, g.Sentences(), want)
		}
	}
	for _, bad := range []string{"a(b", "a)b", "((a)"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) = nil error, want unbalanced", bad)
		}
	}
}

// vocab has single characters, byte fallbacks, and a few multi-character
// pieces some of which straddle sentence boundaries.
func vocab(t *testing.T) *tokenizer.Tokenizer {
	pieces := []string{"<unk>", "<s>", "</s>"}
	for b := 0; b < 256; b++ {
		pieces = append(pieces, fmt.Sprintf("<0x%02X>", b))
	}
	pieces = append(pieces, " gc=", "25", "50", "5", "0", "gc=100", " gc=25x", "=", " ")
	tk, err := tokenizer.New(pieces, make([]float32, len(pieces)), 1, 2)
	require.NoError(t, err)
	return tk
}

func TestAllowed(t *testing.T) {
	tk := vocab(t)
	g := Alternatives(" gc=25", " gc=50")
	allowed := make([]bool, tk.Len())
	id := func(p string) int { i, _ := tk.Lookup(p); return i }
	tests := []struct {
		sofar   string
		tok     int
		allowed bool
	}{
		{"", id(" gc="), true},
		{"", id(" gc=25x"), false}, // overshoots every sentence
		{"", id("gc=100"), false},
		{" gc=", id("25"), true},
		{" gc=", id("5"), true}, // on the way to " gc=50"
		{" gc=", tk.EOS, false},
		{" gc=25", tk.EOS, true},
		{" gc=25", id("0"), false},
		{"", 3 + ' ', true}, // the byte fallback for ' '
	}
	for _, tt := range tests {
		g.Allowed(tk, tt.sofar, allowed)
		if allowed[tt.tok] != tt.allowed {
			t.Errorf("Allowed(%q)[%q] = %v, want %v", tt.sofar, tk.Pieces[tt.tok], allowed[tt.tok], tt.allowed)
		}
	}
}

// TestDecodeAlwaysValid samples hot from random models: whatever the
// logits, the output must be a sentence of the grammar.
func TestDecodeAlwaysValid(t *testing.T) {
	tk := vocab(t)
	g := Alternatives(" gc=25", " gc=50", " gc=100")
	c := llama.Config{Dim: 16, HiddenDim: 32, Layers: 1, Heads: 2, KVHeads: 1, Vocab: tk.Len(), SeqLen: 24}
	seen := map[string]bool{}
	for seed := uint64(1); seed <= 30; seed++ {
		m := llama.RandomModel(c, seed, 1, false)
		s := &llama.Sampler{Temperature: 2, Rand: llama.NewRand(seed)}
		out, toks, err := Decode(llama.NewState(m), tk, g, []int{1, 260}, s)
		require.NoError(t, err, "seed %d", seed)
		if !g.Match(out) {
			t.Fatalf("Decode(seed %d) = %q (tokens %v), want one of %q", seed, out, toks, g.Sentences())
		}
		seen[out] = true
	}
	require.Len(t, seen, 3, "hot sampling over 30 models should reach every sentence")
}

func TestDecodeDeadEnd(t *testing.T) {
	tk, err := tokenizer.New([]string{"<unk>", "<s>", "</s>", "a", "b"}, make([]float32, 5), 1, 2)
	require.NoError(t, err)
	c := llama.Config{Dim: 8, HiddenDim: 8, Layers: 1, Heads: 1, KVHeads: 1, Vocab: 5, SeqLen: 8}
	_, _, err = Decode(llama.NewState(llama.RandomModel(c, 1, 1, false)), tk, Alternatives("ac"), []int{1}, &llama.Sampler{})
	require.ErrorContains(t, err, `no token continues "a"`)
}
