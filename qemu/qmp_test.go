package qemu

import (
	"bufio"
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestQMPVirtualTime talks to a fake QMP server that interleaves an event
// with its replies, as QEMU does.
func TestQMPVirtualTime(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "qmp.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.Write([]byte(`{"QMP": {"version": {}, "capabilities": ["oob"]}}` + "\n"))
		in := bufio.NewScanner(c)
		for in.Scan() {
			switch {
			case strings.Contains(in.Text(), "qmp_capabilities"):
				c.Write([]byte(`{"return": {}}` + "\n"))
			case strings.Contains(in.Text(), "query-replay"):
				c.Write([]byte(`{"event": "RESUME", "timestamp": {}}` + "\n"))
				c.Write([]byte(`{"return": {"icount": 123456789, "mode": "none"}}` + "\n"))
			default:
				c.Write([]byte(`{"error": {"class": "CommandNotFound", "desc": "no"}}` + "\n"))
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	q, err := DialQMP(ctx, sock)
	if err != nil {
		t.Fatalf("DialQMP: %v", err)
	}
	defer q.Close()
	if vt, err := readVirtualTime(q); err != nil || vt != 123456789*time.Nanosecond {
		t.Errorf("readVirtualTime = %v, %v; want 123.456789ms", vt, err)
	}
	if _, err := q.Call("bogus", nil); err == nil || !strings.Contains(err.Error(), "CommandNotFound") {
		t.Errorf("Call(bogus) error = %v, want CommandNotFound", err)
	}
}

func TestDialQMPGivesUp(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := DialQMP(ctx, filepath.Join(t.TempDir(), "none.sock")); err == nil {
		t.Error("DialQMP to a missing socket succeeded")
	}
}

func TestBudgetNeedsIcount(t *testing.T) {
	_, err := Run(context.Background(), Config{Board: "virt", Kernel: "k", Budget: time.Second})
	if err == nil || !strings.Contains(err.Error(), "Icount") {
		t.Errorf("Run with a budget and no icount = %v", err)
	}
}
