// Package llama2c reads and writes model checkpoints in the formats of
// Karpathy's llama2.c (github.com/karpathy/llama2.c), so a researcher can
// drop stories15M.bin or an export of any Llama-family model into Burrow:
//
//   - version 0, the legacy float32 file read by run.c: seven int32 header
//     fields (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size,
//     seq_len; a negative vocab_size means a separate classifier), then the
//     weights, two unused RoPE tables, and the classifier if untied;
//   - version 1, export.py's float32 format with a 256-byte header
//     (magic "ak42", version, the seven fields, a shared-classifier byte);
//   - version 2, export.py's Q8_0 int8 format read by runq.c: the same
//     header plus the group size, float32 norms, then every matrix as int8
//     weights followed by one float32 scale per group.
//
// All integers and floats are little-endian. Reading goes through an
// io.ReaderAt with the file size, so a truncated or inconsistent file is
// rejected with a reason before any large buffer is allocated. Pure Go:
// runs on the host and in the Burrow kernel (from an embedded file).
package llama2c

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/burrow-os/burrow/ai/llama"
)

// Magic opens version 1 and 2 files: the bytes "42ka" read as a
// little-endian uint32 ("ak42" in export.py's notation).
const Magic = 0x616b3432

const headerSize = 256 // version 1 and 2 headers are padded to this

// Read loads a checkpoint of any version from r, whose length is size.
func Read(r io.ReaderAt, size int64) (*llama.Model, error) {
	var hdr [40]byte
	if size < 28 {
		return nil, fmt.Errorf("llama2c: file of %d bytes is too short for a header", size)
	}
	n := min(int64(len(hdr)), size)
	if _, err := r.ReadAt(hdr[:n], 0); err != nil && err != io.EOF {
		return nil, fmt.Errorf("llama2c: header: %w", err)
	}
	le := binary.LittleEndian
	if le.Uint32(hdr[0:]) != Magic {
		return readV0(r, size, hdr[:28])
	}
	if size < headerSize {
		return nil, fmt.Errorf("llama2c: file of %d bytes is shorter than the %d-byte header", size, headerSize)
	}
	version := int32(le.Uint32(hdr[4:]))
	c, err := config(hdr[8:36])
	if err != nil {
		return nil, err
	}
	shared := hdr[36]
	if shared > 1 {
		return nil, fmt.Errorf("llama2c: shared_classifier byte is %d, want 0 or 1", shared)
	}
	switch version {
	case 1:
		return readV1(r, size, c, shared == 1)
	case 2:
		var gs [4]byte
		if _, err := r.ReadAt(gs[:], 37); err != nil {
			return nil, fmt.Errorf("llama2c: group size: %w", err)
		}
		return readV2(r, size, c, shared == 1, int(int32(le.Uint32(gs[:]))))
	default:
		return nil, fmt.Errorf("llama2c: unknown version %d (this reader knows 0, 1 and 2)", version)
	}
}

// config decodes and validates the seven header fields. A negative
// vocab_size (version 0's untied marker) is returned as is.
func config(b []byte) (llama.Config, error) {
	f := make([]int, 7)
	for i := range f {
		f[i] = int(int32(binary.LittleEndian.Uint32(b[4*i:])))
	}
	c := llama.Config{Dim: f[0], HiddenDim: f[1], Layers: f[2], Heads: f[3], KVHeads: f[4], Vocab: f[5], SeqLen: f[6]}
	v := c
	if v.Vocab < 0 {
		v.Vocab = -v.Vocab
	}
	if err := v.Validate(); err != nil {
		return c, fmt.Errorf("llama2c: header: %w", err)
	}
	return c, nil
}

// cursor reads consecutive tensors and names the one that did not fit.
type cursor struct {
	r    io.ReaderAt
	off  int64
	size int64
	err  error
}

func (c *cursor) bytes(name string, n int64) []byte {
	if c.err != nil {
		return nil
	}
	if n < 0 || c.off+n > c.size {
		c.err = fmt.Errorf("llama2c: file truncated: tensor %s needs %d bytes at offset %d, file has %d",
			name, n, c.off, c.size)
		return nil
	}
	b := make([]byte, n)
	if _, err := c.r.ReadAt(b, c.off); err != nil && !(err == io.EOF && n > 0) {
		c.err = fmt.Errorf("llama2c: tensor %s: %w", name, err)
		return nil
	}
	c.off += n
	return b
}

func (c *cursor) f32(name string, n int) []float32 {
	b := c.bytes(name, 4*int64(n))
	if b == nil {
		return nil
	}
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

func (c *cursor) mat(name string, rows, cols int) *llama.Matrix {
	return llama.NewF32(rows, cols, c.f32(name, rows*cols))
}

func (c *cursor) skip(name string, n int64) { c.bytes(name, n) }

// finish reports a read error or bytes left over after the last tensor,
// which mean the header does not describe the file.
func (c *cursor) finish(m *llama.Model) (*llama.Model, error) {
	if c.err != nil {
		return nil, c.err
	}
	if c.off != c.size {
		return nil, fmt.Errorf("llama2c: %d bytes after the last tensor: header does not match the file", c.size-c.off)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return m, nil
}

func readV0(r io.ReaderAt, size int64, hdr []byte) (*llama.Model, error) {
	c, err := config(hdr)
	if err != nil {
		return nil, err
	}
	shared := c.Vocab > 0
	if !shared {
		c.Vocab = -c.Vocab
	}
	cur := &cursor{r: r, off: 28, size: size}
	if want := 28 + 4*int64(c.Params(!shared)+c.SeqLen*c.HeadSize()); size != want {
		return nil, fmt.Errorf("llama2c: version 0 file is %d bytes, header describes %d", size, want)
	}
	m := &llama.Model{Config: c, Layers: make([]llama.Layer, c.Layers)}
	hs := c.HeadSize()
	m.Embed = cur.mat("token_embedding_table", c.Vocab, c.Dim)
	each := func(name string, f func(l *llama.Layer)) {
		for i := range m.Layers {
			f(&m.Layers[i])
		}
	}
	each("rms_att", func(l *llama.Layer) { l.AttnNorm = cur.f32("rms_att_weight", c.Dim) })
	each("wq", func(l *llama.Layer) { l.Wq = cur.mat("wq", c.Heads*hs, c.Dim) })
	each("wk", func(l *llama.Layer) { l.Wk = cur.mat("wk", c.KVDim(), c.Dim) })
	each("wv", func(l *llama.Layer) { l.Wv = cur.mat("wv", c.KVDim(), c.Dim) })
	each("wo", func(l *llama.Layer) { l.Wo = cur.mat("wo", c.Dim, c.Heads*hs) })
	each("rms_ffn", func(l *llama.Layer) { l.FFNNorm = cur.f32("rms_ffn_weight", c.Dim) })
	each("w1", func(l *llama.Layer) { l.W1 = cur.mat("w1", c.HiddenDim, c.Dim) })
	each("w2", func(l *llama.Layer) { l.W2 = cur.mat("w2", c.Dim, c.HiddenDim) })
	each("w3", func(l *llama.Layer) { l.W3 = cur.mat("w3", c.HiddenDim, c.Dim) })
	m.FinalNorm = cur.f32("rms_final_weight", c.Dim)
	// freq_cis_real and freq_cis_imag: precomputed RoPE tables that run.c
	// skips and computes on the fly instead.
	cur.skip("freq_cis", 4*int64(c.SeqLen*hs))
	if !shared {
		m.Output = cur.mat("wcls", c.Vocab, c.Dim)
	}
	return cur.finish(m)
}

func readV1(r io.ReaderAt, size int64, c llama.Config, shared bool) (*llama.Model, error) {
	if c.Vocab < 0 {
		return nil, fmt.Errorf("llama2c: version 1 header has negative vocab_size %d", c.Vocab)
	}
	if want := headerSize + 4*int64(c.Params(!shared)); size != want {
		return nil, fmt.Errorf("llama2c: version 1 file is %d bytes, header describes %d", size, want)
	}
	cur := &cursor{r: r, off: headerSize, size: size}
	m := &llama.Model{Config: c, Layers: make([]llama.Layer, c.Layers)}
	readBody(cur, m, func(name string, rows, cols int) *llama.Matrix { return cur.mat(name, rows, cols) }, shared)
	return cur.finish(m)
}

func readV2(r io.ReaderAt, size int64, c llama.Config, shared bool, gs int) (*llama.Model, error) {
	if c.Vocab < 0 {
		return nil, fmt.Errorf("llama2c: version 2 header has negative vocab_size %d", c.Vocab)
	}
	if gs <= 0 || c.Dim%gs != 0 || c.HiddenDim%gs != 0 {
		return nil, fmt.Errorf("llama2c: group size %d does not divide dim %d and hidden_dim %d", gs, c.Dim, c.HiddenDim)
	}
	p := int64(c.Params(!shared))
	norms := int64(c.Dim * (2*c.Layers + 1))
	q := p - norms
	if want := headerSize + 4*norms + q + 4*q/int64(gs); size != want {
		return nil, fmt.Errorf("llama2c: version 2 file is %d bytes, header describes %d", size, want)
	}
	cur := &cursor{r: r, off: headerSize, size: size}
	m := &llama.Model{Config: c, Layers: make([]llama.Layer, c.Layers)}
	qmat := func(name string, rows, cols int) *llama.Matrix {
		b := cur.bytes(name, int64(rows*cols))
		s := cur.f32(name+" scales", rows*cols/gs)
		if b == nil || s == nil {
			return nil
		}
		qs := make([]int8, len(b))
		for i, v := range b {
			qs[i] = int8(v)
		}
		return &llama.Matrix{Rows: rows, Cols: cols, Q: qs, Scale: s, Group: gs}
	}
	readBody(cur, m, qmat, shared)
	return cur.finish(m)
}

// readBody reads export.py's tensor order shared by versions 1 and 2:
// norms first (always float32), then the embedding and the matrices of
// every layer grouped by kind, then the classifier if untied.
func readBody(cur *cursor, m *llama.Model, mat func(string, int, int) *llama.Matrix, shared bool) {
	c := m.Config
	hs := c.HeadSize()
	for i := range m.Layers {
		m.Layers[i].AttnNorm = cur.f32("attention_norm", c.Dim)
	}
	for i := range m.Layers {
		m.Layers[i].FFNNorm = cur.f32("ffn_norm", c.Dim)
	}
	m.FinalNorm = cur.f32("norm", c.Dim)
	m.Embed = mat("tok_embeddings", c.Vocab, c.Dim)
	for _, t := range []struct {
		name       string
		set        func(l *llama.Layer, x *llama.Matrix)
		rows, cols int
	}{
		{"wq", func(l *llama.Layer, x *llama.Matrix) { l.Wq = x }, c.Heads * hs, c.Dim},
		{"wk", func(l *llama.Layer, x *llama.Matrix) { l.Wk = x }, c.KVDim(), c.Dim},
		{"wv", func(l *llama.Layer, x *llama.Matrix) { l.Wv = x }, c.KVDim(), c.Dim},
		{"wo", func(l *llama.Layer, x *llama.Matrix) { l.Wo = x }, c.Dim, c.Heads * hs},
		{"w1", func(l *llama.Layer, x *llama.Matrix) { l.W1 = x }, c.HiddenDim, c.Dim},
		{"w2", func(l *llama.Layer, x *llama.Matrix) { l.W2 = x }, c.Dim, c.HiddenDim},
		{"w3", func(l *llama.Layer, x *llama.Matrix) { l.W3 = x }, c.HiddenDim, c.Dim},
	} {
		for i := range m.Layers {
			t.set(&m.Layers[i], mat(fmt.Sprintf("layers.%d.%s", i, t.name), t.rows, t.cols))
		}
	}
	if !shared {
		m.Output = mat("output", c.Vocab, c.Dim)
	}
}
