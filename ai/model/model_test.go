package model

import (
	"testing"

	"github.com/burrow-os/burrow/ai/policy"
	"github.com/burrow-os/burrow/ai/train"
	"github.com/stretchr/testify/require"
)

func TestShippedModelLoads(t *testing.T) {
	m, tok, err := Load()
	require.NoError(t, err)
	require.Equal(t, tok.Len(), m.Config.Vocab)
	require.Less(t, Size(), 5<<20, "the shipped model should stay under 5 MB")
	require.Equal(t, train.Tokenizer().Pieces, tok.Pieces, "shipped tokenizer must match the training vocabulary")
}

// TestShippedModelBeatsRule decides a sample of held-out situations: the
// model must beat the rule fallback (the full evaluation is `burrow ai
// eval`, recorded in report.txt).
func TestShippedModelBeatsRule(t *testing.T) {
	m, tok, err := Load()
	require.NoError(t, err)
	split := policy.NewSplit(1, train.Full().Holdout)
	split.Test = split.Test[:60]
	rep, err := train.Evaluate(m, tok, split, 1, 3)
	require.NoError(t, err)
	require.Greater(t, rep.Model, rep.Rule, "model %.2f vs rule %.2f", rep.Model, rep.Rule)
	require.Greater(t, rep.Model, 0.75)
}

func TestCorruptModelIsRejected(t *testing.T) {
	bad := append([]byte(nil), modelBin...)
	bad = bad[:len(bad)-3]
	_, _, err := Parse(bad, tokenizerBin)
	require.ErrorContains(t, err, "model.bin: llama2c")
	_, _, err = Parse(modelBin, tokenizerBin[:100])
	require.ErrorContains(t, err, "tokenizer.bin")
}
