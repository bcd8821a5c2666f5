// Package model holds the decision model that Burrow ships: a small
// llama-architecture transformer trained on the host by `make ai-model`
// (ai/train), stored as a llama2.c version 0 checkpoint (model.bin, which
// llama2.c's own run.c can also run) with its tokenizer.bin, and compiled
// into the kernel with go:embed. report.txt records how it was trained and
// how it scores on held-out situations.
//
// Pure Go: Load runs on the host and in the Burrow kernel at EL1.
package model

import (
	"bytes"
	_ "embed"
	"fmt"

	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/llama2c"
	"github.com/burrow-os/burrow/ai/tokenizer"
)

var (
	//go:embed model.bin
	modelBin []byte
	//go:embed tokenizer.bin
	tokenizerBin []byte
	//go:embed report.txt
	Report string
)

// Load parses the embedded model and tokenizer.
func Load() (*llama.Model, *tokenizer.Tokenizer, error) {
	return Parse(modelBin, tokenizerBin)
}

// Parse reads a model and tokenizer from memory, for Load and for tests
// that corrupt them.
func Parse(model, tok []byte) (*llama.Model, *tokenizer.Tokenizer, error) {
	m, err := llama2c.Read(bytes.NewReader(model), int64(len(model)))
	if err != nil {
		return nil, nil, fmt.Errorf("model.bin: %w", err)
	}
	t, err := tokenizer.ReadBin(bytes.NewReader(tok), m.Config.Vocab)
	if err != nil {
		return nil, nil, fmt.Errorf("tokenizer.bin: %w", err)
	}
	return m, t, nil
}

// Size returns the size of the embedded files in bytes.
func Size() int { return len(modelBin) + len(tokenizerBin) }
