package proc

import (
	"bytes"
	"encoding/binary"
	"time"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

func utsField(s string) [65]byte {
	var f [65]byte
	copy(f[:64], s)
	return f
}

func sysUname(t *Thread, a args) (uint64, error) {
	u := linux.Utsname{
		Sysname:  utsField("Linux"), // programs key features off this: Burrow speaks Linux's ABI
		Nodename: utsField(t.p.k.cfg.Hostname),
		Release:  utsField("6.1.0-burrow"),
		Version:  utsField("#1 Burrow"),
		Machine:  utsField("aarch64"),
	}
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, u)
	return 0, t.p.memory().CopyOut(a[0], b.Bytes())
}

func sysSysinfo(t *Thread, a args) (uint64, error) {
	k := t.p.k
	total, free := k.cfg.Memory()
	si := linux.Sysinfo{Uptime: int64(k.cfg.Clock() / time.Second), Totalram: total, Freeram: free,
		Procs: uint16(len(k.Processes())), MemUnit: 1}
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, si)
	return 0, t.p.memory().CopyOut(a[0], b.Bytes())
}

func rlimit(resource uint64) (linux.Rlimit, error) {
	switch resource {
	case linux.RLIMIT_STACK:
		return linux.Rlimit{Cur: stackSize, Max: linux.RLIM_INFINITY}, nil
	case linux.RLIMIT_NOFILE:
		return linux.Rlimit{Cur: maxFDs, Max: maxFDs}, nil
	}
	if resource >= 16 {
		return linux.Rlimit{}, linux.EINVAL
	}
	return linux.Rlimit{Cur: linux.RLIM_INFINITY, Max: linux.RLIM_INFINITY}, nil
}

func putRlimit(r linux.Rlimit) []byte {
	return binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, r.Cur), r.Max)
}

func sysGetrlimit(t *Thread, a args) (uint64, error) {
	r, err := rlimit(a[0])
	if err != nil {
		return 0, err
	}
	return 0, t.p.memory().CopyOut(a[1], putRlimit(r))
}

// sysPrlimit64 reports the fixed limits; setting one is accepted and ignored.
func sysPrlimit64(t *Thread, a args) (uint64, error) {
	if a[0] != 0 && int(a[0]) != t.p.PID && t.p.k.Lookup(int(a[0])) == nil {
		return 0, linux.ESRCH
	}
	r, err := rlimit(a[1])
	if err != nil {
		return 0, err
	}
	if a[3] != 0 {
		return 0, t.p.memory().CopyOut(a[3], putRlimit(r))
	}
	return 0, nil
}

func sysGetrusage(t *Thread, a args) (uint64, error) {
	return 0, t.p.memory().CopyOut(a[1], make([]byte, 144))
}

func sysGetresid(t *Thread, a args) (uint64, error) {
	for _, p := range a[:3] {
		if err := t.putU32(p, 0); err != nil {
			return 0, linux.EFAULT
		}
	}
	return 0, nil
}

func sysGetrandom(t *Thread, a args) (uint64, error) {
	if a[2]&^(linux.GRND_NONBLOCK|linux.GRND_RANDOM|4) != 0 {
		return 0, linux.EINVAL
	}
	b := make([]byte, min(a[1], 1<<16))
	if t.p.k.cfg.Random != nil {
		t.p.k.cfg.Random(b)
	}
	return uint64(len(b)), t.p.memory().CopyOut(a[0], b)
}

// sysSchedGetaffinity reports every online CPU: a thread may run on any
// of them (there is no sched_setaffinity). Go sizes GOMAXPROCS from it.
func sysSchedGetaffinity(t *Thread, a args) (uint64, error) {
	if a[1] < 8 || a[1]%8 != 0 {
		return 0, linux.EINVAL
	}
	n := min(t.p.k.cfg.CPUs(), 64)
	return 8, t.p.memory().CopyOut(a[2], binary.LittleEndian.AppendUint64(nil, 1<<n-1))
}
