package llama

import (
	"fmt"
	"math"
)

// State is the mutable side of inference: activation buffers and the KV
// cache for one sequence. A State is used by one goroutine at a time; many
// States may share one Model.
type State struct {
	m      *Model
	x, xb  []float32 // residual stream and its normalized copy
	xb2    []float32
	hb     []float32 // SwiGLU gate
	hb2    []float32 // SwiGLU up
	q      []float32
	att    []float32 // attention scores of one head, SeqLen
	logits []float32
	xq     QVec // x quantized, for int8 matrices
	// ropeCos and ropeSin hold the rotary table of position ropePos,
	// computed once per token and shared by every layer's q and k.
	ropeCos, ropeSin []float32
	ropePos          int
	// keyCache and valueCache are [layer][position][kvDim].
	keyCache, valueCache []float32
}

// NewState allocates the buffers and KV cache for m.
func NewState(m *Model) *State {
	c := m.Config
	kv := c.KVDim()
	return &State{
		m: m,
		x: make([]float32, c.Dim), xb: make([]float32, c.Dim), xb2: make([]float32, c.Dim),
		hb: make([]float32, c.HiddenDim), hb2: make([]float32, c.HiddenDim),
		q:          make([]float32, c.Dim),
		att:        make([]float32, c.SeqLen),
		ropeCos:    make([]float32, c.HeadSize()/2),
		ropeSin:    make([]float32, c.HeadSize()/2),
		ropePos:    -1,
		logits:     make([]float32, c.Vocab),
		keyCache:   make([]float32, c.Layers*c.SeqLen*kv),
		valueCache: make([]float32, c.Layers*c.SeqLen*kv),
	}
}

// Bytes returns the memory held by the state, KV cache included.
func (s *State) Bytes() int {
	return 4*(len(s.x)+len(s.xb)+len(s.xb2)+len(s.hb)+len(s.hb2)+len(s.q)+len(s.att)+
		len(s.logits)+len(s.keyCache)+len(s.valueCache)) + cap(s.xq.Q) + 4*cap(s.xq.Scale)
}

// mul computes out = W·x in W's representation, quantizing x first when W
// is int8.
func (s *State) mul(w *Matrix, out, x []float32) {
	if w.Q == nil {
		matVecF32(out, w.F32, x)
		return
	}
	QuantizeInto(&s.xq, x, w.Group)
	matVecQ8(out, w, &s.xq)
}

// Forward runs token at position pos through the model, appends its keys
// and values to the cache, and returns the logits of the next token. The
// returned slice is owned by s and overwritten by the next call. Positions
// must be fed in order 0, 1, 2, ...; a position seen before is overwritten.
func (s *State) Forward(token, pos int) ([]float32, error) {
	m := s.m
	c := m.Config
	if token < 0 || token >= c.Vocab {
		return nil, fmt.Errorf("llama: token %d outside vocabulary of %d", token, c.Vocab)
	}
	if pos < 0 || pos >= c.SeqLen {
		return nil, fmt.Errorf("llama: position %d outside context of %d", pos, c.SeqLen)
	}
	dim, hs, kvDim := c.Dim, c.HeadSize(), c.KVDim()
	kvMul := c.Heads / c.KVHeads
	eps, theta := c.eps(), c.theta()
	x := s.x
	m.Embed.Row(token, x)
	scale := 1 / float32(math.Sqrt(float64(hs)))
	if s.ropePos != pos {
		ropeTable(s.ropeCos, s.ropeSin, pos, hs, theta)
		s.ropePos = pos
	}

	for l := range m.Layers {
		w := &m.Layers[l]
		// Attention: normalize, project to q, k, v; k and v go straight
		// into this position's cache slot.
		RMSNorm(s.xb, x, w.AttnNorm, eps)
		off := l*c.SeqLen*kvDim + pos*kvDim
		k := s.keyCache[off : off+kvDim]
		v := s.valueCache[off : off+kvDim]
		s.mul(w.Wq, s.q, s.xb)
		s.mul(w.Wk, k, s.xb)
		s.mul(w.Wv, v, s.xb)
		ropeApply(s.q, s.ropeCos, s.ropeSin)
		ropeApply(k, s.ropeCos, s.ropeSin)

		// Each query head h attends with key/value head h/kvMul
		// (grouped-query attention, Ainslie et al. 2023).
		base := l * c.SeqLen * kvDim
		for h := 0; h < c.Heads; h++ {
			q := s.q[h*hs : (h+1)*hs]
			att := s.att[:pos+1]
			kh := (h / kvMul) * hs
			for t := 0; t <= pos; t++ {
				kt := s.keyCache[base+t*kvDim+kh:]
				att[t] = dot(q, kt[:hs]) * scale
			}
			Softmax(att)
			xb := s.xb[h*hs : (h+1)*hs]
			clear(xb)
			for t := 0; t <= pos; t++ {
				vt := s.valueCache[base+t*kvDim+kh:]
				a := att[t]
				for i := range xb {
					xb[i] += a * vt[i]
				}
			}
		}
		s.mul(w.Wo, s.xb2, s.xb)
		for i := 0; i < dim; i++ {
			x[i] += s.xb2[i]
		}

		// Feed-forward: x += W2·(silu(W1·xb) ⊙ W3·xb).
		RMSNorm(s.xb, x, w.FFNNorm, eps)
		s.mul(w.W1, s.hb, s.xb)
		s.mul(w.W3, s.hb2, s.xb)
		SwiGLU(s.hb, s.hb2)
		s.mul(w.W2, s.xb, s.hb)
		for i := 0; i < dim; i++ {
			x[i] += s.xb[i]
		}
	}
	RMSNorm(x, x, m.FinalNorm, eps)
	s.mul(m.Classifier(), s.logits, x)
	return s.logits, nil
}
