package qemu

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/burrow-os/burrow/internal/testenv"
)

// The host tests of Run use this test binary as a fake QEMU: run with
// BURROW_FAKE_QEMU set, it behaves as that variable says instead of running
// tests. It reads the nonce from its -append argument like a kernel would.
func TestMain(m *testing.M) {
	if mode := os.Getenv("BURROW_FAKE_QEMU"); mode != "" {
		os.Exit(fakeQEMU(mode, os.Args[1:]))
	}
	os.Exit(m.Run())
}

func fakeQEMU(mode string, args []string) int {
	nonce := "none"
	for i, a := range args {
		if a == "-append" && i+1 < len(args) {
			for _, f := range strings.Fields(args[i+1]) {
				if v, ok := strings.CutPrefix(f, "nonce="); ok {
					nonce = v
				}
			}
		}
	}
	switch mode {
	case "exit3":
		fmt.Printf("Burrow booting\r\n@burrow %s boot board=virt el=1\r\n", nonce)
		fmt.Printf("@burrow done status=pass\n@burrow %s done status=fail\n", nonce)
		return 3
	case "hang":
		fmt.Print("Burrow booting\nlast words before the hang\n\n")
		time.Sleep(time.Hour)
	case "hang-partial":
		fmt.Print("Burrow booting\nprompt> ")
		time.Sleep(time.Hour)
	case "silent":
		time.Sleep(time.Hour)
	case "echo":
		// A console that echoes what is typed, after printing a prompt.
		fmt.Print("login: ")
		in := bufio.NewScanner(os.Stdin)
		for in.Scan() {
			fmt.Printf("typed %q\n", in.Text())
			if in.Text() == "exit" {
				return 0
			}
			fmt.Print("$ ")
		}
		return 1
	}
	return 0
}

// fake returns a Config that runs this binary as QEMU in the given mode.
func fake(t *testing.T, mode string) Config {
	t.Setenv("BURROW_FAKE_QEMU", mode)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return Config{Board: "virt", Kernel: "k", QEMU: exe, Protocol: true}
}

func TestRunExitStatusAndProtocol(t *testing.T) {
	cfg := fake(t, "exit3")
	var con bytes.Buffer
	cfg.Console = &con
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.ExitCode != 3 || res.Backstop {
		t.Errorf("ExitCode, Backstop = %d, %v; want 3, false", res.ExitCode, res.Backstop)
	}
	if !strings.Contains(con.String(), "Burrow booting") {
		t.Errorf("console writer got %q", con.String())
	}
	if len(res.Lines) != 4 || res.Lines[0] != "Burrow booting" {
		t.Errorf("Lines = %q", res.Lines)
	}
	if !isNonce(res.Nonce) || res.Seed == 0 {
		t.Errorf("Nonce, Seed = %q, %d", res.Nonce, res.Seed)
	}
	if len(res.Reports) != 2 || res.Reports[1].Get("status") != "fail" || len(res.Rejected) != 1 {
		t.Errorf("Reports = %v, Rejected = %v", res.Reports, res.Rejected)
	}
}

func TestRunFreshNonce(t *testing.T) {
	a, _ := Run(context.Background(), fake(t, "exit3"))
	b, _ := Run(context.Background(), fake(t, "exit3"))
	if a.Nonce == b.Nonce {
		t.Errorf("two runs used the same nonce %s", a.Nonce)
	}
	cfg := fake(t, "exit3")
	cfg.Seed = 42
	c, _ := Run(context.Background(), cfg)
	if c.Seed != 42 || !strings.Contains(strings.Join(c.Args, " "), "seed=42") {
		t.Errorf("Seed = %d, args %q; want 42 on the command line", c.Seed, c.Args)
	}
}

func TestRunBackstopNamesLastLine(t *testing.T) {
	tests := []struct{ mode, want string }{
		{"hang", `last console line: "last words before the hang"`},
		{"hang-partial", `last console line: "prompt> "`},
		{"silent", "the console printed nothing"},
	}
	for _, tt := range tests {
		cfg := fake(t, tt.mode)
		cfg.Backstop = 300 * time.Millisecond
		start := time.Now()
		res, err := Run(context.Background(), cfg)
		var te *TimeoutError
		if !errors.As(err, &te) || !IsTimeout(err) {
			t.Errorf("%s: Run error = %v, want a *TimeoutError", tt.mode, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "300ms") {
			t.Errorf("%s: error = %q, want it to contain %q", tt.mode, err, tt.want)
		}
		if !res.Backstop || res.ExitCode != -1 {
			t.Errorf("%s: Backstop, ExitCode = %v, %d; want true, -1", tt.mode, res.Backstop, res.ExitCode)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: Run took %v after a 300ms backstop", tt.mode, d)
		}
	}
}

func TestRunContextCancel(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	res, err := Run(ctx, fake(t, "hang"))
	if !errors.Is(err, context.DeadlineExceeded) || res.Backstop {
		t.Errorf("Run = %v, backstop %v; want the context's error and no backstop", err, res.Backstop)
	}
}

func TestRunInput(t *testing.T) {
	cfg := fake(t, "echo")
	cfg.Input = []Input{{After: "login: ", Text: "root\n"}, {After: "$ ", Text: "ls -l\n"}, {After: "$ ", Text: "exit\n"}}
	cfg.Backstop = 10 * time.Second
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Run: %v (console %q)", err, res.Lines)
	}
	want := []string{`login: typed "root"`, `$ typed "ls -l"`, `$ typed "exit"`}
	if strings.Join(res.Lines, "|") != strings.Join(want, "|") {
		t.Errorf("Lines = %q, want %q", res.Lines, want)
	}
}

func TestRunMissingQEMU(t *testing.T) {
	_, err := Run(context.Background(), Config{Board: "virt", Kernel: "k", QEMU: "/nonexistent/qemu"})
	if err == nil || IsTimeout(err) {
		t.Errorf("Run with a missing binary = %v, want a start error", err)
	}
}

// The tests below boot real QEMU with tiny kernels assembled in image_test.go.

func TestQEMUHangNamesLastLine(t *testing.T) {
	testenv.NeedQEMU(t)
	for _, board := range []string{"virt", "raspi4b"} {
		var a asm
		a.printString(Boards[board].UART, "tiny kernel up\r\nspinning forever\r\n")
		a.hang()
		cfg := Config{Board: board, Kernel: a.write(t), Root: testenv.Root(t), Icount: true,
			Semihosting: true, Protocol: true, Backstop: 2 * time.Second}
		res, err := Run(context.Background(), cfg)
		if !IsTimeout(err) || !strings.Contains(err.Error(), `last console line: "spinning forever"`) {
			t.Errorf("%s: Run error = %v, want a timeout naming the last line (stderr %s)", board, err, res.Stderr)
		}
		if len(res.Lines) < 2 || res.Lines[0] != "tiny kernel up" {
			t.Errorf("%s: Lines = %q", board, res.Lines)
		}
	}
}

func TestQEMUSemihostingExit(t *testing.T) {
	testenv.NeedQEMU(t)
	for _, board := range BoardNames() {
		var a asm
		a.printString(Boards[board].UART, "exiting with 7\n")
		a.semihostExit(7)
		cfg := Config{Board: board, Kernel: a.write(t), Root: testenv.Root(t), Icount: true,
			Semihosting: true, Backstop: 30 * time.Second}
		res, err := Run(context.Background(), cfg)
		if err != nil || res.ExitCode != 7 || res.LastLine() != "exiting with 7" {
			t.Errorf("%s: Run = %v, exit %d, last line %q; want exit 7 (stderr %s)",
				board, err, res.ExitCode, res.LastLine(), res.Stderr)
		}
	}
}

func TestQEMUBudget(t *testing.T) {
	testenv.NeedQEMU(t)
	root := testenv.Root(t)
	for _, board := range BoardNames() {
		// A busy hang overruns the budget in virtual time, long before the backstop.
		var a asm
		a.printString(Boards[board].UART, "busy forever\n")
		a.hang()
		cfg := Config{Board: board, Kernel: a.write(t), Root: root, Icount: true, Semihosting: true,
			Budget: 200 * time.Millisecond, Backstop: time.Minute}
		start := time.Now()
		res, err := Run(context.Background(), cfg)
		var be *BudgetError
		if !errors.As(err, &be) || be.Stalled || res.Budget == nil || res.Backstop {
			t.Errorf("%s busy hang: Run = %v, want a budget overrun (stderr %s)", board, err, res.Stderr)
		} else if !strings.Contains(err.Error(), `last console line: "busy forever"`) || res.Virtual <= cfg.Budget {
			t.Errorf("%s busy hang: error %q, virtual time %v", board, err, res.Virtual)
		}
		t.Logf("%s: busy hang ended after %v wall, %v virtual", board, time.Since(start), res.Virtual)

		// A kernel that exits inside its budget is not disturbed.
		var b asm
		b.printString(Boards[board].UART, "quick\n")
		b.semihostExit(0)
		cfg.Kernel = b.write(t)
		res, err = Run(context.Background(), cfg)
		if err != nil || res.ExitCode != 0 || res.Budget != nil {
			t.Errorf("%s quick exit: Run = %v, exit %d (stderr %s)", board, err, res.ExitCode, res.Stderr)
		}
	}
}

func TestQEMUStall(t *testing.T) {
	testenv.NeedQEMU(t)
	defer func(d time.Duration) { StallAfter = d }(StallAfter)
	StallAfter = time.Second
	var a asm
	a.printString(Boards["virt"].UART, "idle forever\n")
	a.idle()
	cfg := Config{Board: "virt", Kernel: a.write(t), Root: testenv.Root(t), Icount: true,
		Budget: 10 * time.Second, Backstop: time.Minute}
	res, err := Run(context.Background(), cfg)
	var be *BudgetError
	if !errors.As(err, &be) || !be.Stalled || !strings.Contains(err.Error(), "virtual clock stopped") {
		t.Errorf("idle forever: Run = %v, want a stall (stderr %s)", err, res.Stderr)
	}
}
