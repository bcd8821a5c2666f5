package main

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/burrow-os/burrow/kernel/core"
)

// showCPUs is the console's cpus command: each CPU's time since it came
// online, split as the C core accounts it (ckernel/services.h, struct
// cpu_stat), with percentages of that CPU's online time.
func showCPUs() {
	s, err := core.ReadStats()
	if err != nil {
		fmt.Println(err)
		return
	}
	cpus, err := core.CPUStats()
	if err != nil {
		fmt.Println(err)
		return
	}
	writeCPUs(os.Stdout, cpus, s.CounterFreq)
}

// writeCPUs prints the cpus table: one row per CPU, online or not.
func writeCPUs(w io.Writer, cpus []core.CPUStat, freq uint64) {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "cpu\tstate\tbusy\t\tidle\t\tirq\t\tuser\t\tsystem\t\tswitches\tirqs\t")
	span := func(c core.CPUStat, ticks uint64) string {
		return fmt.Sprintf("%v\t%.1f%%", core.Duration(ticks, freq).Round(time.Millisecond), c.Percent(ticks))
	}
	online := 0
	for i, c := range cpus {
		if c.Online == 0 {
			fmt.Fprintf(tw, "%d\toffline\t\t\t\t\t\t\t\t\t\t\t\t\n", i)
			continue
		}
		online++
		fmt.Fprintf(tw, "%d\tonline\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t\n", i, span(c, c.Busy()), span(c, c.IdleTicks),
			span(c, c.IRQTicks), span(c, c.UserTicks), span(c, c.SystemTicks), c.Switches, c.IRQs)
	}
	tw.Flush()
	fmt.Fprintf(w, "%d of %d CPUs online; busy = irq + user + system, over each CPU's time online\n", online, len(cpus))
}
