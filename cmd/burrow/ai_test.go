package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/burrow-os/burrow/ai/gguf"
	"github.com/burrow-os/burrow/ai/llama2c"
	"github.com/stretchr/testify/require"
)

// TestAITrainConvertGenerate trains the tiny configuration into a
// temporary directory, converts it to GGUF and back to llama2.c int8, and
// runs every file through info, generate and eval.
func TestAITrainConvertGenerate(t *testing.T) {
	dir := t.TempDir()
	require.Equal(t, 0, runAI([]string{"train", "-tiny", "-o", dir}))
	for _, f := range []string{"model.bin", "tokenizer.bin", "report.txt"} {
		require.FileExists(t, filepath.Join(dir, f))
	}
	bin := filepath.Join(dir, "model.bin")
	gg := filepath.Join(dir, "model.gguf")
	q8 := filepath.Join(dir, "q8.bin")
	require.Equal(t, 1, runAI([]string{"convert", "-type", "q8_0", bin, gg}), "GGUF Q8_0 needs rows of whole 32-value blocks")
	require.Equal(t, 0, runAI([]string{"convert", "-type", "f16", bin, gg}))
	require.Equal(t, 0, runAI([]string{"convert", "-type", "q8_0", bin, q8}))
	require.Equal(t, 0, runAI([]string{"info", gg}))
	require.Equal(t, 0, runAI([]string{"info", q8}))

	f, err := os.Open(gg)
	require.NoError(t, err)
	st, _ := f.Stat()
	m, tok, err := gguf.Load(f, st.Size(), 0)
	f.Close()
	require.NoError(t, err)
	require.False(t, m.Embed.Quantized(), "F16 loads as float32")
	require.Equal(t, 630, tok.Len())
	data, err := os.ReadFile(q8)
	require.NoError(t, err)
	back, err := llama2c.Read(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	require.True(t, back.Layers[0].W1.Quantized())

	require.Equal(t, 0, runAI([]string{"generate", "-n", "2", "-p", "mem=low ask=gc", gg}))
	require.Equal(t, 0, runAI([]string{"generate", "-n", "2", "-temp", "1", "-z", filepath.Join(dir, "tokenizer.bin"), q8}))
	require.Equal(t, 0, runAI([]string{"eval", "-d", dir, "-n", "1"}))
	require.Equal(t, 1, runAI([]string{"info", filepath.Join(dir, "tokenizer.bin")}), "a tokenizer is not a model")
	require.Equal(t, 2, runAI([]string{"bogus"}))
}

func TestTranscriptLines(t *testing.T) {
	got := transcriptLines([]string{"noise", "[ 1.2] ai-scenario  0 gc x\r", "ai-scenario  1 y", "@burrow n done"})
	require.Equal(t, []string{" 0 gc x", " 1 y"}, got)
}
