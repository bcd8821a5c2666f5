package engine

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/burrow-os/burrow/ai/policy"
	"github.com/stretchr/testify/require"
)

// fakeStats is a kernel whose statistics the test sets.
type fakeStats struct {
	mu          sync.Mutex
	total, free uint64
	runq        int
}

func (f *fakeStats) Memory() (uint64, uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.total, f.free
}
func (f *fakeStats) RunQueue() int       { f.mu.Lock(); defer f.mu.Unlock(); return f.runq }
func (f *fakeStats) Devices() []string   { return []string{"emmc2", "usb"} }
func (f *fakeStats) Board() string       { return "raspi4b" }
func (f *fakeStats) setFree(free uint64) { f.mu.Lock(); f.free = free; f.mu.Unlock() }

// fakeClock is virtual time: Sleep advances it.
type fakeClock struct {
	mu  sync.Mutex
	now time.Duration
}

func (c *fakeClock) Now() time.Duration { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Sleep(d time.Duration) {
	c.mu.Lock()
	c.now += d
	c.mu.Unlock()
}

// fakeModel answers with the expert after being released, charging cost
// of clock time per answer.
type fakeModel struct {
	clock   *fakeClock
	cost    time.Duration
	started chan policy.Situation // receives each situation as Decide starts (if set)
	release chan struct{}         // Decide waits for a value (if set)
	err     error
}

func (m *fakeModel) Decide(s policy.Situation) (policy.Action, error) {
	if m.started != nil {
		m.started <- s
	}
	if m.release != nil {
		<-m.release
	}
	m.clock.Sleep(m.cost)
	if m.err != nil {
		return policy.Action{}, m.err
	}
	return policy.Expert(s), nil
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

const gib = 1 << 30

// gcAsk is a small heap allocating fast with plenty of free memory: the
// rule keeps Go's default gc=100, the expert raises the target to 400.
var gcAsk = ConfigSituation{Ask: policy.AskGC, HeapBytes: 4 << 20, AllocBytesPerSec: 300 << 20, Task: "batch"}

func newTest(t *testing.T, m *fakeModel, opt Options) (*Engine, *fakeStats, *fakeClock) {
	st := &fakeStats{total: gib, free: gib * 9 / 10}
	clk := &fakeClock{}
	if m != nil {
		m.clock = clk
		opt.Model = m
	}
	opt.Stats, opt.Clock = st, clk
	e := New(opt)
	t.Cleanup(func() {
		if m != nil && m.release != nil {
			close(m.release)
		}
		e.Close()
	})
	return e, st, clk
}

func TestAssemble(t *testing.T) {
	tests := []struct {
		free     uint64
		runq     int
		mem, rql int
	}{
		{gib, 0, 0, 0}, {gib / 3, 1, 1, 1}, {gib / 5, 4, 2, 2}, {gib / 20, 9, 3, 3}, {gib / 2, 3, 1, 1},
	}
	for _, tt := range tests {
		c := Assemble(&fakeStats{total: gib, free: tt.free, runq: tt.runq})
		if c.Mem != tt.mem || c.RunQ != tt.rql {
			t.Errorf("Assemble(free %d/%d, runq %d) = mem %d rq %d, want mem %d rq %d",
				tt.free, uint64(gib), tt.runq, c.Mem, c.RunQ, tt.mem, tt.rql)
		}
	}
	s := Assemble(&fakeStats{total: gib, free: gib}).Situation(ConfigSituation{
		Ask: policy.AskReadahead, Pattern: "stride", RequestBytes: 60 << 10, Disk: "usb"})
	require.Equal(t, "readahead io=stride req=64k mem=low disk=usb", s.Signature())
	require.Equal(t, uint8(0b101), s.Devs, "emmc2 and usb present")
}

func TestRulesWithoutModel(t *testing.T) {
	var lines []string
	e, _, _ := newTest(t, nil, Options{ModelNote: "model.bin: bad magic", Logf: func(f string, a ...any) {
		lines = append(lines, fmt.Sprintf(f, a...))
	}})
	require.Equal(t, []string{"ai: model unavailable (model.bin: bad magic): rule policies in charge"}, lines)
	s := Assemble(e.opt.Stats).Situation(gcAsk)
	for i := 0; i < 3; i++ {
		require.Equal(t, policy.Rule(s), e.MakeConfigurationDecision(gcAsk))
	}
	st := e.Snapshot()
	require.False(t, st.Model)
	require.Equal(t, 3, st.Counters.Decisions)
	require.Equal(t, 2, st.Counters.CacheHits)
	require.Zero(t, st.Counters.Queued)
}

func TestCacheThenModelAnswer(t *testing.T) {
	applied := make(chan policy.Action, 1)
	e, _, _ := newTest(t, &fakeModel{cost: time.Millisecond}, Options{
		Apply: func(_ policy.Situation, a policy.Action) { applied <- a }})
	s := Assemble(e.opt.Stats).Situation(gcAsk)
	rule, expert := policy.Rule(s), policy.Expert(s)
	require.NotEqual(t, rule, expert, "test case must make the model change the answer")

	require.Equal(t, rule, e.MakeConfigurationDecision(gcAsk), "first answer comes from the rule")
	select {
	case a := <-applied:
		require.Equal(t, expert, a)
	case <-time.After(5 * time.Second):
		t.Fatal("model answer never applied")
	}
	require.Equal(t, expert, e.MakeConfigurationDecision(gcAsk), "second answer comes from the cache")
	cp, ok := e.Lookup(s.Signature())
	require.True(t, ok)
	require.Equal(t, FromModel, cp.Source)
	log := e.Log()
	require.Len(t, log, 1)
	require.True(t, log[0].Applied)
	require.Equal(t, rule, log[0].Immediate)
	require.Equal(t, expert, log[0].Model)
	require.Equal(t, time.Millisecond, log[0].Compute)
	require.Equal(t, 1, e.Snapshot().Counters.Queued, "a signature the model answered is not queued again")
}

func TestNeverBlocksAndQueueFull(t *testing.T) {
	m := &fakeModel{started: make(chan policy.Situation, 16), release: make(chan struct{})}
	e, _, _ := newTest(t, m, Options{QueueLen: 1})
	asks := []ConfigSituation{
		{Ask: policy.AskGC, HeapBytes: 4 << 20, Task: "batch"},
		{Ask: policy.AskGC, HeapBytes: 32 << 20, Task: "batch"},
		{Ask: policy.AskGC, HeapBytes: 128 << 20, Task: "batch"},
	}
	done := make(chan struct{})
	go func() {
		e.MakeConfigurationDecision(asks[0])
		<-m.started                          // the worker holds request 0 inside the blocked model
		e.MakeConfigurationDecision(asks[1]) // fills the queue
		e.MakeConfigurationDecision(asks[2]) // dropped
		e.MakeConfigurationDecision(asks[1]) // already pending
		for i := 0; i < 100; i++ {
			e.MakeConfigurationDecision(asks[i%3])
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("MakeConfigurationDecision blocked while the model was busy")
	}
	c := e.Snapshot().Counters
	require.Equal(t, 2, c.Queued, "requests 0 and 1")
	require.Equal(t, 1+33, c.Dropped, "request 2, then every later ask for it")
	require.Equal(t, 1+34+33, c.Deduplicated, "asks whose signature is already pending")
	require.Equal(t, 2, e.Snapshot().Queue)
}

func TestLateAnswerIsNotApplied(t *testing.T) {
	m := &fakeModel{started: make(chan policy.Situation, 1), release: make(chan struct{})}
	e, st, _ := newTest(t, m, Options{})
	imm := e.MakeConfigurationDecision(gcAsk)
	s := <-m.started
	st.setFree(gib / 20) // memory pressure jumps from low to crit meanwhile
	m.release <- struct{}{}
	eventually(t, "the late answer", func() bool { return len(e.Log()) == 1 })
	l := e.Log()[0]
	require.False(t, l.Applied)
	require.Equal(t, "stale", l.Why)
	cp, _ := e.Lookup(s.Signature())
	require.Equal(t, FromRule, cp.Source, "a stale answer must not replace the cached policy")
	require.Equal(t, imm, cp.Action)
	require.Equal(t, 1, e.Snapshot().Counters.Stale)
}

func TestModelErrorKeepsRule(t *testing.T) {
	e, _, _ := newTest(t, &fakeModel{err: errors.New("constrain: no token continues")}, Options{})
	imm := e.MakeConfigurationDecision(gcAsk)
	eventually(t, "the failed answer", func() bool { return len(e.Log()) == 1 })
	require.Equal(t, "error", e.Log()[0].Why)
	require.Equal(t, imm, e.MakeConfigurationDecision(gcAsk))
}

// TestBudget runs 40 inferences of 50 ms of virtual time each. With a 10%
// budget, a 100 ms burst and one 50 ms inference of overshoot, they cannot
// finish in under (2 s - 150 ms)/10% = 18.5 s of virtual time.
func TestBudget(t *testing.T) {
	m := &fakeModel{cost: 50 * time.Millisecond}
	e, _, clk := newTest(t, m, Options{QueueLen: 64})
	r := policy.NewRand(1)
	sent := map[string]bool{}
	for len(sent) < 40 {
		cs := ConfigSituation{Ask: policy.AskSched, Task: policy.TaskLevels[r.Intn(4)],
			Burst: time.Duration(r.Intn(100)) * time.Millisecond, Nice: r.Intn(3) - 1,
			HeapBytes: uint64(r.Intn(4)) << 20}
		s := Assemble(e.opt.Stats).Situation(cs)
		if sent[s.Signature()] {
			// vary the run queue by changing nothing: pick another task instead
			cs.Ask = policy.AskReadahead
			cs.Pattern, cs.RequestBytes, cs.Disk = policy.IOLevels[r.Intn(4)], uint64(4<<(2*r.Intn(4)))<<10, policy.DiskLevels[r.Intn(4)]
			s = Assemble(e.opt.Stats).Situation(cs)
		}
		if !sent[s.Signature()] {
			sent[s.Signature()] = true
			e.MakeConfigurationDecision(cs)
		}
	}
	eventually(t, "40 answers", func() bool { return len(e.Log()) == 40 })
	c := e.Snapshot().Counters
	elapsed := clk.Now()
	require.Equal(t, 2*time.Second, c.InferenceTime)
	require.GreaterOrEqual(t, elapsed, 18500*time.Millisecond, "inference ran faster than its 10%% budget allows")
	share := float64(c.InferenceTime) / float64(elapsed)
	if share > 0.10+float64(100*time.Millisecond+50*time.Millisecond)/float64(elapsed) {
		t.Errorf("inference share = %.3f of %v, want at most 10%% plus one burst", share, elapsed)
	}
}

func TestConsole(t *testing.T) {
	e, _, _ := newTest(t, &fakeModel{cost: time.Millisecond}, Options{})
	var buf bytes.Buffer
	require.NoError(t, e.Console(&buf, []string{"log"}))
	require.Equal(t, "ai: no model decisions yet\n", buf.String())
	e.MakeConfigurationDecision(gcAsk)
	eventually(t, "an answer", func() bool { return len(e.Log()) == 1 })
	buf.Reset()
	require.NoError(t, e.Console(&buf, nil))
	require.Contains(t, buf.String(), "ask=gc] now=gc=100 model=gc=400 latency=1ms compute=1ms applied")
	buf.Reset()
	require.NoError(t, e.Console(&buf, []string{"state"}))
	require.Contains(t, buf.String(), "gc heap=4m alloc=high mem=low task=batch")
	require.Error(t, e.Console(&buf, []string{"bogus"}))
	require.True(t, strings.HasPrefix(e.Log()[0].String(), "#1 t=0s [mem=low"))
}

func TestLogRing(t *testing.T) {
	e, _, _ := newTest(t, &fakeModel{}, Options{LogLen: 4, QueueLen: 16})
	for i := 0; i < 6; i++ {
		e.MakeConfigurationDecision(ConfigSituation{Ask: policy.AskSched, Task: policy.TaskLevels[i%4], Nice: i/4 - 1})
		eventually(t, "answer", func() bool { return e.Snapshot().Counters.ModelAnswers == i+1 })
	}
	l := e.Log()
	require.Len(t, l, 4)
	for i, ent := range l {
		require.Equal(t, 3+i, ent.Seq, "log keeps the newest entries, oldest first")
	}
}
