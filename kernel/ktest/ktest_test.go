package ktest

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestArg(t *testing.T) {
	args := []string{"burrow", "nonce=abc", "semihosting", "test=runtime", "x=a=b"}
	cases := []struct {
		key, want string
		ok        bool
	}{
		{"nonce", "abc", true},
		{"semihosting", "", true},
		{"x", "a=b", true},
		{"seed", "", false},
		{"test", "runtime", true},
	}
	for _, c := range cases {
		got, ok := Arg(args, c.key)
		if got != c.want || ok != c.ok {
			t.Errorf("Arg(%q) = %q, %v, want %q, %v", c.key, got, ok, c.want, c.ok)
		}
	}
}

func TestReport(t *testing.T) {
	var b bytes.Buffer
	r := NewReporter(&b, []string{"burrow", "nonce=0123456789abcdef"})
	r.Report("boot", "board", "virt", "n", 3)
	r.Result("maps", nil)
	r.Result("sleep", errors.New("slept 60ms, want 50ms"))
	assert.Equal(t, "@burrow 0123456789abcdef boot board=virt n=3\n"+
		"@burrow 0123456789abcdef result name=maps status=pass\n"+
		"@burrow 0123456789abcdef result name=sleep status=fail detail=\"slept 60ms, want 50ms\"\n", b.String())
}

func TestReportWithoutNonceIsSilent(t *testing.T) {
	var b bytes.Buffer
	NewReporter(&b, []string{"burrow"}).Report("done", "status", "pass")
	assert.Empty(t, b.String())
}
