package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Exit statuses of Main besides 0 (success) and 128+n (signal n), from
// sysexits.h where one fits.
const (
	ExitFailure  = 1  // Initialize, Run or Shutdown returned an error
	ExitUsage    = 2  // bad flags (the flag package's convention)
	ExitRefused  = 69 // EX_UNAVAILABLE: the kernel cannot meet the requirements
	ExitSoftware = 70 // EX_SOFTWARE: the requirements themselves are invalid
)

// Main runs a and exits with its status: it does not return.
func Main(a Application) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	r := &runner{args: os.Args, getenv: os.Getenv, prctl: sysPrctl, signals: sigs, stderr: os.Stderr, grace: 2 * time.Second}
	os.Exit(r.run(a))
}

// runner is Main with its surroundings made explicit, for tests.
type runner struct {
	args    []string // argv, the program's name first
	getenv  func(string) string
	prctl   prctlFunc
	signals <-chan os.Signal
	stderr  io.Writer
	grace   time.Duration // how long Run may take to return after a signal
}

// run is the life of an application; it returns the exit status.
func (r *runner) run(a Application) int {
	cfg, err := r.config(a)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return ExitUsage // the flag package printed why
	}
	say := func(format string, args ...any) { fmt.Fprintf(r.stderr, cfg.Name+": "+format+"\n", args...) }

	// 1. Admission.
	req := a.GetResourceRequirements()
	if err := req.Validate(); err != nil {
		say("%v", err)
		return ExitSoftware
	}
	adm, err := admit(r.prctl, cfg.Name, req)
	var refused *RefusedError
	switch {
	case errors.As(err, &refused):
		say("refused by Burrow: %v", err)
		return ExitRefused
	case err != nil:
		say("admission: %v", err)
		return ExitFailure
	case !adm.OnBurrow && cfg.RequireAdmission:
		say("not running on Burrow, and -require-admission is set")
		return ExitRefused
	case !adm.OnBurrow:
		say("not running on Burrow: running unadmitted")
	default:
		say("admitted by Burrow: %v", req)
	}

	// 2. Initialize, Run, Shutdown: Shutdown runs once Initialize was
	// called, whatever happened next, so it can release a half-done
	// Initialize's work too.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	actx := &AppContext{KernelInterface: &KernelAPI{}, Config: cfg, Admission: adm, Context: ctx}
	if req.AIServices {
		actx.AIServices = newAIServices(adm)
	}
	status := 0
	if err := a.Initialize(actx); err != nil {
		say("initialize: %v", err)
		status = ExitFailure
	} else {
		status = r.runUntilSignal(a, cancel, say)
	}
	if err := a.Shutdown(); err != nil {
		say("shutdown: %v", err)
		if status == 0 {
			status = ExitFailure
		}
	}
	return status
}

// runUntilSignal calls Run and waits for it to return. A signal first
// cancels the context and gives Run the grace period to notice; the status
// is then 128 plus the signal's number, as a shell reports it.
func (r *runner) runUntilSignal(a Application, cancel func(), say func(string, ...any)) int {
	done := make(chan error, 1)
	go func() { done <- a.Run() }()
	select {
	case err := <-done:
		if err != nil {
			say("run: %v", err)
			return ExitFailure
		}
		return 0
	case sig := <-r.signals:
		cancel()
		select {
		case <-done:
		case <-time.After(r.grace):
			say("run did not return %v after %v; shutting down anyway", sig, r.grace)
		}
		n := 0
		if s, ok := sig.(syscall.Signal); ok {
			n = int(s)
		}
		return 128 + n
	}
}

// config reads the flags: the framework's own, then the application's if
// it has any. Each flag can also come from the environment, as
// NAME_FLAG (upper case, '-' as '_': WORDFREQ_TOP=5), the command line
// winning.
func (r *runner) config(a Application) (*AppConfig, error) {
	cfg := &AppConfig{Name: filepath.Base(r.args[0])}
	fs := flag.NewFlagSet(cfg.Name, flag.ContinueOnError)
	fs.SetOutput(r.stderr)
	fs.BoolVar(&cfg.RequireAdmission, "require-admission", false, "stop unless the kernel (Burrow) admits the program")
	if f, ok := a.(Flagger); ok {
		f.Flags(fs)
	}
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		name := strings.ToUpper(strings.ReplaceAll(cfg.Name+"_"+f.Name, "-", "_"))
		if v := r.getenv(name); v != "" && envErr == nil {
			if err := fs.Set(f.Name, v); err != nil {
				envErr = fmt.Errorf("%s=%s: %w", name, v, err)
			}
		}
	})
	if envErr != nil {
		fmt.Fprintf(r.stderr, "%s: %v\n", cfg.Name, envErr)
		return nil, envErr
	}
	if err := fs.Parse(r.args[1:]); err != nil {
		return nil, err
	}
	cfg.Args = fs.Args()
	return cfg, nil
}
