package llama2c

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/burrow-os/burrow/ai/llama"
	"github.com/stretchr/testify/require"
)

var cfg = llama.Config{Dim: 32, HiddenDim: 64, Layers: 2, Heads: 4, KVHeads: 2, Vocab: 50, SeqLen: 16}

func encode(t *testing.T, m *llama.Model, version int) []byte {
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, m, version, 16))
	return buf.Bytes()
}

func logits(t *testing.T, m *llama.Model) [][]float32 {
	s := llama.NewState(m)
	var out [][]float32
	for pos, tok := range []int{1, 10, 20, 30} {
		l, err := s.Forward(tok, pos)
		require.NoError(t, err)
		out = append(out, append([]float32(nil), l...))
	}
	return out
}

// TestRoundTrip writes a model in every version, reads it back, and
// requires identical logits (versions 0 and 1 are lossless; version 2 must
// equal the model quantized in memory).
func TestRoundTrip(t *testing.T) {
	for _, untied := range []bool{false, true} {
		m := llama.RandomModel(cfg, 11, 0.2, untied)
		q, err := llama.QuantizeModel(m, 16)
		require.NoError(t, err)
		for _, tt := range []struct {
			version int
			want    *llama.Model
		}{{0, m}, {1, m}, {2, q}} {
			data := encode(t, m, tt.version)
			back, err := Read(bytes.NewReader(data), int64(len(data)))
			require.NoError(t, err, "version %d untied=%v", tt.version, untied)
			require.Equal(t, tt.want.Config, back.Config, "config, version %d", tt.version)
			require.Equal(t, untied, back.Output != nil, "untied classifier, version %d", tt.version)
			require.Equal(t, logits(t, tt.want), logits(t, back), "logits, version %d untied=%v", tt.version, untied)
		}
	}
}

func TestRejectsMalformed(t *testing.T) {
	m := llama.RandomModel(cfg, 1, 0.2, false)
	v0, v1, v2 := encode(t, m, 0), encode(t, m, 1), encode(t, m, 2)
	patch := func(b []byte, off int, v int32) []byte {
		b = append([]byte(nil), b...)
		binary.LittleEndian.PutUint32(b[off:], uint32(v))
		return b
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "too short"},
		{"v0 truncated", v0[:len(v0)-4], "version 0 file is"},
		{"v0 trailing", append(append([]byte(nil), v0...), 0), "version 0 file is"},
		{"v0 heads", patch(v0, 12, 5), "not a multiple of n_heads"},
		{"v0 negative layers", patch(v0, 8, -1), "n_layers = -1"},
		{"v1 truncated", v1[:len(v1)-1], "version 1 file is"},
		{"v1 short header", v1[:100], "shorter than the 256-byte header"},
		{"v1 version", patch(v1, 4, 7), "unknown version 7"},
		{"v1 shared byte", func() []byte { b := append([]byte(nil), v1...); b[36] = 9; return b }(), "shared_classifier"},
		{"v2 truncated", v2[:len(v2)-100], "version 2 file is"},
		{"v2 group", patch(v2, 37, 12), "group size 12"},
		{"v2 zero group", patch(v2, 37, 0), "group size 0"},
		{"v1 huge dim", patch(v1, 8, 1<<30), "dim = 1073741824"},
	}
	for _, tt := range tests {
		_, err := Read(bytes.NewReader(tt.data), int64(len(tt.data)))
		if err == nil {
			t.Errorf("Read(%s) = nil error, want %q", tt.name, tt.want)
			continue
		}
		require.ErrorContains(t, err, tt.want, tt.name)
	}
}

func FuzzRead(f *testing.F) {
	small := llama.Config{Dim: 8, HiddenDim: 16, Layers: 1, Heads: 2, KVHeads: 1, Vocab: 5, SeqLen: 4}
	m := llama.RandomModel(small, 1, 0.5, true)
	for _, v := range []int{0, 1, 2} {
		var buf bytes.Buffer
		if err := Write(&buf, m, v, 8); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Read(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		if c := m.Config; c.Dim*c.Vocab > 1<<20 || c.SeqLen*c.Layers*c.KVDim() > 1<<20 {
			return
		}
		s := llama.NewState(m)
		if _, err := s.Forward(0, 0); err != nil {
			t.Fatalf("Forward after successful Read: %v", err)
		}
	})
}
