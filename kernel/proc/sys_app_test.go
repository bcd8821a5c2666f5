package proc

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/burrow-os/burrow/kernel/abi/burrow"
	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/fdt"
	"github.com/burrow-os/burrow/kernel/mm"
	"github.com/burrow-os/burrow/kernel/vfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// noTLB is a TLB for host tests: there is no hardware to tell.
type noTLB struct{}

func (noTLB) DSBISHST()                 {}
func (noTLB) TLBIVAE1IS(uint16, uint64) {}
func (noTLB) TLBIVAAE1IS(uint64)        {}
func (noTLB) TLBIASIDE1IS(uint16)       {}
func (noTLB) DSBISH()                   {}
func (noTLB) ISB()                      {}

// reqVA is where the tests put a request in the process's memory.
const reqVA = 0x10000

// appWorld is a process layer on 16 MiB of host memory, with one process
// that has a page mapped at reqVA, and the kernel's log.
type appWorld struct {
	k   *Kernel
	t   *Thread
	log *strings.Builder
}

func newAppWorld(t *testing.T, free uint64) *appWorld {
	t.Helper()
	const base, ram = 0x40000000, 16 << 20
	buddy, err := mm.NewBuddy([]fdt.Region{{Address: base, Size: ram}}, nil)
	require.NoError(t, err)
	vm, err := mm.NewVM(mm.NewSliceMem(base, ram), buddy, noTLB{})
	require.NoError(t, err)
	log := &strings.Builder{}
	k := New(Config{VM: vm, Log: func(f string, a ...any) { fmt.Fprintf(log, f+"\n", a...) },
		Memory: func() (uint64, uint64) { return 1 << 30, free }})
	us, err := vm.NewUserSpace()
	require.NoError(t, err)
	p := &Process{k: k, PID: 7, mem: us, fds: newFDTable(), args: []string{"/apps/wordfreq-with-a-long-name"}}
	require.NoError(t, p.mapRange(reqVA, pageSize, linux.PROT_READ|linux.PROT_WRITE, false))
	p.brkBase, p.brk = 0x200000, 0x200000
	t.Cleanup(func() { admissions.Delete(p) })
	return &appWorld{k: k, t: &Thread{TID: 7, p: p}, log: log}
}

// withServices sets the CPUs and AI layer admission sees for one test.
func withServices(t *testing.T, cpus int, ai func(io.Writer, string) error) {
	old := appServices
	SetAppServices(AppServices{CPUs: func() int { return cpus }, AI: ai})
	t.Cleanup(func() { appServices = old })
}

// admit writes req at reqVA, calls prctl(PR_BURROW_ADMIT) and returns the
// error and the request as the kernel left it.
func (w *appWorld) admit(t *testing.T, req burrow.AppRequest) (error, burrow.AppRequest) {
	t.Helper()
	b, err := binary.Append(nil, binary.LittleEndian, &req)
	require.NoError(t, err)
	require.NoError(t, w.t.p.mem.CopyOut(reqVA, b))
	_, err = sysPrctl(w.t, args{burrow.PR_BURROW_ADMIT, reqVA})
	require.NoError(t, w.t.p.mem.CopyIn(b, reqVA))
	var out burrow.AppRequest
	_, derr := binary.Decode(b, binary.LittleEndian, &out)
	require.NoError(t, derr)
	return err, out
}

func request(memory uint64, cpus, share uint32, flags uint32) burrow.AppRequest {
	r := burrow.AppRequest{Size: burrow.SizeofAppRequest, Flags: flags, Memory: memory, CPUs: cpus, CPUShare: share}
	copy(r.Name[:], "wordfreq")
	return r
}

func aiViews(w io.Writer, view string) error {
	_, err := fmt.Fprintf(w, "the %s view\n", view)
	return err
}

// TestAdmit: each request against 64 MiB free and 2 CPUs, with and without
// an AI layer.
func TestAdmit(t *testing.T) {
	const free = 64 << 20
	bad := request(1<<20, 1, 10, 0)
	bad.Size = 32
	cases := []struct {
		name   string
		req    burrow.AppRequest
		ai     bool
		want   error
		reason string // in the kernel's log line
	}{
		{"fits", request(32<<20, 1, 50, 0), false, nil, "admitted: memory 32 MiB (4 KiB mapped now), 1 CPU, 50% share"},
		{"all the free memory", request(free, 2, 200, 0), false, nil, "admitted"},
		{"with AI", request(8<<20, 1, 5, burrow.APP_AI), true, nil, "AI services"},
		{"too much memory", request(1<<40, 1, 10, 0), false, linux.ENOMEM, "refused: needs 1024.0 GiB of memory, 64 MiB free"},
		{"less than it has mapped", request(2<<10, 1, 10, 0), false, linux.ENOMEM, "already has 4 KiB mapped"},
		{"too many CPUs", request(1<<20, 3, 10, 0), false, linux.EINVAL, "needs 3 CPUs, 2 online"},
		{"share beyond its CPUs", request(1<<20, 1, 150, 0), false, linux.EINVAL, "CPU share 150%"},
		{"no AI layer", request(1<<20, 1, 10, burrow.APP_AI), false, linux.EINVAL, "AI layer is not running"},
		{"unknown flag", request(1<<20, 1, 10, 1<<7), false, linux.EINVAL, "unknown flags 0x80"},
		{"no memory", request(0, 1, 10, 0), false, linux.EINVAL, "no memory"},
		{"old layout", bad, false, linux.EINVAL, "request size 32, want 64"},
	}
	for _, c := range cases {
		w := newAppWorld(t, free)
		var ai func(io.Writer, string) error
		if c.ai {
			ai = aiViews
		}
		withServices(t, 2, ai)
		err, out := w.admit(t, c.req)
		assert.Equal(t, c.want, err, "%s: prctl(PR_BURROW_ADMIT) = %v, want %v", c.name, err, c.want)
		assert.Contains(t, w.log.String(), c.reason, "%s: the log says why", c.name)
		assert.Equal(t, c.want == nil, admissionOf(w.t.p) != nil, "%s: recorded", c.name)
		assert.Equal(t, uint64(free), out.FreeMemory, "%s: FreeMemory", c.name)
		assert.Equal(t, uint32(2), out.OnlineCPUs, "%s: OnlineCPUs", c.name)
		assert.Equal(t, uint64(pageSize), out.Committed, "%s: Committed", c.name)
		assert.Equal(t, c.ai, out.KernelFlags&burrow.APP_AI != 0, "%s: KernelFlags", c.name)
	}
}

// TestAdmitName: the name is cut at its first NUL and made printable; with
// none, the program's own name stands in.
func TestAdmitName(t *testing.T) {
	cases := []struct{ name, want string }{
		{"wordfreq", "wordfreq"},
		{"ab\x00junk", "ab"},
		{"bell\a\x1b[2J", "bell??[2J"},
		{"", "wordfreq-with-a"},
	}
	for _, c := range cases {
		w := newAppWorld(t, 1<<30)
		withServices(t, 1, nil)
		req := request(1<<20, 1, 10, 0)
		req.Name = [16]byte{}
		copy(req.Name[:], c.name)
		err, _ := w.admit(t, req)
		require.NoError(t, err)
		assert.Equal(t, c.want, admissionOf(w.t.p).name, "admitted with name %q", c.name)
	}
}

// TestAdmitBadPointer: a request the process cannot read is EFAULT, and
// nothing is recorded.
func TestAdmitBadPointer(t *testing.T) {
	w := newAppWorld(t, 1<<30)
	_, err := sysPrctl(w.t, args{burrow.PR_BURROW_ADMIT, 0xdead0000})
	assert.Equal(t, linux.EFAULT, errnoOf(err), "prctl(PR_BURROW_ADMIT, unmapped) = %v, want EFAULT", err)
	assert.Nil(t, admissionOf(w.t.p))
}

// TestMemoryLimit: once admitted with 1 MiB, calls that would map more
// fail with ENOMEM, and calls that map nothing new still work.
func TestMemoryLimit(t *testing.T) {
	w := newAppWorld(t, 1<<30)
	withServices(t, 1, nil)
	mmap := Table[dispatchIndex(t, "mmap")].Handler
	brk := Table[dispatchIndex(t, "brk")].Handler
	mprotect := Table[dispatchIndex(t, "mprotect")].Handler
	anon := uint64(linux.MAP_PRIVATE | linux.MAP_ANONYMOUS)
	rw := uint64(linux.PROT_READ | linux.PROT_WRITE)

	// Before admission there is no limit.
	big, err := mmap(w.t, args{0, 4 << 20, rw, anon})
	require.NoError(t, err, "mmap of 4 MiB unadmitted")
	_, err = sysMunmap(w.t, args{big, 4 << 20})
	require.NoError(t, err)

	err, _ = w.admit(t, request(1<<20, 1, 10, 0))
	require.NoError(t, err)
	steps := []struct {
		name string
		call func() (uint64, error)
		want error
	}{
		{"mmap 512 KiB", func() (uint64, error) { return mmap(w.t, args{0, 512 << 10, rw, anon}) }, nil},
		{"mmap 1 MiB more", func() (uint64, error) { return mmap(w.t, args{0, 1 << 20, rw, anon}) }, linux.ENOMEM},
		{"reserve 64 MiB PROT_NONE", func() (uint64, error) { return mmap(w.t, args{0x4000000, 64 << 20, 0, anon | linux.MAP_FIXED}) }, nil},
		{"map 256 KiB of the reservation", func() (uint64, error) { return mprotect(w.t, args{0x4000000, 256 << 10, rw}) }, nil},
		{"map 1 MiB of the reservation", func() (uint64, error) { return mprotect(w.t, args{0x4100000, 1 << 20, rw}) }, linux.ENOMEM},
		{"MAP_FIXED over mapped pages", func() (uint64, error) {
			return mmap(w.t, args{0x4000000, 256 << 10, rw, anon | linux.MAP_FIXED})
		}, nil},
		{"brk up 256 KiB answers the old break", func() (uint64, error) {
			if got, err := brk(w.t, args{0x200000 + 256<<10}); got != 0x200000 || err != nil {
				return got, fmt.Errorf("brk = %#x, %v", got, err)
			}
			return 0, nil
		}, nil},
		{"mmap 200 KiB (what is left)", func() (uint64, error) { return mmap(w.t, args{0, 200 << 10, rw, anon}) }, nil},
	}
	for _, s := range steps {
		_, err := s.call()
		assert.Equal(t, s.want, err, "%s = %v, want %v", s.name, err, s.want)
	}
	w.t.p.mu.Lock()
	mapped := w.t.p.committed()
	w.t.p.mu.Unlock()
	assert.LessOrEqual(t, mapped, uint64(1<<20), "mapped memory stays within the limit")
	assert.Equal(t, 3, admissionOf(w.t.p).refusals)
	assert.Equal(t, 1, strings.Count(w.log.String(), "more memory refused"), "one log line per admission:\n%s", w.log)
}

func dispatchIndex(t *testing.T, name string) int {
	for i, s := range Table {
		if s.Name == name {
			return i
		}
	}
	t.Fatalf("%s is not in the table", name)
	return 0
}

// TestPrctlOptions: Linux's options keep their behaviour, and Burrow's
// version option answers.
func TestPrctlOptions(t *testing.T) {
	w := newAppWorld(t, 1<<30)
	got, err := sysPrctl(w.t, args{burrow.PR_BURROW_VERSION})
	assert.NoError(t, err)
	assert.Equal(t, uint64(burrow.APP_ABI_VERSION), got, "prctl(PR_BURROW_VERSION)")

	got, err = sysPrctl(w.t, args{prSetName, reqVA})
	assert.Equal(t, uint64(0), got, "prctl(PR_SET_NAME) succeeds")
	assert.NoError(t, err)

	_, err = sysPrctl(w.t, args{prGetName, reqVA})
	require.NoError(t, err)
	name := make([]byte, commLen)
	require.NoError(t, w.t.p.mem.CopyIn(name, reqVA))
	assert.Equal(t, "wordfreq-with-a\x00", string(name), "PR_GET_NAME: the path's last element, cut to 15 bytes")
}

// TestReadAI: only an application admitted with APP_AI reads the views;
// a short buffer gets the start and the full length.
func TestReadAI(t *testing.T) {
	w := newAppWorld(t, 1<<30)
	withServices(t, 1, aiViews)
	read := func(view, n uint64) (string, uint64, error) {
		got, err := sysPrctl(w.t, args{burrow.PR_BURROW_AI_READ, view, reqVA + 512, n})
		b := make([]byte, min(n, got))
		require.NoError(t, w.t.p.mem.CopyIn(b, reqVA+512))
		return string(b), got, err
	}
	_, _, err := read(burrow.AI_VIEW_LOG, 100)
	assert.Equal(t, linux.EPERM, err, "unadmitted: PR_BURROW_AI_READ = %v, want EPERM", err)

	err, _ = w.admit(t, request(1<<20, 1, 10, burrow.APP_AI))
	require.NoError(t, err)
	cases := []struct {
		view, n uint64
		want    string
		wantLen uint64
		wantErr error
	}{
		{burrow.AI_VIEW_LOG, 100, "the log view\n", 13, nil},
		{burrow.AI_VIEW_STATE, 100, "the state view\n", 15, nil},
		{burrow.AI_VIEW_STATE, 3, "the", 15, nil},
		{burrow.AI_VIEW_LOG, 0, "", 13, nil},
		{9, 100, "", 0, linux.EINVAL},
	}
	for _, c := range cases {
		got, n, err := read(c.view, c.n)
		assert.Equal(t, c.wantErr, err, "read(%d, %d) error", c.view, c.n)
		assert.Equal(t, c.wantLen, n, "read(%d, %d) length", c.view, c.n)
		if err == nil {
			assert.Equal(t, c.want, got, "read(%d, %d) text", c.view, c.n)
		}
	}
}

// TestAppListing: /proc/burrow/apps and the status lines show the
// admission.
func TestAppListing(t *testing.T) {
	w := newAppWorld(t, 1<<30)
	withServices(t, 4, aiViews)
	assert.Equal(t, "", appStatus(w.t.p), "no lines for a process never admitted")
	err, _ := w.admit(t, request(48<<20, 2, 150, burrow.APP_AI))
	require.NoError(t, err)

	var table bytes.Buffer
	w.k.WriteApps(&table)
	lines := strings.Split(strings.TrimSpace(table.String()), "\n")
	require.Len(t, lines, 2, "a header and one application:\n%s", table.String())
	assert.Equal(t, strings.Fields("7 wordfreq 49152 4 2 150% yes 0"), strings.Fields(lines[1]))
	assert.Contains(t, appStatus(w.t.p), "BurrowMemLimit:\t49152 kB\n")
	assert.Contains(t, appStatus(w.t.p), "BurrowAI:\ttrue\n")

	fs := vfs.New()
	w.k.burrowProcFiles(fs)
	for path, want := range map[string]string{"/burrow/apps": table.String(), "/burrow/ai/log": "the log view\n", "/burrow/ai/state": "the state view\n"} {
		n, err := fs.Lookup(nil, path, true)
		if assert.NoError(t, err, "/proc%s", path) {
			assert.Equal(t, want, string(n.Data()), "/proc%s", path)
		}
	}

	w.t.p.zombie = true
	assert.Empty(t, w.k.Apps(), "an exited application leaves the list")
}
