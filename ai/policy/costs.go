package policy

import "math"

// The cost models below are analytic stand-ins for measurements: each one
// prices an action in a situation in microseconds (or milliseconds per
// second of run time) of lost work, and the expert picks the cheapest.
// They encode the textbook trade-offs of each subsystem with round numbers
// for the Pi 4's devices; the next AI issue replaces them with costs
// measured on Burrow. Every constant is named here so that it can be.

// Readahead: a request of r KB with readahead a KB costs one device I/O of
// latency lat + (r+a)·perKB for every (r + u·a)/r requests, where u is the
// fraction of read-ahead data that a pattern later uses. The unused part,
// (1-u)·a per I/O, evicts page cache worth price(mem) per KB, and the
// window itself occupies a·price(mem)·holdShare of cache per request while
// the stream runs, which is what makes windows stop growing.
var (
	readaheadKB   = []float64{0, 16, 64, 256, 1024}
	reqKB         = []float64{4, 16, 64, 256}
	diskLatencyUS = []float64{800, 300, 2, 3000} // sd, usb, ram, net
	diskPerKBUS   = []float64{40, 15, 0.2, 25}
	patternUse    = []float64{1.0, 0.0, 0.6, 0.5} // seq, rand, stride, mixed
	pressurePerKB = []float64{0.5, 3, 12, 80}     // µs per KB of cache evicted, by mem level
	holdShare     = 0.05
)

func readaheadCost(s Situation, a int) float64 {
	r, ra := reqKB[s.Req], readaheadKB[a]
	u := patternUse[s.IO]
	perIO := diskLatencyUS[s.Disk] + (r+ra)*diskPerKBUS[s.Disk]
	ioPerReq := r / (r + u*ra)
	waste := (1 - u) * ra * ioPerReq
	return perIO*ioPerReq + (waste+holdShare*ra)*pressurePerKB[s.Mem]
}

// Scheduling: a task of burst b ms waiting behind n runnable tasks. Each
// class trades the task's wait (latency) against the delay it imposes on
// the others (harm) and its switching overhead; the task kind weighs the
// three, and priority scales the weight of its own latency.
var (
	runQLen     = []float64{0, 2, 6, 12}
	burstMS     = []float64{1, 10, 100}
	latWeight   = []float64{6, 0.3, 3, 25} // interactive, batch, io, rt
	harmWeight  = []float64{1, 1, 1, 0.5}
	ovhWeight   = []float64{1, 4, 1, 0.5}
	prioFactor  = []float64{3, 1, 0.3} // high, normal, low
	switchCost  = 0.05                 // ms per context switch
	rtDeadline  = 5.0                  // ms: rt tasks pay 100 per ms of wait beyond it
	idleWaitPer = 20.0                 // ms an idle-class task waits per queued task
)

func schedCost(s Situation, c int) float64 {
	// Half a task is expected to arrive during the burst even on an idle
	// queue, so no class is free.
	n, b := runQLen[s.RunQ]+0.5, burstMS[s.Burst]
	var wait, harm, ovh float64
	switch c {
	case 0: // fifo: runs first and to completion
		wait, harm, ovh = 0.1, n*b, 0
	case 1: // rr: real-time round robin, 10 ms quantum
		wait, harm, ovh = 0.1*(1+n*0.1), n*math.Min(b, 10), b/10*switchCost
	case 2: // fair: 3 ms slices among n+1 tasks
		wait, harm, ovh = n*math.Min(b, 3)*0.5, n*math.Min(b, 3)*0.2, b/3*switchCost*(1+n*0.1)
	case 3: // batch: 20 ms slices, no wake-up preemption
		wait, harm, ovh = n*math.Min(b, 20)*0.8+2, n*math.Min(b, 20)*0.05, b/20*switchCost
	case 4: // idle: runs only when nothing else does
		wait, harm, ovh = n*idleWaitPer, 0, b/20*switchCost
	}
	lw := latWeight[s.Task] * prioFactor[s.Prio]
	cost := lw*wait + harmWeight[s.Task]*harm + ovhWeight[s.Task]*ovh*10
	if s.Task == 3 && wait > rtDeadline {
		cost += 100 * (wait - rtDeadline)
	}
	return cost
}

// GC target: with live heap L MB, allocation rate A MB/s and target g%,
// the collector runs A/(L·g/100) times a second and marks L MB each time,
// so it costs A·100/g·markMS ms/s; the heap peaks at L·(1+g/100) MB, which
// costs price(mem) per MB, and a peak beyond the free memory means paging
// or the OOM killer.
var (
	heapMB      = []float64{4, 32, 128, 512}
	allocMBs    = []float64{5, 50, 300}
	gcTargets   = []float64{25, 50, 100, 200, 400}
	freeMB      = []float64{800, 350, 150, 60} // free memory by mem level
	memPriceMB  = []float64{0.01, 0.08, 0.4, 2}
	markMSPerMB = 0.02
	gcCPUWeight = []float64{2, 1, 1.5, 3} // interactive, batch, io, rt: pauses hurt latency-bound tasks more
)

func gcCost(s Situation, g int) float64 {
	L, A, t := heapMB[s.Heap], allocMBs[s.Alloc], gcTargets[g]
	cycles := A / (L * t / 100)
	cpu := cycles * L * markMSPerMB * 5 * gcCPUWeight[s.Task]
	growth := L * t / 100
	cost := cpu + (L+growth)*memPriceMB[s.Mem]
	if growth > freeMB[s.Mem] {
		cost += 1000 + 10*(growth-freeMB[s.Mem])
	}
	return cost
}

// Driver: the root file system's workload of requests of r KB in a given
// pattern costs, per request, the controller's access time (random or
// sequential) plus r over its bandwidth plus its CPU cost per request;
// absent controllers cannot be chosen.
var (
	drvSeqMBs   = []float64{40, 20, 60, 300}      // emmc2, sdhci, usb, virtio
	drvRandIOPS = []float64{1500, 900, 400, 8000} // 4k random reads per second
	drvCPUUS    = []float64{20, 60, 120, 10}      // CPU µs per request (PIO vs DMA, USB stack)
	seqShare    = []float64{0.95, 0.05, 0.6, 0.5} // seq, rand, stride, mixed
)

func driverCost(s Situation, d int) float64 {
	if s.Devs&(1<<d) == 0 {
		return math.Inf(1)
	}
	r := reqKB[s.Req]
	p := seqShare[s.IO]
	transfer := r / 1024 / drvSeqMBs[d] * 1e6
	access := (1 - p) * 1e6 / drvRandIOPS[d]
	return transfer + access + drvCPUUS[d]
}

// Cost returns the modelled cost of answering s with action index a.
func Cost(s Situation, a int) float64 {
	switch s.Ask {
	case AskReadahead:
		return readaheadCost(s, a)
	case AskSched:
		return schedCost(s, a)
	case AskGC:
		return gcCost(s, a)
	case AskDriver:
		return driverCost(s, a)
	}
	return math.Inf(1)
}

// Expert returns the action that minimizes the cost model of s.Ask, the
// lowest index on ties: the label the model is trained on.
func Expert(s Situation) Action {
	best, bestCost := 0, math.Inf(1)
	for a := range Actions[s.Ask] {
		if c := Cost(s, a); c < bestCost {
			best, bestCost = a, c
		}
	}
	return Action{s.Ask, best}
}

// Rule returns the static heuristic that answers while no model is loaded
// or before the model's answer arrives. It is deliberately simple and
// separate from the expert: each question looks at one or two features.
func Rule(s Situation) Action {
	switch s.Ask {
	case AskReadahead: // sequential reads get a big window, others none
		switch s.IO {
		case 0:
			return Action{s.Ask, 3}
		case 2:
			return Action{s.Ask, 2}
		}
		return Action{s.Ask, 0}
	case AskSched: // by task kind alone
		return Action{s.Ask, []int{2, 3, 2, 0}[s.Task]}
	case AskGC: // halve the target under pressure, else Go's default
		if s.Mem >= 2 {
			return Action{s.Ask, 1}
		}
		return Action{s.Ask, 2}
	case AskDriver: // the first present controller in a fixed preference order
		for _, d := range []int{3, 0, 2, 1} {
			if s.Devs&(1<<d) != 0 {
				return Action{s.Ask, d}
			}
		}
	}
	return Action{s.Ask, 0}
}
