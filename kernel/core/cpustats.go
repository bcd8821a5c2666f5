package core

import "time"

// svcCPUStats is SVC_CPU_STATS (ckernel/services.h).
const svcCPUStats = 0x1011

// MaxCPUs is how many CPUs the C core can run (MAX_CPUS in ckernel/cpu.h).
const MaxCPUs = 4

// CPUStat mirrors struct cpu_stat in ckernel/services.h, field for field:
// one CPU's time in counter ticks. Since the CPU came online it was idle,
// handling interrupts, running user programs or running kernel code, and
// IdleTicks + IRQTicks + UserTicks + SystemTicks = Now - Since.
type CPUStat struct {
	Online      uint64 // 1 if the CPU runs the kernel; the rest is 0 if not
	Since       uint64 // the counter when it came online
	Now         uint64 // the counter when the snapshot was taken
	IdleTicks   uint64 // in its idle thread (WFI), without interrupts
	IRQTicks    uint64 // handling interrupts
	UserTicks   uint64 // at EL0, in user programs
	SystemTicks uint64 // at EL1 otherwise: the Go kernel, the runtime, the C core
	Switches    uint64 // thread switches on it
	IRQs        uint64 // interrupts it took
}

// Total is the time the CPU has been online, in counter ticks.
func (c CPUStat) Total() uint64 { return c.Now - c.Since }

// Busy is the time the CPU was not idle, in counter ticks.
func (c CPUStat) Busy() uint64 { return c.IRQTicks + c.UserTicks + c.SystemTicks }

// Sub returns the time c accumulated since the earlier snapshot prev, so a
// caller can measure an interval; counts that went backwards (a CPU that
// came online in between) start from zero.
func (c CPUStat) Sub(prev CPUStat) CPUStat {
	if prev.Online == 0 || prev.Since != c.Since {
		prev = CPUStat{Since: c.Since, Now: c.Since}
	}
	d := func(a, b uint64) uint64 {
		if a < b {
			return 0
		}
		return a - b
	}
	return CPUStat{
		Online: c.Online, Since: prev.Now, Now: c.Now,
		IdleTicks: d(c.IdleTicks, prev.IdleTicks), IRQTicks: d(c.IRQTicks, prev.IRQTicks),
		UserTicks: d(c.UserTicks, prev.UserTicks), SystemTicks: d(c.SystemTicks, prev.SystemTicks),
		Switches: d(c.Switches, prev.Switches), IRQs: d(c.IRQs, prev.IRQs),
	}
}

// Percent is part as a percentage of the CPU's online time (0 if none).
func (c CPUStat) Percent(part uint64) float64 {
	if c.Total() == 0 {
		return 0
	}
	return 100 * float64(part) / float64(c.Total())
}

// Duration converts counter ticks at freq Hz to a duration.
func Duration(ticks, freq uint64) time.Duration {
	if freq == 0 {
		return 0
	}
	return time.Duration(ticks/freq)*time.Second + time.Duration(ticks%freq*uint64(time.Second)/freq)
}
