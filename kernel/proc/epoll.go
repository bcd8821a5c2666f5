package proc

import (
	"encoding/binary"
	"sync"
	"time"

	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/vfs"
)

// Just enough eventfd and epoll for the Go runtime's network poller: it
// creates an epoll instance and an eventfd to wake it, then registers
// every file it opens. Burrow lets it watch eventfds and refuses anything
// else with EPERM, which tells Go to use blocking reads and writes for that
// file instead.

const (
	epollCtlAdd = 1
	epollCtlDel = 2
	epollCtlMod = 3
	efdNonblock = linux.O_NONBLOCK
	efdCloexec  = linux.O_CLOEXEC
)

type eventfd struct {
	mu       sync.Mutex
	count    uint64
	watchers map[chan struct{}]bool
}

func (e *eventfd) Read(p []byte) (int, error) {
	if len(p) < 8 {
		return 0, linux.EINVAL
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.count == 0 {
		return 0, linux.EAGAIN // (a blocking eventfd read is not supported)
	}
	binary.LittleEndian.PutUint64(p, e.count)
	e.count = 0
	return 8, nil
}

func (e *eventfd) Write(p []byte) (int, error) {
	if len(p) < 8 {
		return 0, linux.EINVAL
	}
	v := binary.LittleEndian.Uint64(p)
	if v == ^uint64(0) {
		return 0, linux.EINVAL
	}
	e.mu.Lock()
	e.count += v
	for ch := range e.watchers {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
	e.mu.Unlock()
	return 8, nil
}

func (e *eventfd) Close() {}

func (e *eventfd) ready() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.count > 0
}

type epollItem struct {
	ev     *eventfd
	events uint32
	data   uint64
}

type epoll struct {
	mu    sync.Mutex
	items map[uint64]epollItem
	ch    chan struct{}
}

func (e *epoll) Read([]byte) (int, error)  { return 0, linux.EINVAL }
func (e *epoll) Write([]byte) (int, error) { return 0, linux.EINVAL }
func (e *epoll) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, it := range e.items {
		it.ev.mu.Lock()
		delete(it.ev.watchers, e.ch)
		it.ev.mu.Unlock()
	}
	e.items = nil
}

func sysEventfd2(t *Thread, a args) (uint64, error) {
	if a[1]&^(efdNonblock|efdCloexec) != 0 {
		return 0, linux.EINVAL
	}
	f := vfs.NewOpsFile(&eventfd{count: a[0] & 0xffffffff, watchers: map[chan struct{}]bool{}}, 0, linux.O_RDWR|int(a[1])&efdNonblock)
	fd, err := t.p.fds.add(f, 0, a[1]&efdCloexec != 0)
	return uint64(fd), err
}

func sysEpollCreate1(t *Thread, a args) (uint64, error) {
	if a[0]&^linux.O_CLOEXEC != 0 {
		return 0, linux.EINVAL
	}
	f := vfs.NewOpsFile(&epoll{items: map[uint64]epollItem{}, ch: make(chan struct{}, 1)}, 0, linux.O_RDWR)
	fd, err := t.p.fds.add(f, 0, a[0]&linux.O_CLOEXEC != 0)
	return uint64(fd), err
}

func (t *Thread) epollOf(fd uint64) (*epoll, error) {
	f, err := t.p.fds.get(fd)
	if err != nil {
		return nil, err
	}
	ep, ok := f.Ops.(*epoll)
	if !ok {
		return nil, linux.EINVAL
	}
	return ep, nil
}

func sysEpollCtl(t *Thread, a args) (uint64, error) {
	ep, err := t.epollOf(a[0])
	if err != nil {
		return 0, err
	}
	f, err := t.p.fds.get(a[2])
	if err != nil {
		return 0, err
	}
	ev, ok := f.Ops.(*eventfd)
	if !ok {
		return 0, linux.EPERM
	}
	var events uint32
	var data uint64
	if a[1] != epollCtlDel {
		b := make([]byte, 16)
		if err := t.p.memory().CopyIn(b, a[3]); err != nil {
			return 0, linux.EFAULT
		}
		events, data = binary.LittleEndian.Uint32(b), binary.LittleEndian.Uint64(b[8:])
	}
	ep.mu.Lock()
	defer ep.mu.Unlock()
	_, have := ep.items[a[2]]
	switch a[1] {
	case epollCtlAdd:
		if have {
			return 0, linux.EEXIST
		}
		ep.items[a[2]] = epollItem{ev, events, data}
		ev.mu.Lock()
		ev.watchers[ep.ch] = true
		ev.mu.Unlock()
	case epollCtlMod:
		if !have {
			return 0, linux.ENOENT
		}
		ep.items[a[2]] = epollItem{ev, events, data}
	case epollCtlDel:
		if !have {
			return 0, linux.ENOENT
		}
		delete(ep.items, a[2])
		ev.mu.Lock()
		delete(ev.watchers, ep.ch)
		ev.mu.Unlock()
	default:
		return 0, linux.EINVAL
	}
	return 0, nil
}

func sysEpollPwait(t *Thread, a args) (uint64, error) {
	ep, err := t.epollOf(a[0])
	if err != nil {
		return 0, err
	}
	max := int(int32(a[2]))
	if max <= 0 {
		return 0, linux.EINVAL
	}
	timeout := int(int32(a[3]))
	var timer <-chan time.Time
	if timeout > 0 {
		tm := time.NewTimer(time.Duration(timeout) * time.Millisecond)
		defer tm.Stop()
		timer = tm.C
	}
	for {
		var out []byte
		ep.mu.Lock()
		for _, it := range ep.items {
			if len(out)/16 < max && it.events&pollIn != 0 && it.ev.ready() {
				out = binary.LittleEndian.AppendUint32(out, pollIn)
				out = binary.LittleEndian.AppendUint32(out, 0)
				out = binary.LittleEndian.AppendUint64(out, it.data)
			}
		}
		ep.mu.Unlock()
		if len(out) > 0 {
			return uint64(len(out) / 16), t.p.memory().CopyOut(a[1], out)
		}
		if timeout == 0 {
			return 0, nil
		}
		if t.interrupted() {
			return 0, linux.EINTR
		}
		select {
		case <-ep.ch:
		case <-t.wake:
		case <-timer:
			return 0, nil
		}
	}
}
