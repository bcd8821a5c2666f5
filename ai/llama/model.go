package llama

import "fmt"

// Layer holds the weights of one transformer block. Matrix names follow
// llama2.c: W1 is the SwiGLU gate, W3 the up projection, W2 the down
// projection.
type Layer struct {
	AttnNorm []float32 // Dim
	Wq       *Matrix   // Heads*HeadSize × Dim
	Wk       *Matrix   // KVDim × Dim
	Wv       *Matrix   // KVDim × Dim
	Wo       *Matrix   // Dim × Heads*HeadSize
	FFNNorm  []float32 // Dim
	W1       *Matrix   // HiddenDim × Dim
	W2       *Matrix   // Dim × HiddenDim
	W3       *Matrix   // HiddenDim × Dim
}

// Model is a complete set of weights with its shape.
type Model struct {
	Config    Config
	Embed     *Matrix // Vocab × Dim
	Layers    []Layer
	FinalNorm []float32 // Dim
	// Output is the classifier, Vocab × Dim. Nil means tied: the embedding
	// matrix doubles as the classifier.
	Output *Matrix
}

// Classifier returns the output matrix, which is the embedding when tied.
func (m *Model) Classifier() *Matrix {
	if m.Output == nil {
		return m.Embed
	}
	return m.Output
}

// Validate checks every tensor against the configuration, so that a loader
// bug or a corrupt file surfaces as an error rather than an index panic in
// Forward.
func (m *Model) Validate() error {
	c := m.Config
	if err := c.Validate(); err != nil {
		return err
	}
	hs := c.HeadSize()
	if err := checkShape(m.Embed, "token_embedding", c.Vocab, c.Dim); err != nil {
		return err
	}
	if len(m.Layers) != c.Layers {
		return fmt.Errorf("llama: %d layers, config says %d", len(m.Layers), c.Layers)
	}
	for i := range m.Layers {
		l := &m.Layers[i]
		if len(l.AttnNorm) != c.Dim || len(l.FFNNorm) != c.Dim {
			return fmt.Errorf("llama: layer %d: norm weights have %d and %d values, want %d",
				i, len(l.AttnNorm), len(l.FFNNorm), c.Dim)
		}
		for _, t := range []struct {
			m          *Matrix
			name       string
			rows, cols int
		}{
			{l.Wq, "wq", c.Heads * hs, c.Dim}, {l.Wk, "wk", c.KVDim(), c.Dim}, {l.Wv, "wv", c.KVDim(), c.Dim},
			{l.Wo, "wo", c.Dim, c.Heads * hs}, {l.W1, "w1", c.HiddenDim, c.Dim},
			{l.W2, "w2", c.Dim, c.HiddenDim}, {l.W3, "w3", c.HiddenDim, c.Dim},
		} {
			if err := checkShape(t.m, fmt.Sprintf("layer %d %s", i, t.name), t.rows, t.cols); err != nil {
				return err
			}
		}
	}
	if len(m.FinalNorm) != c.Dim {
		return fmt.Errorf("llama: final norm has %d values, want %d", len(m.FinalNorm), c.Dim)
	}
	if m.Output != nil {
		return checkShape(m.Output, "output", c.Vocab, c.Dim)
	}
	return nil
}

func checkShape(m *Matrix, name string, rows, cols int) error {
	if m == nil {
		return fmt.Errorf("llama: tensor %s is missing", name)
	}
	if m.Rows != rows || m.Cols != cols {
		return fmt.Errorf("llama: tensor %s is %d×%d, want %d×%d", name, m.Rows, m.Cols, rows, cols)
	}
	return m.Check(name)
}

// QuantizeModel returns a copy of m whose projection matrices, embedding
// and classifier are Q8_0 with the given group size, as llama2.c's
// export.py --version 2 does. Norm weights stay float32.
func QuantizeModel(m *Model, group int) (*Model, error) {
	q := &Model{Config: m.Config, FinalNorm: m.FinalNorm, Layers: make([]Layer, len(m.Layers))}
	var err error
	quant := func(x *Matrix) *Matrix {
		if err != nil || x == nil {
			return nil
		}
		var r *Matrix
		r, err = Quantize(x, group)
		return r
	}
	q.Embed = quant(m.Embed)
	q.Output = quant(m.Output)
	for i, l := range m.Layers {
		q.Layers[i] = Layer{AttnNorm: l.AttnNorm, FFNNorm: l.FFNNorm,
			Wq: quant(l.Wq), Wk: quant(l.Wk), Wv: quant(l.Wv), Wo: quant(l.Wo),
			W1: quant(l.W1), W2: quant(l.W2), W3: quant(l.W3)}
	}
	return q, err
}

// Bytes returns how much memory the weights occupy.
func (m *Model) Bytes() int {
	n := 0
	add := func(x *Matrix) {
		if x != nil {
			n += 4*len(x.F32) + len(x.Q) + 4*len(x.Scale)
		}
	}
	add(m.Embed)
	add(m.Output)
	for _, l := range m.Layers {
		n += 4 * (len(l.AttnNorm) + len(l.FFNNorm))
		for _, x := range []*Matrix{l.Wq, l.Wk, l.Wv, l.Wo, l.W1, l.W2, l.W3} {
			add(x)
		}
	}
	return n + 4*len(m.FinalNorm)
}
