// Package ktest is the Go kernel's side of the in-kernel test protocol
// (qemu/PROTOCOL.md): it reads the boot arguments the C core passes as
// os.Args and prints structured report lines carrying the run's nonce.
//
// It runs at EL1 in the Go kernel, and on the host in unit tests, where the
// arguments and the output are whatever the test gives it.
package ktest

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
)

// Arg returns the value of key=value among args (os.Args in the kernel), and
// whether the key was present. A bare key has value "".
func Arg(args []string, key string) (string, bool) {
	for _, a := range args {
		k, v, hasEq := strings.Cut(a, "=")
		if k == key {
			if !hasEq {
				v = ""
			}
			return v, true
		}
	}
	return "", false
}

// Reporter prints protocol lines with one nonce to one writer. Lines from
// concurrent goroutines never interleave.
type Reporter struct {
	mu    sync.Mutex
	w     io.Writer
	nonce string
}

// NewReporter returns a reporter for the nonce in args; without a nonce (an
// interactive boot) it reports nothing.
func NewReporter(w io.Writer, args []string) *Reporter {
	nonce, _ := Arg(args, "nonce")
	return &Reporter{w: w, nonce: nonce}
}

// Default reports to the console for the nonce in os.Args.
var Default = NewReporter(os.Stdout, os.Args)

// Report prints "@burrow <nonce> kind k=v ..." from alternating keys and
// values; values that are not bare tokens are Go-quoted.
func (r *Reporter) Report(kind string, kv ...any) {
	if r.nonce == "" {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "@burrow %s %s", r.nonce, kind)
	for i := 0; i+1 < len(kv); i += 2 {
		v := fmt.Sprint(kv[i+1])
		if v == "" || strings.ContainsAny(v, " \"=\\\n\t") || strconv.Quote(v) != `"`+v+`"` {
			v = strconv.Quote(v)
		}
		fmt.Fprintf(&b, " %v=%s", kv[i], v)
	}
	b.WriteByte('\n')
	r.mu.Lock()
	defer r.mu.Unlock()
	io.WriteString(r.w, b.String())
}

// Result reports one check: pass when err is nil, else fail with err as
// the detail.
func (r *Reporter) Result(name string, err error) {
	if err != nil {
		r.Report("result", "name", name, "status", "fail", "detail", err.Error())
		return
	}
	r.Report("result", "name", name, "status", "pass")
}
