package policy

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTextAndParse(t *testing.T) {
	s := Situation{Ask: AskGC, Mem: 2, RunQ: 1, IO: 0, Req: 3, Disk: 1, Heap: 2, Alloc: 2, Task: 1, Burst: 0, Prio: 1, Devs: 0b101}
	want := "mem=high rq=light io=seq req=256k disk=usb heap=128m alloc=high task=batch burst=short prio=normal board=raspi4b has=emmc2 has=usb ask=gc"
	require.Equal(t, want, s.Text())
	words := map[string]bool{}
	for _, w := range Words() {
		words[w] = true
	}
	for _, w := range strings.Fields(s.Text()) {
		require.True(t, words[" "+w], "Words() lacks %q", w)
	}
	for a := Ask(0); a < NumAsks; a++ {
		for i, txt := range Actions[a] {
			got, err := ParseAction(a, txt)
			require.NoError(t, err)
			require.Equal(t, Action{a, i}, got, "ParseAction(%v, %q)", a, txt)
			require.True(t, words[" "+txt], "Words() lacks action %q", txt)
		}
	}
	_, err := ParseAction(AskGC, "sched=fifo")
	require.ErrorContains(t, err, "not a valid gc action")
}

// TestSignatureDeterminesExpert checks the contract of the policy cache:
// irrelevant features never change the expert's answer.
func TestSignatureDeterminesExpert(t *testing.T) {
	r := NewRand(5)
	for a := Ask(0); a < NumAsks; a++ {
		for _, base := range Combos(a) {
			s1, s2 := Fill(base, r), Fill(base, r)
			require.True(t, s1.Valid() && s2.Valid(), "Fill(%+v) invalid", base)
			require.Equal(t, s1.Signature(), s2.Signature())
			if Expert(s1) != Expert(s2) {
				t.Fatalf("Expert differs for signature %q: %v vs %v", s1.Signature(), Expert(s1), Expert(s2))
			}
		}
	}
}

func TestExpertByHand(t *testing.T) {
	tests := []struct {
		name string
		s    Situation
		want string
	}{
		// A RAM disk costs almost nothing per I/O: at most a small window.
		{"ram", Situation{Ask: AskReadahead, IO: 0, Req: 0, Mem: 0, Disk: 2}, "readahead=16k"},
		{"ram pressure", Situation{Ask: AskReadahead, IO: 0, Req: 0, Mem: 2, Disk: 2}, "readahead=0"},
		// Random reads never use read-ahead data.
		{"rand", Situation{Ask: AskReadahead, IO: 1, Req: 0, Mem: 0, Disk: 0}, "readahead=0"},
		// Sequential 4k reads from an SD card: latency 800 µs dominates, so a big window.
		{"seq sd", Situation{Ask: AskReadahead, IO: 0, Req: 0, Mem: 0, Disk: 0}, "readahead=256k"},
		// A real-time task with a queue must not wait: fifo.
		{"rt", Situation{Ask: AskSched, Task: 3, Burst: 0, RunQ: 2, Prio: 1}, "sched=fifo"},
		// A low-priority batch job on an overloaded machine yields.
		{"batch", Situation{Ask: AskSched, Task: 1, Burst: 2, RunQ: 3, Prio: 2}, "sched=idle"},
		// A 512 MB heap at critical pressure cannot grow 100%: the smallest target.
		{"gc crit", Situation{Ask: AskGC, Heap: 3, Alloc: 2, Mem: 3, Task: 1}, "gc=25"},
		// Only one controller present.
		{"driver", Situation{Ask: AskDriver, Devs: 0b0010, IO: 0, Req: 0}, "driver=sdhci"},
		// Large sequential reads: the USB 3 disk's bandwidth beats eMMC.
		{"usb seq", Situation{Ask: AskDriver, Devs: 0b0101, IO: 0, Req: 3}, "driver=usb"},
	}
	for _, tt := range tests {
		if got := Expert(tt.s).String(); got != tt.want {
			t.Errorf("Expert(%s) = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestSplitHoldsOutWholeCombos(t *testing.T) {
	sp := NewSplit(1, 0.2)
	train := map[string]bool{}
	for _, s := range sp.Train {
		train[s.Signature()] = true
	}
	for _, s := range sp.Test {
		require.False(t, train[s.Signature()], "held-out combination %q is also in training", s.Signature())
	}
	total := 0
	for a := Ask(0); a < NumAsks; a++ {
		total += len(Combos(a))
	}
	require.Equal(t, total, len(sp.Train)+len(sp.Test))
	require.InDelta(t, 0.2, float64(len(sp.Test))/float64(total), 0.01)
}

func TestRuleIsValidAndImperfect(t *testing.T) {
	sp := NewSplit(1, 0.2)
	b := Evaluate(sp.Train, sp.Test)
	for _, s := range append(sp.Train, sp.Test...) {
		r := Rule(s)
		require.True(t, r.Index >= 0 && r.Index < len(Actions[s.Ask]), "Rule(%v) = %v", s.Signature(), r)
	}
	require.Less(t, b.Rule, 0.9, "rule fallback is meant to be a simple heuristic")
	require.Greater(t, b.Rule, b.Majority, "rule fallback should beat the majority class")
}
