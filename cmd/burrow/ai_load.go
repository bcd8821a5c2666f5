package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"

	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/llama2c"
	"github.com/burrow-os/burrow/ai/tokenizer"
)

// loadDir reads model.bin and tokenizer.bin from dir.
func loadDir(dir string) (*llama.Model, *tokenizer.Tokenizer, error) {
	return loadFiles(filepath.Join(dir, "model.bin"), filepath.Join(dir, "tokenizer.bin"))
}

// loadFiles reads a llama2.c checkpoint and its tokenizer.bin.
func loadFiles(modelPath, tokPath string) (*llama.Model, *tokenizer.Tokenizer, error) {
	mb, err := os.ReadFile(modelPath)
	if err != nil {
		return nil, nil, err
	}
	m, err := llama2c.Read(bytes.NewReader(mb), int64(len(mb)))
	if err != nil {
		return nil, nil, err
	}
	tb, err := os.ReadFile(tokPath)
	if err != nil {
		return nil, nil, err
	}
	tok, err := tokenizer.ReadBin(bytes.NewReader(tb), m.Config.Vocab)
	return m, tok, err
}

func numCPU() int { return runtime.NumCPU() }
