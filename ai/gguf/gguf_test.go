package gguf

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"testing"

	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/tokenizer"
	"github.com/stretchr/testify/require"
)

var cfg = llama.Config{Dim: 64, HiddenDim: 96, Layers: 2, Heads: 4, KVHeads: 2, Vocab: 0, SeqLen: 16}

func testTokenizer(t testing.TB) *tokenizer.Tokenizer {
	pieces := []string{"<unk>", "<s>", "</s>"}
	for b := 0; b < 256; b++ {
		pieces = append(pieces, fmt.Sprintf("<0x%02X>", b))
	}
	pieces = append(pieces, " ", "a", "b", " ab", "ab")
	scores := make([]float32, len(pieces))
	scores[len(scores)-2], scores[len(scores)-1] = 2, 1
	tk, err := tokenizer.New(pieces, scores, 1, 2)
	require.NoError(t, err)
	return tk
}

func testModel(t testing.TB, untied bool) (*llama.Model, *tokenizer.Tokenizer) {
	tk := testTokenizer(t)
	c := cfg
	c.Vocab = tk.Len()
	return llama.RandomModel(c, 21, 0.2, untied), tk
}

func encode(t testing.TB, m *llama.Model, tk *tokenizer.Tokenizer, typ GGMLType) []byte {
	var buf bytes.Buffer
	require.NoError(t, WriteLlama(&buf, m, tk, typ))
	return buf.Bytes()
}

func run(t *testing.T, m *llama.Model) [][]float32 {
	s := llama.NewState(m)
	var out [][]float32
	for pos, tok := range []int{1, 260, 261, 262} {
		l, err := s.Forward(tok, pos)
		require.NoError(t, err)
		out = append(out, append([]float32(nil), l...))
	}
	return out
}

// roundScales returns q with its scales rounded through float16, which is
// how Q8_0 blocks store them.
func roundScales(q *llama.Model) {
	r := func(m *llama.Matrix) {
		if m != nil {
			for i, s := range m.Scale {
				m.Scale[i] = HalfToFloat(FloatToHalf(s))
			}
		}
	}
	r(q.Embed)
	r(q.Output)
	for _, l := range q.Layers {
		for _, m := range []*llama.Matrix{l.Wq, l.Wk, l.Wv, l.Wo, l.W1, l.W2, l.W3} {
			r(m)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, untied := range []bool{false, true} {
		m, tk := testModel(t, untied)
		q, err := llama.QuantizeModel(m, QK8_0)
		require.NoError(t, err)
		roundScales(q)
		for _, typ := range []GGMLType{F32, F16, Q8_0} {
			data := encode(t, m, tk, typ)
			back, btk, err := Load(bytes.NewReader(data), int64(len(data)), 0)
			require.NoError(t, err, "%v untied=%v", typ, untied)
			require.Equal(t, m.Config.Dim, back.Config.Dim)
			require.Equal(t, m.Config.KVHeads, back.Config.KVHeads)
			require.Equal(t, untied, back.Output != nil, "untied classifier %v", typ)
			require.Equal(t, tk.Pieces, btk.Pieces, "tokenizer pieces %v", typ)
			require.Equal(t, tk.Encode("abab a", true, false), btk.Encode("abab a", true, false))
			got := run(t, back)
			switch typ {
			case F32:
				require.Equal(t, run(t, m), got, "F32 logits must be identical")
			case Q8_0:
				require.Equal(t, run(t, q), got, "Q8_0 logits must equal the in-memory quantized model")
			case F16:
				want := run(t, m)
				for p := range want {
					require.InDeltaSlice(t, want[p], got[p], 0.01, "F16 logits at position %d", p)
				}
			}
		}
	}
}

func TestHalf(t *testing.T) {
	tests := []struct {
		f float32
		h uint16
	}{
		{0, 0}, {1, 0x3c00}, {-2, 0xc000}, {65504, 0x7bff}, {float32(math.Inf(1)), 0x7c00},
		{5.9604645e-08, 0x0001}, // smallest subnormal
		{6.1035156e-05, 0x0400}, // smallest normal
		{0.33325195, 0x3555},
	}
	for _, tt := range tests {
		if got := FloatToHalf(tt.f); got != tt.h {
			t.Errorf("FloatToHalf(%v) = %#04x, want %#04x", tt.f, got, tt.h)
		}
		if got := HalfToFloat(tt.h); got != tt.f {
			t.Errorf("HalfToFloat(%#04x) = %v, want %v", tt.h, got, tt.f)
		}
	}
	if got := FloatToHalf(1e6); got != 0x7c00 {
		t.Errorf("FloatToHalf(1e6) = %#04x, want %#04x (overflow to infinity)", got, 0x7c00)
	}
}

func TestMetadataRoundTrip(t *testing.T) {
	kvs := []KV{{"a.u8", uint8(7)}, {"a.i8", int8(-7)}, {"a.u16", uint16(700)}, {"a.i16", int16(-700)},
		{"a.u32", uint32(7e6)}, {"a.i32", int32(-7e6)}, {"a.f32", float32(0.5)}, {"a.bool", true},
		{"a.str", "héllo"}, {"a.u64", uint64(1 << 40)}, {"a.i64", int64(-1 << 40)}, {"a.f64", 0.25},
		{"a.arr", Array{TypeArray, []any{Array{TypeInt32, []any{int32(1), int32(2)}}}}}}
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, kvs, nil))
	f, err := Parse(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	require.Equal(t, kvs, f.KV)
}

func TestRejectsMalformed(t *testing.T) {
	m, tk := testModel(t, false)
	good := encode(t, m, tk, Q8_0)
	f, err := Parse(bytes.NewReader(good), int64(len(good)))
	require.NoError(t, err)
	patch := func(off int, v uint32) []byte {
		b := append([]byte(nil), good...)
		binary.LittleEndian.PutUint32(b[off:], v)
		return b
	}
	withKV := func(kvs []KV, ts []Tensor) []byte {
		var buf bytes.Buffer
		require.NoError(t, Write(&buf, kvs, ts))
		return buf.Bytes()
	}
	vec, _ := EncodeMatrix("v", llama.NewF32(1, 4, []float32{1, 2, 3, 4}), F32)
	q8bad := Tensor{Info: TensorInfo{Name: "q", Dims: []uint64{20}, Type: Q8_0}, Data: make([]byte, 34)}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "truncated"},
		{"magic", patch(0, 0x46554746), "bad magic"},
		{"version", patch(4, 9), "version 9"},
		{"huge counts", patch(8, 0xffffffff), "cannot fit"},
		{"truncated header", good[:200], "cannot fit"},
		{"truncated metadata", good[:2000], "truncated at offset"},
		{"truncated data", good[:len(good)-40], "runs past the end"},
		{"q8 shape", withKV(nil, []Tensor{q8bad}), "not whole 32-value blocks"},
		{"dup tensor", withKV(nil, []Tensor{vec, vec}), "appears twice"},
		{"alignment", withKV([]KV{{"general.alignment", uint32(3)}}, nil), "power of two"},
		{"bool", func() []byte {
			b := withKV([]KV{{"k", true}}, nil)
			b[24+8+1+4] = 2
			return b
		}(), "bool value 2"},
		{"string length", func() []byte {
			b := withKV([]KV{{"k", "v"}}, nil)
			binary.LittleEndian.PutUint64(b[24:], 1<<50)
			return b
		}(), "claims"},
		{"not llama", withKV([]KV{{"general.architecture", "gpt2"}}, nil), "want llama"},
		{"no dims", withKV([]KV{{"general.architecture", "llama"}}, nil), "llama.embedding_length is missing"},
		{"missing tensor", withKV(append(f.KV[:0:0], f.KV...), nil), "token_embd.weight is missing"},
		{"tokenizer size", func() []byte {
			kvs := append(f.KV[:0:0], f.KV...)
			for i, kv := range kvs {
				if kv.Key == "tokenizer.ggml.tokens" {
					a := kv.Value.(Array)
					kvs[i].Value = Array{a.Type, a.Values[:len(a.Values)-1]}
				}
				if kv.Key == "tokenizer.ggml.scores" || kv.Key == "tokenizer.ggml.token_type" {
					kvs[i].Key = "x." + kv.Key
				}
			}
			var ts []Tensor
			for _, ti := range f.Tensors {
				mm, err := f.Matrix(ti.Name)
				require.NoError(t, err)
				e, err := EncodeMatrix(ti.Name, mm, ti.Type)
				require.NoError(t, err)
				ts = append(ts, e)
			}
			return withKV(kvs, ts)
		}(), "tokenizer has 263 tokens"},
	}
	for _, tt := range tests {
		_, _, err := Load(bytes.NewReader(tt.data), int64(len(tt.data)), 0)
		if err == nil {
			t.Errorf("Load(%s) = nil error, want %q", tt.name, tt.want)
			continue
		}
		require.ErrorContains(t, err, tt.want, tt.name)
	}
}

func FuzzLoad(f *testing.F) {
	tk, err := tokenizer.New([]string{"<unk>", "<s>", "</s>", "a", "ab"}, []float32{0, 0, 0, 0, 1}, 1, 2)
	require.NoError(f, err)
	c := llama.Config{Dim: 32, HiddenDim: 32, Layers: 1, Heads: 2, KVHeads: 1, Vocab: tk.Len(), SeqLen: 4}
	m := llama.RandomModel(c, 1, 0.5, true)
	for _, typ := range []GGMLType{F32, Q8_0} {
		f.Add(encode(f, m, tk, typ))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, _, err := Load(bytes.NewReader(data), int64(len(data)), 8)
		if err != nil {
			return
		}
		if _, err := llama.NewState(m).Forward(0, 0); err != nil {
			t.Fatalf("Forward after successful Load: %v", err)
		}
	})
}
