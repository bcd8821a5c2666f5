package gguf

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/tokenizer"
)

// Tensor is a tensor to write: its info (Offset is filled in by Write)
// and its encoded data.
type Tensor struct {
	Info TensorInfo
	Data []byte
}

// Write writes a version 3 GGUF file with the given metadata and tensors,
// aligning the data section and every tensor to 32 bytes.
func Write(w io.Writer, kvs []KV, tensors []Tensor) error {
	bw := bufio.NewWriter(w)
	le := binary.LittleEndian
	var hdr []byte
	str := func(s string) {
		hdr = le.AppendUint64(hdr, uint64(len(s)))
		hdr = append(hdr, s...)
	}
	var val func(v any) error
	val = func(v any) error {
		switch x := v.(type) {
		case uint8:
			hdr = append(hdr, x)
		case int8:
			hdr = append(hdr, byte(x))
		case bool:
			hdr = append(hdr, b2u(x))
		case uint16:
			hdr = le.AppendUint16(hdr, x)
		case int16:
			hdr = le.AppendUint16(hdr, uint16(x))
		case uint32:
			hdr = le.AppendUint32(hdr, x)
		case int32:
			hdr = le.AppendUint32(hdr, uint32(x))
		case float32:
			hdr = le.AppendUint32(hdr, math.Float32bits(x))
		case uint64:
			hdr = le.AppendUint64(hdr, x)
		case int64:
			hdr = le.AppendUint64(hdr, uint64(x))
		case float64:
			hdr = le.AppendUint64(hdr, math.Float64bits(x))
		case string:
			str(x)
		case Array:
			hdr = le.AppendUint32(hdr, uint32(x.Type))
			hdr = le.AppendUint64(hdr, uint64(len(x.Values)))
			for _, e := range x.Values {
				if typeOf(e) != x.Type {
					return fmt.Errorf("gguf: array of type %d holds a %T", x.Type, e)
				}
				if err := val(e); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("gguf: cannot write metadata of type %T", v)
		}
		return nil
	}
	hdr = le.AppendUint32(hdr, Magic)
	hdr = le.AppendUint32(hdr, 3)
	hdr = le.AppendUint64(hdr, uint64(len(tensors)))
	hdr = le.AppendUint64(hdr, uint64(len(kvs)))
	for _, kv := range kvs {
		str(kv.Key)
		hdr = le.AppendUint32(hdr, uint32(typeOf(kv.Value)))
		if err := val(kv.Value); err != nil {
			return err
		}
	}
	var off uint64
	for i := range tensors {
		t := &tensors[i].Info
		t.Offset = off
		str(t.Name)
		hdr = le.AppendUint32(hdr, uint32(len(t.Dims)))
		for _, d := range t.Dims {
			hdr = le.AppendUint64(hdr, d)
		}
		hdr = le.AppendUint32(hdr, uint32(t.Type))
		hdr = le.AppendUint64(hdr, off)
		off = align(off+uint64(len(tensors[i].Data)), 32)
	}
	hdr = append(hdr, make([]byte, align(uint64(len(hdr)), 32)-uint64(len(hdr)))...)
	bw.Write(hdr)
	for _, t := range tensors {
		bw.Write(t.Data)
		bw.Write(make([]byte, align(uint64(len(t.Data)), 32)-uint64(len(t.Data))))
	}
	return bw.Flush()
}

func typeOf(v any) ValueType {
	switch v.(type) {
	case uint8:
		return TypeUint8
	case int8:
		return TypeInt8
	case uint16:
		return TypeUint16
	case int16:
		return TypeInt16
	case uint32:
		return TypeUint32
	case int32:
		return TypeInt32
	case float32:
		return TypeFloat32
	case bool:
		return TypeBool
	case string:
		return TypeString
	case Array:
		return TypeArray
	case uint64:
		return TypeUint64
	case int64:
		return TypeInt64
	case float64:
		return TypeFloat64
	}
	return 255
}

func b2u(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// EncodeMatrix encodes m as a GGUF tensor of type typ (F32, F16 or Q8_0;
// Q8_0 requantizes float weights in 32-value groups).
func EncodeMatrix(name string, m *llama.Matrix, typ GGMLType) (Tensor, error) {
	info := TensorInfo{Name: name, Dims: []uint64{uint64(m.Cols), uint64(m.Rows)}, Type: typ}
	if m.Rows == 1 {
		info.Dims = info.Dims[:1]
	}
	le := binary.LittleEndian
	var b []byte
	switch typ {
	case F32, F16:
		for _, v := range m.Dequantize().F32 {
			if typ == F32 {
				b = le.AppendUint32(b, math.Float32bits(v))
			} else {
				b = le.AppendUint16(b, FloatToHalf(v))
			}
		}
	case Q8_0:
		q := m
		if m.Q == nil || m.Group != QK8_0 {
			var err error
			if q, err = llama.Quantize(m.Dequantize(), QK8_0); err != nil {
				return Tensor{}, fmt.Errorf("gguf: tensor %s: %w", name, err)
			}
		}
		for i, s := range q.Scale {
			b = le.AppendUint16(b, FloatToHalf(s))
			for _, v := range q.Q[i*QK8_0 : (i+1)*QK8_0] {
				b = append(b, byte(v))
			}
		}
	default:
		return Tensor{}, fmt.Errorf("gguf: cannot encode type %v", typ)
	}
	return Tensor{Info: info, Data: b}, nil
}

// WriteLlama writes m and tok as a GGUF file of architecture "llama", with
// the projection matrices, embedding and classifier in type typ and norm
// weights in F32 (llama.cpp's convention).
func WriteLlama(w io.Writer, m *llama.Model, tok *tokenizer.Tokenizer, typ GGMLType) error {
	if err := m.Validate(); err != nil {
		return err
	}
	c := m.Config
	pieces := make([]any, tok.Len())
	scores := make([]any, tok.Len())
	types := make([]any, tok.Len())
	for i, p := range tok.Pieces {
		pieces[i] = strings.ReplaceAll(p, " ", "\u2581")
		scores[i] = tok.Scores[i]
		types[i] = int32(1) // normal
	}
	kvs := []KV{
		{"general.architecture", "llama"},
		{"general.name", "burrow"},
		{"llama.context_length", uint32(c.SeqLen)},
		{"llama.embedding_length", uint32(c.Dim)},
		{"llama.block_count", uint32(c.Layers)},
		{"llama.feed_forward_length", uint32(c.HiddenDim)},
		{"llama.attention.head_count", uint32(c.Heads)},
		{"llama.attention.head_count_kv", uint32(c.KVHeads)},
		{"llama.rope.dimension_count", uint32(c.HeadSize())},
		{"llama.attention.layer_norm_rms_epsilon", c.NormEpsOrDefault()},
		{"llama.rope.freq_base", c.RopeThetaOrDefault()},
		{"tokenizer.ggml.model", "llama"},
		{"tokenizer.ggml.tokens", Array{TypeString, pieces}},
		{"tokenizer.ggml.scores", Array{TypeFloat32, scores}},
		{"tokenizer.ggml.token_type", Array{TypeInt32, types}},
		{"tokenizer.ggml.bos_token_id", uint32(tok.BOS)},
		{"tokenizer.ggml.eos_token_id", uint32(tok.EOS)},
	}
	var ts []Tensor
	var err error
	add := func(name string, x *llama.Matrix, t GGMLType) {
		if err != nil {
			return
		}
		var e Tensor
		e, err = EncodeMatrix(name, x, t)
		ts = append(ts, e)
	}
	vec := func(v []float32) *llama.Matrix { return llama.NewF32(1, len(v), v) }
	add("token_embd.weight", m.Embed, typ)
	for i, l := range m.Layers {
		p := fmt.Sprintf("blk.%d.", i)
		add(p+"attn_norm.weight", vec(l.AttnNorm), F32)
		add(p+"attn_q.weight", l.Wq, typ)
		add(p+"attn_k.weight", l.Wk, typ)
		add(p+"attn_v.weight", l.Wv, typ)
		add(p+"attn_output.weight", l.Wo, typ)
		add(p+"ffn_norm.weight", vec(l.FFNNorm), F32)
		add(p+"ffn_gate.weight", l.W1, typ)
		add(p+"ffn_down.weight", l.W2, typ)
		add(p+"ffn_up.weight", l.W3, typ)
	}
	add("output_norm.weight", vec(m.FinalNorm), F32)
	if m.Output != nil {
		add("output.weight", m.Output, typ)
	}
	if err != nil {
		return err
	}
	return Write(w, kvs, ts)
}
