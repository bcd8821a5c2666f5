package qemu

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Result is what one run of QEMU produced.
type Result struct {
	Args     []string      // QEMU's arguments, for the log
	ExitCode int           // QEMU's exit status (with semihosting, the kernel's); -1 if killed
	Lines    []string      // the console, one entry per line, without line ends
	Dropped  int           // lines dropped from the front of Lines when it grew past MaxLines
	Nonce    string        // with Config.Protocol, this run's nonce
	Seed     uint64        // with Config.Protocol, this run's seed
	Reports  []Report      // protocol lines that carried the nonce
	Rejected []string      // protocol lines that did not (never trusted)
	Backstop bool          // the wall-clock backstop fired and QEMU was killed
	Virtual  time.Duration // with a Budget, the last virtual time read (a lower bound)
	Budget   *BudgetError  // with a Budget, set when the guest overran it or stalled
	Stderr   string        // what QEMU itself printed (errors, warnings)
	Wall     time.Duration // how long the run took
}

// MaxLines bounds Result.Lines; a kernel stuck printing cannot exhaust the
// host's memory. Protocol lines are parsed as they arrive, so none are lost.
const MaxLines = 100_000

// maxLineLen breaks a line that never ends, so it is still recorded.
const maxLineLen = 4096

// Find returns the accepted reports of the given kind.
func (r *Result) Find(kind string) []Report {
	p := Protocol{Reports: r.Reports}
	return p.Find(kind)
}

// Last returns up to n of the final console lines.
func (r *Result) Last(n int) []string {
	if n > len(r.Lines) {
		n = len(r.Lines)
	}
	return r.Lines[len(r.Lines)-n:]
}

// LastLine returns the final non-empty console line, or "".
func (r *Result) LastLine() string {
	for i := len(r.Lines) - 1; i >= 0; i-- {
		if strings.TrimSpace(r.Lines[i]) != "" {
			return r.Lines[i]
		}
	}
	return ""
}

// TimeoutError is returned when the wall-clock backstop kills QEMU.
type TimeoutError struct {
	After    time.Duration
	LastLine string // the last non-empty console line, "" if there was none
}

func (e *TimeoutError) Error() string {
	last := "the console printed nothing"
	if e.LastLine != "" {
		last = fmt.Sprintf("last console line: %q", e.LastLine)
	}
	return fmt.Sprintf("qemu: kernel did not exit within the %v wall-clock backstop; %s", e.After, last)
}

// BudgetError is returned when the guest overran its virtual-time budget, or
// its virtual clock stopped for good. Either is the kernel's doing, unlike a
// backstop timeout.
type BudgetError struct {
	Budget   time.Duration // the budget (virtual time)
	Virtual  time.Duration // virtual time when QEMU was killed
	Stalled  bool          // the clock stopped: every CPU idle with no timer armed
	LastLine string
}

func (e *BudgetError) Error() string {
	last := "the console printed nothing"
	if e.LastLine != "" {
		last = fmt.Sprintf("last console line: %q", e.LastLine)
	}
	if e.Stalled {
		return fmt.Sprintf("qemu: kernel hung: virtual clock stopped at %v (every CPU idle, no timer armed); %s", e.Virtual, last)
	}
	return fmt.Sprintf("qemu: kernel did not exit within its %v virtual-time budget (%d instructions); %s",
		e.Budget, e.Budget.Nanoseconds(), last)
}

// StallAfter is how long the virtual clock may stand still, in wall time,
// before a run with a Budget counts as hung.
var StallAfter = 10 * time.Second

// budgetPoll is how often the virtual clock is read.
const budgetPoll = 20 * time.Millisecond

// IsTimeout reports whether err is a backstop timeout.
func IsTimeout(err error) bool {
	var t *TimeoutError
	return errors.As(err, &t)
}

// Run boots QEMU as cfg says, streams its console to cfg.Console and into the
// result, types cfg.Input, and waits for QEMU to exit. It returns the result
// and, when QEMU could not start, the backstop fired (*TimeoutError) or ctx
// ended, an error; the result is filled in as far as the run got either way.
// A non-zero exit status is not an error: with semihosting it is the
// kernel's verdict, which the caller judges.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	res := &Result{ExitCode: -1}
	var proto *Protocol
	if cfg.Protocol {
		res.Nonce, res.Seed = NewNonce(), cfg.Seed
		if s, err := strconv.ParseUint(os.Getenv("BURROW_SEED"), 10, 64); res.Seed == 0 && err == nil && s != 0 {
			res.Seed = s // replaying a failed run: the seed its test printed
		}
		if res.Seed == 0 {
			res.Seed = NewSeed()
		}
		cfg.Append = strings.TrimSpace(fmt.Sprintf("nonce=%s seed=%d %s", res.Nonce, res.Seed, cfg.Append))
		proto = &Protocol{Nonce: res.Nonce}
	}
	if cfg.Budget > 0 {
		if !cfg.Icount {
			return res, fmt.Errorf("qemu: a virtual-time budget needs Icount")
		}
		dir, err := os.MkdirTemp("", "burrow-qemu-")
		if err != nil {
			return res, err
		}
		defer os.RemoveAll(dir)
		if cfg.QMP == "" {
			cfg.QMP = filepath.Join(dir, "qmp.sock")
		}
	}
	args, err := cfg.Args(false)
	if err != nil {
		return res, err
	}
	res.Args = args
	backstop := cfg.Backstop
	if backstop <= 0 {
		backstop = DefaultBackstop
	}

	cmd := exec.Command(cfg.binary(), args...)
	con := &console{res: res, proto: proto, out: cfg.Console, inputs: cfg.Input,
		typed: make(chan string, len(cfg.Input))}
	cmd.Stdout = con
	var stderr limitedBuffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return res, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, fmt.Errorf("qemu: %v", err)
	}
	// One goroutine types, so a slow guest UART never stalls the console
	// reader. QEMU reads the pipe only as fast as the guest's UART takes
	// characters, so a long input waits in the pipe.
	typist := make(chan struct{})
	go func() {
		defer close(typist)
		for s := range con.typed {
			io.WriteString(stdin, s)
		}
	}()
	con.typeReady() // inputs with no After text go at once

	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	overrun := make(chan *BudgetError, 1)
	lastVirtual := make(chan time.Duration, 1)
	if cfg.Budget > 0 {
		go watchBudget(watchCtx, &cfg, overrun, lastVirtual)
	} else {
		lastVirtual <- 0
	}
	timer := time.NewTimer(backstop)
	defer timer.Stop()
	var runErr error
	select {
	case <-waited:
	case <-timer.C:
		cmd.Process.Kill()
		<-waited
		res.Backstop = true
		runErr = &TimeoutError{After: backstop}
	case be := <-overrun:
		cmd.Process.Kill()
		<-waited
		res.Budget = be
		runErr = be
	case <-ctx.Done():
		cmd.Process.Kill()
		<-waited
		runErr = ctx.Err()
	}
	stopWatch()
	res.Virtual = <-lastVirtual
	stdin.Close() // unblocks the typist if QEMU died with input pending
	close(con.typed)
	<-typist
	res.Wall = time.Since(start)
	con.flush()
	if proto != nil {
		res.Reports, res.Rejected = proto.Reports, proto.Rejected
	}
	if cmd.ProcessState != nil {
		res.ExitCode = cmd.ProcessState.ExitCode()
	}
	res.Stderr = stderr.String()
	switch e := runErr.(type) {
	case *TimeoutError:
		e.LastLine = res.LastLine()
	case *BudgetError:
		e.LastLine = res.LastLine()
	}
	return res, runErr
}

// watchBudget reads the guest's virtual clock until ctx ends, reports an
// overrun or a stall on overrun, and sends the last time read on last.
// If QMP never answers, only the backstop guards the run.
func watchBudget(ctx context.Context, cfg *Config, overrun chan<- *BudgetError, last chan<- time.Duration) {
	var vt time.Duration
	defer func() { last <- vt }()
	q, err := DialQMP(ctx, cfg.QMP)
	if err != nil {
		return
	}
	go func() { <-ctx.Done(); q.Close() }()
	tick := time.NewTicker(budgetPoll)
	defer tick.Stop()
	changed := time.Now()
	for {
		t, err := readVirtualTime(q)
		if err != nil {
			return // QEMU exited, or ctx ended
		}
		if t != vt {
			vt, changed = t, time.Now()
		}
		switch {
		case vt > cfg.Budget:
			overrun <- &BudgetError{Budget: cfg.Budget, Virtual: vt}
			return
		case !cfg.Halted && time.Since(changed) > StallAfter:
			overrun <- &BudgetError{Budget: cfg.Budget, Virtual: vt, Stalled: true}
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// console receives QEMU's stdout: it splits lines, feeds the protocol parser
// and types pending input when its cue appears. os/exec calls Write from one
// goroutine, and typeReady runs before that goroutine sees data; mu guards
// the input state between the two.
type console struct {
	res     *Result
	proto   *Protocol
	out     io.Writer
	partial []byte
	seen    int // lines seen, counting dropped ones

	mu     sync.Mutex
	inputs []Input     // not yet typed, in order
	tail   string      // recent output, where the next input's cue is looked for
	typed  chan string // inputs whose cue has appeared, to the typist
}

func (c *console) Write(p []byte) (int, error) {
	if c.out != nil {
		c.out.Write(p)
	}
	for _, b := range p {
		switch {
		case b == '\n':
			c.endLine()
		case len(c.partial) >= maxLineLen:
			c.endLine()
			c.partial = append(c.partial, b)
		default:
			c.partial = append(c.partial, b)
		}
	}
	if len(c.inputs) > 0 {
		c.mu.Lock()
		c.tail += string(p)
		c.mu.Unlock()
		c.typeReady()
	}
	return len(p), nil
}

// endLine records the partial line as a whole one.
func (c *console) endLine() {
	line := strings.TrimRight(string(c.partial), "\r")
	c.partial = c.partial[:0]
	if c.proto != nil {
		c.proto.Feed(c.seen, line)
	}
	c.seen++
	c.res.Lines = append(c.res.Lines, line)
	if len(c.res.Lines) > MaxLines {
		drop := MaxLines / 10
		c.res.Lines = append(c.res.Lines[:0:0], c.res.Lines[drop:]...)
		c.res.Dropped += drop
	}
}

// flush records a final line that had no line end.
func (c *console) flush() {
	if len(c.partial) > 0 {
		c.endLine()
	}
}

// typeReady types every input whose cue has appeared, in order.
func (c *console) typeReady() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.inputs) > 0 {
		in := c.inputs[0]
		i := strings.Index(c.tail, in.After)
		if i < 0 {
			if len(c.tail) > maxLineLen {
				c.tail = c.tail[len(c.tail)-len(in.After):]
			}
			return
		}
		c.tail = c.tail[i+len(in.After):]
		c.inputs = c.inputs[1:]
		c.typed <- in.Text // never blocks: the channel holds every input
	}
}

// limitedBuffer keeps the first 64 KiB written to it.
type limitedBuffer struct{ bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := 64<<10 - b.Len(); room > 0 {
		if len(p) > room {
			b.Buffer.Write(p[:room])
		} else {
			b.Buffer.Write(p)
		}
	}
	return len(p), nil
}

// Interactive boots QEMU with the console on this terminal (stdin and
// stdout), for burrow run. Ctrl-A X quits; Ctrl-A C switches to the QEMU
// monitor. It returns when QEMU exits.
func Interactive(cfg Config) error {
	args, err := cfg.Args(true)
	if err != nil {
		return err
	}
	cmd := exec.Command(cfg.binary(), args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("qemu: %v", err)
	}
	return nil
}
