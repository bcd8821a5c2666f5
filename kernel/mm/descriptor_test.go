package mm

import (
	"testing"
	"testing/quick"
)

// Descriptors computed by hand from the bit layout in ARM ARM D8.3:
//
//	0x3     valid + page (level 3) / table
//	0x0     AttrIndx 0 (normal);  0x4 AttrIndx 1 (device);  0x8 AttrIndx 2 (normal-nc)
//	0x40    AP[1] EL0 access;          0x80 AP[2] read-only
//	0x300   SH inner shareable;        0x400 AF;  0x800 nG
//	1<<53   PXN = 0x0020_0000_0000_0000; 1<<54 UXN = 0x0040_0000_0000_0000
func TestMakeLeaf(t *testing.T) {
	tests := []struct {
		name  string
		level int
		pa    uint64
		attr  Attr
		prot  Prot
		want  PTE
	}{
		{"kernel data page", 3, 0x40001000, AttrNormal, ProtRead | ProtWrite, 0x0060_0000_4000_1703},
		{"kernel text page", 3, 0x80000, AttrNormal, ProtRead | ProtExec, 0x0040_0000_0008_0783},
		{"kernel rodata 2M block", 2, 0x200000, AttrNormal, ProtRead, 0x0060_0000_0020_0781},
		{"uart mmio page", 3, 0xfe201000, AttrDevice, ProtRead | ProtWrite, 0x0060_0000_fe20_1407},
		{"dma buffer page", 3, 0x100000, AttrNormalNC, ProtRead | ProtWrite, 0x0060_0000_0010_070b},
		{"user data page", 3, 0x5000, AttrNormal, ProtRead | ProtWrite | ProtUser, 0x0060_0000_0000_5f43},
		{"user text page", 3, 0x6000, AttrNormal, ProtRead | ProtExec | ProtUser, 0x0020_0000_0000_6fc3},
		{"user 1G block", 1, 0x40000000, AttrNormal, ProtRead | ProtUser, 0x0060_0000_4000_0fc1},
	}
	for _, tt := range tests {
		got := MakeLeaf(tt.level, tt.pa, tt.attr, tt.prot)
		if got != tt.want {
			t.Errorf("%s: MakeLeaf(%d, %#x, %v, %v) = %#016x, want %#016x", tt.name, tt.level, tt.pa, tt.attr, tt.prot, uint64(got), uint64(tt.want))
		}
		// Decoding must give the inputs back.
		if !got.IsLeaf(tt.level) || got.IsTable(tt.level) || got.Addr() != tt.pa || got.Attr() != tt.attr || got.Prot() != tt.prot {
			t.Errorf("%s: decode(%#x) = leaf %v addr %#x attr %v prot %v, want %#x %v %v",
				tt.name, uint64(got), got.IsLeaf(tt.level), got.Addr(), got.Attr(), got.Prot(), tt.pa, tt.attr, tt.prot)
		}
		if got.Global() == (tt.prot&ProtUser != 0) {
			t.Errorf("%s: Global(%#x) = %v, want kernel pages global and user pages not", tt.name, uint64(got), got.Global())
		}
	}
}

func TestDescriptorKinds(t *testing.T) {
	tbl := MakeTable(0x1234_5000)
	if tbl != 0x1234_5003 {
		t.Errorf("MakeTable(0x12345000) = %#x, want 0x12345003", uint64(tbl))
	}
	tests := []struct {
		d           PTE
		level       int
		table, leaf bool
	}{
		{tbl, 0, true, false},
		{tbl, 2, true, false},
		{tbl, 3, false, true},          // 0b11 at level 3 is a page
		{0x1234_5001, 2, false, true},  // block
		{0x1234_5001, 3, false, false}, // 0b01 at level 3 is reserved
		{0x1234_5001, 0, false, false}, // no level 0 blocks with 4 KiB pages
		{0x1234_5002, 2, false, false}, // invalid
	}
	for _, tt := range tests {
		if tt.d.IsTable(tt.level) != tt.table || tt.d.IsLeaf(tt.level) != tt.leaf {
			t.Errorf("%#x at level %d: IsTable = %v, IsLeaf = %v, want %v, %v", uint64(tt.d), tt.level,
				tt.d.IsTable(tt.level), tt.d.IsLeaf(tt.level), tt.table, tt.leaf)
		}
	}
}

func TestMAIR(t *testing.T) {
	if MAIR != 0x4404ff { // ckernel/mmu.h MAIR_VALUE
		t.Errorf("MAIR = %#x, want 0x4404ff", MAIR)
	}
}

func TestTableIndex(t *testing.T) {
	// 0x101<<39 | 0x0<<30 | 0x103<<21 | 0x1<<12 | 0x234
	va := uint64(0x0000_8080_2060_1234)
	want := []uint64{0x101, 0x0, 0x103, 0x001}
	for level, w := range want {
		if got := tableIndex(va, level); got != w {
			t.Errorf("tableIndex(%#x, %d) = %#x, want %#x", va, level, got, w)
		}
	}
}

// Every descriptor MakeLeaf can build decodes back to its inputs, and the
// security rules hold for all of them: user pages are never executable at
// EL1 and never global; kernel pages are never executable at EL0.
func TestMakeLeafProperties(t *testing.T) {
	f := func(levelSeed uint8, pa uint64, attrSeed, protSeed uint8) bool {
		level := 1 + int(levelSeed%3)
		pa = pa & (MaxPhys - 1) &^ (levelSize(level) - 1)
		attr := Attr(attrSeed % 3)
		prot := ProtRead | Prot(protSeed)&(ProtWrite|ProtExec|ProtUser)
		d := MakeLeaf(level, pa, attr, prot)
		user := prot&ProtUser != 0
		return d.IsLeaf(level) && !d.IsTable(level) && d.Addr() == pa && d.Attr() == attr && d.Prot() == prot &&
			d.Global() == !user &&
			(!user || d&descPXN != 0) && // user pages: PXN
			(user || d&descUXN != 0) && // kernel pages: UXN
			d&descAF != 0
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 20000}); err != nil {
		t.Error(err)
	}
}
