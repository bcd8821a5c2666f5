package debugger

import (
	"debug/elf"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/burrow-os/burrow/qemu"
)

// bootHalted starts the kernel on board halted, with the gdbstub on a
// Unix socket, through the qemu package, and returns the socket path.
func bootHalted(t *testing.T, board, kernel string) string {
	sock := filepath.Join(t.TempDir(), "gdb.sock")
	cfg := qemu.Config{Board: board, Kernel: kernel, Root: testenv.Root(t), GDBSocket: sock, Halted: true}
	args, err := cfg.Args(false)
	require.NoError(t, err)
	cmd := exec.Command(qemu.DefaultQEMU, args...)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	for i := 0; i < 100; i++ {
		if _, err := os.Stat(sock); err == nil {
			return sock
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("QEMU's gdbstub never appeared at %s", sock)
	return ""
}

// rodataWord picks a 4- or 8-byte object in .rodata and returns its name
// and its bytes in the ELF file: a kernel variable whose value is known
// without running the kernel.
func rodataWord(t *testing.T, path string) (string, []byte) {
	f, err := elf.Open(path)
	require.NoError(t, err)
	defer f.Close()
	syms, err := f.Symbols()
	require.NoError(t, err)
	ro := f.Section(".rodata")
	require.NotNil(t, ro, ".rodata")
	data, err := ro.Data()
	require.NoError(t, err)
	sort.Slice(syms, func(i, j int) bool { return syms[i].Name < syms[j].Name })
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) == elf.STT_OBJECT && (s.Size == 8 || s.Size == 4) &&
			s.Value >= ro.Addr && s.Value+s.Size <= ro.Addr+ro.Size {
			off := s.Value - ro.Addr
			return s.Name, data[off : off+s.Size]
		}
	}
	t.Fatalf("no 4- or 8-byte object in .rodata of %s", path)
	return "", nil
}

// physOf returns the load (physical) address of va from the ELF's program
// headers.
func physOf(t *testing.T, path string, va uint64) uint64 {
	f, err := elf.Open(path)
	require.NoError(t, err)
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && va >= p.Vaddr && va < p.Vaddr+p.Memsz {
			return p.Paddr + va - p.Vaddr
		}
	}
	t.Fatalf("%#x is in no segment of %s", va, path)
	return 0
}

// TestQEMUCKernel boots the C core on QEMU's raspi4b halted, attaches,
// breaks at kmain, checks the stop and registers, reads a known variable,
// single-steps, and walks the page tables for kmain's own mapping.
func TestQEMUCKernel(t *testing.T) {
	testenv.NeedQEMU(t, "ckernel.elf", "kernel8.img")
	elfPath := testenv.Build(t, "ckernel.elf")
	sock := bootHalted(t, "raspi4b", testenv.Build(t, "kernel8.img"))
	s, err := Attach(sock, []string{elfPath}, 5*time.Second)
	require.NoError(t, err)
	defer s.Close()
	s.WaitTimeout = 60 * time.Second

	threads, err := s.C.Threads()
	require.NoError(t, err)
	assert.Len(t, threads, 4, "raspi4b has four CPUs, one thread each")

	kmain, err := s.Syms.Resolve("kmain")
	require.NoError(t, err)
	r := s.Exec("break kmain")
	require.True(t, r.OK, r.Error)
	r = s.Exec("continue")
	require.True(t, r.OK, r.Error)
	assert.Equal(t, kmain, s.PC(), "continue stopped at kmain: %s", r.Text)
	assert.Contains(t, r.Text, "kmain")
	assert.Equal(t, uint64(1), (s.Regs["cpsr"]>>2)&3, "kmain runs at EL1 (CPSR bits 3:2)")
	assert.NotZero(t, s.Regs["sp"], "a stack is set up")
	assert.Equal(t, kmain, s.Regs["pc"])
	sctlr, err := s.SysReg("SCTLR_EL1")
	require.NoError(t, err)
	assert.Equal(t, uint64(1), sctlr&1, "the MMU is on at kmain")

	name, want := rodataWord(t, elfPath)
	r = s.Exec("print " + name)
	require.True(t, r.OK, r.Error)
	assert.Equal(t, hex.EncodeToString(want), r.Data.(map[string]any)["hex"], "print %s = %s", name, r.Text)

	r = s.Exec("bt")
	require.True(t, r.OK, r.Error)
	assert.GreaterOrEqual(t, len(r.Data.([]Frame)), 2, "kmain has a caller:\n%s", r.Text)

	r = s.Exec("stepi")
	require.True(t, r.OK, r.Error)
	assert.Equal(t, kmain+4, s.PC(), "one instruction later: %s", r.Text)

	tr, err := s.Walk(kmain)
	require.NoError(t, err, "walk kmain")
	assert.Equal(t, 1, tr.TTBR, "the C core lives in the TTBR1 half")
	assert.Equal(t, physOf(t, elfPath, kmain), tr.PA, "kmain maps to where the loader put it")
	r = s.Exec("walk kmain")
	assert.True(t, r.OK, r.Error)
	assert.True(t, strings.Contains(r.Text, "=> PA"), r.Text)

	r = s.Exec("x 0x0000700000000000 8")
	assert.False(t, r.OK, "reading an unmapped address fails")
	assert.Contains(t, r.Error, "not mapped")
	// After thread_init, the boot context is thread 0 in the C core's
	// thread table.
	r = s.Exec("delete 1")
	require.True(t, r.OK, r.Error)
	r = s.Exec("break gic_init")
	require.True(t, r.OK, r.Error)
	r = s.Exec("continue")
	require.True(t, r.OK, r.Error)
	require.Contains(t, r.Text, "gic_init")
	r = s.Exec("kthreads")
	require.True(t, r.OK, r.Error)
	ts := r.Data.([]KThread)
	require.NotEmpty(t, ts, "thread 0 exists after thread_init:\n%s", r.Text)
	assert.Equal(t, 0, ts[0].TID)
	assert.True(t, ts[0].Current, "thread 0 is current:\n%s", r.Text)
	r = s.Exec("kthread 0")
	assert.True(t, r.OK, r.Error)
	assert.Contains(t, r.Text, "running now")
	t.Logf("kthreads:\n%s", r.Text)

	// The banner is in the kernel log ring by now.
	r = s.Exec("klog")
	require.True(t, r.OK, r.Error)
	assert.Contains(t, r.Text, "Burrow C core on", "klog holds the boot banner")
}

// TestQEMUGoKernel boots the hybrid kernel (C core plus the Go kernel in
// build/burrow.elf), breaks at the Go kernel's main.main, and checks the Go
// backtrace and the goroutine and C core thread views against it.
func TestQEMUGoKernel(t *testing.T) {
	testenv.NeedQEMU(t, "ckernel.elf", "kernel8.img", "burrow.elf")
	sock := bootHalted(t, "raspi4b", testenv.Build(t, "kernel8.img"))
	s, err := Attach(sock, []string{testenv.Build(t, "ckernel.elf"), testenv.Build(t, "burrow.elf")}, 5*time.Second)
	require.NoError(t, err)
	defer s.Close()
	s.WaitTimeout = 60 * time.Second

	r := s.Exec("break main.main")
	require.True(t, r.OK, r.Error)
	r = s.Exec("continue")
	require.True(t, r.OK, r.Error)
	require.Contains(t, r.Text, "main.main", "stopped in the Go kernel")
	assert.Equal(t, uint64(1), (s.Regs["cpsr"]>>2)&3, "the Go kernel runs at EL1")

	r = s.Exec("bt")
	require.True(t, r.OK, r.Error)
	assert.Contains(t, r.Text, "runtime.main", "main.main's caller is runtime.main:\n%s", r.Text)

	// Go strings and slices print by their contents.
	r = s.Exec("print runtime.buildVersion")
	require.True(t, r.OK, r.Error)
	assert.Contains(t, r.Text, `runtime.buildVersion = "go1.`, "a Go string")
	r = s.Exec("print runtime.allgs")
	require.True(t, r.OK, r.Error)
	assert.Contains(t, r.Text, "[]*runtime.g len ", "a Go slice")

	r = s.Exec("goroutines")
	require.True(t, r.OK, r.Error)
	gs := r.Data.([]Goroutine)
	require.GreaterOrEqual(t, len(gs), 2, "the runtime has its own goroutines by main.main:\n%s", r.Text)
	assert.Equal(t, uint64(1), gs[0].ID, "goroutine 1 is main")
	assert.Equal(t, "running", gs[0].Status)
	parked := false
	for _, g := range gs {
		if g.Status == "waiting" && strings.Contains(g.Where, "runtime.gopark") && len(g.Frames) > 0 {
			parked = true
		}
	}
	assert.True(t, parked, "a waiting goroutine is parked in gopark, with its callers:\n%s", r.Text)

	r = s.Exec("kthreads")
	require.True(t, r.OK, r.Error)
	ts := r.Data.([]KThread)
	require.GreaterOrEqual(t, len(ts), 2, "the idle thread and at least one Go runtime thread:\n%s", r.Text)
	current := 0
	for _, kt := range ts {
		if kt.Current {
			current++
			assert.Equal(t, "T_RUNNING", kt.State)
		}
	}
	assert.Equal(t, 1, current, "one current thread:\n%s", r.Text)

	// View a thread that is not running as if it were: its backtrace
	// starts where it switched away, in the C core's scheduler.
	for _, kt := range ts {
		if kt.Current || kt.TID == 0 {
			continue
		}
		r = s.Exec(fmt.Sprintf("kview %d", kt.TID))
		require.True(t, r.OK, r.Error)
		r = s.Exec("bt")
		require.True(t, r.OK, r.Error)
		assert.Contains(t, r.Text, "sched", "thread %d switched away in sched:\n%s", kt.TID, r.Text)
		r = s.Exec("regs")
		require.True(t, r.OK, r.Error)
		assert.Equal(t, fmt.Sprintf("%#x", kt.pc), r.Data.(map[string]string)["pc"], "regs shows the saved pc")
		r = s.Exec("kview off")
		require.True(t, r.OK, r.Error)
		r = s.Exec("bt")
		assert.Contains(t, r.Text, "main.main", "back on the live registers:\n%s", r.Text)
		break
	}
	t.Logf("goroutines:\n%skthreads:\n%s", s.Exec("goroutines").Text, r.Text)
}

// TestQEMUPMMUser checks the physical memory view on testdata/gopmm, a
// linux/arm64 program that keeps the kernel's page allocator (kernel/mm) in
// a global, run under qemu-aarch64 (user mode) and its gdbstub: the
// numbers must be those the program's allocations imply.
func TestQEMUPMMUser(t *testing.T) {
	testenv.NeedQEMU(t)
	if _, err := exec.LookPath("qemu-aarch64"); err != nil {
		t.Skip("qemu-aarch64 (Debian qemu-user) is not installed")
	}
	dir := t.TempDir()
	prog := filepath.Join(dir, "gopmm")
	build := exec.Command("go", "build", "-o", prog, "./testdata/gopmm")
	build.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	sock := filepath.Join(dir, "gdb.sock")
	q := exec.Command("qemu-aarch64", "-g", sock, prog)
	require.NoError(t, q.Start())
	t.Cleanup(func() {
		q.Process.Kill()
		q.Wait()
	})
	for i := 0; i < 100; i++ {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	s, err := Attach(sock, []string{prog}, 5*time.Second)
	require.NoError(t, err)
	defer s.Close()
	s.WaitTimeout = 30 * time.Second

	r := s.Exec("pmm")
	assert.False(t, r.OK)
	assert.Contains(t, r.Error, "is nil: the memory manager is not initialised yet", "before main runs")

	require.True(t, s.Exec("break main.ready").OK)
	ready, err := s.Syms.Resolve("main.ready")
	require.NoError(t, err)
	// The Go runtime's SIGURG preemption signals stop a user-mode target
	// too; continue past them.
	for i := 0; i < 20 && s.PC() != ready; i++ {
		r = s.Exec("continue")
		require.True(t, r.OK, r.Error)
	}
	require.Equal(t, ready, s.PC(), "reached main.ready")

	r = s.Exec("pmm")
	require.True(t, r.OK, r.Error)
	st := r.Data.(PMMStats)
	assert.Equal(t, "main.kmm.Phys", st.Var)
	assert.Equal(t, uint64(16128), st.Total, "63 MiB of pages")
	assert.Equal(t, uint64(16128-13), st.Free, "five single pages and an order-3 block are allocated")
	assert.Equal(t, uint64(256), st.Reserved, "the reserved first MiB")
	assert.Equal(t, uint64(6), st.Allocs)
	assert.Contains(t, r.Text, "free        16115 pages")
	var blocks uint64
	for k, n := range st.FreeBlocks {
		blocks += n << k
	}
	assert.Equal(t, st.Free, blocks, "the free lists add up to the free pages: %v", st.FreeBlocks)
}
