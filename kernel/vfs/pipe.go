package vfs

import (
	"sync"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

// PipeSize is a pipe's capacity, Linux's default of 16 pages.
const PipeSize = 65536

// pipe is the buffer both ends share. Readers block while it is empty and
// a writer remains; writers block while it is full and a reader remains.
type pipe struct {
	mu               sync.Mutex
	cond             *sync.Cond
	buf              []byte
	readers, writers int
}

type pipeReader struct{ p *pipe }
type pipeWriter struct{ p *pipe }

// NewPipe returns the read and write ends of a new pipe, as pipe2(2).
func NewPipe(flags int) (r, w *File) {
	p := &pipe{readers: 1, writers: 1}
	p.cond = sync.NewCond(&p.mu)
	r = NewOpsFile(pipeReader{p}, linux.S_IFIFO|0o600, linux.O_RDONLY|flags&linux.O_NONBLOCK)
	w = NewOpsFile(pipeWriter{p}, linux.S_IFIFO|0o600, linux.O_WRONLY|flags&linux.O_NONBLOCK)
	return r, w
}

func (e pipeReader) Read(b []byte) (int, error) {
	p := e.p
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.buf) == 0 {
		if p.writers == 0 || len(b) == 0 {
			return 0, nil
		}
		p.cond.Wait()
	}
	n := copy(b, p.buf)
	p.buf = p.buf[n:]
	p.cond.Broadcast()
	return n, nil
}

func (e pipeReader) Write([]byte) (int, error) { return 0, linux.EBADF }

func (e pipeReader) Close() {
	e.p.mu.Lock()
	e.p.readers--
	e.p.cond.Broadcast()
	e.p.mu.Unlock()
}

// Write blocks until all of b is in the pipe; EPIPE once no reader is left
// (the caller also sends SIGPIPE).
func (e pipeWriter) Write(b []byte) (int, error) {
	p := e.p
	p.mu.Lock()
	defer p.mu.Unlock()
	done := 0
	for done < len(b) {
		if p.readers == 0 {
			if done > 0 {
				return done, nil
			}
			return 0, linux.EPIPE
		}
		room := PipeSize - len(p.buf)
		if room == 0 {
			p.cond.Wait()
			continue
		}
		n := min(room, len(b)-done)
		p.buf = append(p.buf, b[done:done+n]...)
		done += n
		p.cond.Broadcast()
	}
	return done, nil
}

func (e pipeWriter) Read([]byte) (int, error) { return 0, linux.EBADF }

func (e pipeWriter) Close() {
	e.p.mu.Lock()
	e.p.writers--
	e.p.cond.Broadcast()
	e.p.mu.Unlock()
}
