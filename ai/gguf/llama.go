package gguf

import (
	"fmt"
	"io"
	"strings"

	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/tokenizer"
)

// Load reads a GGUF file of architecture "llama" into a model and its
// embedded tokenizer. maxSeq, when positive, caps the context length (and
// so the KV cache) below the file's llama.context_length.
//
// Tensor names follow llama.cpp: token_embd, blk.N.attn_norm, attn_q,
// attn_k, attn_v, attn_output, ffn_norm, ffn_gate (W1), ffn_down (W2),
// ffn_up (W3), output_norm and, when untied, output. llama.cpp's converter
// already permutes Q and K into the interleaved rotary layout, so RoPE here
// is the same as for llama2.c checkpoints.
func Load(r io.ReaderAt, size int64, maxSeq int) (*llama.Model, *tokenizer.Tokenizer, error) {
	f, err := Parse(r, size)
	if err != nil {
		return nil, nil, err
	}
	if arch, _ := f.Get("general.architecture"); arch != "llama" {
		return nil, nil, fmt.Errorf("gguf: general.architecture is %v, want llama", arch)
	}
	c, err := f.config()
	if err != nil {
		return nil, nil, err
	}
	if maxSeq > 0 && c.SeqLen > maxSeq {
		c.SeqLen = maxSeq
	}
	emb, err := f.Matrix("token_embd.weight")
	if err != nil {
		return nil, nil, err
	}
	c.Vocab = emb.Rows
	if err := c.Validate(); err != nil {
		return nil, nil, fmt.Errorf("gguf: %w", err)
	}
	m := &llama.Model{Config: c, Embed: emb, Layers: make([]llama.Layer, c.Layers)}
	for i := range m.Layers {
		l := &m.Layers[i]
		p := fmt.Sprintf("blk.%d.", i)
		for _, t := range []struct {
			name string
			dst  **llama.Matrix
		}{{"attn_q", &l.Wq}, {"attn_k", &l.Wk}, {"attn_v", &l.Wv}, {"attn_output", &l.Wo},
			{"ffn_gate", &l.W1}, {"ffn_down", &l.W2}, {"ffn_up", &l.W3}} {
			if *t.dst, err = f.Matrix(p + t.name + ".weight"); err != nil {
				return nil, nil, err
			}
		}
		if l.AttnNorm, err = f.Vector(p+"attn_norm.weight", c.Dim); err != nil {
			return nil, nil, err
		}
		if l.FFNNorm, err = f.Vector(p+"ffn_norm.weight", c.Dim); err != nil {
			return nil, nil, err
		}
	}
	if m.FinalNorm, err = f.Vector("output_norm.weight", c.Dim); err != nil {
		return nil, nil, err
	}
	if _, ok := f.Tensor("output.weight"); ok {
		if m.Output, err = f.Matrix("output.weight"); err != nil {
			return nil, nil, err
		}
	}
	if err := m.Validate(); err != nil {
		return nil, nil, fmt.Errorf("gguf: %w", err)
	}
	tok, err := f.Tokenizer()
	if err != nil {
		return nil, nil, err
	}
	if tok.Len() != c.Vocab {
		return nil, nil, fmt.Errorf("gguf: tokenizer has %d tokens, token_embd has %d rows", tok.Len(), c.Vocab)
	}
	return m, tok, nil
}

// uint reads an integer metadata value of any integer type.
func (f *File) uint(key string, def int, required bool) (int, error) {
	v, ok := f.Get(key)
	if !ok {
		if required {
			return 0, fmt.Errorf("gguf: metadata %s is missing", key)
		}
		return def, nil
	}
	var n int64
	switch x := v.(type) {
	case uint8:
		n = int64(x)
	case uint16:
		n = int64(x)
	case uint32:
		n = int64(x)
	case uint64:
		if x > 1<<40 {
			return 0, fmt.Errorf("gguf: metadata %s = %d is out of range", key, x)
		}
		n = int64(x)
	case int8:
		n = int64(x)
	case int16:
		n = int64(x)
	case int32:
		n = int64(x)
	case int64:
		n = x
	default:
		return 0, fmt.Errorf("gguf: metadata %s is %T, want an integer", key, v)
	}
	if n < 0 || n > 1<<40 {
		return 0, fmt.Errorf("gguf: metadata %s = %d is out of range", key, n)
	}
	return int(n), nil
}

func (f *File) float(key string, def float32) (float32, error) {
	v, ok := f.Get(key)
	if !ok {
		return def, nil
	}
	switch x := v.(type) {
	case float32:
		return x, nil
	case float64:
		return float32(x), nil
	}
	return 0, fmt.Errorf("gguf: metadata %s is %T, want a float", key, v)
}

func (f *File) config() (llama.Config, error) {
	var c llama.Config
	var err error
	get := func(dst *int, key string, def int, required bool) {
		if err == nil {
			*dst, err = f.uint(key, def, required)
		}
	}
	get(&c.Dim, "llama.embedding_length", 0, true)
	get(&c.HiddenDim, "llama.feed_forward_length", 0, true)
	get(&c.Layers, "llama.block_count", 0, true)
	get(&c.Heads, "llama.attention.head_count", 0, true)
	get(&c.KVHeads, "llama.attention.head_count_kv", c.Heads, false)
	get(&c.SeqLen, "llama.context_length", 2048, false)
	if err != nil {
		return c, err
	}
	if c.NormEps, err = f.float("llama.attention.layer_norm_rms_epsilon", 1e-5); err != nil {
		return c, err
	}
	if c.RopeTheta, err = f.float("llama.rope.freq_base", 10000); err != nil {
		return c, err
	}
	if c.Heads > 0 && c.Dim%c.Heads == 0 {
		rd, err := f.uint("llama.rope.dimension_count", c.Dim/c.Heads, false)
		if err != nil {
			return c, err
		}
		if rd != c.Dim/c.Heads {
			return c, fmt.Errorf("gguf: partial rotary embeddings (%d of %d) are not supported", rd, c.Dim/c.Heads)
		}
	}
	return c, nil
}

// Tokenizer builds the embedded SentencePiece vocabulary
// (tokenizer.ggml.model "llama"): tokens, scores, BOS and EOS ids.
// SentencePiece's word marker ▁ (U+2581) becomes a plain space, the form
// llama2.c's tokenizer.bin uses.
func (f *File) Tokenizer() (*tokenizer.Tokenizer, error) {
	if m, ok := f.Get("tokenizer.ggml.model"); ok && m != "llama" {
		return nil, fmt.Errorf("gguf: tokenizer.ggml.model is %v; only the llama (SentencePiece BPE) tokenizer is supported", m)
	}
	v, ok := f.Get("tokenizer.ggml.tokens")
	if !ok {
		return nil, fmt.Errorf("gguf: metadata tokenizer.ggml.tokens is missing")
	}
	toks, ok := v.(Array)
	if !ok || toks.Type != TypeString {
		return nil, fmt.Errorf("gguf: tokenizer.ggml.tokens is not an array of strings")
	}
	pieces := make([]string, len(toks.Values))
	for i, p := range toks.Values {
		pieces[i] = strings.ReplaceAll(p.(string), "\u2581", " ")
	}
	scores := make([]float32, len(pieces))
	if v, ok := f.Get("tokenizer.ggml.scores"); ok {
		a, ok := v.(Array)
		if !ok || a.Type != TypeFloat32 || len(a.Values) != len(pieces) {
			return nil, fmt.Errorf("gguf: tokenizer.ggml.scores is not %d float32 values", len(pieces))
		}
		for i, s := range a.Values {
			scores[i] = s.(float32)
		}
	}
	bos, err := f.uint("tokenizer.ggml.bos_token_id", 1, false)
	if err != nil {
		return nil, err
	}
	eos, err := f.uint("tokenizer.ggml.eos_token_id", 2, false)
	if err != nil {
		return nil, err
	}
	t, err := tokenizer.New(pieces, scores, bos, eos)
	if err != nil {
		return nil, fmt.Errorf("gguf: %w", err)
	}
	return t, nil
}
