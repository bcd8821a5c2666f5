package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/burrow-os/burrow/qemu"
)

func init() {
	register(command{
		name:    "bench",
		summary: "measure the hybrid core's crossings in instructions per operation (icount)",
		run:     benchCmd,
	})
}

// benchRun is one board's figures: benchmark name to instructions per op.
type benchRun struct {
	board string
	order []string
	insns map[string]string
	ratio map[string]string
}

// bootBench boots test=bench on a board under icount and collects the
// kernel's bench reports, plus the boot figures as two more rows.
func bootBench(board, kernel string) (*benchRun, error) {
	res, err := qemu.Run(context.Background(), qemu.Config{
		Board: board, Kernel: kernel, Append: "semihosting=1 seed=1 test=bench",
		Icount: true, Semihosting: true, Protocol: true, Backstop: 5 * time.Minute,
	})
	if err != nil {
		return nil, err
	}
	if res.ExitCode != 0 {
		return nil, fmt.Errorf("%s: kernel exited with %d; last lines:\n%s", board, res.ExitCode,
			strings.Join(res.Last(15), "\n"))
	}
	b := &benchRun{board: board, insns: map[string]string{}, ratio: map[string]string{}}
	add := func(name, insns, ratio string) {
		b.order = append(b.order, name)
		b.insns[name], b.ratio[name] = insns, ratio
	}
	for _, r := range res.Find("bench") {
		add(r.Get("name"), r.Get("insns_per_op"), r.Get("ratio")+"x")
	}
	if r := res.Find("boot"); len(r) == 1 {
		add("entry to C banner (once)", r[0].Get("banner_insns"), "")
	}
	if r := res.Find("go"); len(r) == 1 {
		add("entry to Go main (once)", r[0].Get("main_insns"), "")
	}
	return b, nil
}

func benchCmd(args []string) int {
	fs := flag.NewFlagSet("burrow bench", flag.ContinueOnError)
	kernel := fs.String("kernel", "build/kernel8.img", "kernel image to measure")
	boards := fs.String("boards", "raspi4b,virt", "comma-separated boards")
	compare := fs.Bool("compare", false, "compare cmd/ctxbench under Burrow and under Linux on virt instead")
	burrowImg := fs.String("burrow-image", "build/bench/ctxbench.img", "with -compare: Burrow image whose payload is ctxbench")
	linuxKernel := fs.String("linux-kernel", "", "with -compare: Debian's arm64 vmlinuz")
	linuxInitrd := fs.String("linux-initrd", "build/bench/initramfs.cpio.gz", "with -compare: initramfs with ctxbench as /init")
	user := fs.Bool("user", false, "compare cmd/userbench at EL0 and the boot to the shell prompt under Burrow (-kernel) and Linux (-linux-kernel) instead")
	userInitrd := fs.String("user-initrd", "build/bench/userbench.cpio", "with -user: newc initramfs with userbench as /init")
	shellInitrd := fs.String("shell-initrd", "build/initramfs.cpio", "with -user: initramfs whose /init starts busybox's shell with PS1='burrow$ '")
	scale := fs.Float64("scale", 1, "with -user: multiply userbench's iteration counts by this")
	verbose := fs.Bool("v", false, "with -user: copy the guests' consoles to stderr")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *user {
		if *linuxKernel == "" {
			fmt.Fprintln(os.Stderr, "burrow bench -user: -linux-kernel is required (Debian's vmlinuz: scripts/setup.sh linux puts it in build/deps/linux/boot)")
			return 2
		}
		return userCompare(*kernel, *linuxKernel, *userInitrd, *shellInitrd, *scale, *verbose)
	}
	if *compare {
		return compareLinux(*burrowImg, *linuxKernel, *linuxInitrd)
	}
	var runs []*benchRun
	for _, board := range strings.Split(*boards, ",") {
		b, err := bootBench(board, *kernel)
		if err != nil {
			fmt.Fprintln(os.Stderr, "burrow bench:", err)
			return 1
		}
		runs = append(runs, b)
	}
	fmt.Println("Instructions per operation under QEMU -icount shift=0 (1 instruction = 1 ns of guest time);")
	fmt.Println("the ratio is to a C-to-C function call on the same board.")
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(w, "benchmark\t")
	for _, r := range runs {
		fmt.Fprintf(w, "%s\tratio\t", r.board)
	}
	fmt.Fprintln(w)
	for _, name := range runs[0].order {
		fmt.Fprintf(w, "%s\t", name)
		for _, r := range runs {
			fmt.Fprintf(w, "%s\t%s\t", r.insns[name], r.ratio[name])
		}
		fmt.Fprintln(w)
	}
	w.Flush()
	return 0
}

// ctxbenchRun boots cmd/ctxbench (as a Burrow payload, or as Linux's
// /init when initrd is set) on virt under icount and returns its figures.
func ctxbenchRun(kernel, initrd string) (map[string]string, []string, error) {
	cfg := qemu.Config{Board: "virt", Kernel: kernel, Append: "semihosting=1",
		Icount: true, Semihosting: true, Protocol: true, Backstop: 10 * time.Minute}
	if initrd != "" {
		cfg.Append = "console=ttyAMA0 quiet panic=-1"
		cfg.Extra = []string{"-initrd", initrd}
	}
	res, err := qemu.Run(context.Background(), cfg)
	if err != nil {
		return nil, nil, err
	}
	ns, order := map[string]string{}, []string{}
	for _, r := range res.Find("bench") {
		ns[r.Get("name")] = r.Get("ns_per_op")
		order = append(order, r.Get("name"))
	}
	if len(res.Find("done")) != 1 {
		return nil, nil, fmt.Errorf("%s did not finish; last lines:\n%s", kernel, strings.Join(res.Last(15), "\n"))
	}
	return ns, order, nil
}

func compareLinux(burrowImg, linuxKernel, linuxInitrd string) int {
	b, order, err := ctxbenchRun(burrowImg, "")
	if err != nil {
		fmt.Fprintln(os.Stderr, "burrow bench: under Burrow:", err)
		return 1
	}
	l, _, err := ctxbenchRun(linuxKernel, linuxInitrd)
	if err != nil {
		fmt.Fprintln(os.Stderr, "burrow bench: under Linux:", err)
		return 1
	}
	fmt.Println("cmd/ctxbench on QEMU virt (cortex-a72) under -icount shift=0: guest ns/op = instructions/op.")
	fmt.Printf("Linux is Debian's %s with ctxbench as /init.\n", linuxKernel)
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "benchmark\tBurrow\tLinux\tBurrow/Linux\t")
	for _, name := range order {
		var bv, lv float64
		fmt.Sscan(b[name], &bv)
		fmt.Sscan(l[name], &lv)
		ratio := "-"
		if lv > 0 {
			ratio = fmt.Sprintf("%.2fx", bv/lv)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t\n", name, b[name], l[name], ratio)
	}
	w.Flush()
	return 0
}
