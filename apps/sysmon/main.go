// Command sysmon prints snapshots of the system it runs on: the kernel,
// uptime, memory, the processes, its own admission, and the latest
// decisions of the kernel's AI layer. It is the Application framework's
// (app/) tour: it uses KernelInterface, AIServices and the admission, and
// stops cleanly on ^C between snapshots.
//
//	sysmon [-n snapshots] [-every duration] [-decisions N]
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/burrow-os/burrow/app"
)

type sysmon struct {
	snapshots, decisions int
	printed              int // snapshots printed so far
	every                time.Duration
	ctx                  *app.AppContext
}

func (s *sysmon) Flags(fs *flag.FlagSet) {
	fs.IntVar(&s.snapshots, "n", 1, "how many snapshots to print")
	fs.DurationVar(&s.every, "every", time.Second, "time between snapshots")
	fs.IntVar(&s.decisions, "decisions", 5, "how many of the AI layer's latest decisions to print")
}

func (s *sysmon) GetResourceRequirements() app.ResourceRequirements {
	return app.ResourceRequirements{Memory: 64 << 20, CPUs: 1, CPUShare: 5, AIServices: true}
}

func (s *sysmon) Initialize(ctx *app.AppContext) error {
	if s.snapshots < 1 {
		return fmt.Errorf("-n %d: want at least 1", s.snapshots)
	}
	s.ctx = ctx
	return nil
}

func (s *sysmon) Run() error {
	for i := 0; i < s.snapshots; i++ {
		if i > 0 {
			if err := s.ctx.KernelInterface.Sleep(s.ctx.Context, s.every); err != nil {
				return nil // a signal: stop between snapshots
			}
		}
		if err := s.snapshot(os.Stdout); err != nil {
			return err
		}
		s.printed++
	}
	return nil
}

// snapshot prints one report.
func (s *sysmon) snapshot(w io.Writer) error {
	k := s.ctx.KernelInterface
	sysname, release, machine, err := k.Uname()
	if err != nil {
		return err
	}
	up, err := k.Uptime()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "== %s %s %s, up %v\n", sysname, release, machine, up.Round(10*time.Millisecond))
	m, err := k.Memory()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "memory: %s total, %s free\n", app.Size(m.Total), app.Size(m.Free))

	ps, err := k.Processes()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "processes: %d\n", len(ps))
	fmt.Fprintf(w, "  %5s %5s %1s %3s %9s  %s\n", "PID", "PPID", "S", "THR", "RSS", "NAME")
	for _, p := range ps {
		fmt.Fprintf(w, "  %5d %5d %1s %3d %9s  %s\n", p.PID, p.PPID, p.State, p.Threads, app.Size(p.RSS), p.Name)
	}

	a := s.ctx.Admission
	switch {
	case a.Admitted:
		fmt.Fprintf(w, "admission: admitted with %s; %d CPU online\n", s.GetResourceRequirements(), a.OnlineCPUs)
	case a.OnBurrow:
		fmt.Fprintln(w, "admission: refused")
	default:
		fmt.Fprintln(w, "admission: none (not Burrow)")
	}
	return s.printAI(w)
}

// printAI prints the AI layer's state line and latest decisions.
func (s *sysmon) printAI(w io.Writer) error {
	ai := s.ctx.AIServices
	if ok, why := ai.Available(); !ok {
		fmt.Fprintf(w, "ai: unavailable: %s\n", why)
		return nil
	}
	state, err := ai.State()
	if err != nil {
		return err
	}
	first, _, _ := strings.Cut(state, "\n")
	fmt.Fprintf(w, "ai: %s\n", first)
	log, err := ai.DecisionLog()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "ai decisions: %d, the latest %d:\n", len(log), min(s.decisions, len(log)))
	for _, line := range log[max(0, len(log)-s.decisions):] {
		fmt.Fprintf(w, "  %s\n", line)
	}
	return nil
}

// Shutdown says how far Run got, on standard error like the framework's
// own messages.
func (s *sysmon) Shutdown() error {
	fmt.Fprintf(os.Stderr, "%s: shut down after %d snapshots\n", s.ctx.Config.Name, s.printed)
	return nil
}

func main() { app.Main(&sysmon{}) }
