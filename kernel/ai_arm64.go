//go:build linux && arm64

package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/burrow-os/burrow/ai/engine"
	"github.com/burrow-os/burrow/ai/model"
	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/kernel/core"
	"github.com/burrow-os/burrow/kernel/ktest"
)

// kai is the kernel's AI decision engine (ai/engine): the shipped model
// embedded in the kernel, cached and rule policies in front of it. The
// debugger's ai view and the console's `ai log` read it.
var kai *engine.Engine

// virtualTime is the engine's clock: guest time from the generic timer,
// so its 10% inference budget is a share of the machine's own time.
type virtualTime struct{ now func() time.Duration }

func (v virtualTime) Now() time.Duration    { return v.now() }
func (v virtualTime) Sleep(d time.Duration) { time.Sleep(d) }

// kernelStats is what the engine reads about the running system.
type kernelStats struct{}

func (kernelStats) Memory() (total, free uint64) {
	if kmm != nil {
		s := kmm.Stats()
		return s.Phys.TotalPages * 4096, s.Phys.FreePages * 4096
	}
	st, _ := core.ReadStats()
	return st.TotalPages * 4096, st.FreePages * 4096
}

func (kernelStats) RunQueue() int {
	st, _ := core.ReadStats()
	return int(st.Threads)
}

// Devices lists the storage controllers the driver framework bound, by
// the name the engine's situations use.
func (kernelStats) Devices() []string {
	var names []string
	if devices == nil {
		return nil
	}
	for _, d := range devices.Devices {
		if d.State != drivers.Bound {
			continue
		}
		for _, c := range d.Compatible {
			switch c {
			case "brcm,bcm2711-emmc2":
				names = append(names, "emmc2")
			case "brcm,bcm2835-sdhci":
				names = append(names, "sdhci")
			}
		}
	}
	return names
}

func (kernelStats) Board() string {
	if kfdt != nil && kfdt.Lookup("/") != nil {
		for _, c := range kfdt.Lookup("/").Strings("compatible") {
			if c == "raspberrypi,4-model-b" {
				return "raspi4b"
			}
		}
	}
	return "virt"
}

// aiInit loads the shipped model and starts the engine; a missing or
// corrupt model leaves the rule policies in charge, with one log line. Then
// it makes the boot-time demonstration decision and logs its latency.
func aiInit() {
	st, _ := core.ReadStats()
	clock := virtualClock(st.CounterFreq)
	m, tok, err := model.Load()
	kai = engine.New(engine.WithLM(engine.Options{
		Stats: kernelStats{},
		Clock: virtualTime{clock},
		Logf:  func(f string, a ...any) { fmt.Printf("ai: "+f+"\n", a...) },
	}, m, tok, err))
	start := clock()
	line := kai.Demo(engine.DemoSituation, time.Minute)
	fmt.Println(line)
	ktest.Default.Report("ai", "demo_ns", (clock() - start).Nanoseconds(), "model", kai.HasModel())
}

func init() {
	commands = append(commands,
		command{"ai log", "the AI engine's decision log", func() { kai.Console(os.Stdout, []string{"log"}) }},
		command{"ai state", "the AI engine's counters and policy cache", func() { kai.Console(os.Stdout, []string{"state"}) }})
}

// aiTests answers the fixed scenarios with the kernel's own engine and
// prints the transcript, which the host compares with the same engine's
// under Linux (qemu-aarch64), token for token.
func aiTests(r *ktest.Reporter) bool {
	m, tok, err := model.Load()
	r.Result("ai-model", err)
	if err != nil {
		return false
	}
	var sb strings.Builder
	err = engine.Transcript(&sb, engine.NewLM(m, tok))
	for _, line := range strings.Split(strings.TrimRight(sb.String(), "\n"), "\n") {
		fmt.Println("ai-scenario " + line)
	}
	r.Result("ai-transcript", err)
	return err == nil
}
