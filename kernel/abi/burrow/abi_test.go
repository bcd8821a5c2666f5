package burrow

import (
	"encoding/binary"
	"testing"
)

// TestAppRequestLayout: the encoded request is exactly the 64 bytes the
// comment promises, with each field at the offset both sides assume.
func TestAppRequestLayout(t *testing.T) {
	if got := binary.Size(AppRequest{}); got != SizeofAppRequest {
		t.Fatalf("binary.Size(AppRequest{}) = %d, want %d", got, SizeofAppRequest)
	}
	req := AppRequest{Size: 0x11, Flags: 0x22, Memory: 0x33, CPUs: 0x44, CPUShare: 0x55,
		FreeMemory: 0x66, OnlineCPUs: 0x77, KernelFlags: 0x88, Committed: 0x99}
	req.Name[0] = 'a'
	b, err := binary.Append(nil, binary.LittleEndian, &req)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		field string
		off   int
		want  byte
	}{
		{"Size", 0, 0x11}, {"Flags", 4, 0x22}, {"Memory", 8, 0x33}, {"CPUs", 16, 0x44},
		{"CPUShare", 20, 0x55}, {"Name", 24, 'a'}, {"FreeMemory", 40, 0x66},
		{"OnlineCPUs", 48, 0x77}, {"KernelFlags", 52, 0x88}, {"Committed", 56, 0x99},
	} {
		if got := b[c.off]; got != c.want {
			t.Errorf("byte %d (%s) = %#x, want %#x", c.off, c.field, got, c.want)
		}
	}
}

// TestOptionsOutsideLinux: the options are far from Linux's own (which are
// below 100, plus the "Yama" and "SVMA" tags) and fit prctl's int option.
func TestOptionsOutsideLinux(t *testing.T) {
	for _, opt := range []int{PR_BURROW_VERSION, PR_BURROW_ADMIT, PR_BURROW_AI_READ} {
		if opt>>8 != PR_BURROW_BASE>>8 || opt == 0x59616d61 || opt == 0x53564d41 || opt > 1<<31-1 {
			t.Errorf("option %#x is outside the private range %#x..%#x", opt, PR_BURROW_BASE, PR_BURROW_BASE+0xff)
		}
	}
}
