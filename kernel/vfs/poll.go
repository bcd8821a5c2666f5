package vfs

// Readiness for poll(2) and select(2).

// Readiness is what an open file could do now without blocking.
type Readiness struct {
	In     bool // a read would not block (data, end of file, or an error)
	Out    bool // a write would not block
	HangUp bool // the other end is gone
}

// Poller is implemented by pipe ends, the terminal and other files whose
// reads or writes can block. Files without it (regular files,
// directories, /dev/null) are always ready.
type Poller interface {
	Poll() Readiness
}

// Poll reports f's readiness.
func (f *File) Poll() Readiness {
	if p, ok := f.Ops.(Poller); ok {
		return p.Poll()
	}
	if f.Inode != nil {
		if p, ok := f.Inode.Dev.(Poller); ok {
			return p.Poll()
		}
	}
	return Readiness{In: true, Out: true}
}

// Poll: the read end has data, or has hung up once no writer is left (a
// read then returns end of file at once). As on Linux, an empty pipe
// without writers is POLLHUP alone, not POLLIN.
func (e pipeReader) Poll() Readiness {
	e.p.mu.Lock()
	defer e.p.mu.Unlock()
	return Readiness{In: len(e.p.buf) > 0, HangUp: e.p.writers == 0}
}

// Poll: the write end is ready when there is room, or when no reader is
// left (the write fails at once with EPIPE).
func (e pipeWriter) Poll() Readiness {
	e.p.mu.Lock()
	defer e.p.mu.Unlock()
	return Readiness{Out: len(e.p.buf) < PipeSize || e.p.readers == 0, HangUp: e.p.readers == 0}
}

// Poll: the terminal is readable when a line (or, in raw mode, a
// character) is waiting; output never blocks.
func (t *TTY) Poll() Readiness {
	t.mu.Lock()
	defer t.mu.Unlock()
	return Readiness{In: len(t.ready) > 0, Out: true}
}
