package rsp

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// Checksum returns the packet checksum of payload: the sum of its bytes
// modulo 256 (GDB manual, E.1 Overview).
func Checksum(payload []byte) byte {
	var s byte
	for _, b := range payload {
		s += b
	}
	return s
}

// needsEscape reports whether b must be sent as '}' followed by b^0x20:
// the framing characters '$' and '#', the escape '}' itself and the RLE
// marker '*'.
func needsEscape(b byte) bool {
	return b == '$' || b == '#' || b == '}' || b == '*'
}

// Escape returns payload with the bytes that would break framing escaped.
func Escape(payload []byte) []byte {
	out := make([]byte, 0, len(payload))
	for _, b := range payload {
		if needsEscape(b) {
			out = append(out, '}', b^0x20)
			continue
		}
		out = append(out, b)
	}
	return out
}

// Frame returns the wire form of a packet: $, the escaped payload, # and the
// two-digit checksum of what was sent.
func Frame(payload []byte) []byte {
	body := Escape(payload)
	out := make([]byte, 0, len(body)+4)
	out = append(out, '$')
	out = append(out, body...)
	return fmt.Appendf(out, "#%02x", Checksum(body))
}

// ErrBadChecksum reports a packet whose checksum did not match.
var ErrBadChecksum = errors.New("rsp: bad packet checksum")

// Decode undoes escapes and run-length encoding in a received packet body
// (the bytes between $ and #). A run is "c*n": the character c repeated
// n-29 more times, where n is a printable byte (GDB manual, E.1).
func Decode(body []byte) ([]byte, error) {
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); i++ {
		switch b := body[i]; b {
		case '}':
			if i+1 >= len(body) {
				return nil, errors.New("rsp: packet ends inside an escape")
			}
			i++
			out = append(out, body[i]^0x20)
		case '*':
			if len(out) == 0 || i+1 >= len(body) {
				return nil, errors.New("rsp: run-length marker without a character or count")
			}
			i++
			n := int(body[i]) - 29
			if n < 0 {
				return nil, fmt.Errorf("rsp: bad run-length count %q", body[i])
			}
			out = append(out, bytes.Repeat(out[len(out)-1:], n)...)
		default:
			out = append(out, b)
		}
	}
	return out, nil
}

// ParseFrame checks and decodes one framed packet "$body#cc" and returns
// its payload.
func ParseFrame(frame []byte) ([]byte, error) {
	if len(frame) < 4 || frame[0] != '$' || frame[len(frame)-3] != '#' {
		return nil, fmt.Errorf("rsp: malformed packet %q", frame)
	}
	body := frame[1 : len(frame)-3]
	want, err := strconv.ParseUint(string(frame[len(frame)-2:]), 16, 8)
	if err != nil {
		return nil, fmt.Errorf("rsp: malformed checksum in %q", frame)
	}
	if Checksum(body) != byte(want) {
		return nil, fmt.Errorf("%w: %q has %02x, want %02x", ErrBadChecksum, frame, want, Checksum(body))
	}
	return Decode(body)
}

// StubError is an "E NN" (or QEMU's "E.message") error reply.
type StubError struct {
	Packet string // the request that failed, shortened
	Reply  string // the reply, such as "E14"
}

func (e *StubError) Error() string {
	return fmt.Sprintf("rsp: target refused %q: %s", e.Packet, e.Reply)
}

// ErrUnsupported is returned when the stub answers with the empty packet,
// which means it does not know the request.
var ErrUnsupported = errors.New("rsp: not supported by the target")

// isError reports whether a reply is an error reply: "E" and two hex
// digits, or "E." and a message.
func isError(reply string) bool {
	if len(reply) == 3 && reply[0] == 'E' {
		_, err := strconv.ParseUint(reply[1:], 16, 8)
		return err == nil
	}
	return len(reply) > 1 && reply[0] == 'E' && reply[1] == '.'
}

// short trims a packet for error messages.
func short(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
