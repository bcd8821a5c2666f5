//go:build linux && arm64

package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"

	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/core"
	"github.com/burrow-os/burrow/kernel/ktest"
	"github.com/burrow-os/burrow/kernel/mm"
	"github.com/burrow-os/burrow/kernel/proc"
	"github.com/burrow-os/burrow/kernel/vfs"
)

// User space: the process layer (kernel/proc) over the memory manager, with
// the initial RAM disk as the root file system and the console as its
// terminal. It comes up the first time something needs it (the console's
// sh command, or test=proc), so a kernel without an initramfs boots as
// before.
var userland struct {
	once sync.Once
	k    *proc.Kernel
	tty  *vfs.TTY
	fs   *vfs.FS
	err  error
}

func startUserland() (*proc.Kernel, error) {
	userland.once.Do(func() { userland.k, userland.tty, userland.fs, userland.err = newUserland() })
	return userland.k, userland.err
}

func newUserland() (*proc.Kernel, *vfs.TTY, *vfs.FS, error) {
	if kmm == nil {
		return nil, nil, nil, fmt.Errorf("no memory manager: %v", kmmErr)
	}
	fs := vfs.New()
	rd, err := core.InitRD()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("no initial RAM disk (boot with -initrd build/initramfs.cpio): %w", err)
	}
	n, err := fs.LoadCpio(rd)
	if err != nil {
		return nil, nil, nil, err
	}
	fmt.Printf("userland: %d files from the %d KiB initramfs\n", n, len(rd)>>10)
	for _, d := range []string{"/proc", "/tmp", "/dev"} {
		if err := fs.Mkdir(nil, d, 0o755); err != nil && !errors.Is(err, linux.EEXIST) {
			return nil, nil, nil, err
		}
	}
	tty := vfs.NewTTY(os.Stdout)
	if err := fs.MountDev(tty); err != nil {
		return nil, nil, nil, err
	}
	addBlockDevices(fs) // the SD card and virtio disks, for mount(2)
	lo, hi := ^uint64(0), uint64(0)
	for _, r := range kmm.RAM {
		lo, hi = min(lo, r.Address), max(hi, r.Address+r.Size)
	}
	s, _ := core.ReadStats()
	k := proc.New(proc.Config{
		VM:         kmm.VM,
		Phys:       mm.NewDirectMap(uintptr(mm.DirectMapBase+lo), lo, hi-lo),
		SyncICache: syncICache,
		Switch:     core.SwitchToUser,
		FS:         fs,
		TTY:        tty,
		Clock:      virtualClock(s.CounterFreq),
		Log:        func(format string, args ...any) { fmt.Printf(format+"\n", args...) },
		Random:     func(b []byte) { rand.Read(b) },
		CPUs:       runtime.NumCPU, // the C core started the secondaries before the runtime counted them
		Memory: func() (uint64, uint64) {
			st := kmm.Phys.Stats()
			return (hi - lo), st.FreePages * mm.PageSize
		},
	})
	return k, tty, fs, nil
}

// runShell is the console's sh command and what the kernel does at boot:
// the first user process (/init, which starts busybox's shell, or the
// program named by the init= boot word) on the console until it exits.
// While it runs, the keyboard belongs to its terminal's line discipline.
func runShell() {
	k, err := startUserland()
	if err != nil {
		fmt.Println("sh:", err)
		return
	}
	path, argv := firstProcess(userland.fs)
	p, err := k.Spawn(path, argv, []string{"HOME=/", "PATH=/bin:/sbin:/usr/bin", "TERM=vt100", "PS1=burrow$ "})
	if err != nil {
		fmt.Printf("sh: %s: %v\n", path, err)
		return
	}
	keyboard.attach(userland.tty.Input)
	status := p.Wait()
	keyboard.detach()
	fmt.Printf("%s exited with status %d\n", path, proc.ExitCode(status))
}

// firstProcess is the program the kernel starts first: init=PATH from the
// boot words, else /init, else the shell itself.
func firstProcess(fs *vfs.FS) (string, []string) {
	if path, ok := ktest.Arg(os.Args, "init"); ok && path != "" {
		return path, []string{path}
	}
	if _, err := fs.Lookup(nil, "/init", true); err == nil {
		return "/init", []string{"/init"}
	}
	return "/bin/sh", []string{"-sh"}
}

// hasUserland reports whether the kernel was given a root file system, so
// booting should go straight to the shell.
func hasUserland() bool {
	_, err := core.InitRD()
	return err == nil
}

func init() {
	commands = append(commands, command{"sh", "start /init and busybox's shell at EL0 (needs the initramfs)", runShell})
}
