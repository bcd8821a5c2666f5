package sdhci

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDescriptorFields(t *testing.T) {
	tests := []struct {
		d       Descriptor
		addr    uint32
		n       int
		act     Descriptor
		valid   bool
		end     bool
		encoded uint64
	}{
		// Address in 63:32, Length in 31:16, Act in 5:4, Valid bit 0.
		{NewDescriptor(ActTran, 0xc0001000, 512, 0), 0xc0001000, 512, ActTran, true, false, 0xc0001000_0200_0021},
		{NewDescriptor(ActTran, 0x2000, MaxDescLen, DescEnd), 0x2000, MaxDescLen, ActTran, true, true, 0x00002000_0000_0023},
		{NewDescriptor(ActLink, 0x3000, 0, 0), 0x3000, MaxDescLen, ActLink, true, false, 0x00003000_0000_0031},
		{Descriptor(0x00004000_0010_0020), 0x4000, 16, ActTran, false, false, 0x00004000_0010_0020},
	}
	for _, tt := range tests {
		if uint64(tt.d) != tt.encoded {
			t.Errorf("descriptor %v = %#x, want %#x", tt.d, uint64(tt.d), tt.encoded)
		}
		if tt.d.Addr() != tt.addr || tt.d.Len() != tt.n || tt.d.Act() != tt.act ||
			tt.d.Has(DescValid) != tt.valid || tt.d.Has(DescEnd) != tt.end {
			t.Errorf("Descriptor(%#x) = addr %#x len %d act %#x valid %v end %v, want %#x %d %#x %v %v",
				uint64(tt.d), tt.d.Addr(), tt.d.Len(), tt.d.Act(), tt.d.Has(DescValid), tt.d.Has(DescEnd),
				tt.addr, tt.n, tt.act, tt.valid, tt.end)
		}
	}
}

func TestPageSegments(t *testing.T) {
	const pg = 0x1000
	tests := []struct {
		name   string
		pages  []uint64
		off, n int
		want   []Segment
	}{
		{"one page", []uint64{0x10000}, 0, pg, []Segment{{0x10000, pg}}},
		{"adjacent pages merge", []uint64{0x10000, 0x11000, 0x12000}, 0, 3 * pg, []Segment{{0x10000, 3 * pg}}},
		{"split where the next page is elsewhere", []uint64{0x10000, 0x30000, 0x31000}, 0, 3 * pg,
			[]Segment{{0x10000, pg}, {0x30000, 2 * pg}}},
		{"offset into the first page, ending inside the last", []uint64{0x1000, 0x2000, 0x8000}, 0x800, 0x2000,
			[]Segment{{0x1800, 0x1800}, {0x8000, 0x800}}},
		{"pages out of order", []uint64{0x5000, 0x4000}, 0, 2 * pg, []Segment{{0x5000, pg}, {0x4000, pg}}},
		{"within one page", []uint64{0x1000, 0x2000}, 0x1200, 0x200, []Segment{{0x2200, 0x200}}},
	}
	for _, tt := range tests {
		got, err := PageSegments(tt.pages, pg, tt.off, tt.n)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("PageSegments(%s) = %v, %v, want %v", tt.name, got, err, tt.want)
		}
	}
	for _, bad := range []struct{ off, n int }{{0, 0}, {-1, 4}, {0, 2*pg + 4}, {pg, pg + 1}} {
		if got, err := PageSegments([]uint64{0, pg}, pg, bad.off, bad.n); err == nil {
			t.Errorf("PageSegments(%d bytes at %d of 2 pages) = %v, nil, want an error", bad.n, bad.off, got)
		}
	}
}

func TestBuildTable(t *testing.T) {
	tran := func(addr uint32, n int) Descriptor { return NewDescriptor(ActTran, addr, n, 0) }
	end := func(addr uint32, n int) Descriptor { return NewDescriptor(ActTran, addr, n, DescEnd) }
	tests := []struct {
		name string
		segs []Segment
		want []Descriptor
	}{
		{"one sector", []Segment{{0xc0001000, 512}}, []Descriptor{end(0xc0001000, 512)}},
		{"exactly 64 KiB is one descriptor with Length 0",
			[]Segment{{0x100000, 1 << 16}}, []Descriptor{end(0x100000, 0)}},
		{"longer than 64 KiB splits",
			[]Segment{{0x100000, 1<<16 + 1<<17 + 1024}},
			[]Descriptor{tran(0x100000, 0), tran(0x110000, 0), tran(0x120000, 0), end(0x130000, 1024)}},
		{"scatter list: one descriptor per segment, End on the last",
			[]Segment{{0x8000, 2048}, {0x9800, 2048}, {0x4000, 512}},
			[]Descriptor{tran(0x8000, 2048), tran(0x9800, 2048), end(0x4000, 512)}},
		{"up to the 4 GiB line", []Segment{{0xfffff000, 0x1000}}, []Descriptor{end(0xfffff000, 0x1000)}},
	}
	for _, tt := range tests {
		got, err := BuildTable(tt.segs)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("BuildTable(%s) = %v, %v, want %v", tt.name, got, err, tt.want)
		}
	}
}

func TestBuildTableRefuses(t *testing.T) {
	tests := []struct {
		name       string
		segs       []Segment
		misaligned bool
	}{
		{"no segments", nil, false},
		{"empty segment", []Segment{{0x1000, 0}}, false},
		{"address not on 4 bytes", []Segment{{0x1002, 512}}, true},
		{"length not on 4 bytes", []Segment{{0x1000, 510}}, true},
		{"second segment misaligned", []Segment{{0x1000, 512}, {0x3001, 512}}, true},
		{"crosses 4 GiB", []Segment{{0xfffff000, 0x2000}}, false},
		{"above 4 GiB", []Segment{{1 << 32, 512}}, false},
	}
	for _, tt := range tests {
		got, err := BuildTable(tt.segs)
		if err == nil {
			t.Errorf("BuildTable(%s) = %v, nil, want an error", tt.name, got)
			continue
		}
		if errors.Is(err, ErrMisaligned) != tt.misaligned {
			t.Errorf("BuildTable(%s) = %v, want ErrMisaligned %v", tt.name, err, tt.misaligned)
		}
	}
}

func TestPutTableLittleEndian(t *testing.T) {
	mem := make([]byte, 16)
	table := []Descriptor{NewDescriptor(ActTran, 0x11223344, 0x200, 0), NewDescriptor(ActTran, 0x55667788, 4, DescEnd)}
	assert.NoError(t, PutTable(mem, table))
	assert.Equal(t, []byte{0x21, 0, 0x00, 0x02, 0x44, 0x33, 0x22, 0x11, 0x23, 0, 0x04, 0, 0x88, 0x77, 0x66, 0x55}, mem)
	assert.Error(t, PutTable(mem[:8], table), "two descriptors do not fit in 8 bytes")
}

func TestADMAErrorDecode(t *testing.T) {
	const table = 0x2000
	tests := []struct {
		status, addr uint32
		desc         int
		says         string
	}{
		// ST_FDS: the address is the descriptor that could not be used.
		{ST_FDS, table + 2*DescSize, 2, "ST_FDS (fetching a descriptor)"},
		// ST_TFR and ST_STOP: the engine already stepped past it.
		{ST_TFR | ADMA_LEN_MISMATCH, table + 4*DescSize, 3, "lengths do not match"},
		{ST_STOP, table + 1*DescSize, 0, "ST_STOP"},
		{ST_FDS, 0x9000, -1, "outside the table"},
		{ST_FDS, table + 3, -1, "outside the table"},
	}
	for _, tt := range tests {
		e := NewADMAError(tt.status, tt.addr, table, 4)
		if e.Desc != tt.desc || !strings.Contains(e.Error(), tt.says) {
			t.Errorf("NewADMAError(%#x, %#x) = descriptor %d, %q, want %d, containing %q",
				tt.status, tt.addr, e.Desc, e.Error(), tt.desc, tt.says)
		}
	}
}
