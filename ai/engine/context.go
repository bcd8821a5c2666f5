package engine

import (
	"strings"
	"time"

	"github.com/burrow-os/burrow/ai/policy"
)

// Stats is what the engine reads from the kernel. The Go kernel implements
// it over its allocator, scheduler, block layer and driver framework; tests
// implement it with fixed numbers.
type Stats interface {
	Memory() (total, free uint64) // bytes of general-purpose memory
	RunQueue() int                // runnable user tasks
	Devices() []string            // bound storage controllers, by driver name
	Board() string                // "raspi4b" or "virt"
}

// ConfigSituation is one question with the facts that belong to it rather
// than to the whole system: the file being read, the task being scheduled,
// the process whose collector is tuned.
type ConfigSituation struct {
	Ask policy.Ask

	// Readahead: the file's access pattern, its mean request size and the
	// device it lives on ("sd", "usb", "ram", "net").
	Pattern      string // "seq", "rand", "stride" or "mixed"
	RequestBytes uint64
	Disk         string

	// Scheduling: the task's kind ("interactive", "batch", "io", "rt"),
	// its mean CPU burst and its nice value.
	Task  string
	Burst time.Duration
	Nice  int

	// GC target: the process's live heap and allocation rate.
	HeapBytes        uint64
	AllocBytesPerSec uint64
}

// SystemContext is the discretized system-wide part of a situation,
// assembled from Stats.
type SystemContext struct {
	Mem, RunQ, Board int
	Devs             uint8
}

// Assemble reads st and discretizes it. The thresholds:
//
//	memory pressure  free > 50% low, > 25% mid, > 10% high, else crit
//	run queue        0 idle, 1-3 light, 4-8 busy, 9+ overload
func Assemble(st Stats) SystemContext {
	var c SystemContext
	total, free := st.Memory()
	switch {
	case total == 0 || free*2 > total:
		c.Mem = 0
	case free*4 > total:
		c.Mem = 1
	case free*10 > total:
		c.Mem = 2
	default:
		c.Mem = 3
	}
	switch n := st.RunQueue(); {
	case n <= 0:
		c.RunQ = 0
	case n <= 3:
		c.RunQ = 1
	case n <= 8:
		c.RunQ = 2
	default:
		c.RunQ = 3
	}
	if st.Board() == "virt" {
		c.Board = 1
	}
	for _, d := range st.Devices() {
		for i, n := range policy.DevNames {
			if strings.EqualFold(d, n) {
				c.Devs |= 1 << i
			}
		}
	}
	if c.Devs == 0 {
		c.Devs = 1 << 1 // no controller known: the SD host controller every Pi has
	}
	return c
}

func level(levels []string, v string, def int) int {
	for i, l := range levels {
		if l == v {
			return i
		}
	}
	return def
}

// bucket returns the index of the first bound that v does not exceed.
func bucket(v uint64, bounds ...uint64) int {
	for i, b := range bounds {
		if v <= b {
			return i
		}
	}
	return len(bounds)
}

// Situation combines the system context with the question's own facts
// into the discrete situation the policies read. Request sizes round to
// the nearest of 4k/16k/64k/256k, heaps to 4m/32m/128m/512m, allocation
// rates to under 20 MB/s, under 150 MB/s and above, bursts to under 5 ms,
// under 50 ms and above; nice < 0 is high priority, > 0 low.
func (c SystemContext) Situation(cs ConfigSituation) policy.Situation {
	const k, m = 1 << 10, 1 << 20
	s := policy.Situation{
		Ask: cs.Ask, Mem: c.Mem, RunQ: c.RunQ, Board: c.Board, Devs: c.Devs,
		IO:    level(policy.IOLevels, cs.Pattern, 3),
		Req:   bucket(cs.RequestBytes, 8*k, 32*k, 128*k),
		Disk:  level(policy.DiskLevels, cs.Disk, 0),
		Heap:  bucket(cs.HeapBytes, 12*m, 64*m, 256*m),
		Alloc: bucket(cs.AllocBytesPerSec, 20*m, 150*m),
		Task:  level(policy.TaskLevels, cs.Task, 0),
		Burst: bucket(uint64(cs.Burst), uint64(5*time.Millisecond), uint64(50*time.Millisecond)),
		Prio:  1,
	}
	if cs.Nice < 0 {
		s.Prio = 0
	} else if cs.Nice > 0 {
		s.Prio = 2
	}
	return s
}
