package engine

import (
	"fmt"
	"hash/fnv"
	"io"
	"math"

	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/policy"
)

// Scenarios returns the fixed situations that the kernel's acceptance test
// answers: four per question, drawn from a fixed seed, so every build of
// the engine (host, linux/arm64 under qemu-aarch64, the kernel) can print
// the same transcript and the transcripts can be compared.
func Scenarios() []policy.Situation {
	r := policy.NewRand(2026)
	var out []policy.Situation
	for a := policy.Ask(0); a < policy.NumAsks; a++ {
		cs := policy.Combos(a)
		for i := 0; i < 4; i++ {
			out = append(out, policy.Fill(cs[r.Intn(len(cs))], r))
		}
	}
	return out
}

// Transcript decides every scenario with lm and writes one line each: the
// signature, the answer, the generated token ids, and an FNV-1a hash of
// the bits of the logits after the last generated token. Two engines that
// compute the same bits print the same transcript.
func Transcript(w io.Writer, lm *LM) error {
	for i, s := range Scenarios() {
		prompt := lm.Tokenizer.Encode(s.Text(), true, false)
		a, toks, err := lm.decide(s, prompt)
		if err != nil {
			return fmt.Errorf("scenario %d: %w", i, err)
		}
		st := llama.NewState(lm.Model)
		var logits []float32
		for pos, t := range append(prompt, toks...) {
			if logits, err = st.Forward(t, pos); err != nil {
				return err
			}
		}
		h := fnv.New64a()
		var b [4]byte
		for _, v := range logits {
			u := math.Float32bits(v)
			b[0], b[1], b[2], b[3] = byte(u), byte(u>>8), byte(u>>16), byte(u>>24)
			h.Write(b[:])
		}
		fmt.Fprintf(w, "%2d %-48s %-16s tokens %v logits %016x\n", i, s.Signature(), a, toks, h.Sum64())
	}
	return nil
}
