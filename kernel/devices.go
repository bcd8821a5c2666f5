package main

import (
	"fmt"
	"io"
	"os"

	"github.com/burrow-os/burrow/drivers"
	"github.com/burrow-os/burrow/drivers/board"
	"github.com/burrow-os/burrow/kernel/ktest"
)

// devices is what probing found and bound; nil if probing failed.
var devices *drivers.Manager

// consoleIn is where the console reads typed characters: the PL011 Go
// driver's receive ring once it is bound, the C core's polled fd 0 before.
var consoleIn io.Reader = os.Stdin

// deviceInit binds drivers to what the device tree describes and prints
// the zero-configuration report. uart=c on the command line binds the
// UART's critical (C) driver instead of the Go one; block=poll makes block
// devices spin for completions instead of sleeping until their interrupt.
func deviceInit() {
	v, _ := ktest.Arg(os.Args, "uart")
	blk, _ := ktest.Arg(os.Args, "block")
	m, err := board.Probe(board.Options{CUART: v == "c", PollBlock: blk == "poll", DMA: deviceDMA()}, os.Stdout)
	if err != nil {
		fmt.Println("devices:", err)
		return
	}
	devices = m
	m.Report(os.Stdout)
	for _, d := range m.Devices {
		if d.State == drivers.Bound {
			ktest.Default.Report("device", "name", d.Binding.Name, "path", d.Path,
				"kind", d.Binding.Kind.String(), "init_ns", d.InitTime.Nanoseconds())
		}
	}
	if u := board.Console(m); u != nil {
		consoleIn = u
	}
}
