package proc

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/burrow-os/burrow/kernel/abi/burrow"
	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/vfs"
)

// Application admission (the plan's section 4.2; app/README.md has the
// contract). An application built on the app package tells the kernel what
// it needs with prctl(PR_BURROW_ADMIT, &request) before it starts work. The
// kernel checks the request against free memory and online CPUs, refuses it
// with ENOMEM or EINVAL and a log line when it cannot be met, and otherwise
// records an admission whose memory figure then limits the process: a
// mmap, brk or mprotect that would take the process's mapped memory past it
// fails with ENOMEM (see sys_app_limit.go). The same binary on Linux gets
// EINVAL for the private option and runs unadmitted.

// Linux's own prctl options that Burrow answers (include/uapi/linux/prctl.h).
const (
	prSetName = 15
	prGetName = 16
	commLen   = 16 // TASK_COMM_LEN, the NUL included
)

// AppServices is what admission needs from the rest of the kernel: how many
// CPUs are online and, when the AI layer runs, a way to print its views.
type AppServices struct {
	// CPUs returns the number of CPUs online.
	CPUs func() int
	// AI writes the AI layer's "log" or "state" view to w; nil means the
	// kernel runs without an AI layer.
	AI func(w io.Writer, view string) error
}

// appServices is set once at boot by package main (kernel/apps_arm64.go),
// before any process runs; host tests set it through SetAppServices.
var appServices = AppServices{CPUs: runtime.NumCPU}

// SetAppServices tells admission about the kernel's CPUs and AI layer.
func SetAppServices(s AppServices) {
	if s.CPUs == nil {
		s.CPUs = runtime.NumCPU
	}
	appServices = s
}

// admission is an admitted application: what it asked for, and how often
// the kernel has refused it memory since.
type admission struct {
	// mu serialises the memory-limit check with the mapping it allows, so
	// two threads cannot both pass the check and overshoot together.
	// Lock order: admission.mu, then Process.mu.
	mu       sync.Mutex
	name     string
	req      burrow.AppRequest
	refusals int // mappings refused with ENOMEM
}

// admissions maps each admitted *Process to its *admission. Entries of
// processes that have exited are dropped when the table is next listed or
// added to; an admission survives execve, as an rlimit does, but is not
// inherited by fork.
var admissions sync.Map

// admissionOf returns p's admission, or nil when p was never admitted.
func admissionOf(p *Process) *admission {
	if a, ok := admissions.Load(p); ok {
		return a.(*admission)
	}
	return nil
}

// sysPrctl answers Burrow's private options and PR_GET_NAME; every other
// option succeeds without effect, as the stub before it did (PR_SET_NAME
// included: the name ps shows stays argv[0]).
func sysPrctl(t *Thread, a args) (uint64, error) {
	switch option := int32(a[0]); option {
	case burrow.PR_BURROW_VERSION:
		return burrow.APP_ABI_VERSION, nil
	case burrow.PR_BURROW_ADMIT:
		return 0, t.p.admit(a[1])
	case burrow.PR_BURROW_AI_READ:
		return t.p.readAI(a[1], a[2], a[3])
	case prGetName:
		name := make([]byte, commLen)
		copy(name[:commLen-1], commName(t.p.comm()))
		return 0, t.p.memory().CopyOut(a[1], name)
	default:
		return 0, nil
	}
}

// commName is the name ps shows for a program: the last element of its
// path, cut to 15 bytes as Linux cuts comm.
func commName(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		path = path[i+1:]
	}
	return path[:min(len(path), commLen-1)]
}

// admit is PR_BURROW_ADMIT: read the request at va, check it, write the
// kernel's half back, and record the admission if it passed.
func (p *Process) admit(va uint64) error {
	mem := p.memory()
	buf := make([]byte, burrow.SizeofAppRequest)
	if err := mem.CopyIn(buf, va); err != nil {
		return err
	}
	var req burrow.AppRequest
	if _, err := binary.Decode(buf, binary.LittleEndian, &req); err != nil {
		return linux.EINVAL
	}
	// The name is the program's to choose: up to the first NUL, and only
	// printable, since it goes into the kernel's log.
	raw, _, _ := bytes.Cut(req.Name[:], []byte{0})
	name := strings.Map(func(r rune) rune {
		if r < ' ' || r > '~' {
			return '?'
		}
		return r
	}, string(raw))
	if name == "" {
		name = commName(p.comm())
	}
	_, free := p.k.cfg.Memory()
	req.FreeMemory, req.OnlineCPUs, req.KernelFlags = free, uint32(appServices.CPUs()), 0
	if appServices.AI != nil {
		req.KernelFlags |= burrow.APP_AI
	}
	p.mu.Lock()
	req.Committed = p.committed()
	p.mu.Unlock()
	reason, errno := checkRequest(req)
	// The kernel's half goes back whatever the verdict, so a refused
	// application can say what it was missing.
	out, _ := binary.Append(nil, binary.LittleEndian, &req)
	if err := mem.CopyOut(va, out); err != nil {
		return err
	}
	if errno != 0 {
		p.k.cfg.Log("proc: pid %d (%s): application refused: %s", p.PID, name, reason)
		return errno
	}
	pruneAdmissions()
	admissions.Store(p, &admission{name: name, req: req})
	p.k.cfg.Log("proc: pid %d (%s): application admitted: %s", p.PID, name, describe(req))
	return nil
}

// checkRequest decides on a request whose kernel half is filled in. It
// returns why it refuses and the error to return, or 0 to admit.
func checkRequest(r burrow.AppRequest) (string, linux.Errno) {
	switch {
	case r.Size != burrow.SizeofAppRequest:
		return fmt.Sprintf("request size %d, want %d", r.Size, burrow.SizeofAppRequest), linux.EINVAL
	case r.Flags&^burrow.APP_AI != 0:
		return fmt.Sprintf("unknown flags %#x", r.Flags&^burrow.APP_AI), linux.EINVAL
	case r.Memory == 0 || r.CPUs == 0:
		return "no memory or no CPU asked for", linux.EINVAL
	case r.CPUShare > 100*r.CPUs:
		return fmt.Sprintf("CPU share %d%% is more than %d CPUs give", r.CPUShare, r.CPUs), linux.EINVAL
	case r.CPUs > r.OnlineCPUs:
		return fmt.Sprintf("needs %d CPUs, %d online", r.CPUs, r.OnlineCPUs), linux.EINVAL
	case r.Flags&burrow.APP_AI != 0 && r.KernelFlags&burrow.APP_AI == 0:
		return "needs AI services, and the AI layer is not running", linux.EINVAL
	case r.Memory > r.FreeMemory:
		return fmt.Sprintf("needs %s of memory, %s free", size(r.Memory), size(r.FreeMemory)), linux.ENOMEM
	case r.Committed > r.Memory:
		return fmt.Sprintf("declares %s of memory and already has %s mapped", size(r.Memory), size(r.Committed)), linux.ENOMEM
	}
	return "", 0
}

// describe is an admission's requirements in one line.
func describe(r burrow.AppRequest) string {
	s := fmt.Sprintf("memory %s (%s mapped now), %d CPU, %d%% share", size(r.Memory), size(r.Committed), r.CPUs, r.CPUShare)
	if r.Flags&burrow.APP_AI != 0 {
		s += ", AI services"
	}
	return s
}

// size prints a byte count in the largest binary unit that keeps it whole
// enough to read.
func size(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	default:
		return fmt.Sprintf("%d KiB", n>>10)
	}
}

// readAI is PR_BURROW_AI_READ: the AI layer's log or state as text, cut to
// the buffer; it returns the view's full length.
func (p *Process) readAI(view, va, length uint64) (uint64, error) {
	a := admissionOf(p)
	if a == nil || a.req.Flags&burrow.APP_AI == 0 {
		return 0, linux.EPERM
	}
	names := map[uint64]string{burrow.AI_VIEW_LOG: "log", burrow.AI_VIEW_STATE: "state"}
	if _, ok := names[view]; !ok || appServices.AI == nil {
		return 0, linux.EINVAL
	}
	var text bytes.Buffer
	if err := appServices.AI(&text, names[view]); err != nil {
		return 0, linux.EIO
	}
	n := min(uint64(text.Len()), length)
	if n > 0 {
		if err := p.memory().CopyOut(va, text.Bytes()[:n]); err != nil {
			return 0, err
		}
	}
	return uint64(text.Len()), nil
}

// pruneAdmissions forgets processes that have exited.
func pruneAdmissions() {
	admissions.Range(func(key, _ any) bool {
		p := key.(*Process)
		p.mu.Lock()
		gone := p.zombie || p.reaped
		p.mu.Unlock()
		if gone {
			admissions.Delete(p)
		}
		return true
	})
}

// AppInfo is one admitted application, for /proc/burrow/apps and the
// console.
type AppInfo struct {
	PID       int
	Name      string
	Memory    uint64 // the declared limit
	Committed uint64 // mapped now
	CPUs      int
	CPUShare  int
	AI        bool
	Refusals  int // mappings refused for the limit
}

// Apps lists k's running admitted applications by PID.
func (k *Kernel) Apps() []AppInfo {
	pruneAdmissions()
	var out []AppInfo
	admissions.Range(func(key, value any) bool {
		p, a := key.(*Process), value.(*admission)
		if p.k != k {
			return true
		}
		a.mu.Lock()
		info := AppInfo{PID: p.PID, Name: a.name, Memory: a.req.Memory, CPUs: int(a.req.CPUs),
			CPUShare: int(a.req.CPUShare), AI: a.req.Flags&burrow.APP_AI != 0, Refusals: a.refusals}
		a.mu.Unlock()
		p.mu.Lock()
		info.Committed = p.committed()
		p.mu.Unlock()
		out = append(out, info)
		return true
	})
	sort.Slice(out, func(i, j int) bool { return out[i].PID < out[j].PID })
	return out
}

// WriteApps prints the admitted applications as a table: the body of
// /proc/burrow/apps and of the console's apps command.
func (k *Kernel) WriteApps(w io.Writer) {
	fmt.Fprintf(w, "%5s %-16s %10s %10s %4s %5s %3s %8s\n", "PID", "NAME", "LIMIT_KB", "MAPPED_KB", "CPUS", "SHARE", "AI", "REFUSED")
	for _, a := range k.Apps() {
		ai := "-"
		if a.AI {
			ai = "yes"
		}
		fmt.Fprintf(w, "%5d %-16s %10d %10d %4d %4d%% %3s %8d\n", a.PID, a.Name, a.Memory>>10, a.Committed>>10, a.CPUs, a.CPUShare, ai, a.Refusals)
	}
}

// appStatus returns the Burrow lines /proc/<pid>/status adds for an
// admitted application, or "" for any other process. It is meant to be
// appended to the status text by procTree (procfs.go).
func appStatus(p *Process) string {
	a := admissionOf(p)
	if a == nil {
		return ""
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return fmt.Sprintf("BurrowApp:\t%s\nBurrowMemLimit:\t%d kB\nBurrowCPUs:\t%d\nBurrowCPUShare:\t%d%%\nBurrowAI:\t%t\nBurrowRefused:\t%d\n",
		a.name, a.req.Memory>>10, a.req.CPUs, a.req.CPUShare, a.req.Flags&burrow.APP_AI != 0, a.refusals)
}

// burrowProcFiles adds /proc/burrow: apps (the admitted applications) and
// ai/log and ai/state (the AI layer's views, when it runs), for people at
// the shell; programs read the AI views through PR_BURROW_AI_READ. It is
// meant to be called by procTree (procfs.go) as it builds the snapshot.
func (k *Kernel) burrowProcFiles(fs *vfs.FS) {
	fs.Mkdir(nil, "/burrow", 0o555)
	var apps bytes.Buffer
	k.WriteApps(&apps)
	fs.WriteFile("/burrow/apps", apps.Bytes(), 0o444)
	if appServices.AI == nil {
		return
	}
	fs.Mkdir(nil, "/burrow/ai", 0o555)
	for _, view := range []string{"log", "state"} {
		var text bytes.Buffer
		if appServices.AI(&text, view) == nil {
			fs.WriteFile("/burrow/ai/"+view, text.Bytes(), 0o444)
		}
	}
}
