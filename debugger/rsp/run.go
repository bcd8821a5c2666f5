package rsp

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// Stop is a decoded stop reply (GDB manual, E.3 Stop Reply Packets).
type Stop struct {
	Signal int    // 5 (SIGTRAP) for breakpoints and steps, 2 after an interrupt
	Thread string // the CPU that stopped, as a thread id ("1" for CPU 0)
	// Reason is "watch", "rwatch" or "awatch" for a watchpoint (Addr is
	// the data address), "swbreak"/"hwbreak" when the stub says so, or "".
	Reason string
	Addr   uint64
	Exited bool // W or X reply: the target is gone; Signal holds the status
	Raw    string
}

func (s Stop) String() string {
	if s.Exited {
		return fmt.Sprintf("target exited (status %d)", s.Signal)
	}
	str := fmt.Sprintf("stopped: signal %d on thread %s", s.Signal, s.Thread)
	if s.Reason != "" {
		str += fmt.Sprintf(" (%s %#x)", s.Reason, s.Addr)
	}
	return str
}

// ParseStop decodes a stop reply such as "T05thread:01;" or
// "T05watch:40081000;thread:02;".
func ParseStop(reply string) (Stop, error) {
	s := Stop{Raw: reply}
	if len(reply) < 3 {
		return s, fmt.Errorf("rsp: bad stop reply %q", reply)
	}
	sig, err := strconv.ParseUint(reply[1:3], 16, 8)
	if err != nil {
		return s, fmt.Errorf("rsp: bad stop reply %q", reply)
	}
	s.Signal = int(sig)
	switch reply[0] {
	case 'S':
		return s, nil
	case 'W', 'X':
		s.Exited = true
		return s, nil
	case 'T':
	default:
		return s, fmt.Errorf("rsp: bad stop reply %q", reply)
	}
	for _, kv := range strings.Split(reply[3:], ";") {
		k, v, _ := strings.Cut(kv, ":")
		switch k {
		case "thread":
			s.Thread = v
		case "watch", "rwatch", "awatch":
			s.Reason = k
			s.Addr, _ = strconv.ParseUint(v, 16, 64)
		case "swbreak", "hwbreak":
			s.Reason = k
		}
	}
	return s, nil
}

// Halted asks why the target is stopped (the ? packet); QEMU started with
// -S reports SIGTRAP on the first CPU.
func (c *Client) Halted() (Stop, error) {
	reply, err := c.Request("?")
	if err != nil {
		return Stop{}, err
	}
	return ParseStop(reply)
}

// Continue resumes every CPU (vCont;c). Call Wait for the stop.
func (c *Client) Continue() error {
	if c.noVCont {
		return c.resume("c")
	}
	return c.resume("vCont;c")
}

// ContinueSignal resumes every CPU, delivering signal sig to thread tid
// first (vCont;Csig:tid;c): a user-mode target stopped by a signal gets
// it, as it would without a debugger.
func (c *Client) ContinueSignal(sig int, tid string) error {
	if c.noVCont {
		if err := c.ok("Hc" + tid); err != nil {
			return err
		}
		return c.resume(fmt.Sprintf("C%02x", sig))
	}
	return c.resume(fmt.Sprintf("vCont;C%02x:%s;c", sig, tid))
}

// Step single-steps the given thread only, leaving the other CPUs stopped
// (vCont;s:tid), and returns the stop. Without vCont it selects the
// thread with Hc and sends s.
func (c *Client) Step(tid string) (Stop, error) {
	req := "vCont;s:" + tid
	if c.noVCont {
		if err := c.ok("Hc" + tid); err != nil {
			return Stop{}, err
		}
		req = "s"
	}
	if err := c.resume(req); err != nil {
		return Stop{}, err
	}
	return c.Wait()
}

func (c *Client) resume(req string) error {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	c.deadline(c.Timeout)
	return c.send(req)
}

// Wait blocks until the target stops and returns the stop reply. Another
// goroutine may call Interrupt meanwhile. Console output packets (O...)
// are skipped.
func (c *Client) Wait() (Stop, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	c.deadline(0)
	for {
		reply, err := c.receive()
		if err != nil {
			return Stop{}, err
		}
		if len(reply) > 0 && reply[0] == 'O' && reply != "OK" {
			continue
		}
		s, err := ParseStop(reply)
		if err == nil && s.Thread != "" {
			c.mu.Lock()
			c.thread = "" // the stub now points g at the stopping CPU
			c.mu.Unlock()
		}
		return s, err
	}
}

// Interrupt stops a running target by sending the 0x03 byte; the stop
// reply arrives through Wait.
func (c *Client) Interrupt() error {
	if c.Trace != nil {
		c.Trace('!', "interrupt")
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := c.conn.Write([]byte{0x03}); err != nil {
		return c.lost(err)
	}
	return nil
}

// BreakKind is the type number of a Z packet.
type BreakKind int

// The kinds of breakpoint and watchpoint (GDB manual, E.2 "z type,addr,kind").
const (
	SoftwareBreak BreakKind = 0
	HardwareBreak BreakKind = 1
	WriteWatch    BreakKind = 2
	ReadWatch     BreakKind = 3
	AccessWatch   BreakKind = 4
)

var kindNames = [...]string{"break", "hbreak", "watch", "rwatch", "awatch"}

func (k BreakKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Z%d", int(k))
}

// Insert sets a breakpoint or watchpoint. size is 4 (one A64 instruction)
// for breakpoints and the watched length for watchpoints.
func (c *Client) Insert(k BreakKind, addr uint64, size int) error {
	return c.ok(fmt.Sprintf("Z%d,%x,%x", int(k), addr, size))
}

// Remove clears what Insert set.
func (c *Client) Remove(k BreakKind, addr uint64, size int) error {
	return c.ok(fmt.Sprintf("z%d,%x,%x", int(k), addr, size))
}

// Thread is one thread of the target; under QEMU, one CPU.
type Thread struct {
	ID   string // hex id, "1" for CPU 0
	Info string // qThreadExtraInfo text, such as "CPU#0 [halted ]"
}

// Threads lists the target's threads (qfThreadInfo/qsThreadInfo) with their
// extra info.
func (c *Client) Threads() ([]Thread, error) {
	var out []Thread
	req := "qfThreadInfo"
	for {
		reply, err := c.Request(req)
		if err != nil {
			return nil, err
		}
		if reply == "l" {
			break
		}
		if reply[0] != 'm' {
			return nil, fmt.Errorf("rsp: bad thread list reply %q", short(reply))
		}
		for _, id := range strings.Split(reply[1:], ",") {
			out = append(out, Thread{ID: id})
		}
		req = "qsThreadInfo"
	}
	for i := range out {
		reply, err := c.Request("qThreadExtraInfo," + out[i].ID)
		if err != nil {
			continue // optional
		}
		if b, err := hex.DecodeString(reply); err == nil {
			out[i].Info = string(b)
		}
	}
	return out, nil
}

// Monitor runs a QEMU monitor command through qRcmd and returns its
// output, collected from the O packets the stub sends before OK.
func (c *Client) Monitor(cmd string) (string, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	c.deadline(c.Timeout)
	if err := c.send("qRcmd," + hex.EncodeToString([]byte(cmd))); err != nil {
		return "", err
	}
	var out strings.Builder
	for {
		reply, err := c.receive()
		if err != nil {
			return out.String(), err
		}
		switch {
		case reply == "OK":
			return out.String(), nil
		case reply == "":
			return "", fmt.Errorf("%w: qRcmd", ErrUnsupported)
		case isError(reply):
			return out.String(), &StubError{Packet: "qRcmd " + cmd, Reply: reply}
		case reply[0] == 'O':
			b, err := hex.DecodeString(reply[1:])
			if err != nil {
				return out.String(), fmt.Errorf("rsp: bad monitor output %q", short(reply))
			}
			out.Write(b)
		default:
			b, err := hex.DecodeString(reply)
			if err != nil {
				return out.String(), fmt.Errorf("rsp: bad monitor reply %q", short(reply))
			}
			out.Write(b)
			return out.String(), nil
		}
	}
}
