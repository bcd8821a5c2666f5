package mmu

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// physMem is sparse physical memory built by the tests.
type physMem map[uint64]uint64 // 8-byte aligned PA -> descriptor

func (m physMem) ReadPhys(pa uint64, n int) ([]byte, error) {
	if n != 8 || pa%8 != 0 {
		return nil, fmt.Errorf("unaligned read %#x,%d", pa, n)
	}
	if pa >= 1<<36 {
		return nil, errors.New("E14")
	}
	b := make([]byte, 8)
	binary.LittleEndian.PutUint64(b, m[pa])
	return b, nil
}

const (
	valid  = 1 << 0
	table  = 1 << 1
	af     = 1 << 10
	shIn   = 3 << 8
	uxn    = 1 << 54
	pxn    = 1 << 53
	normal = 1 << 2 // AttrIndx 1
)

// fixtureTables builds the same tables as debugger/testdata/fixture: a
// 48-bit four-level map shared by TTBR0 and TTBR1.
func fixtureTables() (physMem, Regs) {
	const l0, l1, l2, l3 = 0x40085000, 0x40084000, 0x40083000, 0x40082000
	m := physMem{}
	m[l0] = l1 | valid | table
	m[l1] = 0 | valid | af | pxn | uxn                             // 1 GiB device block
	m[l1+8] = l2 | valid | table                                   // 1-2 GiB
	m[l2] = l3 | valid | table                                     // first 2 MiB in pages
	m[l2+8] = 0x40200000 | valid | normal | shIn | af | uxn        // a 2 MiB block
	m[l3+0x80*8] = 0x40080000 | valid | table | normal | shIn | af // page 0x80
	tcr := uint64(16) | 16<<16 | 2<<30 | 1<<32
	return m, Regs{TTBR0: l0, TTBR1: l0 | 0x0001_0000_0000_0000 /* ASID 1 */, TCR: tcr, MAIR: 0xff00}
}

func TestWalk(t *testing.T) {
	mem, regs := fixtureTables()
	for _, tc := range []struct {
		va, pa, size uint64
		ttbr         int
		kinds        []Kind
		attrs        string
	}{
		{0x40080123, 0x40080123, 4096, 0, []Kind{Table, Table, Table, Page}, "AttrIndx=1(Normal-WB) AP=EL1:RW,EL0:none SH=inner AF"},
		{0x40212345, 0x40212345, 2 << 20, 0, []Kind{Table, Table, Block}, "AttrIndx=1(Normal-WB) AP=EL1:RW,EL0:none SH=inner AF UXN"},
		{0x09000010, 0x09000010, 1 << 30, 0, []Kind{Table, Block}, "AttrIndx=0(Device-nGnRnE) AP=EL1:RW,EL0:none SH=non AF PXN UXN"},
		{0xFFFF000040080008, 0x40080008, 4096, 1, []Kind{Table, Table, Table, Page}, ""},
	} {
		tr, err := Walk(mem, regs, tc.va)
		require.NoError(t, err, "Walk(%#x)", tc.va)
		assert.True(t, tr.Mapped)
		assert.Equal(t, tc.pa, tr.PA, "Walk(%#x).PA = %#x, want %#x", tc.va, tr.PA, tc.pa)
		assert.Equal(t, tc.size, tr.Size, "Walk(%#x).Size", tc.va)
		assert.Equal(t, tc.ttbr, tr.TTBR, "Walk(%#x).TTBR", tc.va)
		var kinds []Kind
		for _, s := range tr.Steps {
			kinds = append(kinds, s.Kind)
		}
		assert.Equal(t, tc.kinds, kinds, "Walk(%#x) kinds", tc.va)
		assert.Equal(t, 0, tr.Steps[0].Level, "a 48-bit VA walk starts at level 0")
		if tc.attrs != "" {
			assert.Equal(t, tc.attrs, tr.Steps[len(tr.Steps)-1].Attrs, "Walk(%#x) attributes", tc.va)
		}
	}
}

func TestWalkIndices(t *testing.T) {
	mem, regs := fixtureTables()
	tr, err := Walk(mem, regs, 0x40080123)
	require.NoError(t, err)
	want := []struct {
		idx  int
		addr uint64
	}{{0, 0x40085000}, {1, 0x40084008}, {0, 0x40083000}, {0x80, 0x40082400}}
	for i, w := range want {
		assert.Equal(t, w.idx, tr.Steps[i].Index, "level %d index", i)
		assert.Equal(t, w.addr, tr.Steps[i].DescAddr, "level %d descriptor address", i)
	}
}

func TestWalkFaults(t *testing.T) {
	mem, regs := fixtureTables()
	for _, tc := range []struct {
		name  string
		va    uint64
		regs  Regs
		level int
		msg   string
	}{
		{"unmapped L1", 0x800000000, regs, 1, "invalid"},
		{"unmapped page", 0x40081000, regs, 3, "invalid"},
		{"non-canonical", 0x0001_0000_0000_0000, regs, -1, "neither"},
		{"EPD0", 0x40080000, Regs{TTBR0: regs.TTBR0, TCR: regs.TCR | 1<<7}, -1, "EPD0"},
		{"64K granule", 0x40080000, Regs{TTBR0: regs.TTBR0, TCR: regs.TCR | 1<<14}, -1, "granule"},
		{"unreadable table", 0x40080000, Regs{TTBR0: 1 << 40, TCR: regs.TCR}, 0, "cannot be read"},
	} {
		_, err := Walk(mem, tc.regs, tc.va)
		var fe *FaultError
		require.True(t, errors.As(err, &fe), "%s: Walk(%#x) = %v, want a FaultError", tc.name, tc.va, err)
		assert.Equal(t, tc.level, fe.Level, "%s: fault level", tc.name)
		assert.Contains(t, err.Error(), tc.msg, tc.name)
	}
}

// TestWalk39Bits checks a three-level walk (T0SZ = 25: 39-bit VA, start at
// level 1) and that a level-0-style block there is a block at level 1.
func TestWalk39Bits(t *testing.T) {
	m := physMem{0x1010: 0x80000000 | valid | af} // L1[2]: 1 GiB block at 2 GiB
	tr, err := Walk(m, Regs{TTBR0: 0x1000, TCR: 25}, 0x80001234)
	require.NoError(t, err)
	assert.Equal(t, 1, tr.Steps[0].Level)
	assert.Equal(t, uint64(0x80001234), tr.PA)
	_, err = Walk(m, Regs{TTBR0: 0x1000, TCR: 25}, 1<<39)
	assert.Error(t, err, "VA above 39 bits is outside TTBR0")
}

func TestDescribe(t *testing.T) {
	mem, regs := fixtureTables()
	tr, err := Walk(mem, regs, 0x40080000)
	out := Describe(tr, err)
	assert.Equal(t, 6, strings.Count(out, "\n"), "header, four levels, result:\n%s", out)
	assert.Contains(t, out, "=> PA 0x40080000 (4 KiB page)")
	tr, err = Walk(mem, regs, 0x800000000)
	assert.Contains(t, Describe(tr, err), "not mapped: level 1")
}
