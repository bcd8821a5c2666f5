package pl011

import "sync"

// ring is the receive buffer between the interrupt handler (the producer)
// and readers. When it is full, new bytes are dropped and counted: a
// reader that does not keep up loses the newest input, as a hardware FIFO
// would. mu guards everything; ready has a token whenever data may wait.
type ring struct {
	mu      sync.Mutex
	buf     [4096]byte
	r, w    uint64 // read and write counts; w-r bytes wait
	dropped uint64
	ready   chan struct{}
}

func newRing() *ring { return &ring{ready: make(chan struct{}, 1)} }

// put appends b, dropping what does not fit, and wakes a reader.
func (q *ring) put(b []byte) {
	q.mu.Lock()
	for _, c := range b {
		if q.w-q.r == uint64(len(q.buf)) {
			q.dropped++
			continue
		}
		q.buf[q.w%uint64(len(q.buf))] = c
		q.w++
	}
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// get moves waiting bytes into p, blocking until there is at least one.
func (q *ring) get(p []byte) int {
	if len(p) == 0 {
		return 0
	}
	for {
		q.mu.Lock()
		n := 0
		for n < len(p) && q.r < q.w {
			p[n] = q.buf[q.r%uint64(len(q.buf))]
			q.r++
			n++
		}
		more := q.r < q.w
		q.mu.Unlock()
		if more { // leave the token for the next reader
			select {
			case q.ready <- struct{}{}:
			default:
			}
		}
		if n > 0 {
			return n
		}
		<-q.ready
	}
}
