// Command aidemo runs Burrow's AI decision engine with the shipped model as
// a static linux/arm64 Go program. Built as the payload of a Burrow image
// (`make ai-qemu`), it runs at EL1 on the C core, the way the Go kernel will
// host the engine, and measures what the kernel will see: model load time,
// the boot-time demonstration decision with its latency, the latency of
// every decision of the fixed scenario set, and the heap the engine holds.
// Under QEMU's -icount shift=0 one guest nanosecond is one instruction, so
// the latencies it prints are instruction counts.
//
// Arguments (kernel command line): purego=1 turns the assembly kernels
// off, int8=1 quantizes the model to Q8_0 first.
//
// Output: the scenario transcript (engine.Transcript, one line per
// scenario, for comparison with other builds) and protocol lines
// (qemu/PROTOCOL.md) with the nonce found among its arguments.
package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/burrow-os/burrow/ai/engine"
	"github.com/burrow-os/burrow/ai/llama"
	"github.com/burrow-os/burrow/ai/model"
)

// arg returns the value of key=value among the arguments (the kernel
// command line, for a payload) or the environment.
func arg(key string) string {
	for _, a := range os.Args[1:] {
		if v, ok := strings.CutPrefix(a, key+"="); ok {
			return v
		}
	}
	return os.Getenv(key)
}

func nonce() string { return arg("nonce") }

// bootStats stands in for the Go kernel's statistics: a Pi 4 with most
// memory free, two runnable tasks and the SD controllers bound.
type bootStats struct{}

func (bootStats) Memory() (uint64, uint64) { return 960 << 20, 800 << 20 }
func (bootStats) RunQueue() int            { return 2 }
func (bootStats) Devices() []string        { return []string{"emmc2", "sdhci"} }
func (bootStats) Board() string            { return "raspi4b" }

func main() {
	id := nonce()
	report := func(kind, format string, a ...any) {
		if id != "" {
			fmt.Printf("@burrow %s %s "+format+"\n", append([]any{id, kind}, a...)...)
		}
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)

	// purego=1 switches the assembly kernels off; int8=1 runs the model
	// quantized to Q8_0 (group 32).
	if arg("purego") == "1" {
		llama.UseAssembly(false)
	}
	start := time.Now()
	m, tok, err := model.Load()
	if err == nil && arg("int8") == "1" {
		m, err = llama.QuantizeModel(m, 32)
	}
	load := time.Since(start)
	e := engine.New(engine.WithLM(engine.Options{Stats: bootStats{}, Logf: func(f string, a ...any) {
		fmt.Printf(f+"\n", a...)
	}}, m, tok, err))
	if err != nil {
		report("result", "name=ai-model status=fail detail=%q", err.Error())
		report("done", "status=fail")
		return
	}
	fmt.Printf("ai: model loaded in %v (%d bytes embedded)\n", load, model.Size())
	report("bench", "name=%q ns_per_op=%d", "ai model load", load.Nanoseconds())

	fmt.Println(e.Demo(engine.DemoSituation, time.Minute))
	if l := e.Log(); len(l) == 1 {
		report("bench", "name=%q ns_per_op=%d", "ai demo decision latency", l[0].Latency.Nanoseconds())
		report("bench", "name=%q ns_per_op=%d", "ai demo decision compute", l[0].Compute.Nanoseconds())
	}
	e.Close()

	// Every scenario decided directly, timed one by one.
	lm := engine.NewLM(m, tok)
	var total, worst time.Duration
	scen := engine.Scenarios()
	for _, s := range scen {
		t0 := time.Now()
		if _, err := lm.Decide(s); err != nil {
			report("result", "name=ai-scenarios status=fail detail=%q", err.Error())
		}
		d := time.Since(t0)
		total += d
		worst = max(worst, d)
	}
	report("bench", "name=%q ns_per_op=%d", "ai decision mean", (total / time.Duration(len(scen))).Nanoseconds())
	report("bench", "name=%q ns_per_op=%d", "ai decision max", worst.Nanoseconds())

	var sb strings.Builder
	if err := engine.Transcript(&sb, lm); err != nil {
		report("result", "name=ai-transcript status=fail detail=%q", err.Error())
	}
	for _, line := range strings.Split(strings.TrimRight(sb.String(), "\n"), "\n") {
		fmt.Println("ai-scenario " + line)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	report("bench", "name=%q ns_per_op=%d", "ai heap bytes", int64(after.HeapAlloc)-int64(before.HeapAlloc))
	runtime.KeepAlive(m)
	runtime.KeepAlive(lm)
	report("result", "name=ai-engine status=pass")
	report("done", "status=pass")
}
