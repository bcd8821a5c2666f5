package vfs

import (
	"bytes"
	"testing"

	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/stretchr/testify/assert"
)

func TestTTYCanonical(t *testing.T) {
	cases := []struct {
		typed      string
		read, echo string
	}{
		{"ls\r", "ls\n", "ls\r\n"},
		{"lx\x7fs\n", "ls\n", "lx\b \bs\r\n"},
		{"abc\x15ok\n", "ok\n", "abc\b \b\b \b\b \bok\r\n"},
		{"\x7fhi\n", "hi\n", "hi\r\n"},
		{"part\x04", "part", "part"},
	}
	for _, c := range cases {
		var out bytes.Buffer
		tty := NewTTY(&out)
		tty.Input([]byte(c.typed))
		buf := make([]byte, 64)
		n, _ := tty.Read(nil, buf)
		if string(buf[:n]) != c.read || out.String() != c.echo {
			t.Errorf("typing %q: read %q echo %q, want %q and %q", c.typed, buf[:n], out.String(), c.read, c.echo)
		}
	}
}

func TestTTYEOFAndSignal(t *testing.T) {
	var out bytes.Buffer
	tty := NewTTY(&out)
	var got []int
	tty.Signal = func(pg int, sig linux.Signal) { got = append(got, pg*100+int(sig)) }
	tty.SetForeground(7)
	tty.Input([]byte("half\x03\x04"))
	n, _ := tty.Read(nil, make([]byte, 8))
	assert.Equal(t, 0, n, "^D on an empty line reads as end of file")
	assert.Equal(t, []int{7*100 + int(linux.SIGINT)}, got, "^C signals the foreground group")
	assert.Equal(t, "half^C\r\n", out.String())
}

func TestTTYJobControlKeys(t *testing.T) {
	tests := []struct {
		key  string
		sig  linux.Signal
		echo string
	}{
		{"\x03", linux.SIGINT, "^C\r\n"},
		{"\x1c", linux.SIGQUIT, "^\\\r\n"},
		{"\x1a", linux.SIGTSTP, "^Z\r\n"},
	}
	for _, tc := range tests {
		var out bytes.Buffer
		tty := NewTTY(&out)
		var got []linux.Signal
		tty.Signal = func(pg int, sig linux.Signal) {
			assert.Equal(t, 9, pg, "Input(%q) signals group %d, want the foreground 9", tc.key, pg)
			got = append(got, sig)
		}
		tty.SetForeground(9)
		tty.Input([]byte(tc.key))
		assert.Equal(t, []linux.Signal{tc.sig}, got, "Input(%q) signals", tc.key)
		assert.Equal(t, tc.echo, out.String(), "Input(%q) echo", tc.key)

		tty.termios.Lflag &^= linux.ISIG // raw programs (editors) get the byte instead
		got = nil
		tty.Input([]byte(tc.key))
		assert.Empty(t, got, "Input(%q) without ISIG signals", tc.key)
	}
}

func TestTTYRaw(t *testing.T) {
	var out bytes.Buffer
	tty := NewTTY(&out)
	tty.termios.Lflag &^= linux.ICANON | linux.ECHO
	tty.Input([]byte("ab"))
	buf := make([]byte, 8)
	n, _ := tty.Read(nil, buf)
	assert.Equal(t, "ab", string(buf[:n]))
	assert.Empty(t, out.String())
}

func TestPollReadiness(t *testing.T) {
	tty := NewTTY(&bytes.Buffer{})
	f := NewFile(&Inode{Dev: tty}, 0, "/dev/tty")
	assert.Equal(t, Readiness{Out: true}, f.Poll(), "an idle terminal is writable, not readable")
	tty.Input([]byte("partial"))
	assert.False(t, f.Poll().In, "a half-typed line is not readable in canonical mode")
	tty.Input([]byte("\r"))
	assert.True(t, f.Poll().In, "a finished line is readable")

	r, w := NewPipe(0)
	assert.Equal(t, Readiness{}, r.Poll(), "an empty pipe with a writer")
	assert.Equal(t, Readiness{Out: true}, w.Poll(), "an empty pipe has room")
	w.Ops.Write([]byte("x"))
	assert.True(t, r.Poll().In, "a pipe with data")
	w.Release()
	assert.Equal(t, Readiness{In: true, HangUp: true}, r.Poll(), "the writer closed with data left")
	r.Ops.Read(make([]byte, 1))
	assert.Equal(t, Readiness{HangUp: true}, r.Poll(), "the writer closed, nothing left: POLLHUP alone")
	r.Release()

	r, w = NewPipe(0)
	w.Ops.Write(make([]byte, PipeSize))
	assert.False(t, w.Poll().Out, "a full pipe")
	r.Release()
	assert.Equal(t, Readiness{Out: true, HangUp: true}, w.Poll(), "no reader: a write fails at once")
}
