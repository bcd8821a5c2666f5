package proc_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/burrow-os/burrow/qemu"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// userCase is one program run at EL0 by test=proc: argv[0] is the path.
type userCase struct {
	name string
	argv []string
	// want is the expected output; empty means "the same as the program
	// prints on Linux" (qemu-aarch64), which the test runs to find out.
	want string
	exit int
}

// goPrograms are the Go test programs under testdata/progs, built for
// linux/arm64 into the initramfs's /bin.
func goPrograms(t *testing.T) []string {
	ents, err := os.ReadDir("testdata/progs")
	require.NoError(t, err)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// buildInitramfs builds the Go programs, adds busybox and its applet links
// and the case list, and packs it all with cpio -H newc.
func buildInitramfs(t *testing.T, cases []userCase) (cpio, root string) {
	root = t.TempDir()
	bin := filepath.Join(root, "bin")
	require.NoError(t, os.MkdirAll(bin, 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "test"), 0o755))
	for _, name := range goPrograms(t) {
		testenv.GoArm64(t, filepath.Join(bin, name), "./testdata/progs/"+name)
	}
	testenv.GoArm64(t, filepath.Join(root, "init"), "../userland/init")
	testenv.Busybox(t, bin, "sh", "echo", "cat", "ls", "wc", "sort", "grep", "sed", "mkdir", "rm", "ps", "kill", "true", "false", "sleep", "uname", "head", "tr", "free", "uptime", "env", "expr", "seq", "touch", "printf", "time", "date")
	var list []testenv.ProcCase
	for _, c := range cases {
		list = append(list, testenv.ProcCase{Name: c.name, Argv: c.argv})
	}
	testenv.WriteProcCases(t, root, list...)
	return testenv.Cpio(t, root), root
}

// onLinux runs a case under qemu-aarch64 (user mode: Linux's own system
// calls) in root, and returns its output and exit code.
func onLinux(t *testing.T, root string, c userCase) (string, int) {
	qa, err := exec.LookPath("qemu-aarch64")
	if err != nil {
		t.Skip("qemu-aarch64 (qemu-user) is not installed: scripts/setup.sh")
	}
	prog := filepath.Join(root, c.argv[0])
	if strings.HasPrefix(c.argv[0], "/bin/") && !strings.Contains(c.argv[0], "busybox") {
		if target, err := os.Readlink(prog); err == nil && target == "busybox" {
			prog = filepath.Join(root, "bin", "busybox")
		}
	}
	cmd := exec.Command(qa, append([]string{"-0", c.argv[0], prog}, c.argv[1:]...)...)
	cmd.Env = []string{"PATH=/bin", "HOME=/"}
	cmd.Dir = root
	out, _ := cmd.CombinedOutput()
	return string(out), cmd.ProcessState.ExitCode()
}

// runCases boots test=proc on board and returns each case's output and
// exit status.
func runCases(t *testing.T, board, cpio string) (map[string]string, map[string]int, *qemu.Result) {
	return runCasesOn(t, qemu.Config{Board: board, Icount: true}, cpio)
}

// runCasesOn is runCases on the machine cfg describes (its board, icount,
// boot words and extra QEMU arguments).
func runCasesOn(t *testing.T, cfg qemu.Config, cpio string) (map[string]string, map[string]int, *qemu.Result) {
	cfg.Kernel, cfg.Root, cfg.Initrd = testenv.Build(t, "kernel8.img"), testenv.Root(t), cpio
	cfg.Append = strings.TrimSpace("semihosting=1 test=proc " + cfg.Append)
	cfg.Semihosting, cfg.Protocol, cfg.Backstop = true, true, 10*time.Minute
	res, err := qemu.Run(context.Background(), cfg)
	require.NoError(t, err, "console:\n%s", strings.Join(res.Lines, "\n"))
	outs, exits := map[string]string{}, map[string]int{}
	for _, r := range res.Find("proc-out") {
		outs[r.Get("name")] += r.Get("text")
	}
	for _, r := range res.Find("proc") {
		if r.Get("status") != "done" {
			t.Errorf("%s: %s", r.Get("name"), r.Get("detail"))
			continue
		}
		exits[r.Get("name")], _ = strconv.Atoi(r.Get("exit"))
		t.Logf("%s: exit %s, %s system calls", r.Get("name"), r.Get("exit"), r.Get("syscalls"))
	}
	return outs, exits, res
}

// TestQEMUUserPrograms runs unmodified static linux/arm64 programs at EL0
// on Burrow (Go programs built here, and Debian's busybox) and checks that
// each prints what it prints on Linux.
func TestQEMUUserPrograms(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img", "deps/busybox")
	cases := []userCase{
		{name: "hello", argv: []string{"/bin/hello", "a", "b"}},
		{name: "busybox-echo", argv: []string{"/bin/busybox", "echo", "hello", "world"}, want: "hello world\n"},
		{name: "exit-status", argv: []string{"/bin/conform", "exit3"}, want: "== exit3\n", exit: 3},
		{name: "exec", argv: []string{"/bin/conform", "exec"}, want: "== exec\n" +
			"exec \"from a child\\n\" <nil>\nexit code 7\nstdin \"12\" <nil>\nmissing program: true\n"},
		{name: "isolation", argv: []string{"/bin/conform", "isolation"}, want: "== isolation\n" +
			"child: fault reading the other process's address\nchild error: <nil>\nparent still reads: secret\n"},
		{name: "jobctl", argv: []string{"/bin/conform", "jobctl"}, want: "== jobctl\n" +
			"stopped=true by stopped (signal) <nil>\nstop reported once: true\ncontinued=true <nil>\n" +
			"exited=true status=0 <nil>\n== nap\nnap: nanosleep returned <nil>\n"},
	}
	for _, s := range []struct{ name, script, want string }{
		{"sh-pipe", "echo hello big world | wc -w", "3\n"},
		{"sh-redirect", "echo abc > /tmp/f; cat /tmp/f; echo def >> /tmp/f; wc -l < /tmp/f", "abc\n2\n"},
		{"sh-glob", "mkdir -p /tmp/g && cd /tmp/g && touch a.txt b.txt c.log && echo *.txt", "a.txt b.txt\n"},
		{"sh-ls", "mkdir -p /tmp/l/d && echo x > /tmp/l/f && ls /tmp/l", "d\nf\n"},
		{"sh-sort-grep-sed", "printf 'b\\na\\nc\\n' | sort | grep -v c | sed s/a/A/", "A\nb\n"},
		{"sh-rm", "mkdir /tmp/r && echo > /tmp/r/x && rm -r /tmp/r; ls /tmp/r; echo status $?", "ls: /tmp/r: No such file or directory\nstatus 1\n"},
		{"sh-ps", "ps | head -n 1", "PID   USER     COMMAND\n"},
		{"sh-kill", "sleep 10 & kill $!; wait $!; echo status $?", "Terminated\nstatus 143\n"},
		{"sh-loop", "for i in 1 2 3; do echo n$i; done; x=$(echo inner); echo \"got $x\"", "n1\nn2\nn3\ngot inner\n"},
		{"sh-exit", "exit 5", ""},
	} {
		exit := 0
		if s.name == "sh-exit" {
			exit = 5
		}
		cases = append(cases, userCase{name: s.name, argv: []string{"/bin/sh", "-c", s.script + " 2>&1"}, want: s.want, exit: exit})
	}
	// The syscall fuzzer: random numbers and arguments at EL0 must leave the
	// kernel standing, and (test=proc checks) no page or goroutine behind.
	cases = append(cases, userCase{name: "sysfuzz", argv: []string{"/bin/sysfuzz", "100000"}, want: "sysfuzz: 100000 calls done\n"})
	for _, c := range []string{"files", "pipes", "poll", "signals", "threads", "time", "memory", "mprotect", "nilpanic", "kernelmem", "efault"} {
		cases = append(cases, userCase{name: "go-" + c, argv: []string{"/bin/conform", c}})
	}
	cpio, root := buildInitramfs(t, cases)
	for _, board := range []string{"virt", "raspi4b"} {
		t.Run(board, func(t *testing.T) {
			outs, exits, res := runCases(t, board, cpio)
			console := strings.Join(res.Lines, "\n")
			for _, c := range cases {
				want, wantExit := c.want, c.exit
				if want == "" {
					want, wantExit = onLinux(t, root, c)
				}
				got, ok := exits[c.name]
				if !assert.True(t, ok, "%s did not finish; console:\n%s", c.name, console) {
					continue
				}
				assert.Equal(t, want, outs[c.name], "%s output", c.name)
				assert.Equal(t, wantExit, got, "%s exit status", c.name)
			}
			for _, r := range res.Find("result") {
				assert.Equal(t, "pass", r.Get("status"), "%s: %s", r.Get("name"), r.Get("detail"))
			}
			if t.Failed() {
				t.Logf("console:\n%s", console)
			}
		})
	}
}

// TestQEMUShell is the interactive path, as `make run` gives it: the kernel
// boots straight into /init, which starts busybox's shell on the console;
// typed lines go through the terminal's line discipline (echo, erase), ^C
// interrupts a foreground command, exit returns to the kernel console, and
// its sh command starts a new shell. No typed character is lost in the
// hand-overs between the shell and the console.
func TestQEMUShell(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img", "deps/busybox")
	cpio, _ := buildInitramfs(t, nil)
	res, err := qemu.Run(context.Background(), qemu.Config{
		Board:       "raspi4b",
		Kernel:      testenv.Build(t, "kernel8.img"),
		Root:        testenv.Root(t),
		Initrd:      cpio,
		Append:      "semihosting=1",
		Semihosting: true,
		Backstop:    3 * time.Minute,
		Input: []qemu.Input{
			{After: "burrow$ ", Text: "echo $((6*7)) typo\x7f\x7f\x7f\x7fdone\r"},
			{After: "42 done", Text: "time sleep 1\r"},
			// "sleeping" is printed by a child shell that is already the
			// foreground job with SIGINT at its default, so the ^C cannot
			// land in the window before the job owns the terminal (where the
			// interactive shell would take it). The quotes keep the echo of
			// the command line from matching.
			{After: "sys", Text: "sh -c 'echo slee\"\"ping; exec sleep 20'\r"},
			{After: "sleeping", Text: "\x03"},
			{After: "^C", Text: "echo status=$? after-\"\"interrupt\r"},
			// Job control: ^Z stops the foreground job, jobs lists it, fg
			// continues it and its interrupted sleep runs to the end.
			{After: "after-interrupt", Text: "sh -c 'echo sus\"\"pending; exec sleep 2'\r"},
			{After: "suspending", Text: "\x1a"},
			{After: "^Z", Text: "jobs; echo listed-\"\"jobs\r"},
			{After: "listed-jobs", Text: "fg; echo status=$? after-\"\"fg\r"},
			{After: "after-fg", Text: "exit\r"},
			{After: "burrow> ", Text: "sh\r"},
			{After: "burrow$ ", Text: "exit 3\r"},
			{After: "burrow> ", Text: "poweroff\r"},
		},
	})
	console := strings.Join(res.Lines, "\n")
	require.NoError(t, err, "console:\n%s", console)
	assert.Equal(t, 0, res.ExitCode, "console:\n%s", console)
	assert.Contains(t, console, "Burrow init: starting /bin/sh")
	assert.Contains(t, console, "42 done", "arithmetic, echo and erase")
	// Not timed against the wall clock (a loaded host stretches it): sleep 1
	// takes at least a second of guest time, and ^C ends sleep 20 with the
	// status of a command killed by SIGINT (128 + 2).
	assert.Regexp(t, `real\s+0m [1-9]\.\d\ds\s+user\s+0m 0\.\d\ds`, console, "sleep 1 sleeps a second")
	assert.Contains(t, console, "status=130 after-interrupt", "^C killed sleep 20 with SIGINT")
	assert.Regexp(t, `\[1\]\+\s+Stopped\s+sh -c`, console, "^Z stopped the job, and jobs lists it")
	assert.Contains(t, console, "status=0 after-fg", "fg continued the job, which finished normally")
	assert.Contains(t, console, "/init exited with status 0")
	assert.Contains(t, console, "/init exited with status 3", "the console's sh starts a second shell")
	if testing.Verbose() || t.Failed() {
		t.Logf("console:\n%s", console)
	}
}

// TestQEMUSyscallFuzzSoak is make soak-fuzz: the EL0 system-call fuzzer
// for BURROW_SOAK_CALLS calls (a million in make soak) on virt. The kernel
// must stay up and test=proc must find no page or goroutine left behind.
// Without BURROW_SOAK_CALLS it is skipped: make test runs 100,000 calls in
// TestQEMUUserPrograms.
func TestQEMUSyscallFuzzSoak(t *testing.T) {
	calls := os.Getenv("BURROW_SOAK_CALLS")
	if calls == "" {
		t.Skip("BURROW_SOAK_CALLS is not set (make soak-fuzz sets it)")
	}
	testenv.NeedQEMU(t, "kernel8.img", "deps/busybox")
	n, err := strconv.Atoi(calls)
	require.NoError(t, err, "BURROW_SOAK_CALLS=%q", calls)
	cases := []userCase{{name: "sysfuzz", argv: []string{"/bin/sysfuzz", calls}}}
	cpio, _ := buildInitramfs(t, cases)
	outs, exits, res := runCases(t, "virt", cpio)
	require.Equal(t, 0, exits["sysfuzz"], "sysfuzz exit status; console:\n%s", strings.Join(res.Lines, "\n"))
	require.Equal(t, fmt.Sprintf("sysfuzz: %d calls done\n", n), outs["sysfuzz"])
	results := res.Find("result")
	require.NotEmpty(t, results)
	for _, r := range results {
		assert.Equal(t, "pass", r.Get("status"), "%s: %s", r.Get("name"), r.Get("detail"))
	}
	for _, r := range res.Find("proc-stats") {
		t.Logf("sysfuzz: %d calls, kernel counted %s system calls, %s faults, %s signals", n, r.Get("syscalls"), r.Get("faults"), r.Get("signals"))
	}
}

// TestQEMUSMPUserPrograms runs the Go conformance checks on four cores
// (virt -smp 4, no icount, GOMAXPROCS=4 in each program): threads of one
// process on different cores, futex wakes across cores, signals, pipes,
// fork and exec, job control. Each must print what it prints on one core.
// It boots four vCPUs, so it runs alone in the smp tier (mk/smp.test.sh).
func TestQEMUSMPUserPrograms(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img", "deps/busybox")
	if os.Getenv("BURROW_SMP_TIER") != "1" {
		t.Skip("four vCPUs: runs alone in the smp tier (mk/smp.test.sh, BURROW_SMP_TIER=1)")
	}
	var cases []userCase
	for _, c := range []string{"threads", "signals", "pipes", "poll", "memory", "mprotect", "files"} {
		cases = append(cases, userCase{name: "go-" + c, argv: []string{"/bin/conform", c}})
	}
	cases = append(cases, userCase{name: "jobctl", argv: []string{"/bin/conform", "jobctl"}},
		userCase{name: "sysfuzz", argv: []string{"/bin/sysfuzz", "20000"}, want: "sysfuzz: 20000 calls done\n"})
	cpio, _ := buildInitramfs(t, cases)
	one, _, _ := runCases(t, "virt", cpio)
	outs, exits, res := runCasesOn(t, qemu.Config{Board: "virt", Append: "cpus=4", Extra: []string{"-smp", "4"}}, cpio)
	console := strings.Join(res.Lines, "\n")
	require.Contains(t, console, "4 CPUs online", "console:\n%s", console)
	for _, c := range cases {
		want := c.want
		if want == "" {
			want = one[c.name]
		}
		assert.Equal(t, 0, exits[c.name], "%s exit status on four cores", c.name)
		assert.Equal(t, want, outs[c.name], "%s on four cores", c.name)
	}
	for _, r := range res.Find("result") {
		assert.Equal(t, "pass", r.Get("status"), "%s: %s", r.Get("name"), r.Get("detail"))
	}
}
