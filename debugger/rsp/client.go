package rsp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ErrDisconnected wraps every failure of the connection itself: the target
// went away, or stopped answering within the timeout.
var ErrDisconnected = errors.New("rsp: connection to the target lost")

// Client is one connection to a GDB stub. Requests are serialised: a Client
// may be shared by goroutines, but only Interrupt may be called while
// another goroutine is blocked in Wait.
type Client struct {
	conn net.Conn
	br   *bufio.Reader
	wmu  sync.Mutex // guards writes, so Interrupt can race with Wait
	rmu  sync.Mutex // one exchange (or Wait) at a time

	// Timeout bounds each request/reply exchange. Wait is not bounded.
	Timeout time.Duration
	// Trace, when set, sees every packet: dir is '>' for a packet sent,
	// '<' for one received and '!' for an interrupt byte.
	Trace func(dir byte, payload string)

	// Supported holds the stub's qSupported answer: "PacketSize" -> "1000",
	// "qXfer:features:read" -> "+", and so on.
	Supported map[string]string

	mu      sync.Mutex
	noVCont bool    // the stub lacks vCont (older OpenOCD): use c and s
	target  *Target // cached by Target()
	thread  string  // thread selected with Hg, "" for none yet
	physMem bool    // Qqemu.PhyMemMode state
}

// Dial connects to a stub. addr is "host:port", or a Unix socket path
// (anything containing a '/', or prefixed "unix:").
func Dial(addr string, timeout time.Duration) (*Client, error) {
	network := "tcp"
	if strings.HasPrefix(addr, "unix:") {
		network, addr = "unix", strings.TrimPrefix(addr, "unix:")
	} else if strings.Contains(addr, "/") {
		network = "unix"
	}
	conn, err := net.DialTimeout(network, addr, timeout)
	// A Unix socket QEMU has just created may not be listening yet: give
	// it until the timeout. (TCP is not retried: a refused port is an
	// answer.)
	for deadline := time.Now().Add(timeout); err != nil && network == "unix" &&
		errors.Is(err, syscall.ECONNREFUSED) && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		conn, err = net.DialTimeout(network, addr, timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("rsp: cannot reach the GDB stub at %s (is QEMU running with -gdb?): %w", addr, err)
	}
	c := New(conn)
	c.Timeout = timeout
	return c, nil
}

// New wraps an open connection. Call Handshake before anything else.
func New(conn net.Conn) *Client {
	return &Client{conn: conn, br: bufio.NewReaderSize(conn, 8192), Timeout: 5 * time.Second}
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// Handshake sends qSupported and records the stub's features.
func (c *Client) Handshake() error {
	reply, err := c.Request("qSupported:swbreak+;hwbreak+;vContSupported+;xmlRegisters=aarch64")
	if err != nil {
		return err
	}
	c.Supported = map[string]string{}
	for _, f := range strings.Split(reply, ";") {
		switch {
		case f == "":
		case strings.Contains(f, "="):
			k, v, _ := strings.Cut(f, "=")
			c.Supported[k] = v
		default:
			c.Supported[f[:len(f)-1]] = f[len(f)-1:]
		}
	}
	// vCont? lists the actions the stub supports; without c and s,
	// resume with the older c and s packets.
	actions, err := c.Exchange("vCont?")
	if err != nil {
		return err
	}
	c.noVCont = !strings.Contains(actions+";", ";c;") || !strings.Contains(actions+";", ";s;")
	return nil
}

// Request sends one packet and returns the reply payload. An "E NN" reply
// becomes a *StubError and the empty reply ErrUnsupported.
func (c *Client) Request(req string) (string, error) {
	reply, err := c.Exchange(req)
	if err != nil {
		return "", err
	}
	if reply == "" {
		return "", fmt.Errorf("%w: %q", ErrUnsupported, short(req))
	}
	if isError(reply) {
		return "", &StubError{Packet: short(req), Reply: reply}
	}
	return reply, nil
}

// Exchange sends one packet and returns the raw reply payload.
func (c *Client) Exchange(req string) (string, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	c.deadline(c.Timeout)
	if err := c.send(req); err != nil {
		return "", err
	}
	return c.receive()
}

// ok sends a request whose only good answer is "OK".
func (c *Client) ok(req string) error {
	reply, err := c.Request(req)
	if err != nil {
		return err
	}
	if reply != "OK" {
		return fmt.Errorf("rsp: %q answered %q, want OK", short(req), short(reply))
	}
	return nil
}

func (c *Client) deadline(d time.Duration) {
	if d > 0 {
		c.conn.SetDeadline(time.Now().Add(d))
	} else {
		c.conn.SetDeadline(time.Time{})
	}
}

func (c *Client) lost(err error) error {
	if errors.Is(err, ErrDisconnected) {
		return err
	}
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: the stub closed the connection", ErrDisconnected)
	}
	return fmt.Errorf("%w: %v", ErrDisconnected, err)
}

// send writes a packet and waits for its '+' acknowledgement, resending on
// '-' a few times.
func (c *Client) send(payload string) error {
	if c.Trace != nil {
		c.Trace('>', payload)
	}
	frame := Frame([]byte(payload))
	for try := 0; try < 4; try++ {
		c.wmu.Lock()
		_, err := c.conn.Write(frame)
		c.wmu.Unlock()
		if err != nil {
			return c.lost(err)
		}
		for {
			b, err := c.br.ReadByte()
			if err != nil {
				return c.lost(err)
			}
			if b == '+' {
				return nil
			}
			if b == '-' {
				break // resend
			}
			// Anything else before the ack is line noise; skip it.
		}
	}
	return fmt.Errorf("%w: the stub rejected %q four times", ErrDisconnected, short(payload))
}

// receive reads one packet, acknowledges it ('-' and retry on a bad
// checksum) and returns its decoded payload.
func (c *Client) receive() (string, error) {
	for try := 0; try < 4; try++ {
		frame, err := c.readFrame()
		if err != nil {
			return "", c.lost(err)
		}
		payload, perr := ParseFrame(frame)
		ack := []byte{'+'}
		if perr != nil {
			ack[0] = '-'
		}
		c.wmu.Lock()
		_, err = c.conn.Write(ack)
		c.wmu.Unlock()
		if err != nil {
			return "", c.lost(err)
		}
		if perr == nil {
			if c.Trace != nil {
				c.Trace('<', string(payload))
			}
			return string(payload), nil
		}
	}
	return "", fmt.Errorf("%w: four corrupt packets in a row", ErrDisconnected)
}

// readFrame returns the next "$...#cc", skipping stray acks between packets.
func (c *Client) readFrame() ([]byte, error) {
	for {
		b, err := c.br.ReadByte()
		if err != nil {
			return nil, err
		}
		if b == '$' {
			break
		}
	}
	body, err := c.br.ReadBytes('#')
	if err != nil {
		return nil, err
	}
	var sum [2]byte
	if _, err := io.ReadFull(c.br, sum[:]); err != nil {
		return nil, err
	}
	frame := append([]byte{'$'}, body...)
	return append(frame, sum[:]...), nil
}
