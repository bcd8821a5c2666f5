package main

import (
	"io"
	"sync"
)

// keyboard is the one reader of typed characters once the console or a
// shell is up. A single goroutine (pump) reads consoleIn, the UART's
// receive ring, and hands every chunk to whoever owns the keyboard: the
// terminal of the running shell while there is one, the kernel console
// otherwise. Because nobody else reads the UART, no character is lost
// when the shell exits and the console takes over.
var keyboard = &inputRouter{console: make(chan []byte, 16)}

type inputRouter struct {
	start   sync.Once
	mu      sync.Mutex   // guards toShell
	toShell func([]byte) // the shell's terminal, or nil: the kernel console
	console chan []byte  // chunks for the kernel console
	rest    []byte       // what the console has not read of its last chunk
}

// pump reads the UART forever and routes what it reads.
func (r *inputRouter) pump() {
	buf := make([]byte, 64)
	for {
		n, err := consoleIn.Read(buf)
		if err != nil {
			close(r.console)
			return
		}
		chunk := append([]byte(nil), buf[:n]...)
		r.mu.Lock()
		shell := r.toShell
		r.mu.Unlock()
		if shell != nil {
			shell(chunk)
		} else {
			r.console <- chunk
		}
	}
}

// attach gives the keyboard to a shell's terminal; detach gives it back
// to the kernel console.
func (r *inputRouter) attach(to func([]byte)) {
	r.start.Do(func() { go r.pump() })
	r.mu.Lock()
	r.toShell = to
	r.mu.Unlock()
}

func (r *inputRouter) detach() { r.attach(nil) }

// Read is the kernel console's end: an io.Reader of what was typed while
// no shell owned the keyboard.
func (r *inputRouter) Read(p []byte) (int, error) {
	r.start.Do(func() { go r.pump() })
	if len(r.rest) == 0 {
		chunk, ok := <-r.console
		if !ok {
			return 0, io.EOF
		}
		r.rest = chunk
	}
	n := copy(p, r.rest)
	r.rest = r.rest[n:]
	return n, nil
}
