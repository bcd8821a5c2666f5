package qemu

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"time"
)

// QMP is a minimal client for the QEMU Machine Protocol on a Unix socket:
// enough to issue commands and read their returns. Asynchronous events are
// skipped. It is not safe for concurrent use.
type QMP struct {
	conn net.Conn
	r    *bufio.Reader
}

// DialQMP connects to the QMP socket at path, retrying until QEMU has
// created it or ctx ends, and negotiates capabilities.
func DialQMP(ctx context.Context, path string) (*QMP, error) {
	var d net.Dialer
	for {
		conn, err := d.DialContext(ctx, "unix", path)
		if err == nil {
			q := &QMP{conn: conn, r: bufio.NewReader(conn)}
			if _, err := q.read(); err != nil { // the greeting
				conn.Close()
				return nil, err
			}
			if _, err := q.Call("qmp_capabilities", nil); err != nil {
				conn.Close()
				return nil, err
			}
			return q, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("qmp: %s: %v", path, err)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Close closes the connection.
func (q *QMP) Close() error { return q.conn.Close() }

type qmpReply struct {
	Return json.RawMessage `json:"return"`
	Error  *struct {
		Class string `json:"class"`
		Desc  string `json:"desc"`
	} `json:"error"`
	Event string          `json:"event"`
	QMP   json.RawMessage `json:"QMP"`
}

func (q *QMP) read() (*qmpReply, error) {
	line, err := q.r.ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("qmp: %v", err)
	}
	var r qmpReply
	if err := json.Unmarshal(line, &r); err != nil {
		return nil, fmt.Errorf("qmp: bad reply %q: %v", line, err)
	}
	return &r, nil
}

// Call runs one command and returns its "return" value.
func (q *QMP) Call(command string, args any) (json.RawMessage, error) {
	req := map[string]any{"execute": command}
	if args != nil {
		req["arguments"] = args
	}
	b, _ := json.Marshal(req)
	if _, err := q.conn.Write(append(b, '\n')); err != nil {
		return nil, fmt.Errorf("qmp: %v", err)
	}
	for {
		r, err := q.read()
		if err != nil {
			return nil, err
		}
		if r.Event != "" {
			continue
		}
		if r.Error != nil {
			return nil, fmt.Errorf("qmp: %s: %s: %s", command, r.Error.Class, r.Error.Desc)
		}
		return r.Return, nil
	}
}

// HMP runs a human-monitor command and returns its output.
func (q *QMP) HMP(command string) (string, error) {
	raw, err := q.Call("human-monitor-command", map[string]string{"command-line": command})
	if err != nil {
		return "", err
	}
	var s string
	err = json.Unmarshal(raw, &s)
	return s, err
}
