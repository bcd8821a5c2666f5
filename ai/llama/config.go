package llama

import "fmt"

// Config is the shape of a model. Field names follow llama2.c's Config.
type Config struct {
	Dim       int     // width of the residual stream
	HiddenDim int     // width of the SwiGLU feed-forward layer
	Layers    int     // number of transformer blocks
	Heads     int     // query heads
	KVHeads   int     // key/value heads (Heads for plain multi-head attention)
	Vocab     int     // vocabulary size
	SeqLen    int     // longest sequence the KV cache holds
	NormEps   float32 // RMSNorm epsilon; 0 means llama2.c's 1e-5
	RopeTheta float32 // rotary base frequency; 0 means 10000
}

// HeadSize returns the width of one attention head.
func (c Config) HeadSize() int { return c.Dim / c.Heads }

// KVDim returns the width of the key and value vectors of one position.
func (c Config) KVDim() int { return c.KVHeads * c.HeadSize() }

func (c Config) eps() float32 {
	if c.NormEps == 0 {
		return 1e-5
	}
	return c.NormEps
}

func (c Config) theta() float32 {
	if c.RopeTheta == 0 {
		return 10000
	}
	return c.RopeTheta
}

// maxDim bounds every dimension so that products of two of them fit in an
// int on 64-bit targets and a corrupt header cannot ask for absurd buffers.
const maxDim = 1 << 24

// Validate reports the first inconsistency in c, such as a head count that
// does not divide the model width.
func (c Config) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"dim", c.Dim}, {"hidden_dim", c.HiddenDim}, {"n_layers", c.Layers}, {"n_heads", c.Heads},
		{"n_kv_heads", c.KVHeads}, {"vocab_size", c.Vocab}, {"seq_len", c.SeqLen}} {
		if f.v <= 0 || f.v > maxDim {
			return fmt.Errorf("llama: %s = %d, want 1..%d", f.name, f.v, maxDim)
		}
	}
	if c.Dim%c.Heads != 0 {
		return fmt.Errorf("llama: dim %d is not a multiple of n_heads %d", c.Dim, c.Heads)
	}
	if c.HeadSize()%2 != 0 {
		return fmt.Errorf("llama: head size %d is odd; rotary embeddings rotate pairs", c.HeadSize())
	}
	if c.KVHeads > c.Heads || c.Heads%c.KVHeads != 0 {
		return fmt.Errorf("llama: n_heads %d is not a multiple of n_kv_heads %d", c.Heads, c.KVHeads)
	}
	// Bound the total size in float64 arithmetic, where it cannot overflow,
	// before anyone multiplies the fields as ints.
	hs := float64(c.HeadSize())
	total := float64(c.Vocab)*float64(c.Dim)*2 + float64(c.Layers)*
		(float64(c.Dim)*(float64(c.Heads)+float64(c.KVHeads))*hs*2+3*float64(c.Dim)*float64(c.HiddenDim)) +
		float64(c.Layers)*float64(c.SeqLen)*float64(c.KVDim())*2
	if total > 1<<40 {
		return fmt.Errorf("llama: model of %.3g weights is beyond any machine Burrow runs on", total)
	}
	if c.NormEps < 0 || c.RopeTheta < 0 {
		return fmt.Errorf("llama: negative norm epsilon or rope theta")
	}
	return nil
}

// Params returns the number of weights a model of this shape holds, counting
// a separate output matrix when untied is true.
func (c Config) Params(untied bool) int {
	hs := c.HeadSize()
	perLayer := 2*c.Dim + c.Dim*c.Heads*hs*2 + c.Dim*c.KVHeads*hs*2 + 3*c.Dim*c.HiddenDim
	n := c.Vocab*c.Dim + c.Layers*perLayer + c.Dim
	if untied {
		n += c.Vocab * c.Dim
	}
	return n
}

// NormEpsOrDefault returns the RMSNorm epsilon in effect.
func (c Config) NormEpsOrDefault() float32 { return c.eps() }

// RopeThetaOrDefault returns the rotary base frequency in effect.
func (c Config) RopeThetaOrDefault() float32 { return c.theta() }
