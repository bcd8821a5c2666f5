package qemu

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// Marker starts every protocol line; PROTOCOL.md describes the format.
const Marker = "@burrow"

// Report is one structured line from the kernel, accepted because it carried
// this run's nonce.
type Report struct {
	Kind   string            // boot, tick, result, panic, done, ...
	Fields map[string]string // key=value pairs, quoted values unquoted
	Keys   []string          // the keys in the order the kernel printed them
	Line   int               // index of the console line it came from
}

// Get returns the value of key, or "" when the report has no such key.
func (r Report) Get(key string) string { return r.Fields[key] }

// String prints the report back in protocol form (without the nonce).
func (r Report) String() string {
	var b strings.Builder
	b.WriteString(r.Kind)
	for _, k := range r.Keys {
		v := r.Fields[k]
		if v == "" || strings.ContainsAny(v, " \"=") || strconv.Quote(v) != `"`+v+`"` {
			v = strconv.Quote(v)
		}
		fmt.Fprintf(&b, " %s=%s", k, v)
	}
	return b.String()
}

// LineStatus says what ParseLine made of a console line.
type LineStatus int

const (
	NotProtocol  LineStatus = iota // no @burrow marker: ordinary console output
	Accepted                       // a well-formed line with this run's nonce
	MissingNonce                   // marker present, but no nonce where it belongs
	WrongNonce                     // a nonce, but not this run's
	Malformed                      // right nonce, but the rest does not parse
)

var statusNames = [...]string{"not protocol", "accepted", "missing nonce", "wrong nonce", "malformed"}

func (s LineStatus) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("LineStatus(%d)", int(s))
}

// NonceLen is the length of a nonce in hex digits.
const NonceLen = 16

// NewNonce returns a fresh random nonce of NonceLen lower-case hex digits.
func NewNonce() string {
	var b [NonceLen / 2]byte
	rand.Read(b[:]) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b[:])
}

// NewSeed returns a random seed for the kernel's seed= argument.
func NewSeed() uint64 {
	var b [8]byte
	rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:]) >> 1 // positive as int64 too
}

// isNonce reports whether tok has the shape of a nonce.
func isNonce(tok string) bool {
	if len(tok) != NonceLen {
		return false
	}
	for _, c := range tok {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// ParseLine parses one console line against this run's nonce. Only a line
// with status Accepted yields a Report; every other marker-bearing line must
// be counted and ignored, never trusted. The marker may appear anywhere in
// the line (output from another CPU can precede it); what follows it is
// checked strictly.
func ParseLine(line, nonce string) (Report, LineStatus, error) {
	i := strings.Index(line, Marker+" ")
	if i < 0 {
		return Report{}, NotProtocol, nil
	}
	rest := strings.TrimRight(line[i+len(Marker)+1:], "\r\n")
	tok, rest := cut(rest)
	if !isNonce(tok) {
		return Report{}, MissingNonce, fmt.Errorf("no nonce after %s", Marker)
	}
	if !strings.EqualFold(tok, nonce) || nonce == "" {
		return Report{}, WrongNonce, fmt.Errorf("nonce %s is not this run's", tok)
	}
	kind, rest := cut(rest)
	if !isKey(kind) {
		return Report{}, Malformed, fmt.Errorf("bad report kind %q", kind)
	}
	r := Report{Kind: kind, Fields: map[string]string{}}
	for rest = strings.TrimLeft(rest, " "); rest != ""; rest = strings.TrimLeft(rest, " ") {
		eq := strings.IndexByte(rest, '=')
		if eq <= 0 || !isKey(rest[:eq]) {
			return Report{}, Malformed, fmt.Errorf("expected key=value at %q", rest)
		}
		key := rest[:eq]
		rest = rest[eq+1:]
		var val string
		if strings.HasPrefix(rest, `"`) {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				return Report{}, Malformed, fmt.Errorf("bad quoted value for %s: %v", key, err)
			}
			val, _ = strconv.Unquote(q)
			rest = rest[len(q):]
			if rest != "" && rest[0] != ' ' {
				return Report{}, Malformed, fmt.Errorf("junk after quoted value for %s", key)
			}
		} else {
			val, rest = cut(rest)
			if strings.ContainsAny(val, `"=`) {
				return Report{}, Malformed, fmt.Errorf("bad bare value %q for %s", val, key)
			}
		}
		if _, dup := r.Fields[key]; dup {
			return Report{}, Malformed, fmt.Errorf("key %s given twice", key)
		}
		r.Fields[key] = val
		r.Keys = append(r.Keys, key)
	}
	return r, Accepted, nil
}

// cut splits s at its first space.
func cut(s string) (tok, rest string) {
	s = strings.TrimLeft(s, " ")
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// isKey reports whether s is a valid kind or key: [a-z0-9_.-]+ starting
// with a letter.
func isKey(s string) bool {
	if s == "" || !('a' <= s[0] && s[0] <= 'z') {
		return false
	}
	for _, c := range s {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// Protocol collects the reports of one run as console lines arrive.
type Protocol struct {
	Nonce    string
	Reports  []Report
	Rejected []string // marker-bearing lines that were not accepted, with why
}

// Feed parses one console line (index n) and records what it held.
func (p *Protocol) Feed(n int, line string) {
	r, st, err := ParseLine(line, p.Nonce)
	switch st {
	case NotProtocol:
	case Accepted:
		r.Line = n
		p.Reports = append(p.Reports, r)
	default:
		p.Rejected = append(p.Rejected, fmt.Sprintf("line %d: %v: %s", n+1, err, line))
	}
}

// Find returns the reports of the given kind.
func (p *Protocol) Find(kind string) []Report {
	var out []Report
	for _, r := range p.Reports {
		if r.Kind == kind {
			out = append(out, r)
		}
	}
	return out
}
