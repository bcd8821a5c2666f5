//go:build linux && arm64

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"

	"github.com/burrow-os/burrow/kernel/proc"
)

// Applications (app/, the plan's section 4.2): the process layer admits
// them against the CPUs online and the AI engine (kai, ai_arm64.go), which
// it reads through the services set here; the console's apps command lists
// the admitted ones.

func init() {
	proc.SetAppServices(proc.AppServices{
		// The runtime counted the CPUs online when it started, from the C
		// core's sched_getaffinity (ckernel/syscall.c).
		CPUs: runtime.NumCPU,
		AI: func(w io.Writer, view string) error {
			if kai == nil {
				return errors.New("the AI engine has not started")
			}
			return kai.Console(w, []string{view})
		},
	})
	commands = append(commands, command{"apps", "the applications the kernel admitted, with their limits", showApps})
}

func showApps() {
	if userland.k == nil {
		fmt.Println("apps: no user space yet (the sh command starts it)")
		return
	}
	userland.k.WriteApps(os.Stdout)
}
