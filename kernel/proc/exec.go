package proc

import (
	"bytes"
	"strings"

	"github.com/burrow-os/burrow/kernel/abi/linux"
	"github.com/burrow-os/burrow/kernel/core"
	"github.com/burrow-os/burrow/kernel/elf"
	"github.com/burrow-os/burrow/kernel/mm"
	"github.com/burrow-os/burrow/kernel/vfs"
)

// A new program's address space:
//
//	0x7fff_ff01_0000  +---------------------+
//	                  | vDSO (2 pages)      |  R+X
//	0x7fff_ff00_0000  +---------------------+  stackTop
//	                  | stack (8 MiB)       |  RW, grows down, demand zero
//	                  +---------------------+
//	                  | mmap area           |  allocated top-down from mmapTop
//	0x7f00_0000_0000  +---------------------+  mmapTop
//	                  |        ...          |
//	                  | brk heap            |  from the end of the data
//	                  | the program         |  ET_EXEC where linked, ET_DYN at dynBase
//	0x0000_0001_0000  +---------------------+  mmapBottom: page zero stays unmapped
const (
	stackTop   = 0x7fff_ff00_0000
	stackSize  = 8 << 20
	vdsoBase   = stackTop
	mmapTop    = 0x7f00_0000_0000
	mmapBottom = 0x1_0000
	dynBase    = 0x5555_5555_0000
	pageSize   = mm.PageSize

	// hwcap is what AT_HWCAP tells programs the CPU has: FP, ASIMD,
	// EVTSTRM, AES, PMULL, SHA1, SHA2, CRC32 (the Cortex-A72's set;
	// arch/arm64/include/uapi/asm/hwcap.h). Not HWCAP_CPUID: that promises
	// the kernel emulates MRS of the ID registers at EL0, which Burrow
	// does not (glibc would read MIDR_EL1 and get SIGILL).
	hwcap = 1<<0 | 1<<1 | 1<<2 | 1<<3 | 1<<4 | 1<<5 | 1<<6 | 1<<7

	maxArgBytes = 128 << 10 // argv plus envp, like Linux's ARG_MAX/16
)

func protToMM(prot int) mm.Prot {
	p := mm.ProtRead
	if prot&linux.PROT_WRITE != 0 {
		p |= mm.ProtWrite
	}
	if prot&linux.PROT_EXEC != 0 {
		p |= mm.ProtExec
	}
	return p
}

func pageDown(v uint64) uint64 { return v &^ (pageSize - 1) }
func pageUp(v uint64) uint64   { return (v + pageSize - 1) &^ (pageSize - 1) }

// poke writes data at user address va of us through physical memory, so
// it can fill pages the program may not write (its code). The pages must
// be private to us (a fresh mapping).
func (k *Kernel) poke(us *mm.UserSpace, va uint64, data []byte) error {
	for len(data) > 0 {
		if err := us.Fault(va, mm.AccessRead); err != nil {
			return err
		}
		tr, err := us.AddressSpace().Translate(va)
		if err != nil {
			return err
		}
		n := min(uint64(len(data)), pageSize-va%pageSize)
		if _, err := k.cfg.Phys.WriteAt(data[:n], int64(tr.PA)); err != nil {
			return err
		}
		data, va = data[n:], va+n
	}
	return nil
}

// image is a loaded program, ready to start.
type image struct {
	mem     *mm.UserSpace
	regions regionMap
	entry   uint64
	sp      uint64
	brk     uint64
}

// executable is a program file as execve found it.
type executable struct {
	inode *vfs.Inode
	data  []byte
}

// readExecutable returns the file at path, following a "#!" line to its
// interpreter (once), with argv adjusted as execve(2) describes.
func (p *Process) readExecutable(path string, argv []string) (executable, string, []string, error) {
	var none executable
	for depth := 0; ; depth++ {
		p.mu.Lock()
		cwd := p.cwd
		p.mu.Unlock()
		n, err := p.k.cfg.FS.Lookup(cwd, path, true)
		if err != nil {
			return none, "", nil, err
		}
		if n.IsDir() {
			return none, "", nil, linux.EACCES
		}
		if n.Mode&linux.S_IFMT != linux.S_IFREG || n.Mode&0o111 == 0 {
			return none, "", nil, linux.EACCES
		}
		data := n.Data()
		if !bytes.HasPrefix(data, []byte("#!")) {
			return executable{n, data}, path, argv, nil
		}
		if depth > 0 {
			return none, "", nil, linux.ELOOP
		}
		line, _, _ := bytes.Cut(data[2:], []byte("\n"))
		fields := strings.Fields(string(line))
		if len(fields) == 0 {
			return none, "", nil, linux.ENOEXEC
		}
		nargv := []string{fields[0]}
		if len(fields) > 1 {
			nargv = append(nargv, strings.Join(fields[1:], " "))
		}
		nargv = append(nargv, path)
		if len(argv) > 1 {
			nargv = append(nargv, argv[1:]...)
		}
		path, argv = fields[0], nargv
	}
}

// load builds a new address space holding the program in data.
func (k *Kernel) load(exe executable, path string, argv, envp []string) (*image, error) {
	data := exe.data
	f, err := elf.Parse(data)
	if err != nil {
		return nil, linux.ENOEXEC
	}
	us, err := k.cfg.VM.NewUserSpace()
	if err != nil {
		return nil, linux.ENOMEM
	}
	im := &image{mem: us}
	ok := false
	defer func() {
		if !ok {
			us.Destroy()
		}
	}()
	bias := f.Bias(dynBase)
	// Each page gets the union of the protections of the segments on it
	// (the text's last page may also hold the data's first bytes).
	prots := map[uint64]int{}
	for _, s := range f.Segs {
		prot := 0
		if s.Flags&elf.PF_R != 0 {
			prot |= linux.PROT_READ
		}
		if s.Flags&elf.PF_W != 0 {
			prot |= linux.PROT_WRITE
		}
		if s.Flags&elf.PF_X != 0 {
			prot |= linux.PROT_EXEC
		}
		for va := pageDown(s.Vaddr + bias); va < pageUp(s.Vaddr+bias+s.Memsz); va += pageSize {
			prots[va] |= prot | linux.PROT_READ
		}
	}
	for va := f.Lo + bias; va < f.Hi+bias; {
		prot, ok := prots[va]
		if !ok {
			va += pageSize
			continue
		}
		end := va + pageSize
		for q, ok := prots[end]; ok && q == prot; q, ok = prots[end] {
			end += pageSize
		}
		if err := us.MapAnon(va, end-va, protToMM(prot), false); err != nil {
			return nil, linux.ENOMEM
		}
		im.regions.insert(va, end, prot)
		va = end
	}
	if err := k.loadSegments(us, exe, f, bias); err != nil {
		return nil, linux.ENOMEM
	}
	im.brk = f.Hi + bias

	// The vDSO and the stack.
	if err := us.MapAnon(vdsoBase, pageUp(uint64(len(k.vdso))), mm.ProtRead|mm.ProtExec, false); err != nil {
		return nil, linux.ENOMEM
	}
	im.regions.insert(vdsoBase, vdsoBase+pageUp(uint64(len(k.vdso))), linux.PROT_READ|linux.PROT_EXEC)
	if err := k.poke(us, vdsoBase, k.vdso); err != nil {
		return nil, linux.ENOMEM
	}
	if k.cfg.SyncICache != nil {
		k.cfg.SyncICache()
	}
	if err := us.MapAnon(stackTop-stackSize, stackSize, mm.ProtRead|mm.ProtWrite, false); err != nil {
		return nil, linux.ENOMEM
	}
	im.regions.insert(stackTop-stackSize, stackTop, linux.PROT_READ|linux.PROT_WRITE)
	var random [16]byte
	if k.cfg.Random != nil {
		k.cfg.Random(random[:])
	}
	phdr := f.Phdr + bias
	auxv := []auxEntry{
		{linux.AT_SYSINFO_EHDR, vdsoBase},
		{linux.AT_MINSIGSTKSZ, 5120},
		{linux.AT_HWCAP, hwcap},
		{linux.AT_PAGESZ, pageSize},
		{linux.AT_CLKTCK, 100},
		{linux.AT_PHDR, phdr},
		{linux.AT_PHENT, uint64(f.Phent)},
		{linux.AT_PHNUM, uint64(f.Phnum)},
		{linux.AT_BASE, 0},
		{linux.AT_FLAGS, 0},
		{linux.AT_ENTRY, f.Entry + bias},
		{linux.AT_UID, 0}, {linux.AT_EUID, 0}, {linux.AT_GID, 0}, {linux.AT_EGID, 0},
		{linux.AT_SECURE, 0},
		{linux.AT_HWCAP2, 0},
	}
	stack, sp := initialStack(stackTop, argv, envp, auxv, path, random)
	if err := us.CopyOut(sp, stack); err != nil {
		return nil, linux.ENOMEM
	}
	im.entry, im.sp = f.Entry+bias, sp
	ok = true
	return im, nil
}

// exec replaces the process's program (execve(2)): t is the calling thread,
// which continues as the new program's only thread.
func (p *Process) exec(t *Thread, path string, argv, envp []string) error {
	exe, path, argv, err := p.readExecutable(path, argv)
	if err != nil {
		return err
	}
	im, err := p.k.load(exe, path, argv, envp)
	if err != nil {
		return err
	}
	p.mu.Lock()
	old, shared := p.mem, p.memShared
	p.mem, p.memShared = im.mem, false
	p.regions = im.regions
	p.brkBase, p.brk = im.brk, im.brk
	p.args = append([]string(nil), argv...)
	p.exe = path
	others := 0
	for _, o := range p.threads {
		if o != t {
			others++
			o.mu.Lock()
			o.exiting = true
			o.mu.Unlock()
			o.kick()
		}
	}
	vfork := p.vforkCh
	p.vforkCh = nil
	p.mu.Unlock()
	if old != nil && !shared && others == 0 {
		old.Destroy() // with other threads still leaving, the old space is left to the collector
	}
	p.fds.closeExec()
	p.resetHandlers()
	if vfork != nil {
		close(vfork)
	}
	t.regs = core.UserRegs{PC: im.entry, SP: im.sp}
	t.mu.Lock()
	t.altstack = linux.Stack{Flags: linux.SS_DISABLE}
	t.clearTID = 0
	t.mu.Unlock()
	return nil
}
