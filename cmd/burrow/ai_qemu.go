package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/burrow-os/burrow/qemu"
)

// aiQEMU boots ai/cmd/aidemo as the payload of a Burrow image under icount
// and prints its figures; with -user it also runs the same program built
// for linux/arm64 under qemu-aarch64 and requires the two scenario
// transcripts to be identical (both are arm64, so bit for bit).
func aiQEMU(args []string) int {
	fs := flag.NewFlagSet("ai qemu", flag.ContinueOnError)
	image := fs.String("image", "build/ai/aidemo.img", "Burrow image whose payload is ai/cmd/aidemo")
	board := fs.String("board", "virt", "QEMU board: virt or raspi4b")
	user := fs.String("user", "", "ai/cmd/aidemo built for linux/arm64, to run under qemu-aarch64 and compare")
	extra := fs.String("args", "", "arguments for the payload, such as \"int8=1 purego=1\"")
	if fs.Parse(args) != nil {
		return 2
	}
	cfg := qemu.Config{Board: *board, Kernel: *image, Append: strings.TrimSpace("semihosting=1 " + *extra),
		Icount: true, Semihosting: true, Protocol: true, Backstop: 10 * time.Minute}
	res, err := qemu.Run(context.Background(), cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "burrow ai qemu:", err)
		return 1
	}
	if len(res.Find("done")) != 1 {
		fmt.Fprintf(os.Stderr, "burrow ai qemu: the engine did not finish; last lines:\n%s\n", strings.Join(res.Last(20), "\n"))
		return 1
	}
	fmt.Printf("ai/cmd/aidemo %s at EL1 on Burrow's C core, QEMU %s cortex-a72, -icount shift=0 (1 ns = 1 instruction):\n", *extra, *board)
	for _, r := range res.Find("bench") {
		fmt.Printf("  %-28s %12s\n", r.Get("name"), r.Get("ns_per_op"))
	}
	kernelLines := transcriptLines(res.Lines)
	status := 0
	for _, r := range res.Find("result") {
		if r.Get("status") != "pass" {
			fmt.Printf("  FAIL %s: %s\n", r.Get("name"), r.Get("detail"))
			status = 1
		}
	}
	if *user != "" {
		out, err := exec.Command("qemu-aarch64", append([]string{*user}, strings.Fields(*extra)...)...).Output()
		if err != nil {
			fmt.Fprintln(os.Stderr, "burrow ai qemu: qemu-aarch64 (apt-get install qemu-user):", err)
			return 1
		}
		userLines := transcriptLines(strings.Split(string(out), "\n"))
		if len(userLines) == 0 || strings.Join(userLines, "\n") != strings.Join(kernelLines, "\n") {
			fmt.Printf("transcripts differ:\n-- Burrow --\n%s\n-- qemu-aarch64 --\n%s\n",
				strings.Join(kernelLines, "\n"), strings.Join(userLines, "\n"))
			return 1
		}
		fmt.Printf("transcript: %d scenarios, identical (tokens and logit bits) to linux/arm64 under qemu-aarch64\n", len(kernelLines))
	}
	return status
}

func transcriptLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		if i := strings.Index(l, "ai-scenario "); i >= 0 {
			out = append(out, strings.TrimRight(l[i+len("ai-scenario "):], "\r"))
		}
	}
	return out
}
