package apps

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/burrow-os/burrow/qemu"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// appCase is one command test=proc runs at EL0 (argv[0] is the path), and
// what to expect of it on Burrow and on Linux. Each program's framework
// messages (lines that start with its name and a colon, on standard error)
// are checked apart from its own output.
type appCase struct {
	name string
	argv []string
	// burrow and linux are patterns the whole output must match, each
	// line of them a regular expression for one line of output, framework
	// messages included.
	burrow, linux string
	// burrowExit and linuxExit are the exit statuses.
	burrowExit, linuxExit int
	// same says the program's own output (framework messages left out)
	// must be the same on both kernels, byte for byte.
	same bool
	// linuxArgv, linuxStdin and linuxEnv, when set, are how the case runs
	// under qemu-aarch64, which cannot run a shell pipeline of arm64
	// programs (the host has no binfmt_misc entry for them).
	linuxArgv, linuxEnv []string
	linuxStdin          string
	// burrowOnly skips the Linux run (a shell script around an app).
	burrowOnly bool
}

var appCases = []appCase{
	{name: "wordfreq-file", argv: []string{"/apps/wordfreq", "-top", "5", "/test/words.txt"}, same: true,
		burrow: `wordfreq: admitted by Burrow: 96 MiB of memory, 1 CPU, 100% share\n\d+ words, \d+ distinct\n(\s+\d+ \S+\n){5}`,
		linux:  `wordfreq: not running on Burrow: running unadmitted\n\d+ words, \d+ distinct\n(\s+\d+ \S+\n){5}`},
	{name: "wordfreq-stdin", argv: []string{"/bin/sh", "-c", "printf 'the cat and the dog\\nThe end\\n' | WORDFREQ_TOP=2 /apps/wordfreq 2>&1"},
		linuxArgv: []string{"/apps/wordfreq"}, linuxEnv: []string{"WORDFREQ_TOP=2"}, linuxStdin: "the cat and the dog\nThe end\n",
		burrow: `wordfreq: admitted by Burrow: .*\n7 words, 5 distinct\n      3 the\n      1 and\n`,
		linux:  `wordfreq: not running on Burrow: running unadmitted\n7 words, 5 distinct\n      3 the\n      1 and\n`},
	{name: "sysmon", argv: []string{"/apps/sysmon", "-n", "2", "-every", "10ms", "-decisions", "3"},
		burrow: `sysmon: admitted by Burrow: 64 MiB of memory, 1 CPU, 5% share, AI services\n` +
			`(== Linux \S+ aarch64, up \S+\nmemory: \d+ MiB total, \d+ MiB free\nprocesses: 1\n.*PID.*NAME\n.* R .*  sysmon\n` +
			`admission: admitted with 64 MiB of memory, 1 CPU, 5% share, AI services; 1 CPU online\n` +
			`ai: model .*\nai decisions: \d+, the latest \d+:\n(  .*\n)*){2}sysmon: shut down after 2 snapshots\n`,
		linux: `sysmon: not running on Burrow: running unadmitted\n(== Linux .*\nmemory: .*\nprocesses: \d+\n(.*\n)*` +
			`admission: none \(not Burrow\)\nai: unavailable: not running on Burrow\n){2}sysmon: shut down after 2 snapshots\n`},
	// ^C's signal, sent by kill once the first snapshot is out: Run stops
	// between snapshots, Shutdown runs, and the status is 128+2. (No
	// sleep: under icount a sleeping guest costs about a minute of wall
	// time per second.)
	{name: "sysmon-sigint", burrowOnly: true, argv: []string{"/bin/sh", "-c",
		"/apps/sysmon -n 1000 -every 10ms > /tmp/out 2>&1 & until grep -qs '^== ' /tmp/out; do :; done; kill -INT $!; wait $!; " +
			"echo status $?; grep -c '^== ' /tmp/out; grep shut /tmp/out"},
		burrow: `status 130\n([1-9][0-9]?)\nsysmon: shut down after [1-9][0-9]? snapshots\n`},
	{name: "greedy-refused", argv: []string{"/apps/greedy"}, burrowExit: 69,
		burrow: `greedy: refused by Burrow: needs 1024 GiB of memory, \d+ MiB free \(ENOMEM\)\n`,
		linux:  `greedy: not running on Burrow: running unadmitted\nmapped 1024 MiB in 8 MiB chunks; no limit stopped it\n`},
	{name: "greedy-limit", argv: []string{"/apps/greedy", "-declare", "128"},
		burrow: `greedy: admitted by Burrow: 128 MiB of memory, 1 CPU, 10% share\nmapped ([1-7]?[0-9]) MiB in 8 MiB chunks; the next chunk: ENOMEM \(declared 128 MiB\)\n`,
		linux:  `greedy: not running on Burrow: running unadmitted\nmapped 256 MiB in 8 MiB chunks; no limit stopped it\n`},
	{name: "greedy-require", argv: []string{"/apps/greedy", "-declare", "128", "-max", "8", "-require-admission"},
		burrow: `greedy: admitted by Burrow: .*\nmapped 8 MiB in 8 MiB chunks; no limit stopped it\n`,
		linux:  `greedy: not running on Burrow, and -require-admission is set\n`, linuxExit: 69},
}

// TestQEMUApps boots test=proc on raspi4b with the sample applications in
// the initramfs, runs each case at EL0, and runs the same binaries under
// qemu-aarch64 (Linux's own system calls), where they run unadmitted. On
// Burrow greedy is refused with the kernel's reason and status 69, and an
// admitted greedy is stopped by its memory limit with ENOMEM; the kernel
// logs both.
func TestQEMUApps(t *testing.T) {
	testenv.NeedQEMU(t, "kernel8.img", "deps/busybox")
	cpio, root := buildAppInitramfs(t)
	start := time.Now()
	res, err := qemu.Run(context.Background(), qemu.Config{
		Board:       "raspi4b",
		Kernel:      testenv.Build(t, "kernel8.img"),
		Root:        testenv.Root(t),
		Initrd:      cpio,
		Append:      "semihosting=1 test=proc",
		Icount:      true,
		Semihosting: true,
		Protocol:    true,
		Backstop:    3 * time.Minute,
	})
	console := strings.Join(res.Lines, "\n")
	require.NoError(t, err, "console:\n%s", console)
	t.Logf("QEMU ran for %v of wall time", time.Since(start).Round(time.Millisecond))
	for _, r := range res.Find("proc-stats") {
		t.Logf("at EL0: %s system calls, %s page faults, %s signals", r.Get("syscalls"), r.Get("faults"), r.Get("signals"))
	}
	outs, exits := map[string]string{}, map[string]int{}
	for _, r := range res.Find("proc-out") {
		outs[r.Get("name")] += r.Get("text")
	}
	for _, r := range res.Find("proc") {
		name := r.Get("name")
		exits[name], _ = strconv.Atoi(r.Get("exit"))
		lines := strings.Split(strings.TrimSpace(outs[name]), "\n")
		t.Logf("%s: exit %s, %s system calls: %s", name, r.Get("exit"), r.Get("syscalls"), lines[len(lines)-1])
	}
	for _, c := range appCases {
		got, ok := exits[c.name]
		if !assert.True(t, ok, "%s did not finish on Burrow", c.name) {
			continue
		}
		assert.Equal(t, c.burrowExit, got, "%s: exit status on Burrow; output:\n%s", c.name, outs[c.name])
		assertLines(t, c.burrow, outs[c.name], c.name+" on Burrow")

		if c.burrowOnly {
			continue
		}
		linuxOut, linuxExit := onLinux(t, root, c)
		assert.Equal(t, c.linuxExit, linuxExit, "%s: exit status on Linux; output:\n%s", c.name, linuxOut)
		assertLines(t, c.linux, linuxOut, c.name+" on Linux")
		if c.same {
			assert.Equal(t, ownOutput(linuxOut), ownOutput(outs[c.name]), "%s: the program's output on Burrow and Linux", c.name)
		}
	}
	// The kernel's side: the refusal and the limit are logged with reasons.
	assert.Regexp(t, `proc: pid \d+ \(greedy\): application refused: needs 1024\.0 GiB of memory, \d+ MiB free`, console)
	assert.Regexp(t, `proc: pid \d+ \(greedy\): application admitted: memory 128 MiB \(\d+ MiB mapped now\)`, console)
	assert.Regexp(t, `proc: pid \d+ \(greedy\): 8 MiB more memory refused: \d+ MiB mapped of the 128 MiB admitted`, console)
	for _, r := range res.Find("result") {
		assert.Equal(t, "pass", r.Get("status"), "%s: %s", r.Get("name"), r.Get("detail"))
	}
	if t.Failed() {
		t.Logf("console:\n%s", console)
	}
}

// assertLines checks that out matches pattern as a whole.
func assertLines(t *testing.T, pattern, out, what string) {
	t.Helper()
	re := regexp.MustCompile(`\A` + pattern + `\z`)
	assert.True(t, re.MatchString(out), "%s: output\n%s\ndoes not match\n%s", what, out, pattern)
}

// ownOutput drops the framework's messages ("name: ...") from out.
func ownOutput(out string) string {
	var keep []string
	for _, l := range strings.SplitAfter(out, "\n") {
		if !regexp.MustCompile(`^(wordfreq|sysmon|greedy): `).MatchString(l) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "")
}

// buildAppInitramfs builds the apps into /apps, adds busybox for sh, a
// text for wordfreq (the repository's README) and the case list, and packs
// them with cpio -H newc.
func buildAppInitramfs(t *testing.T) (cpio, root string) {
	root = t.TempDir()
	for _, d := range []string{"apps", "bin", "test", "tmp"} {
		require.NoError(t, os.MkdirAll(filepath.Join(root, d), 0o755))
	}
	for _, name := range []string{"sysmon", "wordfreq", "greedy"} {
		testenv.GoArm64(t, filepath.Join(root, "apps", name), "./"+name)
	}
	testenv.Busybox(t, filepath.Join(root, "bin"), "sh", "printf", "sleep", "kill", "grep")
	text, err := os.ReadFile(filepath.Join(testenv.Root(t), "README.md"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root, "test", "words.txt"), text, 0o644))
	var list []testenv.ProcCase
	for _, c := range appCases {
		list = append(list, testenv.ProcCase{Name: c.name, Argv: c.argv})
	}
	testenv.WriteProcCases(t, root, list...)
	return testenv.Cpio(t, root), root
}

// onLinux runs a case under qemu-aarch64 with root as the working
// directory and the case's paths inside root, and returns the output and
// exit status.
func onLinux(t *testing.T, root string, c appCase) (string, int) {
	qa, err := exec.LookPath("qemu-aarch64")
	if err != nil {
		t.Fatal("qemu-aarch64 (qemu-user) is not installed: scripts/setup.sh")
	}
	argv := c.argv
	if c.linuxArgv != nil {
		argv = c.linuxArgv
	}
	args := make([]string, len(argv))
	for i, a := range argv {
		args[i] = strings.NewReplacer("/apps/", root+"/apps/", "/test/", root+"/test/").Replace(a)
	}
	cmd := exec.Command(qa, append([]string{"-0", argv[0]}, args...)...)
	cmd.Env = append([]string{"HOME=/"}, c.linuxEnv...)
	cmd.Dir = root
	cmd.Stdin = strings.NewReader(c.linuxStdin)
	out, _ := cmd.CombinedOutput()
	return string(out), cmd.ProcessState.ExitCode()
}
