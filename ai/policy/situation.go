// Package policy defines what Burrow's AI layer decides and how a decision
// is judged: the situation a decision is made in (a discretized snapshot of
// kernel statistics plus the question asked), the valid actions for each
// question, the cost models of the subsystems, the expert that searches
// them, and the simple rule fallback that runs when no model answers.
//
// The cost models are analytic stand-ins written down in costs.go; the next
// AI issue replaces them with measurements. Situations render as short
// text, one word per feature ("mem=high rq=busy ... ask=gc"), which is what
// the language model reads; actions render as one word ("gc=50").
//
// Pure Go with no I/O: it runs on the host (training, evaluation) and in
// the Burrow kernel (the decision engine).
package policy

import (
	"fmt"
	"strings"
)

// Ask is the question a decision answers: which subsystem is configured.
type Ask int

// The decisions the engine makes.
const (
	AskReadahead Ask = iota // readahead window of a file's block device
	AskSched                // scheduler class of a task
	AskGC                   // GC target (GOGC) of a process
	AskDriver               // which storage driver serves the root file system
	NumAsks
)

var askNames = [NumAsks]string{"readahead", "sched", "gc", "driver"}

func (a Ask) String() string {
	if a >= 0 && a < NumAsks {
		return askNames[a]
	}
	return fmt.Sprintf("ask(%d)", int(a))
}

// Feature values. Each feature is an index into its Levels list.
var (
	MemLevels   = []string{"low", "mid", "high", "crit"}        // memory pressure
	RunQLevels  = []string{"idle", "light", "busy", "overload"} // run-queue length: 0, 1-3, 4-8, 9+
	IOLevels    = []string{"seq", "rand", "stride", "mixed"}    // I/O pattern of the file
	ReqLevels   = []string{"4k", "16k", "64k", "256k"}          // typical request size
	DiskLevels  = []string{"sd", "usb", "ram", "net"}           // device the file lives on
	HeapLevels  = []string{"4m", "32m", "128m", "512m"}         // live heap
	AllocLevels = []string{"low", "mid", "high"}                // allocation rate
	TaskLevels  = []string{"interactive", "batch", "io", "rt"}  // kind of task
	BurstLevels = []string{"short", "medium", "long"}           // CPU burst length
	PrioLevels  = []string{"high", "normal", "low"}             // task priority (nice)
	BoardLevels = []string{"raspi4b", "virt"}                   // machine
	DevNames    = []string{"emmc2", "sdhci", "usb", "virtio"}   // storage controllers
)

// Situation is a discretized system snapshot and the question asked about
// it. Devs is a bit set over DevNames.
type Situation struct {
	Ask                                                      Ask
	Mem, RunQ, IO, Req, Disk, Heap, Alloc, Task, Burst, Prio int
	Board                                                    int
	Devs                                                     uint8
}

// Text renders s as the words the model reads, in a fixed order.
func (s Situation) Text() string {
	var b strings.Builder
	w := func(k string, levels []string, v int) {
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(levels[v])
		b.WriteByte(' ')
	}
	w("mem", MemLevels, s.Mem)
	w("rq", RunQLevels, s.RunQ)
	w("io", IOLevels, s.IO)
	w("req", ReqLevels, s.Req)
	w("disk", DiskLevels, s.Disk)
	w("heap", HeapLevels, s.Heap)
	w("alloc", AllocLevels, s.Alloc)
	w("task", TaskLevels, s.Task)
	w("burst", BurstLevels, s.Burst)
	w("prio", PrioLevels, s.Prio)
	w("board", BoardLevels, s.Board)
	for i, d := range DevNames {
		if s.Devs&(1<<i) != 0 {
			b.WriteString("has=" + d + " ")
		}
	}
	b.WriteString("ask=" + s.Ask.String())
	return b.String()
}

// Signature is the part of s that the cost model of s.Ask depends on: two
// situations with equal signatures have the same expert action, so the
// policy cache is keyed by it.
func (s Situation) Signature() string {
	switch s.Ask {
	case AskReadahead:
		return fmt.Sprintf("readahead io=%s req=%s mem=%s disk=%s", IOLevels[s.IO], ReqLevels[s.Req], MemLevels[s.Mem], DiskLevels[s.Disk])
	case AskSched:
		return fmt.Sprintf("sched task=%s burst=%s rq=%s prio=%s", TaskLevels[s.Task], BurstLevels[s.Burst], RunQLevels[s.RunQ], PrioLevels[s.Prio])
	case AskGC:
		return fmt.Sprintf("gc heap=%s alloc=%s mem=%s task=%s", HeapLevels[s.Heap], AllocLevels[s.Alloc], MemLevels[s.Mem], TaskLevels[s.Task])
	case AskDriver:
		return fmt.Sprintf("driver devs=%02b io=%s req=%s", s.Devs, IOLevels[s.IO], ReqLevels[s.Req])
	}
	return "invalid"
}

// Valid reports whether every feature of s is in range.
func (s Situation) Valid() bool {
	in := func(v int, l []string) bool { return v >= 0 && v < len(l) }
	return s.Ask >= 0 && s.Ask < NumAsks && in(s.Mem, MemLevels) && in(s.RunQ, RunQLevels) &&
		in(s.IO, IOLevels) && in(s.Req, ReqLevels) && in(s.Disk, DiskLevels) && in(s.Heap, HeapLevels) &&
		in(s.Alloc, AllocLevels) && in(s.Task, TaskLevels) && in(s.Burst, BurstLevels) &&
		in(s.Prio, PrioLevels) && in(s.Board, BoardLevels) && s.Devs != 0 && s.Devs < 1<<len(DevNames)
}

// Actions lists the valid answers to each question, as the words the
// model writes.
var Actions = [NumAsks][]string{
	AskReadahead: {"readahead=0", "readahead=16k", "readahead=64k", "readahead=256k", "readahead=1m"},
	AskSched:     {"sched=fifo", "sched=rr", "sched=fair", "sched=batch", "sched=idle"},
	AskGC:        {"gc=25", "gc=50", "gc=100", "gc=200", "gc=400"},
	AskDriver:    {"driver=emmc2", "driver=sdhci", "driver=usb", "driver=virtio"},
}

// Action is an answer: an index into Actions[Ask].
type Action struct {
	Ask   Ask
	Index int
}

func (a Action) String() string {
	if a.Ask < 0 || a.Ask >= NumAsks || a.Index < 0 || a.Index >= len(Actions[a.Ask]) {
		return "invalid"
	}
	return Actions[a.Ask][a.Index]
}

// ParseAction parses the text of an action for the given question.
func ParseAction(ask Ask, text string) (Action, error) {
	if ask < 0 || ask >= NumAsks {
		return Action{}, fmt.Errorf("policy: unknown question %d", int(ask))
	}
	text = strings.TrimSpace(text)
	for i, a := range Actions[ask] {
		if a == text {
			return Action{ask, i}, nil
		}
	}
	return Action{}, fmt.Errorf("policy: %q is not a valid %s action", text, ask)
}

// Words returns every word situations and actions are made of, each with
// the leading space the tokenizer gives a word; the model's vocabulary is
// built from them.
func Words() []string {
	var ws []string
	add := func(k string, levels []string) {
		for _, l := range levels {
			ws = append(ws, " "+k+"="+l)
		}
	}
	add("mem", MemLevels)
	add("rq", RunQLevels)
	add("io", IOLevels)
	add("req", ReqLevels)
	add("disk", DiskLevels)
	add("heap", HeapLevels)
	add("alloc", AllocLevels)
	add("task", TaskLevels)
	add("burst", BurstLevels)
	add("prio", PrioLevels)
	add("board", BoardLevels)
	add("has", DevNames)
	add("ask", askNames[:])
	for _, as := range Actions {
		for _, a := range as {
			ws = append(ws, " "+a)
		}
	}
	return ws
}
