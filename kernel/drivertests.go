package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/burrow-os/burrow/drivers/board"
	"github.com/burrow-os/burrow/drivers/gpio"
	"github.com/burrow-os/burrow/drivers/mbox"
	"github.com/burrow-os/burrow/drivers/pl011"
	"github.com/burrow-os/burrow/drivers/reg"
	"github.com/burrow-os/burrow/kernel/core"
	"github.com/burrow-os/burrow/kernel/ktest"
)

// driverTests is test=drivers: the drivers bound at boot, checked on the
// emulated hardware, and the interrupt and driver measurements. Checks of
// devices the board does not have are skipped, not failed; the host test
// says which it expects on which board.
func driverTests(r *ktest.Reporter) bool {
	pass := true
	check := func(name string, err error) {
		if errors.Is(err, errSkip) {
			r.Report("result", "name", name, "status", "skip")
			return
		}
		r.Result(name, err)
		pass = pass && err == nil
	}
	if devices == nil {
		check("probe", errors.New("probing failed"))
		return false
	}
	check("probe", func() error {
		if devices.Find("uart") == nil || devices.Find("gic") == nil {
			return errors.New("no UART or GIC bound")
		}
		return nil
	}())
	check("init-under-100ms", func() error {
		for _, d := range devices.Devices {
			if d.InitTime > 100*time.Millisecond {
				return fmt.Errorf("%s took %v to initialise, over the plan's 100 ms", d.Path, d.InitTime)
			}
		}
		return nil
	}())
	check("mailbox", mailboxCheck(r))
	check("gpio-level", gpioCheck())
	if want, ok := ktest.Arg(os.Args, "rx"); ok {
		check("uart-rx", uartRxCheck(r, want))
	}
	check("irq-latency", irqLatency(r))
	check("uart-go-vs-c", uartCompare(r))
	check("block", blockCheck(r))
	return pass
}

var errSkip = errors.New("skip")

func mailboxCheck(r *ktest.Reporter) error {
	d := devices.Find("mbox")
	if d == nil {
		return errSkip
	}
	m := d.Driver.(*mbox.Mailbox)
	rev, err := m.BoardRevision()
	if err != nil {
		return err
	}
	serial, err := m.BoardSerial()
	if err != nil {
		return err
	}
	arm, vc, err := m.Memory()
	if err != nil {
		return err
	}
	uart, err := m.ClockRate(mbox.ClockUART)
	if err != nil {
		return err
	}
	r.Report("mailbox", "revision", fmt.Sprintf("%#x", rev), "serial", serial,
		"arm_base", fmt.Sprintf("%#x", arm[0]), "arm_size", fmt.Sprintf("%#x", arm[1]),
		"vc_base", fmt.Sprintf("%#x", vc[0]), "vc_size", fmt.Sprintf("%#x", vc[1]), "uart_hz", uart)
	return nil
}

// gpioCheck drives two free pins, one in each bank, and reads the levels
// back: GPIO 21 and 42 are not wired to anything QEMU emulates.
func gpioCheck() error {
	d := devices.Find("gpio")
	if d == nil {
		return errSkip
	}
	g := d.Driver.(*gpio.GPIO)
	for _, pin := range []int{21, 42} {
		if err := g.SetFunction(pin, gpio.Output); err != nil {
			return err
		}
		if f, _ := g.FunctionOf(pin); f != gpio.Output {
			return fmt.Errorf("FunctionOf(%d) = %03b after selecting output", pin, f)
		}
		for _, high := range []bool{true, false, true} {
			if high {
				g.Set(pin)
			} else {
				g.Clear(pin)
			}
			if l, _ := g.Level(pin); l != high {
				return fmt.Errorf("Level(%d) = %v after driving it %v", pin, l, high)
			}
		}
		g.Clear(pin)
		g.SetFunction(pin, gpio.Input)
	}
	return nil
}

// uartRxCheck asks the host to type want, and reads it back from the UART
// driver's receive ring: the characters went through the PL011's receive
// interrupt, the C top half and the Go bottom half.
func uartRxCheck(r *ktest.Reporter, want string) error {
	d := devices.Find("uart")
	before := d.IRQCount()
	fmt.Println("uart-rx: type a line")
	line, err := bufio.NewReader(consoleIn).ReadString('\r')
	if err != nil {
		return err
	}
	line = strings.TrimSpace(line)
	irqs := d.IRQCount() - before
	r.Report("uart-rx", "got", line, "irqs", irqs, "dropped", d.Driver.(interface{ Dropped() uint64 }).Dropped(),
		"driver", d.Binding.Kind.String(), "handler_ns", d.HandlerTime().Nanoseconds())
	if line != want {
		return fmt.Errorf("read %q through the receive ring, want %q", line, want)
	}
	if irqs == 0 {
		return errors.New("no receive interrupt was counted")
	}
	return nil
}

// irqLatency measures the path from an interrupt firing to its Go handler
// running: a spare SPI is claimed by this goroutine as a driver would,
// configured and unmasked through the Go GIC driver, then raised in
// software (c_irq_raise) 50 times. Figures are in counter ticks converted
// to ns: under icount, instructions.
func irqLatency(r *ktest.Reporter) error {
	g := board.GIC(devices)
	if g == nil {
		return errors.New("no GIC driver")
	}
	raise, err := core.CFunc(core.CFuncIRQRaise)
	if err != nil {
		return err
	}
	id := g.Lines() - 1 // the last SPI: no device on either board
	if err := core.ClaimIRQ(id); err != nil {
		return err
	}
	g.Configure(id, false)
	st, _ := core.ReadStats()
	ns := func(ticks uint64) int64 { return int64(ticks * 1e9 / st.CounterFreq) }
	const n = 50
	woke := make(chan [2]uint64)
	go func() {
		for i := 0; i < n; i++ {
			g.Enable(id) // the bottom half unmasks the line itself
			if err := core.WaitIRQUnmasked(id); err != nil {
				close(woke)
				return
			}
			woke <- [2]uint64{core.Counter(), core.IRQStamp(id)}
		}
	}()
	var total, fromTop []int64
	for i := 0; i < n; i++ {
		time.Sleep(200 * time.Microsecond) // let the waiter block
		t0 := core.Counter()
		core.CCall(raise, uintptr(id), 0)
		w, ok := <-woke
		if !ok {
			return errors.New("WaitIRQUnmasked failed")
		}
		total = append(total, ns(w[0]-t0))
		fromTop = append(fromTop, ns(w[0]-w[1]))
	}
	g.Disable(id)
	med := func(v []int64) int64 { sort.Slice(v, func(i, j int) bool { return v[i] < v[j] }); return v[len(v)/2] }
	r.Report("bench", "name", "irq-latency", "line", id, "raise_to_go_ns", med(total),
		"top_half_to_go_ns", med(fromTop), "min_raise_to_go_ns", total[0], "samples", n)
	if med(total) > int64(10*time.Millisecond) {
		return fmt.Errorf("median latency %d ns is over a tick", med(total))
	}
	return nil
}

// uartCompare transmits the same bytes through the Go and the C PL011
// drivers on the console UART and reports instructions per byte of each.
func uartCompare(r *ktest.Reporter) error {
	d := devices.Find("uart")
	regs := reg.New(reg.MMIO{}, d.Regs[0].Address)
	goUART := pl011.New(regs, pl011.Config{})
	cUART, err := pl011.NewC(regs, pl011.Config{})
	if err != nil {
		return err
	}
	msg := []byte(strings.Repeat(".", 254) + "\r\n")
	st, _ := core.ReadStats()
	per := func(w interface{ Write([]byte) (int, error) }) (int64, error) {
		t0 := core.Counter()
		_, err := w.Write(msg)
		return int64((core.Counter() - t0) * 1e9 / st.CounterFreq / uint64(len(msg))), err
	}
	goNs, err := per(goUART)
	if err != nil {
		return err
	}
	cNs, err := per(cUART)
	if err != nil {
		return err
	}
	r.Report("bench", "name", "pl011-tx", "go_ns_per_byte", goNs, "c_ns_per_byte", cNs, "bytes", len(msg))
	return nil
}

// blockCheck is filled in by the block drivers' checks.
var blockCheck = func(r *ktest.Reporter) error { return errSkip }
