//go:build linux && arm64

package main

import (
	"errors"
	"fmt"
	"math"

	"github.com/burrow-os/burrow/kernel/core"
	"github.com/burrow-os/burrow/kernel/ktest"
	"github.com/burrow-os/burrow/kernel/mm"
)

// User-mode layout for the tests: code, a stack, and an area for faults.
const (
	userCode  = 0x40_0000
	userStack = 0x80_0000
	userData  = 0x1000_0000
)

// AArch64 encodings (ARM ARM C6) of the instructions the test programs use.
const (
	insnMovX0_42    = 0xd2800540 // mov x0, #42
	insnMovX8_93    = 0xd2800ba8 // mov x8, #93
	insnMrsX1Tpidr  = 0xd53bd041 // mrs x1, tpidr_el0
	insnSvc0        = 0xd4000001 // svc #0
	insnLdrX2X3     = 0xf9400062 // ldr x2, [x3]
	insnBranchSelf  = 0x14000000 // b .
	insnOrrV1V0     = 0x4ea01c01 // mov v1.16b, v0.16b
	insnMrsX0Sctlr  = 0xd5381000 // mrs x0, sctlr_el1
	ecSVC64         = 0x15
	ecUnknown       = 0x00
	ecDataAbortLow  = 0x24
	faultStatusMask = 0x3c
)

func syncICache()

// userProgram is an address space with one code page holding insns.
type userProgram struct {
	us    *mm.UserSpace
	ttbr0 uint64
}

func newUserProgram(k *mm.KernelMemoryManager, insns ...uint32) (*userProgram, error) {
	us, err := k.VM.NewUserSpace()
	if err != nil {
		return nil, err
	}
	if err := us.MapAnon(userCode, 4096, mm.ProtRead|mm.ProtExec, false); err != nil {
		return nil, err
	}
	if err := us.MapAnon(userStack-64*1024, 64*1024, mm.ProtRead|mm.ProtWrite, false); err != nil {
		return nil, err
	}
	// Commit the code page and write the instructions through the direct map.
	if err := us.Fault(userCode, mm.AccessRead); err != nil {
		return nil, err
	}
	tr, err := us.AddressSpace().Translate(userCode)
	if err != nil {
		return nil, err
	}
	writeWords(tr.PA, insns)
	syncICache()
	return &userProgram{us: us, ttbr0: us.AddressSpace().TTBR0()}, nil
}

// run enters the program at userCode with regs as given, and returns why it
// stopped.
func (p *userProgram) run(regs *core.UserRegs) (core.UserTrap, error) {
	if regs.PC == 0 {
		regs.PC = userCode
	}
	if regs.SP == 0 {
		regs.SP = userStack
	}
	return core.SwitchToUser(regs, p.ttbr0)
}

func expectTrap(t core.UserTrap, kind, ec uint64) error {
	if t.Kind != kind || (kind == core.TrapSync && t.EC() != ec) {
		return fmt.Errorf("stopped with kind %d EC %#x (ESR %#x), want kind %d EC %#x", t.Kind, t.EC(), t.ESR, kind, ec)
	}
	return nil
}

// userTests checks the Switch model end to end: a user program at EL0 runs
// with the registers it is given, and every way it can stop (a system call,
// a fault, the tick, a privileged instruction) returns to the Go task with
// the state saved.
func userTests(r *ktest.Reporter) bool {
	k, err := kmm, kmmErr
	r.Result("user-init", err)
	if err != nil {
		return false
	}
	checks := []struct {
		name string
		run  func() error
	}{
		{"user-svc", func() error {
			p, err := newUserProgram(k, insnMovX0_42, insnMovX8_93, insnMrsX1Tpidr, insnSvc0)
			if err != nil {
				return err
			}
			regs := core.UserRegs{TPIDR: 0x1234}
			regs.X[29] = 0x5151
			t, err := p.run(&regs)
			if err != nil {
				return err
			}
			if err := expectTrap(t, core.TrapSync, ecSVC64); err != nil {
				return err
			}
			if regs.X[0] != 42 || regs.X[8] != 93 || regs.X[1] != 0x1234 || regs.X[29] != 0x5151 || regs.PC != userCode+16 {
				return fmt.Errorf("after svc: x0=%d x8=%d x1=%#x x29=%#x pc=%#x", regs.X[0], regs.X[8], regs.X[1], regs.X[29], regs.PC)
			}
			return nil
		}},
		{"user-fault-and-resume", func() error {
			p, err := newUserProgram(k, insnLdrX2X3, insnSvc0)
			if err != nil {
				return err
			}
			regs := core.UserRegs{}
			regs.X[3] = userData + 8
			regs.X[2] = 7
			t, err := p.run(&regs)
			if err != nil {
				return err
			}
			if err := expectTrap(t, core.TrapSync, ecDataAbortLow); err != nil {
				return err
			}
			if t.FAR != userData+8 || regs.PC != userCode {
				return fmt.Errorf("fault at FAR %#x pc %#x, want %#x at %#x", t.FAR, regs.PC, userData+8, userCode)
			}
			// Map the page and run the load again: it reads zero now.
			if err := p.us.MapAnon(userData, 4096, mm.ProtRead|mm.ProtWrite, false); err != nil {
				return err
			}
			if err := p.us.Fault(t.FAR, mm.AccessRead); err != nil {
				return err
			}
			if t, err = p.run(&regs); err != nil {
				return err
			}
			if err := expectTrap(t, core.TrapSync, ecSVC64); err != nil {
				return err
			}
			if regs.X[2] != 0 {
				return fmt.Errorf("x2 = %d after loading a fresh page, want 0", regs.X[2])
			}
			return nil
		}},
		{"user-preempted-by-tick", func() error {
			p, err := newUserProgram(k, insnBranchSelf)
			if err != nil {
				return err
			}
			regs := core.UserRegs{}
			for i := 0; i < 3; i++ {
				t, err := p.run(&regs)
				if err != nil {
					return err
				}
				if t.Kind != core.TrapIRQ || regs.PC != userCode {
					return fmt.Errorf("spin %d: stopped with kind %d at %#x, want an interrupt at %#x", i, t.Kind, regs.PC, userCode)
				}
			}
			return nil
		}},
		{"user-fp-state", func() error {
			p, err := newUserProgram(k, insnOrrV1V0, insnSvc0)
			if err != nil {
				return err
			}
			regs := core.UserRegs{}
			regs.Q[0] = [2]uint64{0x1122334455667788, 0x99aabbccddeeff00}
			before := math.Sqrt(2)
			t, err := p.run(&regs)
			if err != nil {
				return err
			}
			if err := expectTrap(t, core.TrapSync, ecSVC64); err != nil {
				return err
			}
			if regs.Q[1] != regs.Q[0] {
				return fmt.Errorf("q1 = %#x, want %#x", regs.Q[1], regs.Q[0])
			}
			if after := math.Sqrt(2); after != before {
				return errors.New("the Go side's floating point changed across the switch")
			}
			return nil
		}},
		{"user-privilege", func() error {
			p, err := newUserProgram(k, insnMrsX0Sctlr)
			if err != nil {
				return err
			}
			regs := core.UserRegs{}
			t, err := p.run(&regs)
			if err != nil {
				return err
			}
			if err := expectTrap(t, core.TrapSync, ecUnknown); err != nil {
				return fmt.Errorf("mrs sctlr_el1 at EL0: %w", err)
			}
			// The Go kernel's own image is mapped in the user table but
			// EL1-only: a load from it is a permission fault.
			p2, err := newUserProgram(k, insnLdrX2X3)
			if err != nil {
				return err
			}
			regs = core.UserRegs{}
			regs.X[3] = 0x8000_0001_0000
			t, err = p2.run(&regs)
			if err != nil {
				return err
			}
			if err := expectTrap(t, core.TrapSync, ecDataAbortLow); err != nil {
				return err
			}
			if t.ESR&faultStatusMask != 0x0c || t.FAR != regs.X[3] {
				return fmt.Errorf("load from the kernel at EL0: ESR %#x FAR %#x, want a permission fault at %#x", t.ESR, t.FAR, regs.X[3])
			}
			return nil
		}},
		{"user-bad-arguments", func() error {
			var regs core.UserRegs
			if _, err := core.SwitchToUser(&regs, 0); err == nil {
				return errors.New("SwitchToUser with TTBR0 0 did not fail")
			}
			return nil
		}},
	}
	pass := true
	for _, c := range checks {
		err := c.run()
		r.Result(c.name, err)
		pass = pass && err == nil
	}
	return pass
}
