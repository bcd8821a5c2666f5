package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/burrow-os/burrow/ai/engine"
	"github.com/burrow-os/burrow/ai/gguf"
	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/llama2c"
	"github.com/burrow-os/burrow/ai/model"
	"github.com/burrow-os/burrow/ai/policy"
	"github.com/burrow-os/burrow/ai/tokenizer"
	"github.com/burrow-os/burrow/ai/train"
)

func init() {
	register(command{
		name:    "ai",
		summary: "train, evaluate and inspect the AI layer's decision model (ai train|eval|info|scenarios|generate|convert|qemu)",
		run:     runAI,
	})
}

func runAI(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: burrow ai train|eval|info|scenarios|generate|convert|qemu [flags]")
		return 2
	}
	switch args[0] {
	case "train":
		return aiTrain(args[1:])
	case "eval":
		return aiEval(args[1:])
	case "info":
		return aiInfo(args[1:])
	case "scenarios":
		return aiScenarios(args[1:])
	case "generate":
		return aiGenerate(args[1:])
	case "convert":
		return aiConvert(args[1:])
	case "qemu":
		return aiQEMU(args[1:])
	}
	fmt.Fprintf(os.Stderr, "burrow ai: unknown subcommand %q\n", args[0])
	return 2
}

func aiTrain(args []string) int {
	fs := flag.NewFlagSet("ai train", flag.ContinueOnError)
	out := fs.String("o", "ai/model", "directory for model.bin, tokenizer.bin and report.txt")
	steps := fs.Int("steps", 0, "training steps (0: the full configuration's)")
	seed := fs.Uint64("seed", 1, "seed for initialization, data and the held-out split")
	tiny := fs.Bool("tiny", false, "train the tiny test configuration")
	decay := fs.Float64("decay", -1, "AdamW weight decay (-1: the configuration's)")
	lr := fs.Float64("lr", 0, "peak learning rate (0: the configuration's)")
	dim := fs.Int("dim", 0, "model width (0: the configuration's)")
	ema := fs.Float64("ema", -1, "weight-average decay (-1: the configuration's, 0: off)")
	dropout := fs.Float64("dropout", -1, "dropout rate (-1: the configuration's)")
	tau := fs.Float64("tau", -1, "soft-target temperature (-1: the configuration's, 0: expert action only)")
	if fs.Parse(args) != nil {
		return 2
	}
	o := train.Full()
	if *tiny {
		o = train.Tiny()
	}
	if *steps > 0 {
		o.Steps = *steps
	}
	o.Seed = *seed
	if *decay >= 0 {
		o.Decay = *decay
	}
	if *tau >= 0 {
		o.Tau = *tau
	}
	if *dropout >= 0 {
		o.Dropout = *dropout
	}
	if *ema >= 0 {
		o.EMA = *ema
	}
	if *lr > 0 {
		o.LR = *lr
	}
	if *dim > 0 {
		o.Config.Dim, o.Config.HiddenDim = *dim, 2**dim
	}
	o.Log = os.Stdout
	if o.LogEach == 0 {
		o.LogEach = 10
	}
	start := time.Now()
	res, err := train.Train(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "burrow ai train:", err)
		return 1
	}
	took := time.Since(start)
	rep, err := train.Evaluate(res.Model, res.Tokenizer, res.Split, 4, o.Seed+100)
	if err != nil {
		fmt.Fprintln(os.Stderr, "burrow ai train: evaluate:", err)
		return 1
	}
	var mb, tb bytes.Buffer
	if err := llama2c.Write(&mb, res.Model, 0, 0); err != nil {
		fmt.Fprintln(os.Stderr, "burrow ai train:", err)
		return 1
	}
	if err := res.Tokenizer.WriteBin(&tb); err != nil {
		fmt.Fprintln(os.Stderr, "burrow ai train:", err)
		return 1
	}
	c := res.Model.Config
	report := fmt.Sprintf(`Burrow decision model (trained by burrow ai train)
config       dim %d hidden %d layers %d heads %d kv_heads %d vocab %d seq_len %d (%d weights, tied)
training     %d steps x %d sequences, seed %d, AdamW lr %.1e decay %g, dropout %g, EMA %g, tau %g, %d shards, %s on %d cores
final loss   %.4f (first step %.4f)
weights      sha256 %x
held-out     %d situations from %d feature combinations never seen in training
accuracy     majority %.1f%%  rule fallback %.1f%%  model %.1f%%
per question readahead %.1f%%  sched %.1f%%  gc %.1f%%  driver %.1f%%
`, c.Dim, c.HiddenDim, c.Layers, c.Heads, c.KVHeads, c.Vocab, c.SeqLen, c.Params(false),
		o.Steps, o.Batch, o.Seed, o.LR, o.Decay, o.Dropout, o.EMA, o.Tau, o.Shards, took.Round(time.Second), numCPU(),
		res.Losses[len(res.Losses)-1], res.Losses[0], res.Hash,
		rep.Cases, len(res.Split.Test), 100*rep.Majority, 100*rep.Rule, 100*rep.Model,
		100*rep.PerAsk[0], 100*rep.PerAsk[1], 100*rep.PerAsk[2], 100*rep.PerAsk[3])
	fmt.Print(report)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "burrow ai train:", err)
		return 1
	}
	for name, data := range map[string][]byte{"model.bin": mb.Bytes(), "tokenizer.bin": tb.Bytes(), "report.txt": []byte(report)} {
		if err := os.WriteFile(filepath.Join(*out, name), data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "burrow ai train:", err)
			return 1
		}
	}
	fmt.Printf("wrote %s (%d bytes) and tokenizer.bin\n", filepath.Join(*out, "model.bin"), mb.Len())
	return 0
}

func aiEval(args []string) int {
	fs := flag.NewFlagSet("ai eval", flag.ContinueOnError)
	dir := fs.String("d", "ai/model", "directory with model.bin and tokenizer.bin")
	seed := fs.Uint64("seed", 1, "seed of the held-out split the model was trained with")
	per := fs.Int("n", 4, "situations per held-out feature combination")
	if fs.Parse(args) != nil {
		return 2
	}
	m, tok, err := loadDir(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "burrow ai eval:", err)
		return 1
	}
	split := policy.NewSplit(*seed, train.Full().Holdout)
	rep, err := train.Evaluate(m, tok, split, *per, *seed+100)
	if err != nil {
		fmt.Fprintln(os.Stderr, "burrow ai eval:", err)
		return 1
	}
	fmt.Printf("held-out %d situations: majority %.1f%%  rule %.1f%%  model %.1f%%\n",
		rep.Cases, 100*rep.Majority, 100*rep.Rule, 100*rep.Model)
	gs := 32
	for m.Config.Dim%gs != 0 || m.Config.HiddenDim%gs != 0 {
		gs /= 2
	}
	q, err := llama.QuantizeModel(m, gs)
	if err == nil {
		if rq, err := train.Evaluate(q, tok, split, *per, *seed+100); err == nil {
			fmt.Printf("int8 (Q8_0, group %d) model: %.1f%%\n", gs, 100*rq.Model)
		}
	}
	return 0
}

func aiInfo(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: burrow ai info FILE (llama2.c .bin or .gguf)")
		return 2
	}
	f, err := os.Open(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "burrow ai info:", err)
		return 1
	}
	defer f.Close()
	st, _ := f.Stat()
	var m *llama.Model
	if filepath.Ext(args[0]) == ".gguf" {
		m, _, err = gguf.Load(f, st.Size(), 0)
	} else {
		m, err = llama2c.Read(f, st.Size())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "burrow ai info:", err)
		return 1
	}
	c := m.Config
	fmt.Printf("dim %d hidden %d layers %d heads %d kv_heads %d vocab %d seq_len %d tied %v int8 %v weights %d bytes\n",
		c.Dim, c.HiddenDim, c.Layers, c.Heads, c.KVHeads, c.Vocab, c.SeqLen, m.Output == nil, m.Embed.Quantized(), m.Bytes())
	return 0
}

func aiScenarios(args []string) int {
	fs := flag.NewFlagSet("ai scenarios", flag.ContinueOnError)
	dir := fs.String("d", "", "directory with model.bin and tokenizer.bin (default: the embedded model)")
	int8 := fs.Bool("int8", false, "quantize the model to Q8_0 (group 32) first")
	if fs.Parse(args) != nil {
		return 2
	}
	var m *llama.Model
	var tok *tokenizer.Tokenizer
	var err error
	if *dir != "" {
		m, tok, err = loadDir(*dir)
	} else {
		m, tok, err = model.Load()
	}
	if err == nil && *int8 {
		m, err = llama.QuantizeModel(m, 32)
	}
	if err == nil {
		err = engine.Transcript(os.Stdout, engine.NewLM(m, tok))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "burrow ai scenarios:", err)
		return 1
	}
	return 0
}
