// Package engine is the AI layer's asynchronous decision engine, the
// plan's KernelAIEngine: kernel code asks it for a configuration decision
// and gets an answer at once from the policy cache or the rule fallback,
// while the language model works out its own answer in the background and
// replaces the cached one when it arrives, if it still fits the situation.
//
// Design (see ai/README.md for the worked example):
//
//	MakeConfigurationDecision ──► situation ──► signature ──► cache hit?  ─► cached answer
//	        (never blocks)             │                        miss     ─► rule answer
//	                                   └──► bounded queue (drop when full)
//	inference goroutines ◄── queue: wait for CPU budget, run the model,
//	        re-assemble the situation: same signature → cache + apply; else late
//
// Every decision the model finishes goes into a ring-buffer log (situation,
// immediate answer, model answer, latency, applied or why not), which the
// kernel console prints as `ai log` and the debugger reads through
// Snapshot. Inference uses at most Budget of the time the Clock counts (10%
// by default): a token bucket charged with each inference's duration.
//
// The package is pure Go: on the host it is tested with fake statistics,
// clocks and models; in the kernel (EL1, after the Go runtime starts) the
// Go kernel passes its statistics, its virtual clock and the embedded
// model.
package engine

import (
	"fmt"
	"sync"
	"time"

	"github.com/burrow-os/burrow/ai/policy"
)

// Decider answers a situation; the language model is one (LM), and tests
// supply others.
type Decider interface {
	Decide(s policy.Situation) (policy.Action, error)
}

// Clock is the time the kernel counts: monotonic time and a sleep that
// only blocks the calling goroutine. Under QEMU icount it is virtual time.
type Clock interface {
	Now() time.Duration
	Sleep(d time.Duration)
}

// Options configure an engine; zero fields take the defaults.
type Options struct {
	Workers   int           // inference goroutines (1)
	QueueLen  int           // pending requests before new ones are dropped (8)
	Budget    float64       // fraction of time inference may use (0.10)
	Burst     time.Duration // budget that may be spent at once (100 ms, one second's share)
	LogLen    int           // decision log entries kept (64)
	Clock     Clock         // time source (the host's monotonic clock)
	Logf      func(format string, args ...any)
	Apply     func(policy.Situation, policy.Action) // applies a model answer to the subsystem
	Stats     Stats
	Model     Decider // nil: rule policies only
	ModelNote string  // why Model is nil, for the one log line
}

// Source says where an answer came from.
type Source string

// Sources of answers.
const (
	FromRule  Source = "rule"
	FromCache Source = "cache"
	FromModel Source = "model"
)

// CachedPolicy is the cached answer for one situation signature.
type CachedPolicy struct {
	Action  policy.Action
	Source  Source // FromRule until the model has answered
	Updated time.Duration
	Hits    int
}

// LogEntry records one model decision.
type LogEntry struct {
	Seq       int
	At        time.Duration // when the request was made
	Situation string        // the situation text the model read
	Immediate policy.Action // what MakeConfigurationDecision returned
	Model     policy.Action // the model's answer (zero when Err is set)
	Err       string
	Latency   time.Duration // request to answer, queueing and budget waits included
	Compute   time.Duration // inference time charged to the budget
	Applied   bool
	Why       string // why not applied: "stale", "same", "error"
}

// Counters are the engine's running totals.
type Counters struct {
	Decisions, CacheHits, RuleAnswers    int
	Queued, Dropped, Deduplicated        int
	ModelAnswers, Applied, Stale, Errors int
	InferenceTime, BudgetWait            time.Duration
}

type request struct {
	cs  ConfigSituation
	s   policy.Situation
	sig string
	imm policy.Action
	at  time.Duration
}

// Engine is the decision engine, the plan's KernelAIEngine. Its methods are
// safe for concurrent use.
type Engine struct {
	opt   Options
	queue chan request
	done  chan struct{}
	wg    sync.WaitGroup

	mu       sync.Mutex // guards everything below
	cache    map[string]*CachedPolicy
	pending  map[string]bool
	log      []LogEntry // ring of opt.LogLen
	seq      int
	counters Counters
	tokens   time.Duration // budget bucket; negative while in debt
	last     time.Duration // when tokens were last refilled
}

// New starts an engine with its inference goroutines. When opt.Model is
// nil it logs one line saying the rule policies are in charge.
func New(opt Options) *Engine {
	if opt.Workers <= 0 {
		opt.Workers = 1
	}
	if opt.QueueLen <= 0 {
		opt.QueueLen = 8
	}
	if opt.Budget <= 0 {
		opt.Budget = 0.10
	}
	if opt.Burst <= 0 {
		opt.Burst = time.Duration(opt.Budget * float64(time.Second))
	}
	if opt.LogLen <= 0 {
		opt.LogLen = 64
	}
	if opt.Clock == nil {
		opt.Clock = hostClock{time.Now()}
	}
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	e := &Engine{
		opt: opt, queue: make(chan request, opt.QueueLen), done: make(chan struct{}),
		cache: map[string]*CachedPolicy{}, pending: map[string]bool{},
		tokens: opt.Burst, last: opt.Clock.Now(),
	}
	if opt.Model == nil {
		note := opt.ModelNote
		if note == "" {
			note = "no model"
		}
		opt.Logf("ai: model unavailable (%s): rule policies in charge", note)
		return e
	}
	for i := 0; i < opt.Workers; i++ {
		e.wg.Add(1)
		go e.worker()
	}
	return e
}

// Close stops the inference goroutines after the request they are
// serving; queued requests are dropped.
func (e *Engine) Close() {
	select {
	case <-e.done:
		return
	default:
	}
	close(e.done)
	e.wg.Wait()
}

// HasModel reports whether a model is answering.
func (e *Engine) HasModel() bool { return e.opt.Model != nil }

// MakeConfigurationDecision returns an answer for cs at once: the cached
// policy for its situation signature, or the rule fallback. When a model
// is loaded and has not answered this signature yet, the situation is
// queued for it; a full queue drops the request (counted, not blocking).
func (e *Engine) MakeConfigurationDecision(cs ConfigSituation) policy.Action {
	s := Assemble(e.opt.Stats).Situation(cs)
	sig := s.Signature()
	now := e.opt.Clock.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.counters.Decisions++
	cp, ok := e.cache[sig]
	if ok {
		cp.Hits++
		e.counters.CacheHits++
	} else {
		cp = &CachedPolicy{Action: policy.Rule(s), Source: FromRule, Updated: now}
		e.cache[sig] = cp
		e.counters.RuleAnswers++
	}
	imm := cp.Action
	if e.opt.Model == nil || cp.Source == FromModel {
		return imm
	}
	if e.pending[sig] {
		e.counters.Deduplicated++
		return imm
	}
	select {
	case e.queue <- request{cs: cs, s: s, sig: sig, imm: imm, at: now}:
		e.pending[sig] = true
		e.counters.Queued++
	default:
		e.counters.Dropped++
	}
	return imm
}

func (e *Engine) worker() {
	defer e.wg.Done()
	for {
		select {
		case <-e.done:
			return
		case r := <-e.queue:
			e.serve(r)
		}
	}
}

// waitBudget blocks the inference goroutine until the token bucket is
// positive. The bucket fills at Budget seconds per second up to Burst and
// is charged each inference's duration, so over any interval T inference
// runs at most Budget·T + Burst + one inference.
func (e *Engine) waitBudget() {
	for {
		e.mu.Lock()
		now := e.opt.Clock.Now()
		e.tokens += time.Duration(e.opt.Budget * float64(now-e.last))
		e.last = now
		if e.tokens > e.opt.Burst {
			e.tokens = e.opt.Burst
		}
		t := e.tokens
		e.mu.Unlock()
		if t > 0 {
			return
		}
		wait := time.Duration(float64(-t)/e.opt.Budget) + time.Microsecond
		e.mu.Lock()
		e.counters.BudgetWait += wait
		e.mu.Unlock()
		e.opt.Clock.Sleep(wait)
	}
}

func (e *Engine) serve(r request) {
	e.waitBudget()
	start := e.opt.Clock.Now()
	a, err := e.opt.Model.Decide(r.s)
	end := e.opt.Clock.Now()
	// Does the answer still fit? Re-read the statistics: if the system
	// moved to another signature meanwhile, the answer is late.
	cur := Assemble(e.opt.Stats).Situation(r.cs)
	e.mu.Lock()
	e.tokens -= end - start
	e.counters.InferenceTime += end - start
	delete(e.pending, r.sig)
	e.seq++
	ent := LogEntry{Seq: e.seq, At: r.at, Situation: r.s.Text(), Immediate: r.imm, Model: a,
		Latency: end - r.at, Compute: end - start}
	apply := false
	switch {
	case err != nil:
		ent.Err, ent.Why = err.Error(), "error"
		e.counters.Errors++
	case cur.Signature() != r.sig:
		ent.Why = "stale"
		e.counters.Stale++
		e.counters.ModelAnswers++
	default:
		e.counters.ModelAnswers++
		e.cache[r.sig] = &CachedPolicy{Action: a, Source: FromModel, Updated: end, Hits: e.cache[r.sig].hits()}
		ent.Applied = true
		apply = a != r.imm
		if !apply {
			ent.Why = "same"
		}
		e.counters.Applied++
	}
	e.appendLog(ent)
	e.mu.Unlock()
	if apply && e.opt.Apply != nil {
		e.opt.Apply(cur, a)
	}
}

func (c *CachedPolicy) hits() int {
	if c == nil {
		return 0
	}
	return c.Hits
}

func (e *Engine) appendLog(ent LogEntry) {
	if len(e.log) < e.opt.LogLen {
		e.log = append(e.log, ent)
		return
	}
	e.log[(ent.Seq-1)%e.opt.LogLen] = ent
}

// Log returns the kept decision log entries, oldest first.
func (e *Engine) Log() []LogEntry {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]LogEntry, 0, len(e.log))
	if len(e.log) < e.opt.LogLen {
		return append(out, e.log...)
	}
	i := e.seq % e.opt.LogLen
	return append(append(out, e.log[i:]...), e.log[:i]...)
}

// State is the engine's state as the debugger shows it.
type State struct {
	Model    bool
	Queue    int // pending requests
	Tokens   time.Duration
	Counters Counters
	Cache    map[string]CachedPolicy
}

// Snapshot returns a copy of the engine's state.
func (e *Engine) Snapshot() State {
	e.mu.Lock()
	defer e.mu.Unlock()
	st := State{Model: e.opt.Model != nil, Queue: len(e.pending), Tokens: e.tokens, Counters: e.counters,
		Cache: make(map[string]CachedPolicy, len(e.cache))}
	for k, v := range e.cache {
		st.Cache[k] = *v
	}
	return st
}

// Lookup returns the cached policy for a signature.
func (e *Engine) Lookup(sig string) (CachedPolicy, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	cp, ok := e.cache[sig]
	if !ok {
		return CachedPolicy{}, false
	}
	return *cp, true
}

func (l LogEntry) String() string {
	model := l.Model.String()
	if l.Err != "" {
		model = "error: " + l.Err
	}
	applied := "applied"
	if !l.Applied {
		applied = "not applied (" + l.Why + ")"
	} else if l.Why == "same" {
		applied = "confirmed"
	}
	return fmt.Sprintf("#%d t=%v [%s] now=%s model=%s latency=%v compute=%v %s",
		l.Seq, l.At, l.Situation, l.Immediate, model, l.Latency, l.Compute, applied)
}

type hostClock struct{ start time.Time }

func (c hostClock) Now() time.Duration    { return time.Since(c.start) }
func (c hostClock) Sleep(d time.Duration) { time.Sleep(d) }
