package train

import (
	"math"

	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/policy"
)

// layerP is one transformer block's parameters as views into a flat
// array. Matrices are row-major, rows = outputs, as in llama.Matrix.
type layerP struct {
	an, wq, wk, wv, wo, fn, w1, w2, w3 []float32
}

// params is a full parameter set (or a gradient of one) over one flat
// array, so that AdamW, gradient sums and the weight hash are loops over
// a single slice. The classifier is tied to the embedding.
type params struct {
	flat   []float32
	emb    []float32
	layers []layerP
	fnorm  []float32
	// decay marks the elements that take weight decay (matrices, not
	// norm weights).
	decay []bool
}

func newParams(c llama.Config) *params {
	hs := c.HeadSize()
	p := &params{flat: make([]float32, c.Params(false))}
	p.decay = make([]bool, len(p.flat))
	off := 0
	take := func(n int, decay bool) []float32 {
		s := p.flat[off : off+n : off+n]
		for i := off; i < off+n; i++ {
			p.decay[i] = decay
		}
		off += n
		return s
	}
	p.emb = take(c.Vocab*c.Dim, true)
	for l := 0; l < c.Layers; l++ {
		p.layers = append(p.layers, layerP{
			an: take(c.Dim, false), wq: take(c.Heads*hs*c.Dim, true), wk: take(c.KVDim()*c.Dim, true),
			wv: take(c.KVDim()*c.Dim, true), wo: take(c.Dim*c.Heads*hs, true), fn: take(c.Dim, false),
			w1: take(c.HiddenDim*c.Dim, true), w2: take(c.Dim*c.HiddenDim, true), w3: take(c.HiddenDim*c.Dim, true),
		})
	}
	p.fnorm = take(c.Dim, false)
	return p
}

// initialize draws matrices from N(0, 0.02²), the residual output
// projections (wo, w2) scaled down by sqrt(2·layers) as in GPT-2, and sets
// norm weights to 1.
func (p *params) initialize(c llama.Config, r *policy.Rand) {
	normal := func(s []float32, std float64) {
		for i := range s {
			// Box-Muller from two uniforms in (0, 1].
			u1, u2 := 1-r.Float64(), r.Float64()
			s[i] = float32(std * math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2))
		}
	}
	ones := func(s []float32) {
		for i := range s {
			s[i] = 1
		}
	}
	resid := 0.02 / math.Sqrt(2*float64(c.Layers))
	normal(p.emb, 0.02)
	for _, l := range p.layers {
		ones(l.an)
		ones(l.fn)
		normal(l.wq, 0.02)
		normal(l.wk, 0.02)
		normal(l.wv, 0.02)
		normal(l.wo, resid)
		normal(l.w1, 0.02)
		normal(l.w3, 0.02)
		normal(l.w2, resid)
	}
	ones(p.fnorm)
}

// model returns the parameters as an inference model (copies, so that
// further training does not change it).
func (p *params) model(c llama.Config) *llama.Model {
	cp := func(s []float32) []float32 { return append([]float32(nil), s...) }
	hs := c.HeadSize()
	m := &llama.Model{Config: c, Embed: llama.NewF32(c.Vocab, c.Dim, cp(p.emb)), FinalNorm: cp(p.fnorm)}
	for _, l := range p.layers {
		m.Layers = append(m.Layers, llama.Layer{
			AttnNorm: cp(l.an), FFNNorm: cp(l.fn),
			Wq: llama.NewF32(c.Heads*hs, c.Dim, cp(l.wq)), Wk: llama.NewF32(c.KVDim(), c.Dim, cp(l.wk)),
			Wv: llama.NewF32(c.KVDim(), c.Dim, cp(l.wv)), Wo: llama.NewF32(c.Dim, c.Heads*hs, cp(l.wo)),
			W1: llama.NewF32(c.HiddenDim, c.Dim, cp(l.w1)), W2: llama.NewF32(c.Dim, c.HiddenDim, cp(l.w2)),
			W3: llama.NewF32(c.HiddenDim, c.Dim, cp(l.w3)),
		})
	}
	return m
}

// adamW holds the optimizer state of Loshchilov & Hutter's AdamW.
type adamW struct {
	m, v         []float32
	beta1, beta2 float64
	eps, decay   float64
	t            int
}

func newAdamW(n int, decay float64) *adamW {
	return &adamW{m: make([]float32, n), v: make([]float32, n), beta1: 0.9, beta2: 0.99, eps: 1e-8, decay: decay}
}

// step applies one update with learning rate lr to p from gradient g.
func (o *adamW) step(p *params, g []float32, lr float64) {
	o.t++
	b1, b2 := float32(o.beta1), float32(o.beta2)
	c1 := 1 - math.Pow(o.beta1, float64(o.t))
	c2 := 1 - math.Pow(o.beta2, float64(o.t))
	for i, gi := range g {
		o.m[i] = b1*o.m[i] + (1-b1)*gi
		o.v[i] = b2*o.v[i] + (1-b2)*gi*gi
		mh := float64(o.m[i]) / c1
		vh := float64(o.v[i]) / c2
		w := float64(p.flat[i])
		if p.decay[i] {
			w -= lr * o.decay * w
		}
		p.flat[i] = float32(w - lr*mh/(math.Sqrt(vh)+o.eps))
	}
}
