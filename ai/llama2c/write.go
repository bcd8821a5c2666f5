package llama2c

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/burrow-os/burrow/ai/llama"
)

// Write stores m in the given format version: 0 and 1 need float32
// weights (int8 ones are dequantized), 2 quantizes to Q8_0 with group size
// gs unless the matrices already are Q8_0 with that group size.
func Write(w io.Writer, m *llama.Model, version, gs int) error {
	if err := m.Validate(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	c := m.Config
	shared := m.Output == nil
	le := binary.LittleEndian
	fields := []int{c.Dim, c.HiddenDim, c.Layers, c.Heads, c.KVHeads, c.Vocab, c.SeqLen}
	var hdr []byte
	switch version {
	case 0:
		if !shared {
			fields[5] = -c.Vocab
		}
	case 1, 2:
		hdr = le.AppendUint32(hdr, Magic)
		hdr = le.AppendUint32(hdr, uint32(version))
	default:
		return fmt.Errorf("llama2c: cannot write version %d", version)
	}
	for _, f := range fields {
		hdr = le.AppendUint32(hdr, uint32(int32(f)))
	}
	if version > 0 {
		hdr = append(hdr, b2u(shared))
		if version == 2 {
			hdr = le.AppendUint32(hdr, uint32(gs))
		}
		hdr = append(hdr, make([]byte, headerSize-len(hdr))...)
	}
	bw.Write(hdr)

	f32 := func(v []float32) {
		var b [4]byte
		for _, x := range v {
			le.PutUint32(b[:], math.Float32bits(x))
			bw.Write(b[:])
		}
	}
	var err error
	mat := func(x *llama.Matrix) {
		if version < 2 {
			f32(x.Dequantize().F32)
			return
		}
		if x.Q == nil || x.Group != gs {
			x, err = llama.Quantize(x.Dequantize(), gs)
			if err != nil {
				return
			}
		}
		for _, q := range x.Q {
			bw.WriteByte(byte(q))
		}
		f32(x.Scale)
	}
	L := m.Layers
	perLayer := func(get func(l *llama.Layer) *llama.Matrix) {
		for i := range L {
			mat(get(&L[i]))
		}
	}
	if version == 0 {
		mat(m.Embed)
		for i := range L {
			f32(L[i].AttnNorm)
		}
		perLayer(func(l *llama.Layer) *llama.Matrix { return l.Wq })
		perLayer(func(l *llama.Layer) *llama.Matrix { return l.Wk })
		perLayer(func(l *llama.Layer) *llama.Matrix { return l.Wv })
		perLayer(func(l *llama.Layer) *llama.Matrix { return l.Wo })
		for i := range L {
			f32(L[i].FFNNorm)
		}
		perLayer(func(l *llama.Layer) *llama.Matrix { return l.W1 })
		perLayer(func(l *llama.Layer) *llama.Matrix { return l.W2 })
		perLayer(func(l *llama.Layer) *llama.Matrix { return l.W3 })
		f32(m.FinalNorm)
		f32(make([]float32, c.SeqLen*c.HeadSize())) // unused freq_cis tables
	} else {
		for i := range L {
			f32(L[i].AttnNorm)
		}
		for i := range L {
			f32(L[i].FFNNorm)
		}
		f32(m.FinalNorm)
		mat(m.Embed)
		perLayer(func(l *llama.Layer) *llama.Matrix { return l.Wq })
		perLayer(func(l *llama.Layer) *llama.Matrix { return l.Wk })
		perLayer(func(l *llama.Layer) *llama.Matrix { return l.Wv })
		perLayer(func(l *llama.Layer) *llama.Matrix { return l.Wo })
		perLayer(func(l *llama.Layer) *llama.Matrix { return l.W1 })
		perLayer(func(l *llama.Layer) *llama.Matrix { return l.W2 })
		perLayer(func(l *llama.Layer) *llama.Matrix { return l.W3 })
	}
	if !shared {
		mat(m.Output)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

func b2u(b bool) byte {
	if b {
		return 1
	}
	return 0
}
