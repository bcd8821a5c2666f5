package rsp_test

import (
	"debug/elf"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/burrow-os/burrow/debugger/rsp"
	"github.com/burrow-os/burrow/debugger/rsp/rsptest"
	"github.com/burrow-os/burrow/internal/testenv"
)

const fixtureELF = "../testdata/fixture.elf"
const transcriptFile = "testdata/qemu10-virt-fixture.rsp"

// fixture holds the addresses of the test program's symbols.
type fixture struct {
	entry, fib, magic, counter, l0, l1 uint64
	text                               []byte
}

func loadFixture(t *testing.T) fixture {
	f, err := elf.Open(fixtureELF)
	require.NoError(t, err)
	defer f.Close()
	syms, err := f.Symbols()
	require.NoError(t, err)
	addr := map[string]uint64{}
	for _, s := range syms {
		addr[s.Name] = s.Value
	}
	text, err := f.Section(".text").Data()
	require.NoError(t, err)
	return fixture{entry: f.Entry, fib: addr["fib"], magic: addr["magic"], counter: addr["counter"],
		l0: addr["l0"], l1: addr["l1"], text: text}
}

// session drives one debugging session through c. It runs against real
// QEMU (and records the transcript) and against the fake stub replaying
// that transcript, so both must give the same answers.
func session(t *testing.T, c *rsp.Client, fx fixture) {
	require.NoError(t, c.Handshake())
	assert.Equal(t, "1000", c.Supported["PacketSize"], "qSupported PacketSize")
	assert.Equal(t, "+", c.Supported["qXfer:features:read"])

	tg, err := c.Target()
	require.NoError(t, err)
	assert.Equal(t, "aarch64", tg.Arch)
	assert.Greater(t, len(tg.Registers), 100, "QEMU publishes core, FP and system registers")
	for _, name := range []string{"x0", "sp", "pc", "cpsr", "SCTLR_EL1", "TTBR0_EL1", "TTBR1_EL1", "ESR_EL1", "VBAR_EL1"} {
		_, ok := tg.Lookup(name)
		assert.True(t, ok, "Lookup(%s) = missing, want a register", name)
	}
	pcReg, _ := tg.Lookup("pc")
	assert.Equal(t, 32, pcReg.Num)
	assert.True(t, pcReg.InG)

	stop, err := c.Halted()
	require.NoError(t, err)
	assert.Equal(t, 5, stop.Signal)
	assert.Equal(t, "01", stop.Thread)

	threads, err := c.Threads()
	require.NoError(t, err)
	require.Len(t, threads, 2, "one thread per CPU (-smp 2)")
	assert.Contains(t, threads[0].Info, "CPU#0")

	require.NoError(t, c.SelectThread("1"))
	regs, err := c.ReadCore()
	require.NoError(t, err)
	assert.Equal(t, fx.entry, regs["pc"].Uint64(), "pc at reset")

	// 0x1000 bytes take two m packets.
	mem, err := c.ReadMemory(fx.entry, 0x1000)
	require.NoError(t, err)
	require.Len(t, mem, 0x1000)
	assert.Equal(t, fx.text, mem[:len(fx.text)], "memory at _start = .text of the ELF")

	require.NoError(t, c.Insert(rsp.SoftwareBreak, fx.fib, 4))
	require.NoError(t, c.Continue())
	stop, err = c.Wait()
	require.NoError(t, err)
	assert.Equal(t, 5, stop.Signal, "breakpoint stop signal")
	require.NoError(t, c.SelectThread("1"))
	regs, err = c.ReadCore()
	require.NoError(t, err)
	assert.Equal(t, fx.fib, regs["pc"].Uint64(), "pc at the breakpoint")
	require.NoError(t, c.Remove(rsp.SoftwareBreak, fx.fib, 4))

	sctlr, err := c.ReadRegister("SCTLR_EL1")
	require.NoError(t, err)
	assert.Equal(t, uint64(1), sctlr.Uint64()&1, "SCTLR_EL1.M: the MMU is on")
	ttbr0, err := c.ReadRegister("TTBR0_EL1")
	require.NoError(t, err)
	assert.Equal(t, fx.l0, ttbr0.Uint64())

	magic, err := c.ReadMemory(fx.magic, 8)
	require.NoError(t, err)
	assert.Equal(t, uint64(0x0B0770DEADBEEF42), binary.LittleEndian.Uint64(magic))

	stop, err = c.Step("1")
	require.NoError(t, err)
	assert.Equal(t, 5, stop.Signal)
	regs, err = c.ReadCore()
	require.NoError(t, err)
	assert.Equal(t, fx.fib+4, regs["pc"].Uint64(), "pc after one step")

	require.NoError(t, c.Insert(rsp.HardwareBreak, fx.fib, 4))
	require.NoError(t, c.Remove(rsp.HardwareBreak, fx.fib, 4))

	require.NoError(t, c.Insert(rsp.WriteWatch, fx.counter, 8))
	require.NoError(t, c.Continue())
	stop, err = c.Wait()
	require.NoError(t, err)
	assert.Equal(t, "watch", stop.Reason)
	assert.Equal(t, fx.counter, stop.Addr)
	require.NoError(t, c.Remove(rsp.WriteWatch, fx.counter, 8))

	// The loop reads counter too: a read watchpoint and an access
	// watchpoint fire on it.
	for _, k := range []rsp.BreakKind{rsp.ReadWatch, rsp.AccessWatch} {
		require.NoError(t, c.Insert(k, fx.counter, 8))
		require.NoError(t, c.Continue())
		stop, err = c.Wait()
		require.NoError(t, err)
		assert.Equal(t, map[rsp.BreakKind]string{rsp.ReadWatch: "rwatch", rsp.AccessWatch: "awatch"}[k], stop.Reason, "stop reason for %s", k)
		assert.Equal(t, fx.counter, stop.Addr, "%s address", k)
		require.NoError(t, c.Remove(k, fx.counter, 8))
	}

	require.NoError(t, c.SelectThread("1"))
	require.NoError(t, c.WriteRegister("x0", 0x1234))
	x0, err := c.ReadRegister("x0")
	require.NoError(t, err)
	assert.Equal(t, uint64(0x1234), x0.Uint64())

	require.NoError(t, c.WriteMemory(fx.counter, []byte{1, 2, 3, 4, 5, 6, 7, 8}))
	got, err := c.ReadMemory(fx.counter, 8)
	require.NoError(t, err)
	assert.Equal(t, []byte{1, 2, 3, 4, 5, 6, 7, 8}, got)

	desc, err := c.ReadPhysical(fx.l0, 8)
	require.NoError(t, err)
	assert.Equal(t, fx.l1|3, binary.LittleEndian.Uint64(desc), "l0[0] read physically")

	_, err = c.ReadMemory(0x800000000, 8)
	var se *rsp.StubError
	assert.True(t, errors.As(err, &se), "reading unmapped memory: err = %v, want a StubError", err)

	out, err := c.Monitor("info status")
	require.NoError(t, err)
	assert.Contains(t, out, "VM status")

	require.NoError(t, c.Continue())
	time.Sleep(50 * time.Millisecond)
	require.NoError(t, c.Interrupt())
	stop, err = c.Wait()
	require.NoError(t, err)
	assert.Equal(t, 2, stop.Signal, "stop after an interrupt")
}

// TestQEMUSession runs the session against QEMU 10. With
// BURROW_RSP_RECORD=1 it rewrites the transcript the host tests replay.
func TestQEMUSession(t *testing.T) {
	testenv.NeedQEMU(t)
	fx := loadFixture(t)
	sock := rsptest.StartQEMU(t, fixtureELF)
	c, err := rsp.Dial(sock, 5*time.Second)
	require.NoError(t, err)
	defer c.Close()
	var rec rsp.Recorder
	c.Trace = rec.Trace
	session(t, c, fx)
	if os.Getenv("BURROW_RSP_RECORD") == "1" && !t.Failed() {
		f, err := os.Create(transcriptFile)
		require.NoError(t, err)
		f.WriteString("# Recorded from QEMU 10 (virt, cortex-a72, -smp 2) running ../testdata/fixture.elf\n" +
			"# by BURROW_QEMU=1 BURROW_RSP_RECORD=1 go test -run TestQEMUSession ./debugger/rsp\n")
		_, err = rec.WriteTo(f)
		require.NoError(t, err)
		require.NoError(t, f.Close())
	}
}

func loadTranscript(t *testing.T) rsp.Transcript {
	f, err := os.Open(transcriptFile)
	require.NoError(t, err)
	defer f.Close()
	tr, err := rsp.ParseTranscript(f)
	require.NoError(t, err)
	return tr
}

// TestReplaySession replays the recorded QEMU conversation, plain, with
// run-length encoded replies and with every reply first sent corrupt.
func TestReplaySession(t *testing.T) {
	fx := loadFixture(t)
	for _, tc := range []struct {
		name         string
		rle, corrupt bool
	}{
		{"plain", false, false},
		{"rle", true, false},
		{"corrupt", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stub := &rsptest.Stub{T: loadTranscript(t), RLE: tc.rle, CorruptFirst: tc.corrupt}
			c := rsp.New(stub.Start())
			session(t, c, fx)
			c.Close()
			assert.NoError(t, stub.Err())
		})
	}
}

// TestDroppedConnection checks that a stub vanishing mid-session gives
// ErrDisconnected, not a hang or a panic.
func TestDroppedConnection(t *testing.T) {
	stub := &rsptest.Stub{T: loadTranscript(t), DropAfter: 3}
	c := rsp.New(stub.Start())
	c.Timeout = 2 * time.Second
	defer c.Close()
	var err error
	for i := 0; i < 5 && err == nil; i++ {
		_, err = c.Exchange("qSupported:swbreak+;hwbreak+;vContSupported+;xmlRegisters=aarch64")
	}
	require.Error(t, err)
	assert.True(t, errors.Is(err, rsp.ErrDisconnected), "err = %v, want ErrDisconnected", err)
	assert.True(t, strings.Contains(err.Error(), "connection"), "message %q names the connection", err)
}

// TestNoVCont: a stub without vCont (older OpenOCD) is resumed with c, and
// stepped with Hc and s.
func TestNoVCont(t *testing.T) {
	stub := &rsptest.Stub{T: rsp.Transcript{
		{Dir: '>', Payload: "qSupported:swbreak+;hwbreak+;vContSupported+;xmlRegisters=aarch64"},
		{Dir: '<', Payload: "PacketSize=4000;qXfer:features:read+"},
		{Dir: '>', Payload: "vCont?"},
		{Dir: '<', Payload: ""},
		{Dir: '>', Payload: "c"},
		{Dir: '<', Payload: "T05thread:01;"},
		{Dir: '>', Payload: "Hc1"},
		{Dir: '<', Payload: "OK"},
		{Dir: '>', Payload: "s"},
		{Dir: '<', Payload: "S05"},
	}}
	c := rsp.New(stub.Start())
	require.NoError(t, c.Handshake())
	require.NoError(t, c.Continue())
	st, err := c.Wait()
	require.NoError(t, err)
	assert.Equal(t, "01", st.Thread)
	st, err = c.Step("1")
	require.NoError(t, err)
	assert.Equal(t, 5, st.Signal)
	c.Close()
	assert.NoError(t, stub.Err())
}
