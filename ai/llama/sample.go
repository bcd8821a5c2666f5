package llama

import (
	"math"
	"sort"
)

// Rand is the xorshift* generator of llama2.c's run.c: small, seedable and
// identical on every platform, so a seeded sampling run is reproducible in
// the kernel and on the host.
type Rand struct{ state uint64 }

// NewRand returns a generator seeded with seed (0 is replaced by 1, since
// xorshift never leaves the all-zero state).
func NewRand(seed uint64) *Rand {
	if seed == 0 {
		seed = 1
	}
	return &Rand{seed}
}

// Uint32 returns the next 32 random bits.
func (r *Rand) Uint32() uint32 {
	r.state ^= r.state >> 12
	r.state ^= r.state << 25
	r.state ^= r.state >> 27
	return uint32((r.state * 0x2545F4914F6CDD1D) >> 32)
}

// Float32 returns a uniform value in [0, 1).
func (r *Rand) Float32() float32 { return float32(r.Uint32()>>8) / 16777216 }

// Sampler picks the next token from logits.
//
// Temperature 0 is greedy decoding (argmax, lowest index on ties). Otherwise
// the logits are divided by the temperature and softmaxed; with TopP in
// (0, 1) only the smallest set of most probable tokens whose mass reaches
// TopP is kept (nucleus sampling, Holtzman et al. 2019).
type Sampler struct {
	Temperature float32
	TopP        float32
	Rand        *Rand
	probs       []float32
	idx         []int
}

// Sample returns a token index. Tokens whose allowed entry is false are
// never chosen; a nil allowed permits every token. Sample modifies logits.
// It returns -1 when no token is allowed.
func (s *Sampler) Sample(logits []float32, allowed []bool) int {
	if allowed != nil {
		none := true
		for i := range logits {
			if !allowed[i] {
				logits[i] = float32(math.Inf(-1))
			} else {
				none = false
			}
		}
		if none {
			return -1
		}
	}
	if s.Temperature == 0 {
		return Argmax(logits)
	}
	for i := range logits {
		logits[i] /= s.Temperature
	}
	Softmax(logits)
	if s.Rand == nil {
		s.Rand = NewRand(1)
	}
	coin := s.Rand.Float32()
	if s.TopP <= 0 || s.TopP >= 1 {
		return sampleMult(logits, coin)
	}
	return s.sampleTopP(logits, coin)
}

// Argmax returns the index of the largest value, the first on ties.
func Argmax(x []float32) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}

func sampleMult(probs []float32, coin float32) int {
	var cdf float32
	last := 0
	for i, p := range probs {
		if p == 0 {
			continue
		}
		cdf += p
		last = i
		if coin < cdf {
			return i
		}
	}
	return last // rounding left the coin above the total
}

func (s *Sampler) sampleTopP(probs []float32, coin float32) int {
	// Tokens below (1-p)/(n-1) cannot be in the nucleus; dropping them
	// first keeps the sort short, as run.c does.
	cutoff := (1 - s.TopP) / float32(len(probs)-1)
	s.idx = s.idx[:0]
	for i, p := range probs {
		if p >= cutoff && p > 0 {
			s.idx = append(s.idx, i)
		}
	}
	sort.SliceStable(s.idx, func(a, b int) bool { return probs[s.idx[a]] > probs[s.idx[b]] })
	var cum float32
	last := len(s.idx) - 1
	for i, id := range s.idx {
		cum += probs[id]
		if cum > s.TopP {
			last = i
			break
		}
	}
	r := coin * cum
	var cdf float32
	for _, id := range s.idx[:last+1] {
		cdf += probs[id]
		if r < cdf {
			return id
		}
	}
	return s.idx[last]
}
