package vfs

import (
	"bytes"
	"encoding/binary"
	"io"
	"sync"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

// TTY is the console's line discipline (termios(3), the N_TTY discipline):
// in canonical mode it collects a line with echo and erase and hands it to
// readers on Enter; ^D ends input; with ISIG, ^C sends SIGINT to the
// foreground process group. In raw mode (ICANON off) bytes pass straight
// through. Output turns "\n" into "\r\n" (ONLCR).
type TTY struct {
	out io.Writer

	// Signal delivers sig to process group pgrp (set by kernel/proc).
	Signal func(pgrp int, sig linux.Signal)

	mu      sync.Mutex // guards everything below
	cond    *sync.Cond
	termios linux.Termios
	winsize linux.Winsize
	line    []byte   // the line being edited (canonical mode)
	ready   [][]byte // lines (or raw chunks) waiting for a reader; an empty one is end of file
	fgPgrp  int
}

// NewTTY returns a terminal writing to out in the default "sane" mode.
// Call Input with every byte typed (Run does it from a reader).
func NewTTY(out io.Writer) *TTY {
	t := &TTY{out: out, winsize: linux.Winsize{Row: 24, Col: 80}}
	t.cond = sync.NewCond(&t.mu)
	t.termios = linux.Termios{
		Iflag: linux.ICRNL,
		Oflag: linux.OPOST | linux.ONLCR,
		Cflag: linux.CS8 | linux.CREAD | linux.B38400,
		Lflag: linux.ISIG | linux.ICANON | linux.ECHO | linux.ECHOE | linux.ECHOK | linux.IEXTEN,
	}
	t.termios.Cc[linux.VINTR] = 3    // ^C
	t.termios.Cc[linux.VQUIT] = 0x1c // ^\
	t.termios.Cc[linux.VSUSP] = 0x1a // ^Z
	t.termios.Cc[linux.VERASE] = 0x7f
	t.termios.Cc[linux.VKILL] = 0x15 // ^U
	t.termios.Cc[linux.VEOF] = 4     // ^D
	t.termios.Cc[linux.VMIN] = 1
	return t
}

// pgrpSignal is a signal the line discipline sends to a process group.
type pgrpSignal struct {
	pgrp int
	sig  linux.Signal
}

// signalFor is the signal a typed character raises with ISIG set: ^C
// interrupts, ^\ quits, ^Z suspends the foreground job. Zero otherwise.
func signalFor(tm *linux.Termios, c byte) linux.Signal {
	if tm.Lflag&linux.ISIG == 0 || c == 0 {
		return 0
	}
	switch c {
	case tm.Cc[linux.VINTR]:
		return linux.SIGINT
	case tm.Cc[linux.VQUIT]:
		return linux.SIGQUIT
	case tm.Cc[linux.VSUSP]:
		return linux.SIGTSTP
	}
	return 0
}

// Run feeds Input from in until it fails (start it in its own goroutine).
func (t *TTY) Run(in io.Reader) {
	buf := make([]byte, 64)
	for {
		n, err := in.Read(buf)
		t.Input(buf[:n])
		if err != nil {
			return
		}
	}
}

// Input is the receive side: bytes as typed.
func (t *TTY) Input(p []byte) {
	var echo bytes.Buffer
	var signals []pgrpSignal
	t.mu.Lock()
	tm := &t.termios
	for _, c := range p {
		if c == '\r' && tm.Iflag&linux.ICRNL != 0 {
			c = '\n'
		}
		if sig := signalFor(tm, c); sig != 0 {
			t.line = t.line[:0]
			if tm.Lflag&linux.ECHO != 0 {
				echo.WriteString("^" + string(rune(c+'@')) + "\n")
			}
			signals = append(signals, pgrpSignal{t.fgPgrp, sig})
			continue
		}
		if tm.Lflag&linux.ICANON == 0 {
			t.ready = append(t.ready, []byte{c})
			if tm.Lflag&linux.ECHO != 0 {
				echo.WriteByte(c)
			}
			continue
		}
		switch {
		case c == tm.Cc[linux.VERASE] || c == 8:
			if len(t.line) > 0 {
				t.line = t.line[:len(t.line)-1]
				if tm.Lflag&linux.ECHO != 0 {
					echo.WriteString("\b \b")
				}
			}
		case c == tm.Cc[linux.VKILL]:
			if tm.Lflag&linux.ECHO != 0 {
				echo.WriteString(string(bytes.Repeat([]byte("\b \b"), len(t.line))))
			}
			t.line = t.line[:0]
		case c == tm.Cc[linux.VEOF]:
			t.ready = append(t.ready, t.line) // empty: end of file
			t.line = nil
		case c == '\n':
			t.ready = append(t.ready, append(t.line, '\n'))
			t.line = nil
			if tm.Lflag&linux.ECHO != 0 {
				echo.WriteByte('\n')
			}
		default:
			t.line = append(t.line, c)
			if tm.Lflag&linux.ECHO != 0 {
				echo.WriteByte(c)
			}
		}
	}
	t.cond.Broadcast()
	t.mu.Unlock()
	if echo.Len() > 0 {
		t.output(echo.Bytes())
	}
	for _, s := range signals {
		if t.Signal != nil && s.pgrp != 0 {
			t.Signal(s.pgrp, s.sig)
		}
	}
}

// Read returns one line in canonical mode (or what is ready in raw mode),
// blocking until there is one; 0 bytes is end of file (^D).
func (t *TTY) Read(f *File, p []byte) (int, error) {
	return t.ReadInterruptible(f, p, nil)
}

// ReadInterruptible is Read that gives up with EINTR when intr reports
// true; whoever makes it true calls Kick.
func (t *TTY) ReadInterruptible(f *File, p []byte, intr func() bool) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for len(t.ready) == 0 {
		if f != nil && f.Flags()&linux.O_NONBLOCK != 0 {
			return 0, linux.EAGAIN
		}
		if intr != nil && intr() {
			return 0, linux.EINTR
		}
		t.cond.Wait()
	}
	canon := t.termios.Lflag&linux.ICANON != 0
	n := 0
	for len(t.ready) > 0 && n < len(p) {
		r := t.ready[0]
		if len(r) == 0 {
			if n == 0 {
				t.ready = t.ready[1:] // end of file, reported once
			}
			break
		}
		c := copy(p[n:], r)
		n += c
		if c < len(r) {
			t.ready[0] = r[c:]
			break
		}
		t.ready = t.ready[1:]
		if canon {
			break // one line per read
		}
	}
	return n, nil
}

// Kick wakes blocked readers so they look at their interrupt condition.
func (t *TTY) Kick() {
	t.mu.Lock()
	t.cond.Broadcast()
	t.mu.Unlock()
}

// Write sends p to the terminal.
func (t *TTY) Write(f *File, p []byte) (int, error) {
	t.output(p)
	return len(p), nil
}

func (t *TTY) output(p []byte) {
	t.mu.Lock()
	onlcr := t.termios.Oflag&(linux.OPOST|linux.ONLCR) == linux.OPOST|linux.ONLCR
	t.mu.Unlock()
	if onlcr && bytes.IndexByte(p, '\n') >= 0 {
		p = bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))
	}
	t.out.Write(p)
}

// Foreground returns the foreground process group.
func (t *TTY) Foreground() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.fgPgrp
}

// SetForeground sets the foreground process group.
func (t *TTY) SetForeground(pgrp int) {
	t.mu.Lock()
	t.fgPgrp = pgrp
	t.mu.Unlock()
}

// Ioctl answers the terminal ioctls.
func (t *TTY) Ioctl(f *File, cmd, arg uint64, mem UserMemory) (uint64, error) {
	le := binary.LittleEndian
	switch cmd {
	case linux.TCGETS:
		t.mu.Lock()
		tm := t.termios
		t.mu.Unlock()
		return 0, mem.CopyOut(arg, encode(&tm))
	case linux.TCSETS, linux.TCSETSW, linux.TCSETSF:
		var tm linux.Termios
		b := make([]byte, binary.Size(tm))
		if err := mem.CopyIn(b, arg); err != nil {
			return 0, err
		}
		binary.Read(bytes.NewReader(b), le, &tm)
		t.mu.Lock()
		if tm.Lflag&linux.ICANON == 0 && t.termios.Lflag&linux.ICANON != 0 && len(t.line) > 0 {
			t.ready = append(t.ready, t.line) // leaving canonical mode: the partial line is input
			t.line = nil
		}
		if cmd == linux.TCSETSF {
			t.ready, t.line = nil, nil
		}
		t.termios = tm
		t.mu.Unlock()
		return 0, nil
	case linux.TIOCGWINSZ:
		t.mu.Lock()
		ws := t.winsize
		t.mu.Unlock()
		return 0, mem.CopyOut(arg, encode(&ws))
	case linux.TIOCSWINSZ:
		b := make([]byte, 8)
		if err := mem.CopyIn(b, arg); err != nil {
			return 0, err
		}
		t.mu.Lock()
		binary.Read(bytes.NewReader(b), le, &t.winsize)
		t.mu.Unlock()
		return 0, nil
	case linux.TIOCGPGRP:
		b := le.AppendUint32(nil, uint32(t.Foreground()))
		return 0, mem.CopyOut(arg, b)
	case linux.TIOCSPGRP:
		b := make([]byte, 4)
		if err := mem.CopyIn(b, arg); err != nil {
			return 0, err
		}
		t.SetForeground(int(int32(le.Uint32(b))))
		return 0, nil
	case linux.TIOCSCTTY:
		return 0, nil
	case linux.FIONREAD:
		t.mu.Lock()
		n := 0
		for _, r := range t.ready {
			n += len(r)
		}
		t.mu.Unlock()
		return 0, mem.CopyOut(arg, le.AppendUint32(nil, uint32(n)))
	}
	return 0, linux.ENOTTY
}

// encode lays out a fixed-size ABI structure in little-endian bytes.
func encode(v any) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, v)
	return b.Bytes()
}
