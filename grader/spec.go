package grader

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/burrow-os/burrow/qemu"
)

// A Suite is the tests one grading run uses: the visible suite, plus the
// hidden one in instructor and Gradescope mode.
type Suite struct {
	Tests []*Test
}

// A Test is one QEMU boot. Its own Points are awarded when the boot itself
// succeeds (the test-level assertions hold and the exit status is right);
// each Check adds its Points independently, which is how partial credit
// works.
type Test struct {
	Name    string
	Points  float64
	Board   string        // a qemu board: raspi4b, virt, virt-el2
	Kernel  string        // "image" (build/kernel8.img) or "elf" (build/ckernel.elf)
	Budget  time.Duration // virtual time (instructions under icount)
	Args    string        // kernel command line, after nonce= and seed=
	Seed    uint64        // seed= value; derived from the name unless given
	Input   []qemu.Input
	Depends []string
	Exit    ExitRule
	Asserts []*Assertion // test-level: decide the test's own Points
	Checks  []*Check
	Hidden  bool   // came from the hidden directory
	Pos     string // file:line of the test line
}

// Max is the most the test can score.
func (t *Test) Max() float64 {
	m := t.Points
	for _, c := range t.Checks {
		m += c.Points
	}
	return m
}

// expectsPanic reports whether the test asks for a panic report, so a panic
// is the point of the test rather than a failure.
func (t *Test) expectsPanic() bool {
	for _, a := range t.Asserts {
		if a.Op == "expect" && a.Kind == "panic" {
			return true
		}
	}
	for _, c := range t.Checks {
		for _, a := range c.Asserts {
			if a.Op == "expect" && a.Kind == "panic" {
				return true
			}
		}
	}
	return false
}

// A Check is a scored child of a test, judged on the same boot's output.
type Check struct {
	Name    string
	Points  float64
	Asserts []*Assertion
	Pos     string
}

// ExitRule is what QEMU's exit status must be: a number, or any non-zero.
type ExitRule struct {
	Any     bool // any status
	NonZero bool // any status but 0
	Status  int
}

func (e ExitRule) String() string {
	switch {
	case e.Any:
		return "any"
	case e.NonZero:
		return "nonzero"
	}
	return strconv.Itoa(e.Status)
}

// Allows reports whether status satisfies the rule.
func (e ExitRule) Allows(status int) bool {
	switch {
	case e.Any:
		return true
	case e.NonZero:
		return status != 0
	}
	return status == e.Status
}

// An Assertion is one line of expectation about a boot:
//
//	expect <kind> [key<op>value ...]   some report of kind satisfies every condition
//	forbid <kind> [key<op>value ...]   no report of kind satisfies them all
//	count  <kind> <op> <n>             the number of reports of kind compares so
//	match  <regex>                     some console line matches
//	reject <regex>                     no console line matches
type Assertion struct {
	Op      string
	Kind    string
	Conds   []Cond
	CountOp string
	Count   int
	Re      *regexp.Regexp
	Src     string // the assertion as written, for reports
	Pos     string
}

// Cond is key<op>value on a report field. Ops: = != < <= > >= and ~ (regex).
type Cond struct {
	Key, Op, Value string
	re             *regexp.Regexp
}

func (c Cond) String() string { return c.Key + c.Op + c.Value }

// Defaults for a test that does not say.
const (
	DefaultBoard  = "raspi4b"
	DefaultBudget = 5 * time.Second
)

// specError is a parse error at file:line.
func specError(file string, line int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", file, line, fmt.Sprintf(format, args...))
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// Parse reads one spec file. The format is line based; README.md describes
// it. Indentation shows structure: a test line starts in column 0, its
// properties and checks are indented, and a check's assertions are indented
// further than the check.
func Parse(file string, data []byte) (*Suite, error) {
	s := &Suite{}
	var t *Test
	var c *Check
	checkIndent := ""
	for i, raw := range strings.Split(string(data), "\n") {
		n := i + 1
		line := strings.TrimRight(raw, " \t\r")
		body := strings.TrimLeft(line, " \t")
		if body == "" || body[0] == '#' {
			continue
		}
		indent := line[:len(line)-len(body)]
		word, rest, _ := strings.Cut(body, " ")
		rest = strings.TrimSpace(rest)
		if indent == "" {
			if word != "test" {
				return nil, specError(file, n, "expected \"test <name>\" at the start of a line, found %q", word)
			}
			if !nameRE.MatchString(rest) {
				return nil, specError(file, n, "bad test name %q (letters, digits, _ . -)", rest)
			}
			t = &Test{Name: rest, Points: 0, Board: DefaultBoard, Kernel: "image", Budget: DefaultBudget,
				Seed: seedFor(rest), Pos: fmt.Sprintf("%s:%d", file, n)}
			s.Tests = append(s.Tests, t)
			c = nil
			continue
		}
		if t == nil {
			return nil, specError(file, n, "%q before any test line", word)
		}
		// A line indented deeper than the current check belongs to it.
		if c != nil && !(strings.HasPrefix(indent, checkIndent) && len(indent) > len(checkIndent)) {
			c = nil
		}
		if c != nil {
			a, err := parseAssertion(word, rest)
			if err != nil {
				return nil, specError(file, n, "%v", err)
			}
			a.Pos = fmt.Sprintf("%s:%d", file, n)
			c.Asserts = append(c.Asserts, a)
			continue
		}
		if err := parseProperty(t, word, rest, file, n, &c, &checkIndent, indent); err != nil {
			return nil, err
		}
	}
	for _, t := range s.Tests {
		for _, c := range t.Checks {
			if len(c.Asserts) == 0 {
				return nil, fmt.Errorf("%s: check %s has no assertions (indent them under the check)", c.Pos, c.Name)
			}
		}
		if len(t.Asserts) == 0 && len(t.Checks) == 0 {
			return nil, fmt.Errorf("%s: test %s asserts nothing", t.Pos, t.Name)
		}
	}
	return s, nil
}

// parseProperty handles one test-level line.
func parseProperty(t *Test, word, rest, file string, n int, c **Check, checkIndent *string, indent string) error {
	bad := func(format string, args ...any) error { return specError(file, n, format, args...) }
	switch word {
	case "points":
		p, err := parsePoints(rest)
		if err != nil {
			return bad("%v", err)
		}
		t.Points = p
	case "board":
		if _, err := qemu.LookupBoard(rest); err != nil {
			return bad("unknown board %q (known: %s)", rest, strings.Join(qemu.BoardNames(), ", "))
		}
		t.Board = rest
	case "kernel":
		if rest != "image" && rest != "elf" {
			return bad("kernel must be image or elf, not %q", rest)
		}
		t.Kernel = rest
	case "timeout":
		d, err := parseBudget(rest)
		if err != nil {
			return bad("%v", err)
		}
		t.Budget = d
	case "args":
		t.Args = rest
	case "seed":
		v, err := strconv.ParseUint(rest, 10, 64)
		if err != nil {
			return bad("seed must be a decimal number: %q", rest)
		}
		t.Seed = v
	case "input":
		in, err := parseInput(rest)
		if err != nil {
			return bad("%v", err)
		}
		t.Input = append(t.Input, in)
	case "depends":
		f := strings.Fields(rest)
		if len(f) == 0 {
			return bad("depends needs at least one test name")
		}
		t.Depends = append(t.Depends, f...)
	case "exit":
		switch rest {
		case "any":
			t.Exit = ExitRule{Any: true}
		case "nonzero":
			t.Exit = ExitRule{NonZero: true}
		default:
			v, err := strconv.Atoi(rest)
			if err != nil || v < 0 || v > 255 {
				return bad("exit must be 0..255, nonzero or any: %q", rest)
			}
			t.Exit = ExitRule{Status: v}
		}
	case "check":
		f := strings.Fields(rest)
		if len(f) != 2 || !nameRE.MatchString(f[0]) {
			return bad("expected \"check <name> <points>\"")
		}
		p, err := parsePoints(f[1])
		if err != nil {
			return bad("%v", err)
		}
		for _, old := range t.Checks {
			if old.Name == f[0] {
				return bad("check %s given twice in test %s", f[0], t.Name)
			}
		}
		*c = &Check{Name: f[0], Points: p, Pos: fmt.Sprintf("%s:%d", file, n)}
		*checkIndent = indent
		t.Checks = append(t.Checks, *c)
	case "debug":
		return bad("debug checks need the debugger's batch mode (issue #6), which does not exist yet")
	default:
		a, err := parseAssertion(word, rest)
		if err != nil {
			return bad("%v", err)
		}
		a.Pos = fmt.Sprintf("%s:%d", file, n)
		t.Asserts = append(t.Asserts, a)
	}
	return nil
}

func parsePoints(s string) (float64, error) {
	p, err := strconv.ParseFloat(s, 64)
	if err != nil || p < 0 || p > 1e6 {
		return 0, fmt.Errorf("points must be a number >= 0, not %q", s)
	}
	return p, nil
}

// parseBudget reads a virtual-time budget: a Go duration ("2s", "500ms") or
// an instruction count ("2e9insns", "1500000000insns").
func parseBudget(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "insns"); ok {
		v, err := strconv.ParseFloat(n, 64)
		if err != nil || v <= 0 {
			return 0, fmt.Errorf("bad instruction count %q", s)
		}
		return time.Duration(v), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("timeout must be a positive duration (2s, 500ms) or an instruction count (2e9insns), not %q", s)
	}
	return d, nil
}

// parseInput reads `"text"` or `after "cue" "text"` (Go-quoted strings).
func parseInput(s string) (qemu.Input, error) {
	var in qemu.Input
	if rest, ok := strings.CutPrefix(s, "after "); ok {
		cue, rest, err := quoted(strings.TrimSpace(rest))
		if err != nil {
			return in, fmt.Errorf("input after: %v", err)
		}
		in.After, s = cue, strings.TrimSpace(rest)
	}
	text, rest, err := quoted(s)
	if err != nil {
		return in, fmt.Errorf("input: %v", err)
	}
	if strings.TrimSpace(rest) != "" {
		return in, fmt.Errorf("input: unexpected %q after the text", rest)
	}
	in.Text = text
	return in, nil
}

// quoted reads one Go-quoted string from the front of s.
func quoted(s string) (string, string, error) {
	q, err := strconv.QuotedPrefix(s)
	if err != nil || q[0] == '\'' {
		return "", "", fmt.Errorf("expected a Go-quoted string at %q", s)
	}
	v, _ := strconv.Unquote(q)
	return v, s[len(q):], nil
}

var (
	kindRE     = regexp.MustCompile(`^[a-z][a-z0-9_.-]*$`)
	condRE     = regexp.MustCompile(`^([a-z][a-z0-9_.-]*)(!=|<=|>=|=|<|>|~)(.*)$`)
	orderOps   = map[string]bool{"<": true, "<=": true, ">": true, ">=": true}
	compareOps = map[string]bool{"=": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true, "~": true}
)

func parseAssertion(op, rest string) (*Assertion, error) {
	a := &Assertion{Op: op, Src: strings.TrimSpace(op + " " + rest)}
	switch op {
	case "match", "reject":
		if rest == "" {
			return nil, fmt.Errorf("%s needs a regular expression", op)
		}
		re, err := regexp.Compile(rest)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", op, err)
		}
		a.Re = re
	case "expect", "forbid", "count":
		f, err := fields(rest)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", op, err)
		}
		if len(f) == 0 || !kindRE.MatchString(f[0]) {
			return nil, fmt.Errorf("%s needs a report kind (boot, tick, result, ...)", op)
		}
		a.Kind = f[0]
		if op == "count" {
			if len(f) != 3 || !compareOps[f[1]] || f[1] == "~" {
				return nil, fmt.Errorf(`expected "count <kind> <op> <n>" with op = != < <= > >=`)
			}
			n, err := strconv.Atoi(f[2])
			if err != nil {
				return nil, fmt.Errorf("count: %q is not a number", f[2])
			}
			a.CountOp, a.Count = f[1], n
			break
		}
		for _, w := range f[1:] {
			m := condRE.FindStringSubmatch(w)
			if m == nil {
				return nil, fmt.Errorf("%s: bad condition %q (want key=value, key>=n, key~regex, ...)", op, w)
			}
			cd := Cond{Key: m[1], Op: m[2], Value: m[3]}
			if cd.Op == "~" {
				if cd.re, err = regexp.Compile(cd.Value); err != nil {
					return nil, fmt.Errorf("%s: %s: %v", op, w, err)
				}
			}
			if orderOps[cd.Op] {
				if _, ok := number(cd.Value); !ok {
					return nil, fmt.Errorf("%s: %s compares with a non-number", op, w)
				}
			}
			a.Conds = append(a.Conds, cd)
		}
	default:
		return nil, fmt.Errorf("unknown keyword %q", op)
	}
	return a, nil
}

// fields splits s at spaces, keeping Go-quoted values (key="a b") whole and
// unquoting them.
func fields(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		end := strings.IndexAny(s, " \"")
		if end < 0 {
			out = append(out, s)
			break
		}
		if s[end] == ' ' {
			out = append(out, s[:end])
			s = s[end:]
			continue
		}
		v, rest, err := quoted(s[end:])
		if err != nil {
			return nil, err
		}
		out = append(out, s[:end]+v)
		s = rest
	}
	return out, nil
}

// number parses a decimal or 0x-prefixed integer.
func number(s string) (int64, bool) {
	v, err := strconv.ParseInt(s, 0, 64)
	return v, err == nil
}

// seedFor derives a test's seed from its name (FNV-1a), so reruns of the
// same suite pass the kernel the same seed.
func seedFor(name string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	return h >> 1
}

// LoadDir parses every *.spec file in dir of fsys, in name order, marking
// the tests hidden if asked.
func LoadDir(fsys fs.FS, dir string, hidden bool) (*Suite, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.spec"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("grader: no *.spec files in %s", dir)
	}
	sort.Strings(names)
	s := &Suite{}
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		one, err := Parse(n, data)
		if err != nil {
			return nil, err
		}
		for _, t := range one.Tests {
			t.Hidden = hidden
		}
		s.Tests = append(s.Tests, one.Tests...)
	}
	return s, nil
}

// Merge combines suites (the visible one first, then hidden ones) and checks
// the result: unique names, dependencies that exist, and no cycles.
func Merge(suites ...*Suite) (*Suite, error) {
	out := &Suite{}
	seen := map[string]*Test{}
	for _, s := range suites {
		if s == nil {
			continue
		}
		for _, t := range s.Tests {
			if old, dup := seen[t.Name]; dup {
				return nil, fmt.Errorf("%s: test %s already defined at %s", t.Pos, t.Name, old.Pos)
			}
			seen[t.Name] = t
			out.Tests = append(out.Tests, t)
		}
	}
	for _, t := range out.Tests {
		for _, d := range t.Depends {
			if _, ok := seen[d]; !ok {
				return nil, fmt.Errorf("%s: test %s depends on unknown test %s", t.Pos, t.Name, d)
			}
		}
	}
	// Depth-first search for cycles.
	state := map[string]int{} // 0 new, 1 on the stack, 2 done
	var visit func(t *Test, trail []string) error
	visit = func(t *Test, trail []string) error {
		switch state[t.Name] {
		case 1:
			return fmt.Errorf("%s: dependency cycle: %s", t.Pos, strings.Join(append(trail, t.Name), " -> "))
		case 2:
			return nil
		}
		state[t.Name] = 1
		for _, d := range t.Depends {
			if err := visit(seen[d], append(trail, t.Name)); err != nil {
				return err
			}
		}
		state[t.Name] = 2
		return nil
	}
	for _, t := range out.Tests {
		if err := visit(t, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Select keeps the tests whose names match re, and every test they depend
// on.
func (s *Suite) Select(re *regexp.Regexp) *Suite {
	byName := map[string]*Test{}
	for _, t := range s.Tests {
		byName[t.Name] = t
	}
	keep := map[string]bool{}
	var add func(t *Test)
	add = func(t *Test) {
		if keep[t.Name] {
			return
		}
		keep[t.Name] = true
		for _, d := range t.Depends {
			add(byName[d])
		}
	}
	for _, t := range s.Tests {
		if re.MatchString(t.Name) {
			add(t)
		}
	}
	out := &Suite{}
	for _, t := range s.Tests {
		if keep[t.Name] {
			out.Tests = append(out.Tests, t)
		}
	}
	return out
}
