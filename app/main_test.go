package app

import (
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/burrow-os/burrow/kernel/abi/burrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeApp records the framework's calls in order.
type fakeApp struct {
	req                    ResourceRequirements
	initErr, runErr, shErr error
	blockRun               bool // Run waits for the context to be cancelled
	top                    int
	ctx                    *AppContext

	mu    sync.Mutex // Run may still run when Shutdown is called
	calls []string
}

func (f *fakeApp) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
}

func (f *fakeApp) GetResourceRequirements() ResourceRequirements {
	f.record("requirements")
	return f.req
}
func (f *fakeApp) Initialize(c *AppContext) error {
	f.record("initialize")
	f.ctx = c
	return f.initErr
}
func (f *fakeApp) Run() error {
	f.record("run")
	if f.blockRun {
		<-f.ctx.Context.Done()
	}
	return f.runErr
}
func (f *fakeApp) Shutdown() error        { f.record("shutdown"); return f.shErr }
func (f *fakeApp) Flags(fs *flag.FlagSet) { fs.IntVar(&f.top, "top", 10, "how many") }

// linuxPrctl answers as Linux does: EINVAL for options it does not know.
func linuxPrctl(int, []byte) (uintptr, error) { return 0, syscall.EINVAL }

// burrowPrctl answers as Burrow would with free bytes free and cpus CPUs
// online, refusing as kernel/proc/sys_app.go does for memory and CPUs.
func burrowPrctl(free uint64, cpus uint32) prctlFunc {
	return func(option int, buf []byte) (uintptr, error) {
		switch option {
		case burrow.PR_BURROW_VERSION:
			return burrow.APP_ABI_VERSION, nil
		case burrow.PR_BURROW_ADMIT:
			var req burrow.AppRequest
			if _, err := binary.Decode(buf, binary.LittleEndian, &req); err != nil {
				return 0, syscall.EFAULT
			}
			req.FreeMemory, req.OnlineCPUs, req.Committed = free, cpus, 10<<20
			binary.Encode(buf, binary.LittleEndian, &req)
			switch {
			case req.CPUs > cpus:
				return 0, syscall.EINVAL
			case req.Memory > free:
				return 0, syscall.ENOMEM
			}
			return 0, nil
		}
		return 0, syscall.EINVAL
	}
}

func newRunner(prctl prctlFunc, signals chan os.Signal, args ...string) (*runner, *strings.Builder) {
	var stderr strings.Builder
	env := map[string]string{"FAKE_TOP": "7"}
	return &runner{args: append([]string{"/apps/fake"}, args...), getenv: func(k string) string { return env[k] },
		prctl: prctl, signals: signals, stderr: &stderr, grace: time.Second}, &stderr
}

var enough = ResourceRequirements{Memory: 64 << 20, CPUs: 1, CPUShare: 50}

// TestLifecycle: the calls Main makes, and the status and message it ends
// with, for each way an application's life can go.
func TestLifecycle(t *testing.T) {
	boom := errors.New("boom")
	cases := []struct {
		name       string
		app        *fakeApp
		prctl      prctlFunc
		args       []string
		wantCalls  string
		wantStatus int
		wantSay    string
	}{
		{"admitted", &fakeApp{req: enough}, burrowPrctl(1<<30, 1), nil,
			"requirements initialize run shutdown", 0, "fake: admitted by Burrow: 64 MiB of memory, 1 CPU, 50% share"},
		{"on Linux", &fakeApp{req: enough}, linuxPrctl, nil,
			"requirements initialize run shutdown", 0, "fake: not running on Burrow: running unadmitted"},
		{"on Linux, admission required", &fakeApp{req: enough}, linuxPrctl, []string{"-require-admission"},
			"requirements", ExitRefused, "-require-admission is set"},
		{"refused for memory", &fakeApp{req: ResourceRequirements{Memory: 4 << 30}}, burrowPrctl(900<<20, 1), nil,
			"requirements", ExitRefused, "fake: refused by Burrow: needs 4 GiB of memory, 900 MiB free (ENOMEM)"},
		{"refused for CPUs", &fakeApp{req: ResourceRequirements{Memory: 64 << 20, CPUs: 4}}, burrowPrctl(1<<30, 1), nil,
			"requirements", ExitRefused, "needs 4 CPUs, 1 online (EINVAL)"},
		{"invalid requirements", &fakeApp{req: ResourceRequirements{Memory: 1 << 20}}, burrowPrctl(1<<30, 1), nil,
			"requirements", ExitSoftware, "memory 1 MiB is less than the 64 MiB a Go program needs"},
		{"initialize fails", &fakeApp{req: enough, initErr: boom}, linuxPrctl, nil,
			"requirements initialize shutdown", ExitFailure, "fake: initialize: boom"},
		{"run fails", &fakeApp{req: enough, runErr: boom}, linuxPrctl, nil,
			"requirements initialize run shutdown", ExitFailure, "fake: run: boom"},
		{"shutdown fails", &fakeApp{req: enough, shErr: boom}, linuxPrctl, nil,
			"requirements initialize run shutdown", ExitFailure, "fake: shutdown: boom"},
		{"bad flag", &fakeApp{req: enough}, linuxPrctl, []string{"-nosuch"},
			"", ExitUsage, "flag provided but not defined: -nosuch"},
	}
	for _, c := range cases {
		r, stderr := newRunner(c.prctl, nil, c.args...)
		status := r.run(c.app)
		assert.Equal(t, c.wantStatus, status, "%s: status", c.name)
		assert.Equal(t, c.wantCalls, strings.Join(c.app.calls, " "), "%s: calls", c.name)
		assert.Contains(t, stderr.String(), c.wantSay, "%s: message", c.name)
	}
}

// TestShutdownOnSignal: SIGTERM cancels the context, Run returns, Shutdown
// runs, and the status is 128+15; a Run that ignores the context still gets
// Shutdown after the grace period.
func TestShutdownOnSignal(t *testing.T) {
	gate := make(chan struct{}) // never closed while the test runs
	defer close(gate)
	listening := &fakeApp{req: enough, blockRun: true}
	deaf := &fakeApp{req: enough}
	cases := []struct {
		name    string
		fake    *fakeApp
		app     Application
		wantSay string
	}{
		{"Run watches the context", listening, listening, ""},
		{"Run ignores the context", deaf, &deafApp{deaf, gate}, "run did not return terminated after 50ms; shutting down anyway"},
	}
	for _, c := range cases {
		signals := make(chan os.Signal, 1)
		signals <- syscall.SIGTERM
		r, stderr := newRunner(linuxPrctl, signals)
		r.grace = 50 * time.Millisecond
		assert.Equal(t, 128+15, r.run(c.app), "%s: status after SIGTERM", c.name)
		assert.Equal(t, "requirements initialize run shutdown", strings.Join(c.fake.calls, " "), "%s: calls", c.name)
		assert.ErrorIs(t, c.fake.ctx.Context.Err(), context.Canceled, "%s: context cancelled", c.name)
		assert.Contains(t, stderr.String(), c.wantSay, "%s: message", c.name)
	}
}

// deafApp's Run waits on gate, whatever the context says.
type deafApp struct {
	*fakeApp
	gate chan struct{}
}

func (d *deafApp) Run() error {
	d.record("run")
	<-d.gate
	return nil
}

// TestConfig: flags from the environment, the command line winning, and
// the arguments left over.
func TestConfig(t *testing.T) {
	app := &fakeApp{req: enough}
	r, _ := newRunner(linuxPrctl, nil, "a.txt", "b.txt")
	require.Equal(t, 0, r.run(app))
	assert.Equal(t, 7, app.top, "FAKE_TOP=7 sets -top")
	assert.Equal(t, []string{"a.txt", "b.txt"}, app.ctx.Config.Args)
	assert.Equal(t, "fake", app.ctx.Config.Name)

	app = &fakeApp{req: enough}
	r, _ = newRunner(linuxPrctl, nil, "-top", "3")
	require.Equal(t, 0, r.run(app))
	assert.Equal(t, 3, app.top, "-top 3 wins over FAKE_TOP=7")
}

// TestAdmitOnThisKernel asks the kernel the tests run on. Linux does not
// know PR_BURROW_VERSION, so the program runs unadmitted.
func TestAdmitOnThisKernel(t *testing.T) {
	if _, err := sysPrctl(burrow.PR_BURROW_VERSION, nil); err == nil {
		t.Skip("the host kernel is Burrow")
	}
	a, err := admit(sysPrctl, "test", enough)
	require.NoError(t, err)
	assert.Equal(t, Admission{}, a, "on Linux: not on Burrow, not admitted")
}
