package mm

import "testing"

func TestTLBIOperand(t *testing.T) {
	tests := []struct {
		asid uint16
		va   uint64
		want uint64
	}{
		{0, 0x1000, 0x1},
		{5, 0x0000_7fff_ffff_f000, 5<<48 | 0x7_ffff_ffff},
		{0xffff, KernelBase + 0x20_0000, 0xffff<<48 | 0x8_0000_0200},
	}
	for _, tt := range tests {
		if got := tlbiOperand(tt.asid, tt.va); got != tt.want {
			t.Errorf("tlbiOperand(%d, %#x) = %#x, want %#x", tt.asid, tt.va, got, tt.want)
		}
	}
}
