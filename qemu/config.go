package qemu

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config describes one QEMU run.
type Config struct {
	Board  string // a key of Boards: raspi4b, virt or virt-el2
	Kernel string // build/kernel8.img (raw Image) or build/ckernel.elf (ELF)
	Append string // kernel command line; Run puts the protocol's nonce= seed= first
	Initrd string // an initial RAM disk (-initrd): the loader names it in /chosen

	// Root is the top of the Burrow tree, where a board's DTB is looked up.
	// Empty means $BURROW_ROOT, or else the working directory.
	Root string
	DTB  string // a device tree to use instead of the board's own

	// Icount runs the guest with -icount shift=0,sleep=off: one virtual
	// nanosecond per instruction, so guest time is repeatable. Use it for
	// tests and benchmarks, never interactively (idle time jumps ahead).
	Icount bool
	// Semihosting lets the kernel exit QEMU with a status (SYS_EXIT).
	Semihosting bool
	// GDBSocket, when set, starts a gdbstub on this Unix socket path, so
	// parallel instances never race for TCP ports.
	GDBSocket string
	// Halted starts the CPUs stopped (-S), for a debugger to attach first.
	Halted bool

	// Protocol turns on the in-kernel test protocol: Run draws a fresh
	// nonce, puts "nonce=<hex> seed=<n>" on the command line and parses the
	// kernel's @burrow lines (PROTOCOL.md).
	Protocol bool
	// Seed is the seed= value with Protocol; 0 draws a random one.
	Seed uint64

	// Budget is a limit on the guest's virtual time, which under Icount is
	// an instruction count (one nanosecond per instruction). When the guest
	// passes it, or its virtual clock stops for good (every CPU idle with no
	// timer armed), Run kills QEMU and returns a *BudgetError. Zero means no
	// budget. It needs Icount; vclock.go says how the clock is read.
	Budget time.Duration

	// Backstop is the wall-clock limit on the whole run. When it fires, Run
	// kills QEMU and returns a *TimeoutError. Zero means DefaultBackstop.
	Backstop time.Duration
	// Input is typed on the console, each piece once the console has shown
	// its After text.
	Input []Input
	// Console, when set, receives the console output as it arrives.
	Console io.Writer

	// QMP, when set, opens a QMP monitor on this Unix socket path. Run
	// opens one in a temporary directory for a Budget.
	QMP string

	Extra []string // more QEMU arguments, appended last
	QEMU  string   // the QEMU binary; empty means qemu-system-aarch64
}

// Input is text to type on the console.
type Input struct {
	After string // wait until the console output contains this ("" types at once)
	Text  string // what to type; include "\r" or "\n" to end a line
}

// DefaultBackstop is Run's wall-clock limit when Config.Backstop is zero.
const DefaultBackstop = 2 * time.Minute

// DefaultQEMU is the QEMU binary Burrow uses for every board.
const DefaultQEMU = "qemu-system-aarch64"

// binary returns the QEMU binary to run.
func (c *Config) binary() string {
	if c.QEMU != "" {
		return c.QEMU
	}
	return DefaultQEMU
}

// dtb returns the device tree path to pass, or "".
func (c *Config) dtb(b Board) string {
	if c.DTB != "" {
		return c.DTB
	}
	if b.DTB == "" {
		return ""
	}
	root := c.Root
	if root == "" {
		root = os.Getenv("BURROW_ROOT")
	}
	if root == "" {
		root = "."
	}
	return filepath.Join(root, b.DTB)
}

// Args returns QEMU's arguments (without the binary's name). Tests route the
// console through stdio and have no monitor; interactive runs multiplex the
// monitor onto the terminal (-serial mon:stdio), so Ctrl-A X quits and
// Ctrl-A C reaches the monitor.
func (c *Config) Args(interactive bool) ([]string, error) {
	b, err := LookupBoard(c.Board)
	if err != nil {
		return nil, err
	}
	if c.Kernel == "" {
		return nil, fmt.Errorf("qemu: no kernel given")
	}
	args := append([]string{}, b.Machine...)
	if d := c.dtb(b); d != "" {
		args = append(args, "-dtb", d)
	}
	args = append(args, "-kernel", c.Kernel)
	if c.Initrd != "" {
		args = append(args, "-initrd", c.Initrd)
	}
	if app := c.bootArgs(interactive); app != "" {
		args = append(args, "-append", app)
	}
	// The PL011 is the first serial port on every board, so one -serial
	// is enough.
	args = append(args, "-display", "none")
	if interactive {
		args = append(args, "-serial", "mon:stdio")
	} else {
		args = append(args, "-serial", "stdio", "-monitor", "none", "-no-reboot")
	}
	if c.Icount {
		args = append(args, "-icount", "shift=0,sleep=off")
	}
	if c.Semihosting {
		args = append(args, "-semihosting-config", "enable=on,target=native")
	}
	if c.GDBSocket != "" {
		args = append(args,
			"-chardev", "socket,id=gdb0,path="+escapeOpt(c.GDBSocket)+",server=on,wait=off",
			"-gdb", "chardev:gdb0")
	}
	if c.QMP != "" {
		args = append(args, "-qmp", "unix:"+escapeOpt(c.QMP)+",server=on,wait=off")
	}
	if c.Halted {
		args = append(args, "-S")
	}
	return append(args, c.Extra...), nil
}

// bootArgs is the kernel command line. Burrow starts every core the device
// tree lists unless cpus= says otherwise; a run that is not interactive (a
// test, a benchmark, the grader, the debugger) gets cpus=1 unless it asks
// for more, because under icount the instruction counter adds up every
// vCPU's instructions, round robin on one host thread, and figures and
// stepping are meant for one core. Interactive runs (burrow run) keep the
// kernel's default: all four cores of the Pi.
func (c *Config) bootArgs(interactive bool) string {
	if interactive || hasBootWord(c.Append, "cpus") {
		return c.Append
	}
	return strings.TrimSpace(c.Append + " cpus=1")
}

// hasBootWord reports whether the command line has key=... or key.
func hasBootWord(cmdline, key string) bool {
	for _, w := range strings.Fields(cmdline) {
		if k, _, _ := strings.Cut(w, "="); k == key {
			return true
		}
	}
	return false
}

// escapeOpt escapes a value inside a QEMU key=value option list, where a
// comma is written twice.
func escapeOpt(v string) string { return strings.ReplaceAll(v, ",", ",,") }

// CommandLine returns the whole command as one shell-like string, for logs.
func (c *Config) CommandLine(interactive bool) (string, error) {
	args, err := c.Args(interactive)
	if err != nil {
		return "", err
	}
	parts := []string{c.binary()}
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t'\"$\\") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " "), nil
}
