package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/burrow-os/burrow/ai/gguf"
	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/llama2c"
	"github.com/burrow-os/burrow/ai/tokenizer"
)

// aiGenerate runs free text generation with any llama2.c checkpoint (and
// its tokenizer.bin) or GGUF file, the way llama2.c's run does: a way to
// check that a real stories15M or TinyLlama file loads and talks.
func aiGenerate(args []string) int {
	fs := flag.NewFlagSet("ai generate", flag.ContinueOnError)
	tokPath := fs.String("z", "", "tokenizer.bin for a llama2.c checkpoint (default: next to the model)")
	prompt := fs.String("p", "", "prompt")
	steps := fs.Int("n", 64, "tokens to generate")
	temp := fs.Float64("temp", 0, "temperature (0: greedy)")
	topp := fs.Float64("topp", 0.9, "top-p (nucleus) threshold")
	seed := fs.Uint64("seed", 1, "sampling seed")
	int8 := fs.Bool("int8", false, "quantize float32 weights to Q8_0 (group 32) first")
	if fs.Parse(args) != nil || fs.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: burrow ai generate [flags] MODEL (.bin or .gguf)")
		return 2
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "burrow ai generate:", err)
		return 1
	}
	defer f.Close()
	st, _ := f.Stat()
	var m *llama.Model
	var tok *tokenizer.Tokenizer
	if filepath.Ext(path) == ".gguf" {
		m, tok, err = gguf.Load(f, st.Size(), 1024)
	} else if m, err = llama2c.Read(f, st.Size()); err == nil {
		if *tokPath == "" {
			*tokPath = filepath.Join(filepath.Dir(path), "tokenizer.bin")
		}
		var tf *os.File
		if tf, err = os.Open(*tokPath); err == nil {
			tok, err = tokenizer.ReadBin(tf, m.Config.Vocab)
			tf.Close()
		}
	}
	if err == nil && *int8 {
		m, err = llama.QuantizeModel(m, 32)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "burrow ai generate:", err)
		return 1
	}
	s := llama.NewState(m)
	sampler := &llama.Sampler{Temperature: float32(*temp), TopP: float32(*topp), Rand: llama.NewRand(*seed)}
	toks := tok.Encode(*prompt, true, false)
	next, pos := toks[0], 0
	start := time.Now()
	for ; pos < len(toks)-1+*steps && pos < m.Config.SeqLen; pos++ {
		logits, err := s.Forward(next, pos)
		if err != nil {
			fmt.Fprintln(os.Stderr, "burrow ai generate:", err)
			return 1
		}
		prev := next
		if pos+1 < len(toks) {
			next = toks[pos+1]
		} else {
			next = sampler.Sample(logits, nil)
		}
		if next == tok.EOS || next == tok.BOS && pos+1 >= len(toks) {
			break
		}
		fmt.Print(tok.Decode(prev, next))
	}
	fmt.Printf("\n%.1f tok/s\n", float64(pos)/time.Since(start).Seconds())
	return 0
}

// aiConvert converts a llama2.c checkpoint (with its tokenizer.bin) to
// GGUF, or to another llama2.c version.
func aiConvert(args []string) int {
	fs := flag.NewFlagSet("ai convert", flag.ContinueOnError)
	tokPath := fs.String("z", "", "tokenizer.bin (default: next to the input)")
	typ := fs.String("type", "f32", "output weights: f32, f16 or q8_0 for GGUF; f32 (version 0) or q8_0 (version 2) for .bin")
	if fs.Parse(args) != nil || fs.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: burrow ai convert [-z tokenizer.bin] [-type f32|f16|q8_0] IN.bin OUT.gguf|OUT.bin")
		return 2
	}
	in, out := fs.Arg(0), fs.Arg(1)
	if *tokPath == "" {
		*tokPath = filepath.Join(filepath.Dir(in), "tokenizer.bin")
	}
	m, tok, err := loadFiles(in, *tokPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "burrow ai convert:", err)
		return 1
	}
	w, err := os.Create(out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "burrow ai convert:", err)
		return 1
	}
	if filepath.Ext(out) == ".gguf" {
		t := map[string]gguf.GGMLType{"f32": gguf.F32, "f16": gguf.F16, "q8_0": gguf.Q8_0}[*typ]
		err = gguf.WriteLlama(w, m, tok, t)
	} else {
		version := map[string]int{"f32": 0, "q8_0": 2}[*typ]
		gs := 32 // the largest group size, up to Q8_0's 32, that divides the rows
		for m.Config.Dim%gs != 0 || m.Config.HiddenDim%gs != 0 {
			gs /= 2
		}
		err = llama2c.Write(w, m, version, gs)
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "burrow ai convert:", err)
		return 1
	}
	return 0
}
