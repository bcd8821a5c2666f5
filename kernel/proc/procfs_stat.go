package proc

import (
	"fmt"
	"strings"

	"github.com/burrow-os/burrow/kernel/core"
)

// /proc/stat: kernel and CPU counters in Linux's format (proc(5), "stat";
// the per-CPU fields in fs/proc/stat.c order): enough for busybox top and
// mpstat. Times are in USER_HZ ticks (1/100 s), converted from the C core's
// per-CPU counters (ckernel/services.h, struct cpu_stat).

// userHZ is Linux's USER_HZ on arm64: /proc/stat counts time in 1/100 s.
const userHZ = 100

// readCPUStats and readCounterFreq read the C core's counters; tests
// replace them.
var (
	readCPUStats    = core.CPUStats
	readCounterFreq = func() uint64 { s, _ := core.ReadStats(); return s.CounterFreq }
)

// procStat is /proc/stat's text now, for the processes procs.
func (k *Kernel) procStat(procs []*Process) []byte {
	cpus, err := readCPUStats()
	if err != nil { // not on Burrow (host tests): one CPU with no time
		cpus = []core.CPUStat{{Online: 1}}
	}
	running := 0
	for _, p := range procs {
		p.mu.Lock()
		if !p.zombie {
			running++
		}
		p.mu.Unlock()
	}
	return []byte(formatStat(cpus, readCounterFreq(), k.boot.Unix(), len(procs), running))
}

// statTimes are one cpu line's ten fields: user nice system idle iowait irq
// softirq steal guest guest_nice.
type statTimes [10]uint64

func (t *statTimes) add(o statTimes) {
	for i := range t {
		t[i] += o[i]
	}
}

// cpuTimes converts one CPU's counters to USER_HZ ticks. Burrow has no
// nice levels, I/O wait, softirqs, steal or guests: those stay 0.
func cpuTimes(c core.CPUStat, freq uint64) statTimes {
	hz := func(ticks uint64) uint64 {
		if freq == 0 {
			return 0
		}
		return ticks/freq*userHZ + ticks%freq*userHZ/freq
	}
	return statTimes{hz(c.UserTicks), 0, hz(c.SystemTicks), hz(c.IdleTicks), 0, hz(c.IRQTicks), 0, 0, 0, 0}
}

// formatStat builds /proc/stat from per-CPU counters at freq Hz. Offline
// CPUs get no cpuN line, as on Linux.
func formatStat(cpus []core.CPUStat, freq uint64, btime int64, procs, running int) string {
	var total statTimes
	var lines strings.Builder
	var ctxt, intr uint64
	for i, c := range cpus {
		if c.Online == 0 {
			continue
		}
		t := cpuTimes(c, freq)
		total.add(t)
		ctxt += c.Switches
		intr += c.IRQs
		fmt.Fprintf(&lines, "cpu%d %s\n", i, t)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "cpu  %s\n%s", total, lines.String())
	fmt.Fprintf(&b, "intr %d\nctxt %d\nbtime %d\nprocesses %d\nprocs_running %d\nprocs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
		intr, ctxt, btime, procs, running)
	return b.String()
}

func (t statTimes) String() string {
	f := make([]string, len(t))
	for i, v := range t {
		f[i] = fmt.Sprint(v)
	}
	return strings.Join(f, " ")
}
