package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/burrow-os/burrow/ai/engine"
	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/llama2c"
	"github.com/burrow-os/burrow/ai/model"
	"github.com/burrow-os/burrow/ai/policy"
)

// stories15M is the shape of llama2.c's stories15M.bin, with random
// weights generated here.
var stories15M = llama.Config{Dim: 288, HiddenDim: 768, Layers: 6, Heads: 6, KVHeads: 6, Vocab: 32000, SeqLen: 256}

var (
	buildOnce sync.Once
	cBinary   string
	cErr      error
)

// forwardC builds testdata/forward.c with gcc -O3 once per run.
func forwardC(tb testing.TB) string {
	buildOnce.Do(func() {
		if _, err := exec.LookPath("gcc"); err != nil {
			cErr = err
			return
		}
		dir, err := os.MkdirTemp("", "burrow-forward")
		if err != nil {
			cErr = err
			return
		}
		cBinary = filepath.Join(dir, "forward")
		out, err := exec.Command("gcc", "-O3", "-o", cBinary, "testdata/forward.c", "-lm").CombinedOutput()
		if err != nil {
			cErr = fmt.Errorf("gcc: %v\n%s", err, out)
		}
	})
	if cErr != nil {
		tb.Skipf("no C yardstick: %v", cErr)
	}
	return cBinary
}

// runC runs the C forward pass and returns its greedy tokens and the time
// its loop took.
func runC(tb testing.TB, ckpt string, n, reps int) ([]int, time.Duration) {
	out, err := exec.Command(forwardC(tb), ckpt, strconv.Itoa(n), strconv.Itoa(reps)).Output()
	if err != nil {
		tb.Fatalf("forward: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var toks []int
	for _, f := range strings.Fields(lines[0]) {
		v, _ := strconv.Atoi(f)
		toks = append(toks, v)
	}
	secs, err := strconv.ParseFloat(strings.TrimPrefix(lines[len(lines)-1], "seconds "), 64)
	if err != nil {
		tb.Fatalf("forward output %q: %v", out, err)
	}
	return toks, time.Duration(secs * float64(time.Second))
}

// runGo is the same greedy loop on the Go engine.
func runGo(tb testing.TB, m *llama.Model, n int) []int {
	st := llama.NewState(m)
	tok := 1
	var toks []int
	for pos := 0; pos < n; pos++ {
		l, err := st.Forward(tok, pos)
		if err != nil {
			tb.Fatal(err)
		}
		tok = llama.Argmax(l)
		toks = append(toks, tok)
	}
	return toks
}

// checkpoint writes m in llama2.c version 0 (float32) or 2 (int8, group
// 32) form to a temporary file and returns the model as read back.
func checkpoint(tb testing.TB, m *llama.Model, version int) (string, *llama.Model) {
	var buf bytes.Buffer
	if err := llama2c.Write(&buf, m, version, 32); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), fmt.Sprintf("model-v%d.bin", version))
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	back, err := llama2c.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		tb.Fatal(err)
	}
	return path, back
}

func shipped(tb testing.TB) *llama.Model {
	m, _, err := model.Load()
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// TestAgreesWithC checks the Go engine against the independent C
// implementation: the same greedy tokens for float32 and int8 weights.
func TestAgreesWithC(t *testing.T) {
	small := llama.Config{Dim: 64, HiddenDim: 160, Layers: 2, Heads: 4, KVHeads: 2, Vocab: 300, SeqLen: 48}
	for _, version := range []int{0, 2} {
		for _, m := range []*llama.Model{shipped(t), llama.RandomModel(small, 3, 0.15, false)} {
			path, back := checkpoint(t, m, version)
			want, _ := runC(t, path, 24, 1)
			got := runGo(t, back, 24)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("version %d dim %d: Go tokens %v, C tokens %v", version, m.Config.Dim, got, want)
			}
			distinct := map[int]bool{}
			for _, tk := range got {
				distinct[tk] = true
			}
			t.Logf("version %d dim %d: %d distinct tokens in %v", version, m.Config.Dim, len(distinct), got)
		}
	}
}

// BenchmarkThroughput reports single-thread tokens per second of the Go
// engine (with its assembly kernels, and pure Go as on arm64 today) and of
// forward.c (gcc -O3) on the same checkpoint in the same run, and their
// ratio.
func BenchmarkThroughput(b *testing.B) {
	for _, tc := range []struct {
		name string
		m    func() *llama.Model
		n    int
	}{
		{"shipped", func() *llama.Model { return shipped(b) }, 32},
		{"stories15M", func() *llama.Model { return llama.RandomModel(stories15M, 1, 0.05, false) }, 64},
	} {
		base := tc.m()
		for _, version := range []int{0, 2} {
			name := map[int]string{0: "f32", 2: "int8"}[version]
			path, m := checkpoint(b, base, version)
			for _, asm := range []bool{true, false} {
				kern := map[bool]string{true: "asm", false: "purego"}[asm]
				b.Run(tc.name+"/"+name+"/"+kern, func(b *testing.B) {
					prev := llama.UseAssembly(asm)
					defer llama.UseAssembly(prev)
					runtime.GC()
					b.ResetTimer()
					start := time.Now()
					for i := 0; i < b.N; i++ {
						runGo(b, m, tc.n)
					}
					goDur := time.Since(start)
					b.StopTimer()
					_, cDur := runC(b, path, tc.n, b.N)
					tokens := float64(tc.n * b.N)
					goRate, cRate := tokens/goDur.Seconds(), tokens/cDur.Seconds()
					b.ReportMetric(goRate, "go-tok/s")
					b.ReportMetric(cRate, "c-tok/s")
					b.ReportMetric(goRate/cRate, "go/c")
				})
			}
		}
	}
}

// BenchmarkDecide measures one constrained decision of the shipped model
// on the host (prompt and answer, a fresh KV cache each time).
func BenchmarkDecide(b *testing.B) {
	m, tok, err := model.Load()
	if err != nil {
		b.Fatal(err)
	}
	lm := engine.NewLM(m, tok)
	r := policy.NewRand(1)
	var sits []policy.Situation
	for a := policy.Ask(0); a < policy.NumAsks; a++ {
		cs := policy.Combos(a)
		for i := 0; i < 8; i++ {
			sits = append(sits, policy.Fill(cs[r.Intn(len(cs))], r))
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := lm.Decide(sits[i%len(sits)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFootprint reports the memory the engine holds with the shipped
// model loaded: weights, KV cache and buffers as counted by the engine,
// and the Go heap growth from loading it.
func BenchmarkFootprint(b *testing.B) {
	var before, after runtime.MemStats
	for i := 0; i < b.N; i++ {
		runtime.GC()
		runtime.ReadMemStats(&before)
		m, tok, err := model.Load()
		if err != nil {
			b.Fatal(err)
		}
		e := engine.New(engine.WithLM(engine.Options{Stats: nopStats{}}, m, tok, nil))
		runtime.GC()
		runtime.ReadMemStats(&after)
		lm := engine.NewLM(m, tok)
		b.ReportMetric(float64(lm.Bytes()), "engine-bytes")
		b.ReportMetric(float64(after.HeapAlloc)-float64(before.HeapAlloc), "heap-bytes")
		b.ReportMetric(float64(model.Size()), "file-bytes")
		e.Close()
		runtime.KeepAlive(m)
	}
}

type nopStats struct{}

func (nopStats) Memory() (uint64, uint64) { return 1 << 30, 1 << 29 }
func (nopStats) RunQueue() int            { return 0 }
func (nopStats) Devices() []string        { return nil }
func (nopStats) Board() string            { return "raspi4b" }
