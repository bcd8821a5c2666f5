package llama

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// tiny returns a 1-layer, 2-wide, 1-head model whose attention and
// feed-forward outputs are zero, so the logits are the tied classifier
// applied to the RMS-normalized embedding: values one can work out by hand.
func tiny() *Model {
	c := Config{Dim: 2, HiddenDim: 2, Layers: 1, Heads: 1, KVHeads: 1, Vocab: 3, SeqLen: 4, NormEps: 1e-9}
	m := RandomModel(c, 1, 1, false)
	m.Embed = NewF32(3, 2, []float32{3, 4, 1, 0, 0, -1})
	m.Layers[0].Wo = NewF32(2, 2, make([]float32, 4))
	m.Layers[0].W2 = NewF32(2, 2, make([]float32, 4))
	return m
}

func TestForwardByHand(t *testing.T) {
	// Token 0 embeds as (3, 4); RMS = sqrt(12.5), so x̂ = (0.8485, 1.1314).
	// Logits are E·x̂ = (3·0.8485 + 4·1.1314, 0.8485, -1.1314).
	s := NewState(tiny())
	got, err := s.Forward(0, 0)
	require.NoError(t, err)
	r := float32(math.Sqrt(12.5))
	want := []float32{(9 + 16) / r, 3 / r, -4 / r}
	require.InDeltaSlice(t, want, got, 1e-5, "Forward(0, 0)")
}

func TestForwardAttentionByHand(t *testing.T) {
	// With Wq = 0 every score is 0, so attention at position 1 averages the
	// values of positions 0 and 1; with Wv = Wo = I those values are the
	// normalized embeddings (1, 0)·√2 and (0, -1)·√2.
	m := tiny()
	id := []float32{1, 0, 0, 1}
	m.Layers[0].Wq = NewF32(2, 2, make([]float32, 4))
	m.Layers[0].Wv = NewF32(2, 2, id)
	m.Layers[0].Wo = NewF32(2, 2, id)
	s := NewState(m)
	_, err := s.Forward(1, 0)
	require.NoError(t, err)
	got, err := s.Forward(2, 1)
	require.NoError(t, err)
	sq2 := float32(math.Sqrt2)
	x := []float32{0 + sq2/2, -1 - sq2/2} // embedding of token 2 plus the mean value
	rms := float32(math.Sqrt(float64((x[0]*x[0] + x[1]*x[1]) / 2)))
	xn := []float32{x[0] / rms, x[1] / rms}
	want := []float32{3*xn[0] + 4*xn[1], xn[0], -xn[1]}
	require.InDeltaSlice(t, want, got, 1e-5, "Forward(2, 1)")
}

var testConfig = Config{Dim: 32, HiddenDim: 48, Layers: 2, Heads: 4, KVHeads: 2, Vocab: 40, SeqLen: 16}

// TestGroupedQueryAttention checks that a model with 2 key/value heads
// shared by 4 query heads equals the multi-head model whose key and value
// heads are those 2 heads duplicated.
func TestGroupedQueryAttention(t *testing.T) {
	gqa := RandomModel(testConfig, 5, 0.3, true)
	mha := *gqa
	mha.Config.KVHeads = 4
	mha.Layers = append([]Layer(nil), gqa.Layers...)
	hs := testConfig.HeadSize()
	dup := func(w *Matrix) *Matrix {
		d := make([]float32, 0, 2*len(w.F32))
		for h := 0; h < 4; h++ {
			src := h / 2
			d = append(d, w.F32[src*hs*w.Cols:(src+1)*hs*w.Cols]...)
		}
		return NewF32(4*hs, w.Cols, d)
	}
	for i := range mha.Layers {
		mha.Layers[i].Wk = dup(gqa.Layers[i].Wk)
		mha.Layers[i].Wv = dup(gqa.Layers[i].Wv)
	}
	require.NoError(t, gqa.Validate())
	require.NoError(t, mha.Validate())
	a, b := NewState(gqa), NewState(&mha)
	for pos, tok := range []int{3, 1, 4, 1, 5, 9} {
		la, err := a.Forward(tok, pos)
		require.NoError(t, err)
		lb, err := b.Forward(tok, pos)
		require.NoError(t, err)
		require.InDeltaSlice(t, lb, la, 1e-5, "GQA logits at position %d", pos)
	}
}

// TestInt8TracksFloat32 runs the same model in float32 and Q8_0 form; the
// logits must stay close and pick the same greedy tokens.
func TestInt8TracksFloat32(t *testing.T) {
	for _, untied := range []bool{false, true} {
		f := RandomModel(testConfig, 9, 0.3, untied)
		q, err := QuantizeModel(f, 16)
		require.NoError(t, err)
		require.NoError(t, q.Validate())
		sf, sq := NewState(f), NewState(q)
		for pos, tok := range []int{1, 7, 2, 8, 2, 8} {
			lf, _ := sf.Forward(tok, pos)
			lq, _ := sq.Forward(tok, pos)
			var num, den float64
			for i := range lf {
				num += math.Abs(float64(lf[i] - lq[i]))
				den += math.Abs(float64(lf[i]))
			}
			if num/den > 0.05 {
				t.Errorf("untied=%v pos %d: int8 logits differ from float32 by %.3f relative, want <= 0.05", untied, pos, num/den)
			}
			require.Equal(t, Argmax(lf), Argmax(lq), "greedy token at position %d", pos)
		}
	}
}

func TestForwardRejectsBadInput(t *testing.T) {
	s := NewState(tiny())
	_, err := s.Forward(3, 0)
	require.ErrorContains(t, err, "token 3")
	_, err = s.Forward(0, 4)
	require.ErrorContains(t, err, "position 4")
}

func TestValidate(t *testing.T) {
	ok := RandomModel(testConfig, 1, 1, false)
	require.NoError(t, ok.Validate())
	tests := []struct {
		name   string
		break_ func(m *Model)
		want   string
	}{
		{"heads", func(m *Model) { m.Config.Heads = 5 }, "multiple of n_heads"},
		{"kv heads", func(m *Model) { m.Config.KVHeads = 3 }, "n_kv_heads 3"},
		{"zero dim", func(m *Model) { m.Config.Dim = 0 }, "dim = 0"},
		{"short wq", func(m *Model) { m.Layers[1].Wq.F32 = m.Layers[1].Wq.F32[1:] }, "layer 1 wq"},
		{"missing w2", func(m *Model) { m.Layers[0].W2 = nil }, "layer 0 w2 is missing"},
		{"layers", func(m *Model) { m.Layers = m.Layers[:1] }, "1 layers"},
		{"norm", func(m *Model) { m.FinalNorm = nil }, "final norm"},
	}
	for _, tt := range tests {
		m := RandomModel(testConfig, 1, 1, false)
		tt.break_(m)
		err := m.Validate()
		if err == nil {
			t.Errorf("Validate(%s) = nil, want error containing %q", tt.name, tt.want)
			continue
		}
		require.ErrorContains(t, err, tt.want, tt.name)
	}
}

// TestFloatKernelsAgree runs a model with the assembly float32 kernel (when
// this CPU has one) and with the Go loop: logits agree within 1e-5
// relative to the largest logit.
func TestFloatKernelsAgree(t *testing.T) {
	m := RandomModel(Config{Dim: 96, HiddenDim: 200, Layers: 2, Heads: 4, KVHeads: 2, Vocab: 77, SeqLen: 8}, 4, 0.2, true)
	var asm, pure [][]float32
	run := func(dst *[][]float32) {
		s := NewState(m)
		for pos, tok := range []int{1, 5, 9, 33} {
			l, err := s.Forward(tok, pos)
			require.NoError(t, err)
			*dst = append(*dst, append([]float32(nil), l...))
		}
	}
	withAsmF32(useAsmF32, func() { run(&asm) })
	withAsmF32(false, func() { run(&pure) })
	for p := range asm {
		var big float64
		for _, v := range pure[p] {
			big = math.Max(big, math.Abs(float64(v)))
		}
		for i := range asm[p] {
			if d := math.Abs(float64(asm[p][i] - pure[p][i])); d > 1e-5*big {
				t.Fatalf("position %d logit %d: asm %v, Go %v, differ by %.2g relative, want <= 1e-5", p, i, asm[p][i], pure[p][i], d/big)
			}
		}
	}
}
