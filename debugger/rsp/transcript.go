package rsp

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// Line is one event of a recorded conversation.
type Line struct {
	Dir     byte   // '>' client to stub, '<' stub to client, '!' interrupt byte
	Payload string // decoded payload ("" for '!')
}

// Transcript is a recorded conversation, in the text format of
// testdata/*.rsp: one event per line, `> "packet"` for what the client
// sent, `< "reply"` for what the stub answered (Go-quoted, so binary and
// XML survive), `!` for an interrupt byte, and `#` comments.
type Transcript []Line

// ParseTranscript reads the text format.
func ParseTranscript(r io.Reader) (Transcript, error) {
	var t Transcript
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		switch line[0] {
		case '!':
			t = append(t, Line{Dir: '!'})
		case '>', '<':
			p, err := strconv.Unquote(strings.TrimSpace(line[1:]))
			if err != nil {
				return nil, fmt.Errorf("transcript line %d: %v", n, err)
			}
			t = append(t, Line{Dir: line[0], Payload: p})
		default:
			return nil, fmt.Errorf("transcript line %d: starts with %q, want >, < or !", n, line[0])
		}
	}
	return t, sc.Err()
}

// Recorder collects a transcript; its Trace method plugs into
// Client.Trace.
type Recorder struct {
	mu sync.Mutex
	T  Transcript
}

// Trace records one event.
func (r *Recorder) Trace(dir byte, payload string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if dir == '!' {
		payload = ""
	}
	r.T = append(r.T, Line{Dir: dir, Payload: payload})
}

// WriteTo writes the transcript in the text format.
func (r *Recorder) WriteTo(w io.Writer) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var n int64
	for _, l := range r.T {
		var s string
		if l.Dir == '!' {
			s = "!\n"
		} else {
			s = fmt.Sprintf("%c %s\n", l.Dir, strconv.Quote(l.Payload))
		}
		m, err := io.WriteString(w, s)
		n += int64(m)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
