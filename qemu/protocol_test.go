package qemu

import (
	"reflect"
	"testing"
)

const testNonce = "0123456789abcdef"

func TestParseLine(t *testing.T) {
	tests := []struct {
		line   string
		status LineStatus
		kind   string
		fields map[string]string
	}{
		{"hello from the kernel", NotProtocol, "", nil},
		{"", NotProtocol, "", nil},
		{"@burrowish 0123456789abcdef boot", NotProtocol, "", nil},
		{"@burrow 0123456789abcdef boot board=raspi4b el=2 ram=0x3c000000 cpus=4 banner_insns=1234",
			Accepted, "boot", map[string]string{"board": "raspi4b", "el": "2", "ram": "0x3c000000", "cpus": "4", "banner_insns": "1234"}},
		{"@burrow 0123456789abcdef tick n=5\r", Accepted, "tick", map[string]string{"n": "5"}},
		{"@burrow 0123456789ABCDEF done status=pass", Accepted, "done", map[string]string{"status": "pass"}},
		{`@burrow 0123456789abcdef result name=mm.buddy status=fail detail="got 3, want 4"`,
			Accepted, "result", map[string]string{"name": "mm.buddy", "status": "fail", "detail": "got 3, want 4"}},
		{`@burrow 0123456789abcdef result detail="a \"quoted\" word\tand tab" name=x`,
			Accepted, "result", map[string]string{"detail": "a \"quoted\" word\tand tab", "name": "x"}},
		{`@burrow 0123456789abcdef result detail=""`, Accepted, "result", map[string]string{"detail": ""}},
		{"cpu1: @burrow 0123456789abcdef tick n=1", Accepted, "tick", map[string]string{"n": "1"}},
		{"@burrow 0123456789abcdef done", Accepted, "done", map[string]string{}},
		{"@burrow 0123456789abcdef  tick  n=2  ", Accepted, "tick", map[string]string{"n": "2"}},

		// Missing nonce: a student printing the expected lines.
		{"@burrow result name=boot status=pass", MissingNonce, "", nil},
		{"@burrow done status=pass", MissingNonce, "", nil},
		{"@burrow ", MissingNonce, "", nil},
		{"@burrow 0123456789abcde done", MissingNonce, "", nil},   // 15 digits
		{"@burrow 0123456789abcdefg done", MissingNonce, "", nil}, // 17 characters
		// A nonce, but another run's.
		{"@burrow fedcba9876543210 done status=pass", WrongNonce, "", nil},
		// The right nonce, then garbage.
		{"@burrow 0123456789abcdef", Malformed, "", nil},
		{"@burrow 0123456789abcdef Done status=pass", Malformed, "", nil},
		{"@burrow 0123456789abcdef done status", Malformed, "", nil},
		{"@burrow 0123456789abcdef done =pass", Malformed, "", nil},
		{`@burrow 0123456789abcdef done detail="unterminated`, Malformed, "", nil},
		{`@burrow 0123456789abcdef done detail="x"y`, Malformed, "", nil},
		{`@burrow 0123456789abcdef done a=b=c`, Malformed, "", nil},
		{`@burrow 0123456789abcdef done a=1 a=2`, Malformed, "", nil},
		{"@burrow 0123456789abcdef done st\x00atus=pass", Malformed, "", nil},
	}
	for _, tt := range tests {
		r, st, err := ParseLine(tt.line, testNonce)
		if st != tt.status {
			t.Errorf("ParseLine(%q) status = %v (%v), want %v", tt.line, st, err, tt.status)
			continue
		}
		if (err != nil) != (st != Accepted && st != NotProtocol) {
			t.Errorf("ParseLine(%q) err = %v with status %v", tt.line, err, st)
		}
		if st != Accepted {
			continue
		}
		if r.Kind != tt.kind || !reflect.DeepEqual(r.Fields, tt.fields) {
			t.Errorf("ParseLine(%q) = %s %v, want %s %v", tt.line, r.Kind, r.Fields, tt.kind, tt.fields)
		}
	}
}

// No nonce, not even an empty one, accepts a line when the harness has none.
func TestParseLineNoHarnessNonce(t *testing.T) {
	if _, st, _ := ParseLine("@burrow 0123456789abcdef done status=pass", ""); st != WrongNonce {
		t.Errorf("status with an empty harness nonce = %v, want %v", st, WrongNonce)
	}
}

func TestReportStringRoundTrip(t *testing.T) {
	line := `@burrow 0123456789abcdef result name=a.b status=fail detail="x = \"1\"" empty=""`
	r, st, err := ParseLine(line, testNonce)
	if st != Accepted {
		t.Fatalf("ParseLine: %v %v", st, err)
	}
	want := `result name=a.b status=fail detail="x = \"1\"" empty=""`
	if got := r.String(); got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
	again, st, _ := ParseLine("@burrow "+testNonce+" "+r.String(), testNonce)
	if st != Accepted || !reflect.DeepEqual(again.Fields, r.Fields) || !reflect.DeepEqual(again.Keys, r.Keys) {
		t.Errorf("round trip of %s gave %v %v", r, again, st)
	}
}

func TestProtocolFeed(t *testing.T) {
	p := Protocol{Nonce: testNonce}
	lines := []string{
		"Burrow booting",
		"@burrow 0123456789abcdef boot board=virt el=1",
		"@burrow done status=pass",
		"@burrow 1111111111111111 done status=pass",
		"@burrow 0123456789abcdef tick n=1",
		"@burrow 0123456789abcdef tick n=2",
		"@burrow 0123456789abcdef done status=pass",
	}
	for i, l := range lines {
		p.Feed(i, l)
	}
	if len(p.Reports) != 4 || len(p.Rejected) != 2 {
		t.Fatalf("accepted %d, rejected %d; want 4 and 2: %v", len(p.Reports), len(p.Rejected), p.Rejected)
	}
	if ticks := p.Find("tick"); len(ticks) != 2 || ticks[1].Get("n") != "2" || ticks[1].Line != 5 {
		t.Errorf("Find(tick) = %v", ticks)
	}
}

func TestNewNonce(t *testing.T) {
	a, b := NewNonce(), NewNonce()
	if !isNonce(a) || !isNonce(b) || a == b {
		t.Errorf("NewNonce() = %q, %q: want two different %d-digit hex strings", a, b, NonceLen)
	}
}
