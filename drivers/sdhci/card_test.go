package sdhci

import "testing"

func TestDivisor(t *testing.T) {
	tests := []struct {
		base, hz, want uint32
	}{
		{100_000_000, 400_000, 125 << 8},         // 100 MHz / (2*125) = 400 kHz
		{100_000_000, 25_000_000, 2 << 8},        // 25 MHz
		{50_000_000, 50_000_000, 0},              // the base clock itself
		{200_000_000, 100_000, 0xe8<<8 | 0x3<<6}, // N = 1000 = 0x3e8: low byte 0xe8, top bits 0b11
		{41_666_667, 400_000, 53 << 8},           // rounds N up: 392.9 kHz, not over 400
		{200_000_000, 1, 0xff<<8 | 0x3<<6},       // clamped to N = 1023
	}
	for _, tt := range tests {
		if got := Divisor(tt.base, tt.hz); got != tt.want {
			t.Errorf("Divisor(%d, %d) = %#x, want %#x", tt.base, tt.hz, got, tt.want)
		}
	}
}

// csd builds the controller's RESP0-3 view of a CSD: bits 127:8 of the
// register, shifted down by 8, from field values at CSD bit positions.
func csd(fields map[[2]int]uint64) [4]uint32 {
	var r [4]uint32
	for pos, v := range fields {
		for b := pos[1]; b <= pos[0]; b++ {
			if v>>(b-pos[1])&1 != 0 {
				i := b - 8
				r[i/32] |= 1 << (i % 32)
			}
		}
	}
	return r
}

func TestCapacity(t *testing.T) {
	tests := []struct {
		name string
		r    [4]uint32
		want int64
	}{
		// CSD 1.0, 1 MiB: READ_BL_LEN 9, C_SIZE_MULT 0 (x4), C_SIZE 511.
		{"v1 1MiB", csd(map[[2]int]uint64{{83, 80}: 9, {49, 47}: 0, {73, 62}: 511}), 1 << 20},
		// CSD 1.0, 2 GiB: READ_BL_LEN 10, C_SIZE_MULT 7 (x512), C_SIZE 4095.
		{"v1 2GiB", csd(map[[2]int]uint64{{83, 80}: 10, {49, 47}: 7, {73, 62}: 4095}), 2 << 30},
		// CSD 2.0, 8 GiB: C_SIZE = 8 GiB / 512 KiB - 1 = 16383.
		{"v2 8GiB", csd(map[[2]int]uint64{{127, 126}: 1, {69, 48}: 16383}), 8 << 30},
		{"v3 reserved", csd(map[[2]int]uint64{{127, 126}: 3}), 0},
	}
	for _, tt := range tests {
		if got := Capacity(tt.r); got != tt.want {
			t.Errorf("Capacity(%s) = %d, want %d", tt.name, got, tt.want)
		}
	}
}
