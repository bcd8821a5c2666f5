package train

import (
	"math"
	"strings"
	"testing"

	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/policy"
	"github.com/stretchr/testify/require"
)

func TestTokenizerOneTokenPerWord(t *testing.T) {
	tok := Tokenizer()
	s := policy.Fill(policy.Combos(policy.AskDriver)[5], policy.NewRand(3))
	text := s.Text()
	got := tok.Encode(text, false, false)
	words := strings.Fields(text)
	require.Len(t, got, len(words), "Encode(%q) = %v, want one token per word", text, got)
	for i, w := range words {
		require.Equal(t, " "+w, tok.Pieces[got[i]], "token %d", i)
	}
}

// TestForwardMatchesInference requires the training forward pass to give
// the inference engine's logits (they share the arithmetic).
func TestForwardMatchesInference(t *testing.T) {
	o := Tiny()
	tok := Tokenizer()
	c := o.Config
	c.Vocab = tok.Len()
	p := newParams(c)
	p.initialize(c, policy.NewRand(1))
	for i := range p.flat { // make the model less trivial than its init
		p.flat[i] *= 20
	}
	ex := NewExample(tok, policy.Fill(policy.Combos(policy.AskGC)[0], policy.NewRand(2)), 0)
	w := newWork(c)
	w.lossAndGrad(p, newParams(c), ex, 1, 0, nil)
	st := llama.NewState(p.model(c))
	D := c.Dim
	for pos, tk := range ex.Tokens[:len(ex.Tokens)-1] {
		want, err := st.Forward(tk, pos)
		require.NoError(t, err)
		// Recompute the training logits at pos from the stored final activations.
		for v := 0; v < 5; v++ {
			got := dot(p.emb[v*D:(v+1)*D], w.f[pos*D:(pos+1)*D])
			require.InDelta(t, want[v], got, 1e-4, "logit %d at position %d", v, pos)
		}
	}
}

// TestGradientCheck compares the analytic gradient with central finite
// differences on a sample of parameters of every tensor.
func TestGradientCheck(t *testing.T) {
	o := Tiny()
	tok := Tokenizer()
	c := o.Config
	c.Vocab = tok.Len()
	p := newParams(c)
	p.initialize(c, policy.NewRand(1))
	for i := range p.flat {
		if p.decay[i] {
			p.flat[i] *= 10 // larger weights give gradients well above float32 noise
		}
	}
	ex := NewExample(tok, policy.Fill(policy.Combos(policy.AskSched)[7], policy.NewRand(2)), 0.2)
	w := newWork(c)
	g := newParams(c)
	w.lossAndGrad(p, g, ex, 1, 0.3, policy.NewRand(4))
	// The same dropout masks for every evaluation: a fresh generator with the same seed.
	loss := func() float64 { return w.lossAndGrad(p, newParams(c), ex, 1, 0.3, policy.NewRand(4)) }
	r := policy.NewRand(9)
	checked := 0
	l0 := &p.layers[0]
	for _, tensor := range []struct {
		name string
		s    []float32
	}{{"an", l0.an}, {"wq", l0.wq}, {"wk", l0.wk}, {"wv", l0.wv}, {"wo", l0.wo}, {"fn", l0.fn},
		{"w1", l0.w1}, {"w2", l0.w2}, {"w3", l0.w3}, {"fnorm", p.fnorm}, {"emb", p.emb[ex.Tokens[3]*c.Dim : (ex.Tokens[3]+1)*c.Dim]}} {
		for k := 0; k < 6; k++ {
			i := r.Intn(len(tensor.s))
			idx := offsetOf(p.flat, tensor.s) + i
			old := tensor.s[i]
			const h = 1e-2
			tensor.s[i] = old + h
			lp := loss()
			tensor.s[i] = old - h
			lm := loss()
			tensor.s[i] = old
			num := (lp - lm) / (2 * h)
			ana := float64(g.flat[idx])
			if math.Abs(num-ana) > 2e-3+0.05*math.Abs(num) {
				t.Errorf("gradient of %s[%d] = %.5f, want %.5f (finite difference)", tensor.name, i, ana, num)
			}
			checked++
		}
	}
	require.Equal(t, 66, checked)
}

func offsetOf(flat, s []float32) int {
	for i := range flat {
		if &flat[i] == &s[0] {
			return i
		}
	}
	panic("slice not in flat array")
}

// TestTinyTrainingIsReproducible trains the tiny configuration twice: the
// loss must fall and the weights must be identical.
func TestTinyTrainingIsReproducible(t *testing.T) {
	a, err := Train(Tiny())
	require.NoError(t, err)
	b, err := Train(Tiny())
	require.NoError(t, err)
	require.Equal(t, a.Hash, b.Hash, "two runs from the same seed must give the same weights")
	first := (a.Losses[0] + a.Losses[1] + a.Losses[2]) / 3
	n := len(a.Losses)
	last := (a.Losses[n-1] + a.Losses[n-2] + a.Losses[n-3]) / 3
	require.Less(t, last, first*0.6, "loss must fall: first steps %.3f, last steps %.3f", first, last)
	other := Tiny()
	other.Seed = 8
	c, err := Train(other)
	require.NoError(t, err)
	require.NotEqual(t, a.Hash, c.Hash, "a different seed must give different weights")
}
