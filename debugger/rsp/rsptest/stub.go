// Package rsptest is a fake GDB stub for host tests of the rsp client and
// of the debugger built on it. It replays a recorded conversation
// (rsp.Transcript): each packet the client sends must be the next one in
// the transcript, and the stub answers with the replies recorded after it.
// It speaks the real framing (checksums, acks) and can inject faults: RLE
// compressed replies, corrupt checksums and a dropped connection.
//
// It runs on the host only, in tests.
package rsptest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"sync"

	"github.com/burrow-os/burrow/debugger/rsp"
)

// Stub replays a transcript on one connection.
type Stub struct {
	T rsp.Transcript
	// RLE makes the stub run-length encode its replies where it can.
	RLE bool
	// CorruptFirst sends each reply first with a wrong checksum, so the
	// client has to ask for it again with '-'.
	CorruptFirst bool
	// DropAfter closes the connection after this many client packets
	// (0: never).
	DropAfter int

	mu       sync.Mutex
	pos      int
	mismatch error
	done     chan struct{}
}

// Start serves the transcript on a new in-memory connection and returns
// the client end.
func (s *Stub) Start() net.Conn {
	client, server := net.Pipe()
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		defer server.Close()
		if err := s.serve(server); err != nil && err != io.EOF && err != io.ErrClosedPipe {
			s.mu.Lock()
			if s.mismatch == nil {
				s.mismatch = err
			}
			s.mu.Unlock()
		}
	}()
	return client
}

// Err reports the first divergence from the transcript, if any, and
// whether the whole transcript was played. Call it after closing the
// client.
func (s *Stub) Err() error {
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mismatch != nil {
		return s.mismatch
	}
	if s.DropAfter == 0 && s.pos < len(s.T) {
		return fmt.Errorf("rsptest: transcript not finished: stopped at event %d of %d (%c %q)",
			s.pos, len(s.T), s.T[s.pos].Dir, s.T[s.pos].Payload)
	}
	return nil
}

func (s *Stub) serve(conn net.Conn) error {
	br := bufio.NewReader(conn)
	packets := 0
	for s.pos < len(s.T) {
		want := s.T[s.pos]
		switch want.Dir {
		case '!':
			b, err := br.ReadByte()
			if err != nil {
				return err
			}
			if b != 0x03 {
				return fmt.Errorf("rsptest: event %d: got byte %q, want interrupt 0x03", s.pos, b)
			}
			s.pos++
			continue
		case '<':
			if err := s.reply(conn, br, want.Payload); err != nil {
				return err
			}
			s.pos++
			continue
		}
		got, err := readPacket(br)
		if err != nil {
			return err
		}
		if _, err := conn.Write([]byte{'+'}); err != nil {
			return err
		}
		packets++
		if s.DropAfter > 0 && packets >= s.DropAfter {
			return nil
		}
		if got != want.Payload {
			return fmt.Errorf("rsptest: event %d: client sent %q, want %q", s.pos, got, want.Payload)
		}
		s.pos++
	}
	// Hold the connection open until the client closes it.
	_, err := io.Copy(io.Discard, br)
	return err
}

func (s *Stub) reply(conn net.Conn, br *bufio.Reader, payload string) error {
	body := rsp.Escape([]byte(payload))
	if s.RLE {
		body = encodeRLE(body)
	}
	frame := fmt.Appendf([]byte{'$'}, "%s#%02x", body, rsp.Checksum(body))
	if s.CorruptFirst {
		bad := bytes.Clone(frame)
		bad[len(bad)-1] ^= 1
		if bad[len(bad)-1] > 'f' || (bad[len(bad)-1] > '9' && bad[len(bad)-1] < 'a') {
			bad[len(bad)-2] ^= 1
		}
		if _, err := conn.Write(bad); err != nil {
			return err
		}
		if b, err := br.ReadByte(); err != nil {
			return err
		} else if b != '-' {
			return fmt.Errorf("rsptest: corrupt packet acknowledged with %q, want -", b)
		}
	}
	if _, err := conn.Write(frame); err != nil {
		return err
	}
	b, err := br.ReadByte()
	if err != nil {
		return err
	}
	if b != '+' {
		return fmt.Errorf("rsptest: reply acknowledged with %q, want +", b)
	}
	return nil
}

// readPacket reads one "$...#cc" from the client, checking it.
func readPacket(br *bufio.Reader) (string, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return "", err
		}
		if b == '$' {
			break
		}
		if b == 0x03 {
			return "", fmt.Errorf("rsptest: unexpected interrupt byte")
		}
	}
	body, err := br.ReadBytes('#')
	if err != nil {
		return "", err
	}
	sum := make([]byte, 2)
	if _, err := io.ReadFull(br, sum); err != nil {
		return "", err
	}
	p, err := rsp.ParseFrame(append(append([]byte{'$'}, body...), sum...))
	return string(p), err
}

// encodeRLE compresses runs of four or more equal bytes as "c*n", avoiding
// the counts that would produce '#' or '$' (GDB manual, E.1). Escapes are
// never part of a run.
func encodeRLE(body []byte) []byte {
	var out []byte
	for i := 0; i < len(body); {
		c := body[i]
		if c == '}' {
			out = append(out, body[i:i+2]...)
			i += 2
			continue
		}
		j := i + 1
		for j < len(body) && body[j] == c && j-i < 98 {
			j++
		}
		extra := j - i - 1
		if extra == 6 || extra == 7 { // counts that would send # (35) or $ (36)
			extra = 5
		}
		if extra >= 3 {
			out = append(out, c, '*', byte(extra+29))
			i += extra + 1
			continue
		}
		out = append(out, c)
		i++
	}
	return out
}
