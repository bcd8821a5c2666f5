package app

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKernelAPI reads a fixed /proc tree (testdata/proc, in the formats
// Burrow's procfs writes).
func TestKernelAPI(t *testing.T) {
	k := &KernelAPI{Proc: "testdata/proc"}
	up, err := k.Uptime()
	require.NoError(t, err)
	assert.Equal(t, 123450*time.Millisecond, up)

	m, err := k.Memory()
	require.NoError(t, err)
	assert.Equal(t, MemInfo{Total: 960 << 20, Free: 832 << 20, Available: 832 << 20}, m)

	ps, err := k.Processes()
	require.NoError(t, err)
	page := uint64(os.Getpagesize())
	assert.Equal(t, []ProcessInfo{
		{PID: 1, PPID: 0, Name: "init", State: "S", Threads: 3, VSize: 11534336, RSS: 300 * page},
		{PID: 42, PPID: 1, Name: "word (freq) x", State: "R", Threads: 5, VSize: 83886080, RSS: 1024 * page},
	}, ps, "the self directory is not a process; a name may hold parentheses")
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{"", "12 no parens R 1", "x (a) R 1 2 3", "7 (a) R 1 2"} {
		if _, err := parseStat(in); err == nil {
			t.Errorf("parseStat(%q) = nil error, want an error", in)
		}
	}
	for _, in := range []string{"", "MemTotal: 10 kB\n", "MemTotal: x kB\nMemFree: 1 kB\n", "MemTotal:\nMemFree: 1 kB\n"} {
		if _, err := parseMeminfo(strings.NewReader(in)); err == nil {
			t.Errorf("parseMeminfo(%q) = nil error, want an error", in)
		}
	}
	for _, in := range []string{"", "abc 0.00"} {
		if _, err := parseUptime(in); err == nil {
			t.Errorf("parseUptime(%q) = nil error, want an error", in)
		}
	}
}

// TestSleep: Sleep returns after its duration, or early with the context's
// error when the context is cancelled.
func TestSleep(t *testing.T) {
	k := &KernelAPI{}
	assert.NoError(t, k.Sleep(context.Background(), time.Millisecond))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	assert.ErrorIs(t, k.Sleep(ctx, time.Hour), context.Canceled)
	assert.Less(t, time.Since(start), time.Minute, "a cancelled Sleep returns at once")
}

// TestAIServices: the views come back whole whatever their length, and an
// interface that cannot reach the AI layer says why.
func TestAIServices(t *testing.T) {
	long := strings.Repeat("decision\n", 1000) // longer than the first buffer
	views := map[uintptr]string{0: "a\nb\n", 1: long}
	s := &AIServiceInterface{available: true, read: func(option int, which uintptr, buf []byte) (uintptr, error) {
		copy(buf, views[which]) // as the kernel does: the start, and the full length
		return uintptr(len(views[which])), nil
	}}
	log, err := s.DecisionLog()
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, log)
	state, err := s.State()
	require.NoError(t, err)
	assert.Equal(t, long, state, "a view longer than 4 KiB is read whole")

	for _, c := range []struct {
		adm  Admission
		want string
	}{
		{Admission{}, "not running on Burrow"},
		{Admission{OnBurrow: true}, "not admitted"},
		{Admission{OnBurrow: true, Admitted: true}, "AI layer is not running"},
	} {
		s := newAIServices(c.adm)
		ok, why := s.Available()
		assert.False(t, ok, "newAIServices(%+v).Available()", c.adm)
		assert.Contains(t, why, c.want)
		_, err := s.DecisionLog()
		assert.ErrorIs(t, err, ErrNoAI)
	}
}
