package rsp

import (
	"errors"
	"testing"
)

func TestFrame(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "$#00"},
		{"OK", "$OK#9a"},
		{"qSupported", "$qSupported#37"},
		{"a$b", "$a}\x04b#44"},      // '$' escaped as } and '$'^0x20
		{"#}*", "$}\x03}]}\x0a#e1"}, // every framing byte escaped
	} {
		if got := string(Frame([]byte(tc.in))); got != tc.want {
			t.Errorf("Frame(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseFrame(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		err      error
	}{
		{"$OK#9a", "OK", nil},
		{"$#00", "", nil},
		{"$0* #" + sum("0* "), "0000", nil},        // ' ' is 32: three more
		{"$x*\"y#" + sum("x*\"y"), "xxxxxxy", nil}, // '"' is 34: five more
		{"$a}\x04b#44", "a$b", nil},
		{"$OK#9b", "", ErrBadChecksum},
		{"$OK#zz", "", errAny},
		{"OK#9a", "", errAny},
		{"$*0#" + sum("*0"), "", errAny},         // a run with nothing to repeat
		{"$a}#" + sum("a}"), "", errAny},         // escape at the end
		{"$a*\x10#" + sum("a*\x10"), "", errAny}, // count below 29
	} {
		got, err := ParseFrame([]byte(tc.in))
		switch {
		case tc.err == nil && err != nil:
			t.Errorf("ParseFrame(%q) = error %v, want %q", tc.in, err, tc.want)
		case tc.err == errAny && err == nil:
			t.Errorf("ParseFrame(%q) = %q, want an error", tc.in, got)
		case tc.err != nil && tc.err != errAny && !errors.Is(err, tc.err):
			t.Errorf("ParseFrame(%q) = error %v, want %v", tc.in, err, tc.err)
		case tc.err == nil && string(got) != tc.want:
			t.Errorf("ParseFrame(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

var errAny = errors.New("any error")

func sum(body string) string {
	const hex = "0123456789abcdef"
	c := Checksum([]byte(body))
	return string([]byte{hex[c>>4], hex[c&15]})
}

func TestFrameRoundTrip(t *testing.T) {
	for _, in := range []string{"m40080000,800", "}}}$$$###***", "\x00\x01\xff", "X40080000,4:\x7d\x23\x24\x2a"} {
		got, err := ParseFrame(Frame([]byte(in)))
		if err != nil || string(got) != in {
			t.Errorf("ParseFrame(Frame(%q)) = %q, %v, want %q", in, got, err, in)
		}
	}
}

func TestIsError(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"E14", true}, {"E.bad address", true}, {"E1", false}, {"OK", false},
		{"EZZ", false}, {"", false}, {"e14", false},
	} {
		if got := isError(tc.in); got != tc.want {
			t.Errorf("isError(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestParseStop(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Stop
		bad  bool
	}{
		{in: "T05thread:01;", want: Stop{Signal: 5, Thread: "01"}},
		{in: "T02thread:02;", want: Stop{Signal: 2, Thread: "02"}},
		{in: "T05thread:01;watch:40081000;", want: Stop{Signal: 5, Thread: "01", Reason: "watch", Addr: 0x40081000}},
		{in: "T05awatch:10;thread:p1.2;", want: Stop{Signal: 5, Thread: "p1.2", Reason: "awatch", Addr: 0x10}},
		{in: "S05", want: Stop{Signal: 5}},
		{in: "W00", want: Stop{Signal: 0, Exited: true}},
		{in: "X09", want: Stop{Signal: 9, Exited: true}},
		{in: "OK", bad: true},
		{in: "T", bad: true},
		{in: "Q05", bad: true},
	} {
		got, err := ParseStop(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("ParseStop(%q) = %+v, want an error", tc.in, got)
			}
			continue
		}
		tc.want.Raw = tc.in
		if err != nil || got != tc.want {
			t.Errorf("ParseStop(%q) = %+v, %v, want %+v", tc.in, got, err, tc.want)
		}
	}
}

func TestParseTarget(t *testing.T) {
	top := `<?xml version="1.0"?><target><architecture>aarch64</architecture>
<xi:include href="core.xml"/><xi:include href="sys.xml"/></target>`
	files := map[string]string{
		"core.xml": `<feature name="org.gnu.gdb.aarch64.core"><reg name="x0" bitsize="64"/>
<reg name="pc" bitsize="64" type="code_ptr"/><reg name="cpsr" bitsize="32"/></feature>`,
		"sys.xml": `<feature name="org.qemu.gdb.arm.sys.regs"><reg name="SCTLR" bitsize="64" regnum="75"/>
<reg name="TTBR0_EL1" bitsize="64"/></feature>`,
	}
	tg, err := ParseTarget(top, func(a string) (string, error) { return files[a], nil })
	if err != nil {
		t.Fatalf("ParseTarget: %v", err)
	}
	for _, tc := range []struct {
		name string
		num  int
		inG  bool
	}{
		{"x0", 0, true}, {"pc", 1, true}, {"CPSR", 2, true},
		{"sctlr_el1", 75, false}, {"TTBR0_EL1", 76, false},
	} {
		r, ok := tg.Lookup(tc.name)
		if !ok || r.Num != tc.num || r.InG != tc.inG {
			t.Errorf("Lookup(%q) = %+v, %v, want num %d, InG %v", tc.name, r, ok, tc.num, tc.inG)
		}
	}
	if _, ok := tg.Lookup("CurrentEL"); ok {
		t.Errorf("Lookup(CurrentEL) found a register QEMU does not publish")
	}
	if _, err := ParseTarget("<target>", nil); err == nil {
		t.Errorf("ParseTarget(truncated XML) = nil error, want one")
	}
}
