package reg

import (
	"errors"
	"testing"
	"time"
)

func TestBitOps(t *testing.T) {
	tests := []struct {
		name string
		op   func(Block)
		want uint32
	}{
		{"Write", func(b Block) { b.Write(8, 0x1234) }, 0x1234},
		{"Set", func(b Block) { b.Set(8, 0x0f00) }, 0xffff},
		{"Clear", func(b Block) { b.Clear(8, 0x00f0) }, 0xf00f},
		{"Field", func(b Block) { b.Field(8, 0x0ff0, 0xab) }, 0xfabf},
		{"FieldTruncates", func(b Block) { b.Field(8, 0x00f0, 0x1c) }, 0xf0cf},
	}
	for _, tt := range tests {
		f := NewFake()
		f.Poke(0x1008, 0xf0ff)
		b := New(f, 0x1000)
		tt.op(b)
		if got := f.Peek(0x1008); got != tt.want {
			t.Errorf("%s: register = %#x, want %#x", tt.name, got, tt.want)
		}
	}
}

func TestWaitFor(t *testing.T) {
	f := NewFake()
	reads := 0
	f.OnRead = func(pa uint64, v uint32) uint32 {
		reads++
		if reads >= 40 {
			return 0x80
		}
		return 0
	}
	b := New(f, 0)
	v, err := b.WaitFor(0, 0x80, 0x80, time.Second)
	if err != nil || v != 0x80 {
		t.Errorf("WaitFor(ready after 40 reads) = %#x, %v, want 0x80, nil", v, err)
	}
	f.OnRead = nil
	_, err = b.WaitFor(0, 0x80, 0x80, time.Millisecond)
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("WaitFor(never ready) = %v, want ErrTimeout", err)
	}
}

func TestFakeHooks(t *testing.T) {
	f := NewFake()
	// Write-1-to-clear, as interrupt status registers behave.
	f.OnWrite = func(f *Fake, pa uint64, v uint32) uint32 { return f.Peek(pa) &^ v }
	f.Poke(4, 0b1011)
	New(f, 0).Write(4, 0b0010)
	if got := f.Peek(4); got != 0b1001 {
		t.Errorf("W1C(0b1011, 0b0010) = %#b, want 0b1001", got)
	}
	if len(f.Writes) != 1 || f.Writes[0] != (Access{4, 0b0010}) {
		t.Errorf("Writes = %v, want [{4 2}]", f.Writes)
	}
}

func TestWaitAny(t *testing.T) {
	f := NewFake()
	b := New(f, 0)
	f.Poke(0, 0b0100)
	if v, err := b.WaitAny(0, 0b0110, time.Second); err != nil || v != 0b0100 {
		t.Errorf("WaitAny(0b0100, mask 0b0110) = %#b, %v, want 0b100, nil", v, err)
	}
	if _, err := b.WaitAny(0, 0b1000, time.Millisecond); !errors.Is(err, ErrTimeout) {
		t.Errorf("WaitAny(0b0100, mask 0b1000) = %v, want ErrTimeout", err)
	}
}
