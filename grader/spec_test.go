package grader

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

const goodSpec = `# a comment
test boot
	points 2.5
	board virt
	kernel elf
	timeout 1500ms
	args test=boot extra="a b"
	seed 7
	input "hello\r"
	input after "login: " "root\n"
	exit nonzero
	expect done status=pass
	match ^Burrow
	check ticks 1
		expect tick n>=5
		count tick >= 1
	check quiet 0.5
		reject (?i)warning
		forbid result status=fail detail="a b"

test later
	depends boot
	timeout 2e9insns
	check ok 1
		expect result name~^mm\. status!=fail
`

func TestParseGood(t *testing.T) {
	s, err := Parse("good.spec", []byte(goodSpec))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(s.Tests) != 2 {
		t.Fatalf("got %d tests, want 2", len(s.Tests))
	}
	b := s.Tests[0]
	if b.Name != "boot" || b.Points != 2.5 || b.Board != "virt" || b.Kernel != "elf" ||
		b.Budget != 1500*time.Millisecond || b.Args != `test=boot extra="a b"` || b.Seed != 7 ||
		!b.Exit.NonZero || b.Pos != "good.spec:2" {
		t.Errorf("test boot parsed as %+v", b)
	}
	if len(b.Input) != 2 || b.Input[0].Text != "hello\r" || b.Input[1].After != "login: " || b.Input[1].Text != "root\n" {
		t.Errorf("inputs = %+v", b.Input)
	}
	if len(b.Asserts) != 2 || b.Asserts[0].Kind != "done" || b.Asserts[1].Re.String() != "^Burrow" {
		t.Errorf("test assertions = %+v", b.Asserts)
	}
	if len(b.Checks) != 2 || b.Checks[0].Name != "ticks" || len(b.Checks[0].Asserts) != 2 ||
		b.Checks[1].Points != 0.5 || len(b.Checks[1].Asserts) != 2 {
		t.Fatalf("checks = %+v", b.Checks)
	}
	forbid := b.Checks[1].Asserts[1]
	if forbid.Op != "forbid" || len(forbid.Conds) != 2 || forbid.Conds[1].Value != "a b" {
		t.Errorf("forbid = %+v", forbid)
	}
	if b.Max() != 4 {
		t.Errorf("Max() = %v, want 4", b.Max())
	}
	l := s.Tests[1]
	if l.Budget != 2*time.Second || len(l.Depends) != 1 || l.Board != DefaultBoard || l.Seed != seedFor("later") {
		t.Errorf("test later parsed as %+v", l)
	}
	if c := l.Checks[0].Asserts[0].Conds; c[0].Op != "~" || c[1].Op != "!=" {
		t.Errorf("conditions = %+v", c)
	}
}

func TestParseBad(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"\tpoints 3\n", "bad.spec:1: \"points\" before any test line"},
		{"points 3\n", `bad.spec:1: expected "test <name>" at the start of a line, found "points"`},
		{"tset x\n", `bad.spec:1: expected "test <name>"`},
		{"test a b\n", `bad.spec:1: bad test name "a b"`},
		{"test a\n\tpoints lots\n", `bad.spec:2: points must be a number`},
		{"test a\n\tboard pi5\n", `bad.spec:2: unknown board "pi5"`},
		{"test a\n\tkernel zimage\n", "bad.spec:2: kernel must be image or elf"},
		{"test a\n\ttimeout soon\n", "bad.spec:2: timeout must be a positive duration"},
		{"test a\n\ttimeout -1s\n", "bad.spec:2: timeout must be a positive duration"},
		{"test a\n\tseed x\n", "bad.spec:2: seed must be a decimal number"},
		{"test a\n\tinput hello\n", "bad.spec:2: input: expected a Go-quoted string"},
		{"test a\n\tinput \"a\" b\n", "bad.spec:2: input: unexpected"},
		{"test a\n\texit 300\n", "bad.spec:2: exit must be 0..255"},
		{"test a\n\tcheck c\n", `bad.spec:2: expected "check <name> <points>"`},
		{"test a\n\tcheck c 1\n\t\tmatch x\n\tcheck c 1\n\t\tmatch y\n", "bad.spec:4: check c given twice"},
		{"test a\n\tcheck c 1\n\tmatch x\n", "bad.spec:2: check c has no assertions"},
		{"test a\n\tpoints 1\n", "bad.spec:1: test a asserts nothing"},
		{"test a\n\tmatch (\n", "bad.spec:2: match: error parsing regexp"},
		{"test a\n\tmatch\n", "bad.spec:2: match needs a regular expression"},
		{"test a\n\texpect\n", "bad.spec:2: expect needs a report kind"},
		{"test a\n\texpect Boot\n", "bad.spec:2: expect needs a report kind"},
		{"test a\n\texpect boot el\n", `bad.spec:2: expect: bad condition "el"`},
		{"test a\n\texpect tick n>=five\n", "bad.spec:2: expect: n>=five compares with a non-number"},
		{"test a\n\texpect tick n~(\n", "bad.spec:2: expect: n~(: error parsing regexp"},
		{"test a\n\texpect result detail=\"open\n", "bad.spec:2: expect: expected a Go-quoted string"},
		{"test a\n\tcount tick\n", `bad.spec:2: expected "count <kind> <op> <n>"`},
		{"test a\n\tcount tick >= x\n", `bad.spec:2: count: "x" is not a number`},
		{"test a\n\tsmell good\n", `bad.spec:2: unknown keyword "smell"`},
		{"test a\n\tdebug regs\n", "bad.spec:2: debug checks need the debugger's batch mode"},
		{"test a\n\tdepends\n", "bad.spec:2: depends needs at least one test name"},
	}
	for _, tt := range tests {
		_, err := Parse("bad.spec", []byte(tt.spec))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Parse(%q) error = %v, want prefix %q", tt.spec, err, tt.want)
		}
	}
}

func mustParse(t *testing.T, name, spec string) *Suite {
	t.Helper()
	s, err := Parse(name, []byte(spec))
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return s
}

func TestMerge(t *testing.T) {
	a := mustParse(t, "a.spec", "test one\n\tmatch x\ntest two\n\tdepends one\n\tmatch x\n")
	hidden := mustParse(t, "h.spec", "test secret\n\tdepends two\n\tmatch x\n")
	for _, h := range hidden.Tests {
		h.Hidden = true
	}
	s, err := Merge(a, hidden)
	if err != nil || len(s.Tests) != 3 || !s.Tests[2].Hidden {
		t.Fatalf("Merge = %v, %v", s, err)
	}
	tests := []struct {
		suites []*Suite
		want   string
	}{
		{[]*Suite{a, mustParse(t, "b.spec", "test one\n\tmatch y\n")}, "b.spec:1: test one already defined at a.spec:1"},
		{[]*Suite{mustParse(t, "c.spec", "test x\n\tdepends nope\n\tmatch y\n")}, "c.spec:1: test x depends on unknown test nope"},
		{[]*Suite{mustParse(t, "d.spec", "test x\n\tdepends y\n\tmatch y\ntest y\n\tdepends x\n\tmatch y\n")}, "d.spec:1: dependency cycle: x -> y -> x"},
	}
	for _, tt := range tests {
		if _, err := Merge(tt.suites...); err == nil || err.Error() != tt.want {
			t.Errorf("Merge error = %v, want %q", err, tt.want)
		}
	}
}

func TestSelect(t *testing.T) {
	s := mustParse(t, "a.spec", "test one\n\tmatch x\ntest two\n\tdepends one\n\tmatch x\ntest three\n\tmatch x\n")
	got := s.Select(regexp.MustCompile("^two$"))
	if len(got.Tests) != 2 || got.Tests[0].Name != "one" || got.Tests[1].Name != "two" {
		t.Errorf("Select(two) = %v", got.Tests)
	}
}

// The suite compiled into burrow parses and merges cleanly.
func TestBuiltin(t *testing.T) {
	s, err := Builtin()
	if err == nil {
		s, err = Merge(s)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tests) == 0 {
		t.Fatal("the built-in suite is empty")
	}
}
