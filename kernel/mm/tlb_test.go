package mm

import (
	"fmt"
	"strings"
	"testing"

	"github.com/burrow-os/burrow/kernel/fdt"
	"github.com/stretchr/testify/require"
)

// eventLog records, in order, descriptor stores and TLB/barrier
// instructions, so tests can check break-before-make sequences.
type eventLog struct {
	on     bool
	events []string
}

func (l *eventLog) add(format string, args ...any) {
	if l.on {
		l.events = append(l.events, fmt.Sprintf(format, args...))
	}
}

// logTLB is the host's TLB: it records each instruction.
type logTLB struct{ log *eventLog }

func (t logTLB) DSBISHST()                         { t.log.add("dsb ishst") }
func (t logTLB) TLBIVAE1IS(asid uint16, va uint64) { t.log.add("tlbi vae1is %d %#x", asid, va) }
func (t logTLB) TLBIVAAE1IS(va uint64)             { t.log.add("tlbi vaae1is %#x", va) }
func (t logTLB) TLBIASIDE1IS(asid uint16)          { t.log.add("tlbi aside1is %d", asid) }
func (t logTLB) DSBISH()                           { t.log.add("dsb ish") }
func (t logTLB) ISB()                              { t.log.add("isb") }

// logMem records 64-bit stores (descriptor writes).
type logMem struct {
	*SliceMem
	log *eventLog
}

func (m logMem) Store64(pa, v uint64) {
	m.log.add("store %#x %#x", pa, v)
	m.SliceMem.Store64(pa, v)
}

// testVM is a VM over size bytes of RAM at 0x40000000 (QEMU virt's RAM base).
type testVM struct {
	*VM
	buddy *Buddy
	mem   *SliceMem
	log   *eventLog
}

func newTestVM(t testing.TB, size uint64) *testVM {
	t.Helper()
	const base = 0x40000000
	mem := NewSliceMem(base, size)
	b, err := NewBuddy([]fdt.Region{{Address: base, Size: size}}, nil)
	require.NoError(t, err)
	log := &eventLog{}
	vm, err := NewVM(logMem{mem, log}, b, logTLB{log})
	require.NoError(t, err)
	return &testVM{vm, b, mem, log}
}

// record runs fn with the event log on and returns what it logged.
func (v *testVM) record(fn func()) []string {
	v.log.on, v.log.events = true, nil
	fn()
	v.log.on = false
	return v.log.events
}

// requireSubsequence checks that want appears in got in order (other events
// may come between).
func requireSubsequence(t *testing.T, got, want []string, msg string) {
	t.Helper()
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	require.Equal(t, len(want), i, "%s: events\n%s\nwant in order\n%s (stuck at %q)",
		msg, strings.Join(got, "\n"), strings.Join(want, "\n"), want[min(i, len(want)-1)])
}
