package app

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// KernelAPI reads the state of the kernel the program runs on through
// Linux interfaces that Burrow implements too: /proc (proc(5)) and
// uname(2). The same calls work on Linux.
type KernelAPI struct {
	// Proc is where procfs is mounted; "" means /proc.
	Proc string
}

func (k *KernelAPI) path(elem ...string) string {
	root := k.Proc
	if root == "" {
		root = "/proc"
	}
	return filepath.Join(append([]string{root}, elem...)...)
}

// Uptime is the time since the kernel booted (/proc/uptime).
func (k *KernelAPI) Uptime() (time.Duration, error) {
	b, err := os.ReadFile(k.path("uptime"))
	if err != nil {
		return 0, err
	}
	return parseUptime(string(b))
}

func parseUptime(s string) (time.Duration, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return 0, fmt.Errorf("/proc/uptime: empty")
	}
	d, err := time.ParseDuration(f[0] + "s")
	if err != nil {
		return 0, fmt.Errorf("/proc/uptime: %w", err)
	}
	return d, nil
}

// MemInfo is the kernel's memory in bytes (/proc/meminfo).
type MemInfo struct {
	Total, Free, Available uint64
}

// Memory reads /proc/meminfo.
func (k *KernelAPI) Memory() (MemInfo, error) {
	f, err := os.Open(k.path("meminfo"))
	if err != nil {
		return MemInfo{}, err
	}
	defer f.Close()
	return parseMeminfo(f)
}

// parseMeminfo reads the "Name: value kB" lines it knows and ignores the
// rest; MemTotal and MemFree must be there.
func parseMeminfo(r io.Reader) (MemInfo, error) {
	var m MemInfo
	fields := map[string]*uint64{"MemTotal": &m.Total, "MemFree": &m.Free, "MemAvailable": &m.Available}
	found := 0
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		dst := fields[name]
		if !ok || dst == nil {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return m, fmt.Errorf("/proc/meminfo: %s has no value", name)
		}
		kb, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return m, fmt.Errorf("/proc/meminfo: %s: %w", name, err)
		}
		*dst = kb << 10
		found++
	}
	if m.Total == 0 || found < 2 {
		return m, fmt.Errorf("/proc/meminfo: no MemTotal or MemFree")
	}
	return m, sc.Err()
}

// ProcessInfo is one process as /proc/<pid>/stat shows it.
type ProcessInfo struct {
	PID, PPID int
	Name      string // comm: the program's name
	State     string // R running, S sleeping, Z zombie, ...
	Threads   int
	VSize     uint64 // bytes of address space
	RSS       uint64 // bytes resident
}

// Process reads /proc/<pid>/stat.
func (k *KernelAPI) Process(pid int) (ProcessInfo, error) {
	b, err := os.ReadFile(k.path(strconv.Itoa(pid), "stat"))
	if err != nil {
		return ProcessInfo{}, err
	}
	return parseStat(string(b))
}

// Processes lists every process, by PID. A process that exits while the
// list is read is left out.
func (k *KernelAPI) Processes() ([]ProcessInfo, error) {
	ents, err := os.ReadDir(k.path())
	if err != nil {
		return nil, err
	}
	var out []ProcessInfo
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue // not a process directory
		}
		if p, err := k.Process(pid); err == nil {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PID < out[j].PID })
	return out, nil
}

// parseStat decodes the fields of proc(5)'s stat line that ProcessInfo
// holds. The name is between the first '(' and the last ')', since it may
// hold spaces and parentheses itself.
func parseStat(s string) (ProcessInfo, error) {
	open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || close < open {
		return ProcessInfo{}, fmt.Errorf("stat: no (comm) in %q", s)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(s[:open]))
	if err != nil {
		return ProcessInfo{}, fmt.Errorf("stat: pid: %w", err)
	}
	// After the name, field 3 (state) is rest[0]; field n is rest[n-3].
	rest := strings.Fields(s[close+1:])
	if len(rest) < 22 {
		return ProcessInfo{}, fmt.Errorf("stat: %d fields after the name, want at least 22", len(rest))
	}
	num := func(field int) uint64 {
		if err != nil {
			return 0
		}
		var v uint64
		v, err = strconv.ParseUint(rest[field-3], 10, 64)
		return v
	}
	p := ProcessInfo{PID: pid, Name: s[open+1 : close], State: rest[0]}
	p.PPID, p.Threads = int(num(4)), int(num(20))
	p.VSize, p.RSS = num(23), num(24)*uint64(os.Getpagesize())
	if err != nil {
		return ProcessInfo{}, fmt.Errorf("stat of %d: %w", pid, err)
	}
	return p, nil
}

// Uname is the kernel's name, release and machine (uname(2)).
func (k *KernelAPI) Uname() (sysname, release, machine string, err error) {
	var u syscall.Utsname
	if err := syscall.Uname(&u); err != nil {
		return "", "", "", err
	}
	str := func(f [65]int8) string {
		b := make([]byte, 0, len(f))
		for _, c := range f {
			if c == 0 {
				break
			}
			b = append(b, byte(c))
		}
		return string(b)
	}
	return str(u.Sysname), str(u.Release), str(u.Machine), nil
}

// Sleep waits for d, or until ctx is cancelled (a signal asked the
// application to stop), which it reports as ctx's error.
func (k *KernelAPI) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
