package policy

// Rand is a splitmix64 generator: seedable and identical everywhere, so a
// data set is reproducible from its seed.
type Rand struct{ s uint64 }

// NewRand returns a generator seeded with seed.
func NewRand(seed uint64) *Rand { return &Rand{seed} }

// Uint64 returns 64 random bits.
func (r *Rand) Uint64() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Intn returns a value in [0, n).
func (r *Rand) Intn(n int) int { return int(r.Uint64() % uint64(n)) }

// Float64 returns a value in [0, 1).
func (r *Rand) Float64() float64 { return float64(r.Uint64()>>11) / (1 << 53) }

// devSets are the storage controller sets a board can have (bit i is
// DevNames[i]): any non-empty subset of emmc2, sdhci and usb on a Pi 4,
// and of virtio and usb on QEMU virt.
var devSets = []uint8{0b0001, 0b0010, 0b0100, 0b0011, 0b0101, 0b0110, 0b0111, 0b1000, 0b1100, 0b0100 | 0b1000}

// Combos returns every combination of the features that matter to ask,
// as situations whose other features are zero.
func Combos(ask Ask) []Situation {
	var out []Situation
	n := func(l []string) int { return len(l) }
	switch ask {
	case AskReadahead:
		for a := 0; a < n(IOLevels); a++ {
			for b := 0; b < n(ReqLevels); b++ {
				for c := 0; c < n(MemLevels); c++ {
					for d := 0; d < n(DiskLevels); d++ {
						out = append(out, Situation{Ask: ask, IO: a, Req: b, Mem: c, Disk: d})
					}
				}
			}
		}
	case AskSched:
		for a := 0; a < n(TaskLevels); a++ {
			for b := 0; b < n(BurstLevels); b++ {
				for c := 0; c < n(RunQLevels); c++ {
					for d := 0; d < n(PrioLevels); d++ {
						out = append(out, Situation{Ask: ask, Task: a, Burst: b, RunQ: c, Prio: d})
					}
				}
			}
		}
	case AskGC:
		for a := 0; a < n(HeapLevels); a++ {
			for b := 0; b < n(AllocLevels); b++ {
				for c := 0; c < n(MemLevels); c++ {
					for d := 0; d < n(TaskLevels); d++ {
						out = append(out, Situation{Ask: ask, Heap: a, Alloc: b, Mem: c, Task: d})
					}
				}
			}
		}
	case AskDriver:
		for _, ds := range devSets[:9] {
			for b := 0; b < n(IOLevels); b++ {
				for c := 0; c < n(ReqLevels); c++ {
					out = append(out, Situation{Ask: ask, Devs: ds, IO: b, Req: c})
				}
			}
		}
	}
	return out
}

// Fill returns base with every feature that does not matter to its
// question drawn at random (and the board consistent with the devices).
func Fill(base Situation, r *Rand) Situation {
	s := Situation{
		Ask: base.Ask, Mem: r.Intn(len(MemLevels)), RunQ: r.Intn(len(RunQLevels)), IO: r.Intn(len(IOLevels)),
		Req: r.Intn(len(ReqLevels)), Disk: r.Intn(len(DiskLevels)), Heap: r.Intn(len(HeapLevels)),
		Alloc: r.Intn(len(AllocLevels)), Task: r.Intn(len(TaskLevels)), Burst: r.Intn(len(BurstLevels)),
		Prio: r.Intn(len(PrioLevels)), Devs: devSets[r.Intn(len(devSets)-1)],
	}
	switch base.Ask {
	case AskReadahead:
		s.IO, s.Req, s.Mem, s.Disk = base.IO, base.Req, base.Mem, base.Disk
	case AskSched:
		s.Task, s.Burst, s.RunQ, s.Prio = base.Task, base.Burst, base.RunQ, base.Prio
	case AskGC:
		s.Heap, s.Alloc, s.Mem, s.Task = base.Heap, base.Alloc, base.Mem, base.Task
	case AskDriver:
		s.Devs, s.IO, s.Req = base.Devs, base.IO, base.Req
	}
	switch {
	case s.Devs&0b0011 != 0:
		s.Board = 0
	case s.Devs&0b1000 != 0:
		s.Board = 1
	default:
		s.Board = r.Intn(2)
	}
	return s
}

// Split is a train/held-out division of every question's feature
// combinations: no held-out combination appears in training.
type Split struct {
	Train, Test []Situation // bases, with irrelevant features zero
}

// NewSplit shuffles each question's combinations with seed and holds out
// the given fraction of them.
func NewSplit(seed uint64, holdout float64) Split {
	r := NewRand(seed)
	var sp Split
	for a := Ask(0); a < NumAsks; a++ {
		cs := Combos(a)
		for i := len(cs) - 1; i > 0; i-- {
			j := r.Intn(i + 1)
			cs[i], cs[j] = cs[j], cs[i]
		}
		k := int(float64(len(cs))*holdout + 0.5)
		sp.Test = append(sp.Test, cs[:k]...)
		sp.Train = append(sp.Train, cs[k:]...)
	}
	return sp
}

// Sample draws n situations from the bases with random irrelevant
// features.
func Sample(bases []Situation, n int, r *Rand) []Situation {
	out := make([]Situation, n)
	for i := range out {
		out[i] = Fill(bases[r.Intn(len(bases))], r)
	}
	return out
}

// Baselines are the accuracies, against the expert, of the two answers
// that need no model.
type Baselines struct {
	Majority float64 // the most common expert action of each question in the training bases
	Rule     float64 // the rule fallback
}

// Evaluate scores the baselines on test situations, with majorities
// counted on the training bases.
func Evaluate(train, test []Situation) Baselines {
	var counts [NumAsks][8]int
	for _, s := range train {
		counts[s.Ask][Expert(s).Index]++
	}
	var maj [NumAsks]int
	for a := range counts {
		for i, c := range counts[a] {
			if c > counts[a][maj[a]] {
				maj[a] = i
			}
		}
	}
	var b Baselines
	for _, s := range test {
		e := Expert(s)
		if e.Index == maj[s.Ask] {
			b.Majority++
		}
		if Rule(s) == e {
			b.Rule++
		}
	}
	b.Majority /= float64(len(test))
	b.Rule /= float64(len(test))
	return b
}
