package proc

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/burrow-os/burrow/kernel/vfs"
)

// procfs: /proc is generated when a path under it is looked up, as a
// snapshot tree: /proc/self, /proc/<pid>/{stat,status,cmdline,comm},
// /proc/meminfo, /proc/cpuinfo, /proc/stat, /proc/uptime, /proc/loadavg, /proc/mounts:
// enough for busybox ps, free and uptime (proc(5) gives the formats).

// procLookup resolves an absolute path under /proc; ok is false for any
// other path.
func (t *Thread) procLookup(path string, follow bool) (*vfs.Inode, bool, error) {
	if path != "/proc" && !strings.HasPrefix(path, "/proc/") {
		return nil, false, nil
	}
	fs := t.p.k.procTree(t.p)
	rel := strings.TrimLeft(strings.TrimPrefix(path, "/proc"), "/")
	if rel == "" {
		return fs.Root, true, nil
	}
	n, err := fs.Lookup(nil, rel, follow)
	return n, true, err
}

func (k *Kernel) procTree(self *Process) *vfs.FS {
	fs := vfs.New()
	procs := k.Processes()
	sort.Slice(procs, func(i, j int) bool { return procs[i].PID < procs[j].PID })
	uptime := k.cfg.Clock()
	for _, p := range procs {
		dir := "/" + strconv.Itoa(p.PID)
		fs.Mkdir(nil, dir, 0o555)
		p.mu.Lock()
		args := append([]string(nil), p.args...)
		comm := p.exe
		if len(args) > 0 {
			comm = args[0]
		}
		if i := strings.LastIndexByte(comm, '/'); i >= 0 {
			comm = comm[i+1:]
		}
		state := "R"
		switch {
		case p.zombie:
			state = "Z"
		case p.job.stopped:
			state = "T"
		}
		ppid := 0
		if p.parent != nil {
			ppid = p.parent.PID
		}
		threads := len(p.threads)
		pgid, sid := p.pgid, p.sid
		var vsz uint64
		for _, r := range p.regions.r {
			vsz += r.end - r.start
		}
		var rss uint64
		if p.mem != nil {
			rss = p.mem.AddressSpace().Mapped() / pageSize
		}
		start := p.startNs
		p.mu.Unlock()
		// proc(5) stat: 52 fields; ps reads state, ppid, pgrp, session,
		// times, threads, start time, vsize and rss.
		stat := fmt.Sprintf("%d (%s) %s %d %d %d 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 %d 0 %d %d %d 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
			p.PID, comm, state, ppid, pgid, sid, threads, start/1e7, vsz, rss)
		status := fmt.Sprintf("Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nVmSize:\t%d kB\nVmRSS:\t%d kB\nThreads:\t%d\n",
			comm, map[string]string{"R": "R (running)", "Z": "Z (zombie)", "T": "T (stopped)"}[state], p.PID, p.PID, ppid, vsz/1024, rss*4, threads)
		fs.WriteFile(dir+"/stat", []byte(stat), 0o444)
		fs.WriteFile(dir+"/status", []byte(status+appStatus(p)), 0o444)
		fs.WriteFile(dir+"/cmdline", []byte(strings.Join(args, "\x00")+"\x00"), 0o444)
		fs.WriteFile(dir+"/comm", []byte(comm+"\n"), 0o444)
	}
	fs.Symlink(nil, strconv.Itoa(self.PID), "/self")
	total, free := k.cfg.Memory()
	fs.WriteFile("/meminfo", []byte(fmt.Sprintf("MemTotal:%15d kB\nMemFree:%16d kB\nMemAvailable:%11d kB\nBuffers:%16d kB\nCached:%17d kB\nSwapTotal:%14d kB\nSwapFree:%15d kB\nShmem:%18d kB\n",
		total/1024, free/1024, free/1024, 0, 0, 0, 0, 0)), 0o444)
	var cpuinfo strings.Builder
	for i := range k.cfg.CPUs() { // the Cortex-A72 (MIDR part 0xd08), as Linux prints it
		fmt.Fprintf(&cpuinfo, "processor\t: %d\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xd08\nCPU revision\t: 3\n\n", i)
	}
	fs.WriteFile("/cpuinfo", []byte(cpuinfo.String()), 0o444)
	fs.WriteFile("/uptime", []byte(fmt.Sprintf("%d.%02d 0.00\n", uptime/time.Second, uptime%time.Second/(10*time.Millisecond))), 0o444)
	fs.WriteFile("/loadavg", []byte(fmt.Sprintf("0.00 0.00 0.00 1/%d %d\n", len(procs), k.nextID-1)), 0o444)
	fs.WriteFile("/stat", k.procStat(procs), 0o444) // procfs_stat.go
	fs.WriteFile("/mounts", k.procMounts(), 0o444)  // sys_statfs.go
	k.burrowProcFiles(fs)                           // sys_app.go: /proc/burrow
	return fs
}
