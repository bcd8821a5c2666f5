package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/burrow-os/burrow/qemu"
)

// User-space benchmarks (issue #10): cmd/userbench as /init, the same
// initramfs booted by Burrow and by Debian's Linux on QEMU virt under
// icount, and the time from reset to busybox's shell prompt under each.

// userTarget is one kernel to measure.
type userTarget struct {
	name   string // "Burrow" or "Linux"
	kernel string // Burrow's kernel8.img or Linux's vmlinuz
	append string // its command line, before the nonce
}

func burrowTarget(kernel string) userTarget {
	return userTarget{name: "Burrow", kernel: kernel, append: "semihosting=1"}
}

func linuxTarget(vmlinuz string) userTarget {
	// quiet: the console carries only the program's output; panic=-1 with
	// QEMU's -no-reboot stops the machine should init ever exit.
	return userTarget{name: "Linux", kernel: vmlinuz, append: "console=ttyAMA0 quiet panic=-1"}
}

// userRow is one benchmark's figure on one kernel.
type userRow struct {
	name  string
	iters int
	ns    float64
}

// doneWatcher receives QEMU's console and cancels the run once a line
// holding marker has been printed: Burrow has no reboot(2), so after its
// /init exits the kernel goes back to its console and QEMU keeps running.
type doneWatcher struct {
	marker string
	cancel context.CancelFunc
	tail   string
	out    io.Writer // a copy of the console, or nil
}

func (w *doneWatcher) Write(p []byte) (int, error) {
	if w.out != nil {
		w.out.Write(p)
	}
	w.tail += string(p)
	for {
		line, rest, ok := strings.Cut(w.tail, "\n")
		if !ok {
			break
		}
		if strings.Contains(line, w.marker) { // a whole line, so Run has all of it
			w.cancel()
		}
		w.tail = rest
	}
	return len(p), nil
}

// runUserbench boots t with the userbench initramfs, this run's nonce in
// its /etc/nonce, on virt under icount, and returns the benchmark rows.
// scale multiplies every iteration count (through /etc/benchscale).
func runUserbench(t userTarget, initramfs string, scale float64, console io.Writer) ([]userRow, error) {
	base, err := os.ReadFile(initramfs)
	if err != nil {
		return nil, err
	}
	nonce := qemu.NewNonce()
	archive, err := cpioWithFile(base, "etc/nonce", []byte(nonce+"\n"))
	if err == nil {
		archive, err = cpioWithFile(archive, "etc/benchscale", []byte(strconv.FormatFloat(scale, 'g', -1, 64)+"\n"))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", initramfs, err)
	}
	dir, err := os.MkdirTemp("", "burrow-userbench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	cpio := filepath.Join(dir, "initramfs.cpio")
	if err := os.WriteFile(cpio, archive, 0o644); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := "@burrow " + nonce + " done "
	res, err := qemu.Run(ctx, qemu.Config{
		Board: "virt", Kernel: t.kernel, Initrd: cpio,
		Append: "nonce=" + nonce + " " + t.append,
		Icount: true, Semihosting: true, Backstop: 10 * time.Minute,
		Console: &doneWatcher{marker: done, cancel: cancel, out: console},
	})
	if err != nil && ctx.Err() == nil {
		return nil, fmt.Errorf("%s: %v; last lines:\n%s", t.name, err, strings.Join(res.Last(15), "\n"))
	}
	p := &qemu.Protocol{Nonce: nonce}
	for i, line := range res.Lines {
		p.Feed(i, line)
	}
	if d := p.Find("done"); len(d) != 1 || d[0].Get("status") != "pass" {
		return nil, fmt.Errorf("%s: userbench did not finish cleanly; last lines:\n%s", t.name, strings.Join(res.Last(15), "\n"))
	}
	var rows []userRow
	for _, r := range p.Find("bench") {
		row := userRow{name: r.Get("name")}
		var err1, err2 error
		row.iters, err1 = strconv.Atoi(r.Get("iters"))
		row.ns, err2 = strconv.ParseFloat(r.Get("ns_per_op"), 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s: bad bench report %v", t.name, r)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// promptInstructions boots t with the shell's initramfs and returns the
// instructions the guest executed from reset until the console shows
// prompt. When the prompt appears the host stops the virtual CPU over QMP
// and reads QEMU's raw instruction counter (query-replay's icount, which
// counts executed instructions, not the idle time icount's clock skips).
// The shell then waits in read(2) with the CPU idle, so the few host
// milliseconds between the guest's write and the stop add only timer
// interrupts; the drift figure measures that.
func promptInstructions(t userTarget, initramfs, prompt string) (insns, drift int64, err error) {
	dir, err := os.MkdirTemp("", "burrow-prompt-")
	if err != nil {
		return 0, 0, err
	}
	defer os.RemoveAll(dir)
	sock := filepath.Join(dir, "qmp.sock")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	seen := make(chan struct{})
	var once sync.Once
	watch := &promptWatcher{prompt: prompt, seen: func() { once.Do(func() { close(seen) }) }}
	type reading struct {
		at, later int64
		err       error
	}
	read := make(chan reading, 1)
	go func() {
		var r reading
		defer func() { read <- r; cancel() }()
		q, err := qemu.DialQMP(ctx, sock)
		if err != nil {
			r.err = err
			return
		}
		defer q.Close()
		select {
		case <-seen:
		case <-ctx.Done():
			r.err = fmt.Errorf("the prompt %q never appeared", prompt)
			return
		}
		if _, r.err = q.Call("stop", nil); r.err != nil {
			return
		}
		if r.at, r.err = rawIcount(q); r.err != nil {
			return
		}
		// Let it run idle at the prompt for a while: how far does the
		// counter move without the guest doing anything?
		if _, r.err = q.Call("cont", nil); r.err != nil {
			return
		}
		time.Sleep(500 * time.Millisecond)
		r.later, r.err = rawIcount(q)
	}()
	res, runErr := qemu.Run(ctx, qemu.Config{
		Board: "virt", Kernel: t.kernel, Initrd: initramfs, Append: t.append,
		Icount: true, QMP: sock, Backstop: 5 * time.Minute, Console: watch,
	})
	r := <-read
	if r.err != nil {
		if runErr != nil && ctx.Err() == nil {
			r.err = fmt.Errorf("%v (%v)", r.err, runErr)
		}
		return 0, 0, fmt.Errorf("%s: %v; last lines:\n%s", t.name, r.err, strings.Join(res.Last(10), "\n"))
	}
	return r.at, r.later - r.at, nil
}

// promptWatcher calls seen once the console output ends with the prompt.
type promptWatcher struct {
	prompt string
	tail   string
	seen   func()
}

func (w *promptWatcher) Write(p []byte) (int, error) {
	w.tail += string(p)
	if strings.Contains(w.tail, w.prompt) {
		w.seen()
	}
	if len(w.tail) > 256 {
		w.tail = w.tail[len(w.tail)-len(w.prompt):]
	}
	return len(p), nil
}

// rawIcount reads QEMU's count of executed guest instructions.
func rawIcount(q *qemu.QMP) (int64, error) {
	raw, err := q.Call("query-replay", nil)
	if err != nil {
		return 0, err
	}
	var r struct {
		Icount int64 `json:"icount"`
	}
	return r.Icount, json.Unmarshal(raw, &r)
}

// userCompare is burrow bench -user: both kernels, both measurements, one
// table of ratios.
func userCompare(burrowKernel, linuxKernel, benchInitrd, shellInitrd string, scale float64, verbose bool) int {
	var console io.Writer
	if verbose {
		console = os.Stderr
	}
	targets := []userTarget{burrowTarget(burrowKernel), linuxTarget(linuxKernel)}
	rows := map[string][]userRow{}
	for _, t := range targets {
		r, err := runUserbench(t, benchInitrd, scale, console)
		if err != nil {
			fmt.Fprintln(os.Stderr, "burrow bench -user:", err)
			return 1
		}
		rows[t.name] = r
	}
	prompt := map[string][2]int64{}
	for _, t := range targets {
		at, drift, err := promptInstructions(t, shellInitrd, "burrow$ ")
		if err != nil {
			fmt.Fprintln(os.Stderr, "burrow bench -user:", err)
			return 1
		}
		prompt[t.name] = [2]int64{at, drift}
	}
	fmt.Println("cmd/userbench at EL0 on QEMU virt (cortex-a72, 1 GiB) under -icount shift=0:")
	fmt.Println("guest ns/op = instructions/op; the same initramfs under Burrow and under Debian's Linux.")
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "benchmark\titerations\tBurrow ns/op\tLinux ns/op\tBurrow/Linux\t")
	linux := map[string]userRow{}
	for _, r := range rows["Linux"] {
		linux[r.name] = r
	}
	for _, b := range rows["Burrow"] {
		l, ok := linux[b.name]
		ratio := "-"
		if ok && l.ns > 0 {
			ratio = fmt.Sprintf("%.2fx", b.ns/l.ns)
		}
		fmt.Fprintf(w, "%s\t%d\t%.1f\t%.1f\t%s\t\n", b.name, b.iters, b.ns, l.ns, ratio)
	}
	b, l := prompt["Burrow"], prompt["Linux"]
	fmt.Fprintf(w, "reset to shell prompt (instructions)\t1\t%d\t%d\t%.2fx\t\n", b[0], l[0], float64(b[0])/float64(l[0]))
	w.Flush()
	fmt.Printf("Idle at the prompt for 0.5 s of host time afterwards, the count moved by %d (Burrow) and %d (Linux) instructions.\n", b[1], l[1])
	return 0
}
