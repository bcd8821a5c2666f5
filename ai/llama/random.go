package llama

// RandomModel returns a float32 model of shape c with weights drawn
// uniformly from [-scale, scale) by a generator seeded with seed, and norm
// weights of 1. Tests and benchmarks use it as a model of a given shape
// without any file; untied adds a separate classifier.
func RandomModel(c Config, seed uint64, scale float32, untied bool) *Model {
	r := NewRand(seed)
	mat := func(rows, cols int) *Matrix {
		d := make([]float32, rows*cols)
		for i := range d {
			d[i] = (2*r.Float32() - 1) * scale
		}
		return NewF32(rows, cols, d)
	}
	ones := func(n int) []float32 {
		d := make([]float32, n)
		for i := range d {
			d[i] = 1
		}
		return d
	}
	hs := c.HeadSize()
	m := &Model{Config: c, Embed: mat(c.Vocab, c.Dim), FinalNorm: ones(c.Dim)}
	for l := 0; l < c.Layers; l++ {
		m.Layers = append(m.Layers, Layer{
			AttnNorm: ones(c.Dim), FFNNorm: ones(c.Dim),
			Wq: mat(c.Heads*hs, c.Dim), Wk: mat(c.KVDim(), c.Dim), Wv: mat(c.KVDim(), c.Dim),
			Wo: mat(c.Dim, c.Heads*hs),
			W1: mat(c.HiddenDim, c.Dim), W2: mat(c.Dim, c.HiddenDim), W3: mat(c.HiddenDim, c.Dim),
		})
	}
	if untied {
		m.Output = mat(c.Vocab, c.Dim)
	}
	return m
}
