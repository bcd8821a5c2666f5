// Package train trains Burrow's decision model: a small llama-architecture
// transformer that reads a situation (policy.Situation.Text) and writes
// the expert's action. It has its own forward and backward passes in pure
// Go (backprop.go), AdamW, and a fixed-order parallel gradient reduction,
// so a run is reproducible bit for bit from its seed on any number of
// cores.
//
// Training runs on the host only (`make ai-model`, `burrow ai train`); its
// output is a llama2.c checkpoint and tokenizer.bin that ai/model embeds
// and the kernel loads with ai/llama2c.
package train

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"sync"

	"github.com/burrow-os/burrow/ai/constrain"
	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/policy"
	"github.com/burrow-os/burrow/ai/tokenizer"
)

// Options configure a training run.
type Options struct {
	Config  llama.Config // Vocab is filled in from the tokenizer
	Steps   int
	Batch   int     // sequences per step
	LR      float64 // peak learning rate
	Decay   float64 // AdamW weight decay
	Seed    uint64  // initialization, data and split
	Holdout float64 // fraction of feature combinations held out for evaluation
	Shards  int     // parallel gradient shards, summed in order; fixes the reduction tree
	Log     io.Writer
	LogEach int     // steps between log lines
	EMA     float64 // decay of the exponential moving average of the weights that is exported; 0 exports the last weights
	Dropout float64 // dropout rate on attention outputs and feed-forward hidden units
	Tau     float64 // temperature of the soft cost-model targets; 0 trains on the expert's action alone
}

// Full is the configuration `make ai-model` trains and the kernel ships.
func Full() Options {
	return Options{
		Config: llama.Config{Dim: 64, HiddenDim: 128, Layers: 2, Heads: 4, KVHeads: 2, SeqLen: 32},
		Steps:  1500, Batch: 64, LR: 3e-3, Decay: 0.01, Seed: 1, Holdout: 0.2, Shards: 4, LogEach: 100, Tau: 0.1,
	}
}

// Tiny is a configuration small enough to train twice inside a test.
func Tiny() Options {
	return Options{
		Config: llama.Config{Dim: 16, HiddenDim: 32, Layers: 1, Heads: 2, KVHeads: 1, SeqLen: 32},
		Steps:  40, Batch: 16, LR: 1e-2, Decay: 0.01, Seed: 7, Holdout: 0.2, Shards: 4,
	}
}

// Result is a trained model with what is needed to judge it.
type Result struct {
	Model     *llama.Model
	Tokenizer *tokenizer.Tokenizer
	Split     policy.Split
	Losses    []float64 // mean answer loss of each step
	Hash      [32]byte  // SHA-256 of the float32 weights, little-endian
}

// Train runs the optimization described by o.
func Train(o Options) (*Result, error) {
	tok := Tokenizer()
	c := o.Config
	c.Vocab = tok.Len()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if o.Shards <= 0 || o.Batch < o.Shards || o.Steps <= 0 {
		return nil, fmt.Errorf("train: need steps > 0 and batch >= shards > 0")
	}
	r := policy.NewRand(o.Seed)
	split := policy.NewSplit(o.Seed, o.Holdout)
	p := newParams(c)
	p.initialize(c, r)
	opt := newAdamW(len(p.flat), o.Decay)
	grads := make([]*params, o.Shards)
	works := make([]*work, o.Shards)
	for i := range grads {
		grads[i] = newParams(c)
		works[i] = newWork(c)
	}
	total := make([]float32, len(p.flat))
	// ema averages the weights over the last ~1/(1-EMA) steps (Polyak
	// averaging), which generalizes better than the last iterate.
	ema := newParams(c)
	copy(ema.flat, p.flat)
	res := &Result{Tokenizer: tok, Split: split}
	warm := max(1, o.Steps/20)
	for step := 0; step < o.Steps; step++ {
		batch := policy.Sample(split.Train, o.Batch, r)
		exs := make([]Example, len(batch))
		targets := 0
		for i, s := range batch {
			exs[i] = NewExample(tok, s, o.Tau)
			if len(exs[i].Tokens) > c.SeqLen+1 {
				return nil, fmt.Errorf("train: example of %d tokens exceeds seq_len %d", len(exs[i].Tokens), c.SeqLen)
			}
			targets += len(exs[i].Tokens) - exs[i].Answer
		}
		scale := 1 / float32(targets)
		losses := make([]float64, o.Shards)
		var wg sync.WaitGroup
		for sh := 0; sh < o.Shards; sh++ {
			wg.Add(1)
			go func(sh int) {
				defer wg.Done()
				g := grads[sh]
				clear(g.flat)
				lo, hi := sh*len(exs)/o.Shards, (sh+1)*len(exs)/o.Shards
				for j := lo; j < hi; j++ {
					// Each example's dropout mask depends only on the seed,
					// the step and its index, not on the shard it lands in.
					dr := policy.NewRand(o.Seed ^ uint64(step)<<24 ^ uint64(j)<<8 ^ 0xd50)
					losses[sh] += works[sh].lossAndGrad(p, g, exs[j], scale, o.Dropout, dr)
				}
			}(sh)
		}
		wg.Wait()
		// Reduce in shard order, so the sum is the same on any machine.
		copy(total, grads[0].flat)
		var loss float64
		for sh := 0; sh < o.Shards; sh++ {
			if sh > 0 {
				for i, v := range grads[sh].flat {
					total[i] += v
				}
			}
			loss += losses[sh]
		}
		loss /= float64(targets)
		res.Losses = append(res.Losses, loss)
		lr := o.LR * float64(step+1) / float64(warm)
		if step >= warm {
			prog := float64(step-warm) / float64(max(1, o.Steps-warm))
			lr = o.LR * (0.1 + 0.9*0.5*(1+math.Cos(math.Pi*prog)))
		}
		opt.step(p, total, lr)
		if o.EMA > 0 {
			d := float32(o.EMA)
			for i, v := range p.flat {
				ema.flat[i] = d*ema.flat[i] + (1-d)*v
			}
		}
		if o.Log != nil && o.LogEach > 0 && (step%o.LogEach == 0 || step == o.Steps-1) {
			fmt.Fprintf(o.Log, "step %5d  loss %.4f  lr %.2e\n", step, loss, lr)
		}
	}
	if o.EMA > 0 {
		p = ema
	}
	res.Model = p.model(c)
	res.Hash = Hash(res.Model)
	return res, nil
}

// Hash returns the SHA-256 of a float32 model's weights in flat order.
func Hash(m *llama.Model) [32]byte {
	h := sha256.New()
	var b [4]byte
	put := func(s []float32) {
		for _, v := range s {
			binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
			h.Write(b[:])
		}
	}
	put(m.Embed.F32)
	for _, l := range m.Layers {
		for _, s := range [][]float32{l.AttnNorm, l.Wq.F32, l.Wk.F32, l.Wv.F32, l.Wo.F32, l.FFNNorm, l.W1.F32, l.W2.F32, l.W3.F32} {
			put(s)
		}
	}
	put(m.FinalNorm)
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// Grammar returns the constrained-decoding grammar of a question: its
// actions, each with the leading space the tokenizer gives a word.
func Grammar(ask policy.Ask) *constrain.Grammar {
	var alts []string
	for _, a := range policy.Actions[ask] {
		alts = append(alts, " "+a)
	}
	return constrain.Alternatives(alts...)
}

// Decide asks the model for the action of s with greedy constrained
// decoding, using st (whose cache is overwritten).
func Decide(st *llama.State, tok *tokenizer.Tokenizer, s policy.Situation) (policy.Action, error) {
	out, _, err := constrain.Decode(st, tok, Grammar(s.Ask), Prompt(tok, s), &llama.Sampler{})
	if err != nil {
		return policy.Action{}, err
	}
	return policy.ParseAction(s.Ask, out)
}

// Report is the accuracy of the model and the two baselines against the
// expert on held-out situations.
type Report struct {
	Cases    int
	Majority float64
	Rule     float64
	Model    float64
	PerAsk   [policy.NumAsks]float64 // model accuracy per question
}

// Evaluate decides perCombo random situations for every held-out feature
// combination of split (seeded by seed) and scores them.
func Evaluate(m *llama.Model, tok *tokenizer.Tokenizer, split policy.Split, perCombo int, seed uint64) (Report, error) {
	r := policy.NewRand(seed)
	var test []policy.Situation
	for _, b := range split.Test {
		for i := 0; i < perCombo; i++ {
			test = append(test, policy.Fill(b, r))
		}
	}
	base := policy.Evaluate(split.Train, test)
	rep := Report{Cases: len(test), Majority: base.Majority, Rule: base.Rule}
	st := llama.NewState(m)
	var n, ok [policy.NumAsks]int
	for _, s := range test {
		a, err := Decide(st, tok, s)
		if err != nil {
			return rep, err
		}
		n[s.Ask]++
		if a == policy.Expert(s) {
			ok[s.Ask]++
			rep.Model++
		}
	}
	rep.Model /= float64(len(test))
	for i := range n {
		if n[i] > 0 {
			rep.PerAsk[i] = float64(ok[i]) / float64(n[i])
		}
	}
	return rep, nil
}
