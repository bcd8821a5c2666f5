package debugger

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/burrow-os/burrow/debugger/rsp"
	"github.com/burrow-os/burrow/debugger/rsp/rsptest"
	"github.com/burrow-os/burrow/debugger/sym"
	"github.com/burrow-os/burrow/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from this run")

const (
	fixtureELF       = "testdata/fixture.elf"
	fixtureScript    = "testdata/fixture.script"
	fixtureRSP       = "testdata/fixture-batch.rsp"
	fixtureGolden    = "testdata/fixture-batch.golden"
	fixtureFailures  = 6 // walk/x of an unmapped address, two unknown symbols, kthreads, goroutines
	recordTranscript = "BURROW_RSP_RECORD"
)

func fixtureSyms(t *testing.T) *sym.Table {
	tab, err := sym.Load(fixtureELF)
	require.NoError(t, err)
	return tab
}

func runScript(t *testing.T, s *Session, script string, asJSON bool) (string, int) {
	var out bytes.Buffer
	failed, err := Batch(s, strings.NewReader(script), &out, asJSON)
	require.NoError(t, err)
	return out.String(), failed
}

func readFile(t *testing.T, p string) string {
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	return string(b)
}

// TestQEMUBatchFixture runs the fixture script against QEMU 10 and checks
// the output against the golden file the replay test also uses. With
// BURROW_RSP_RECORD=1 it rewrites the transcript.
func TestQEMUBatchFixture(t *testing.T) {
	testenv.NeedQEMU(t)
	sock := rsptest.StartQEMU(t, fixtureELF)
	c, err := rsp.Dial(sock, 5*time.Second)
	require.NoError(t, err)
	var rec rsp.Recorder
	c.Trace = rec.Trace
	s, err := NewSession(c, fixtureSyms(t))
	require.NoError(t, err)
	out, failed := runScript(t, s, readFile(t, fixtureScript), false)
	checkTrace(t, s)
	c.Close()
	assert.Equal(t, fixtureFailures, failed, "failed commands:\n%s", out)
	if os.Getenv(recordTranscript) == "1" {
		f, err := os.Create(fixtureRSP)
		require.NoError(t, err)
		f.WriteString("# QEMU 10 (virt, -smp 2) running testdata/fixture.elf under testdata/fixture.script\n" +
			"# Rewrite: BURROW_QEMU=1 BURROW_RSP_RECORD=1 go test -run TestQEMUBatchFixture ./debugger\n")
		rec.WriteTo(f)
		require.NoError(t, f.Close())
		require.NoError(t, os.WriteFile(fixtureGolden, []byte(out), 0o644))
		return
	}
	assert.Equal(t, readFile(t, fixtureGolden), out)
}

// checkTrace exports the fixture's event ring as Chrome trace JSON (it runs
// after the script, so the ring has wrapped) and checks the file.
func checkTrace(t *testing.T, s *Session) {
	p := t.TempDir() + "/trace.json"
	r := s.Exec("trace " + p)
	require.True(t, r.OK, r.Error)
	var tr struct {
		TraceEvents []struct {
			Name  string         `json:"name"`
			Phase string         `json:"ph"`
			TS    float64        `json:"ts"`
			TID   int            `json:"tid"`
			Args  map[string]any `json:"args"`
		} `json:"traceEvents"`
	}
	require.NoError(t, json.Unmarshal([]byte(readFile(t, p)), &tr))
	var begins, irqs int
	last := -1.0
	for _, e := range tr.TraceEvents {
		if e.Phase == "M" {
			continue
		}
		assert.GreaterOrEqual(t, e.TS, last, "events are in time order")
		last = e.TS
		switch {
		case e.Phase == "B":
			begins++
		case e.Phase == "i" && e.Name == "TR_IRQ 27":
			irqs++
		}
	}
	assert.Equal(t, 8, begins+irqs, "the ring's eight events: %d switches, %d interrupts", begins, irqs)
	assert.Positive(t, begins)
	assert.Positive(t, irqs)
}

func replaySession(t *testing.T, stub *rsptest.Stub) *Session {
	f, err := os.Open(fixtureRSP)
	require.NoError(t, err)
	defer f.Close()
	stub.T, err = rsp.ParseTranscript(f)
	require.NoError(t, err)
	s, err := NewSession(rsp.New(stub.Start()), fixtureSyms(t))
	require.NoError(t, err)
	return s
}

// TestBatchReplay replays the recorded QEMU conversation: the output must
// match the golden file line for line.
func TestBatchReplay(t *testing.T) {
	stub := &rsptest.Stub{}
	s := replaySession(t, stub)
	out, failed := runScript(t, s, readFile(t, fixtureScript), false)
	checkTrace(t, s)
	s.C.Close()
	require.NoError(t, stub.Err())
	assert.Equal(t, fixtureFailures, failed)
	if *update {
		require.NoError(t, os.WriteFile(fixtureGolden, []byte(out), 0o644))
	}
	assert.Equal(t, readFile(t, fixtureGolden), out)
	for _, want := range []string{
		"break 1 at 0x400800a0: fib (fixture.c:59)",
		"stopped: CPU thread 1 at 0x400800a0 fib (fixture.c:59) [EL1h",
		"magic = 0xb0770deadbeef42",
		"=> PA 0x400800a0 (4 KiB page)",
		"VA 0xffff000040080000 via TTBR1",
		"error: debugger: cannot read 0x800000000",
		`error: sym: unknown symbol "nosuch"`,
		"watch 0x40081150: CPU thread 1",
		"threads have not landed",
		"needs the Go kernel",
		"fixture: entering the fib loop, which never ends", // klog, wrapped
		"head: 15, ev: [{time: 8000, kind: TR_IRQ",         // the trace ring, typed by DWARF
	} {
		assert.Contains(t, out, want)
	}
}

// TestBatchJSON checks the JSON Lines form on the same conversation.
func TestBatchJSON(t *testing.T) {
	stub := &rsptest.Stub{}
	s := replaySession(t, stub)
	out, _ := runScript(t, s, readFile(t, fixtureScript), true)
	checkTrace(t, s)
	s.C.Close()
	require.NoError(t, stub.Err())
	var results []Result
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r), "line %q", sc.Text())
		var res Result
		require.NoError(t, json.Unmarshal(sc.Bytes(), &res))
		res.Data = r["data"]
		results = append(results, res)
	}
	commands := 0
	for _, l := range strings.Split(readFile(t, fixtureScript), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			commands++
		}
	}
	require.Len(t, results, commands, "one object per command")
	bp := results[0].Data.(map[string]any)
	assert.Equal(t, "0x400800a0", bp["addr"], "break: data.addr")
	assert.Equal(t, "break", bp["kind"])
	stop := results[1].Data.(map[string]any)
	assert.Equal(t, "0x400800a0", stop["pc"], "continue: data.pc")
	assert.Equal(t, "fib (fixture.c:59)", stop["where"])
	regs := results[2].Data.(map[string]any)
	assert.Equal(t, "0x40085000", regs["TTBR0_EL1"])
	assert.Contains(t, regs["el"], "EL1h")
	magic := results[4].Data.(map[string]any)
	assert.Equal(t, "0xb0770deadbeef42", magic["value"])
	walk := results[11].Data.(map[string]any)
	assert.Equal(t, "0x400800a0", walk["pa"])
	assert.Len(t, walk["levels"], 4)
	assert.False(t, results[13].OK, "walk of an unmapped VA fails")
	assert.Equal(t, false, results[13].Data.(map[string]any)["mapped"])
	level3 := walk["levels"].([]any)[3].(map[string]any)
	assert.Equal(t, "0x40082400", level3["desc_addr"])
	assert.Equal(t, "page", level3["kind"])
}

// TestBatchDroppedConnection: the stub vanishes mid-script; the script
// stops with a clear error instead of hanging.
func TestBatchDroppedConnection(t *testing.T) {
	stub := &rsptest.Stub{DropAfter: 40}
	s := replaySession(t, stub)
	s.C.Timeout = 2 * time.Second
	var out bytes.Buffer
	_, err := Batch(s, strings.NewReader(readFile(t, fixtureScript)), &out, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "connection to the target lost")
	s.C.Close()
}

func TestAttachErrors(t *testing.T) {
	_, err := Attach("127.0.0.1:1", []string{fixtureELF}, time.Second)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cannot reach the GDB stub at 127.0.0.1:1")

	// Something that is not a GDB stub: it accepts and says nothing.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		if c, err := ln.Accept(); err == nil {
			defer c.Close()
			io.Copy(io.Discard, c)
		}
	}()
	_, err = Attach(ln.Addr().String(), []string{fixtureELF}, 300*time.Millisecond)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "did not answer as a GDB stub")

	bad := t.TempDir() + "/bad.elf"
	require.NoError(t, os.WriteFile(bad, []byte("not an elf"), 0o644))
	_, err = Attach("127.0.0.1:1", []string{bad}, time.Second)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is not a usable ELF file")
}

func TestExecUnknown(t *testing.T) {
	s := &Session{Syms: &sym.Table{}}
	r := s.Exec("frobnicate 1")
	assert.False(t, r.OK)
	assert.Contains(t, r.Error, `unknown command "frobnicate"`)
	r = s.Exec("help")
	assert.True(t, r.OK)
	assert.Contains(t, r.Text, "walk")
	r = s.Exec("break")
	assert.Equal(t, "usage: break EXPR", r.Error)
}
