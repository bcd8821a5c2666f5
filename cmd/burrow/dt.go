package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/burrow-os/burrow/kernel/fdt"
)

func init() {
	register(command{
		name:    "dt",
		summary: "show what a device tree blob (.dtb) tells the kernel: RAM, reservations, devices",
		run:     dtCmd,
	})
}

func dtCmd(args []string) int {
	fs := flag.NewFlagSet("burrow dt", flag.ContinueOnError)
	all := fs.Bool("all", false, "also list disabled devices and devices without reg")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: burrow dt [-all] FILE.dtb\n\nParses a DTB with kernel/fdt, as the kernel does at boot, and prints the\nmemory map and each device's CPU physical registers and GIC interrupts.\nQEMU writes the DTB it passes with -machine raspi4b,dumpdtb=FILE.\n\nflags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	blob, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "burrow dt: %v\n", err)
		return 1
	}
	tree, err := fdt.Parse(blob)
	if err != nil {
		fmt.Fprintf(os.Stderr, "burrow dt: %s: %v\n", fs.Arg(0), err)
		return 1
	}
	if err := printTree(os.Stdout, tree, *all); err != nil {
		fmt.Fprintf(os.Stderr, "burrow dt: %v\n", err)
		return 1
	}
	return 0
}

// printTree writes the summary of a parsed tree.
func printTree(w io.Writer, t *fdt.Tree, all bool) error {
	model, _ := t.Root.String("model")
	fmt.Fprintf(w, "model     %s (%s)\n", model, strings.Join(t.Root.Strings("compatible"), ", "))
	mem, err := t.Memory()
	if err != nil {
		return err
	}
	for _, r := range mem {
		fmt.Fprintf(w, "memory    [0x%08x, 0x%08x)  %d MiB\n", r.Address, r.End(), r.Size>>20)
	}
	for _, r := range t.MemReserve {
		fmt.Fprintf(w, "reserved  [0x%08x, 0x%08x)  /memreserve/\n", r.Address, r.End())
	}
	rm, err := t.ReservedMemory()
	if err != nil {
		return err
	}
	for _, r := range rm {
		for _, reg := range r.Regions {
			fmt.Fprintf(w, "reserved  [0x%08x, 0x%08x)  %s%s\n", reg.Address, reg.End(), r.Node.Path(), flags(r))
		}
		if r.Size > 0 {
			var in []string
			for _, a := range r.AllocRanges {
				in = append(in, fmt.Sprintf("[0x%08x, 0x%08x)", a.Address, a.End()))
			}
			fmt.Fprintf(w, "reserved  %d MiB, placed by the OS in %s  %s%s\n", r.Size>>20, strings.Join(in, " "), r.Node.Path(), flags(r))
		}
	}
	if n := t.StdoutPath(); n != nil {
		fmt.Fprintf(w, "stdout    %s\n", n.Path())
	}
	fmt.Fprintln(w, "devices   path, compatible, CPU physical registers, interrupts")
	t.Root.Walk(func(n *fdt.Node) {
		compat := n.Strings("compatible")
		if n.Parent == nil || len(compat) == 0 || (!all && !n.Enabled()) {
			return
		}
		regs, err := t.RegCPU(n)
		if !all && (err != nil || len(regs) == 0) {
			return
		}
		line := fmt.Sprintf("  %-44s %s", n.Path(), compat[0])
		for _, r := range regs {
			line += fmt.Sprintf(" %#x+%#x", r.Address, r.Size)
		}
		if irqs, err := t.Interrupts(n); err == nil {
			for _, irq := range irqs {
				if g, err := irq.GIC(); err == nil {
					line += fmt.Sprintf(" irq%d", g.INTID)
				} else {
					line += fmt.Sprintf(" irq%v@%s", irq.Cells, irq.Controller.Name)
				}
			}
		}
		if !n.Enabled() {
			line += " (disabled)"
		}
		fmt.Fprintln(w, line)
	})
	return nil
}

func flags(r fdt.ReservedMemory) string {
	s := ""
	if r.NoMap {
		s += " no-map"
	}
	if r.Reusable {
		s += " reusable"
	}
	return s
}
