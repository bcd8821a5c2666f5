package mm

import (
	"testing"

	"github.com/burrow-os/burrow/kernel/fdt"
	"github.com/stretchr/testify/require"
)

// recCache records CleanInvalidate calls, and checks the range was already
// zeroed when it was called.
type recCache struct {
	mem   PhysMem
	calls []Region
	dirty bool // a cleaned range was not zero yet
}

func (c *recCache) CleanInvalidate(pa, size uint64) {
	c.calls = append(c.calls, Region{Address: pa, Size: size})
	b := make([]byte, size)
	c.mem.ReadAt(b, int64(pa))
	for _, x := range b {
		if x != 0 {
			c.dirty = true
		}
	}
}

func loadDTB(t testing.TB, name string) *fdt.Tree {
	t.Helper()
	tree, err := fdt.Parse(boardDTB(t, name))
	require.NoError(t, err)
	return tree
}

// newManager initializes a KernelMemoryManager for a board DTB, with a byte
// slice as RAM (boardRAM). The slice is as big as the board's RAM, but only
// the pages the tests touch become resident.
func newManager(t testing.TB, dtb, dmaBus string, reserved ...Region) (*KernelMemoryManager, *recCache) {
	t.Helper()
	tree := loadDTB(t, dtb)
	ram, err := tree.Memory()
	require.NoError(t, err)
	direct := NewDirectMapSlice(boardRAM(ram[0].Size), ram[0].Address)
	cache := &recCache{mem: direct}
	k := &KernelMemoryManager{}
	require.NoError(t, k.Initialize(Config{Tree: tree, Direct: direct, TLB: nopTLB{}, Cache: cache, Reserved: reserved, DMABus: dmaBus}))
	return k, cache
}

func TestInitializeRaspi4b(t *testing.T) {
	kernelImage := Region{Address: 0x80000, Size: 0x200000} // where the firmware loads kernel8.img
	k, _ := newManager(t, "raspi4b.dtb", "/soc", kernelImage)
	require.Equal(t, []Region{{Address: 0, Size: 0x3c000000}}, k.RAM)
	require.Equal(t, []Region{{Address: 0, Size: 0x1000}, kernelImage}, k.Reserved)
	s := k.Stats()
	ram := uint64(0x3c000000 / PageSize)
	reserved := uint64(1 + 0x200000/PageSize)
	require.Equal(t, ram-reserved, s.Phys.TotalPages)
	require.Equal(t, reserved, s.Phys.ReservedPages)
	// The VM took the 256 kernel L1 tables and the kernel's L0 table.
	require.Equal(t, int64(257), s.VM.TablePages)
	require.Equal(t, s.Phys.TotalPages-257, s.Phys.FreePages)
	require.NoError(t, k.Phys.Check())
	for _, pa := range []uint64{0, 0x80000, 0x27f000} {
		require.ErrorIs(t, k.Phys.Free(pa), ErrForeign, "Free(%#x) of reserved memory", pa)
	}
}

// On the BCM2711 a DMA buffer's bus address is its physical address plus
// 0xc0000000 (/soc dma-ranges), and the kernel maps it non-cacheable.
func TestDMABufferRaspi4b(t *testing.T) {
	k, cache := newManager(t, "raspi4b.dtb", "/soc")
	// Dirty some memory, free it, and check a DMA buffer from it is clean.
	pa, err := k.Phys.Alloc(1)
	require.NoError(t, err)
	k.VM.mem.WriteAt([]byte("secret"), int64(pa))
	require.NoError(t, k.Phys.Free(pa))
	free := k.Stats().Phys.FreePages

	buf, err := k.DMA.Alloc(5000)
	require.NoError(t, err)
	require.Equal(t, uint64(8192), buf.Size, "5000 bytes round up to two pages")
	require.Equal(t, buf.CPU+0xc0000000, buf.Bus, "Bus = CPU + 0xc0000000")
	require.Equal(t, DMABase+buf.CPU, buf.VA)
	tr, err := k.VM.Kernel().Translate(buf.VA + 100)
	require.NoError(t, err)
	require.Equal(t, Translation{PA: buf.CPU + 100, Attr: AttrNormalNC, Prot: ProtRead | ProtWrite, Level: 3}, tr,
		"DMA buffers are mapped Normal Non-cacheable, EL1 read-write")
	require.Equal(t, []Region{{Address: buf.CPU, Size: buf.Size}}, cache.calls, "cleaned and invalidated once, at allocation")
	require.False(t, cache.dirty, "the buffer is zeroed before the cache is cleaned")
	got := make([]byte, 6)
	k.VM.mem.ReadAt(got, int64(buf.CPU))
	require.Equal(t, make([]byte, 6), got, "DMA buffers start zeroed")
	require.Equal(t, DMAStats{Buffers: 1, Bytes: 8192}, k.DMA.Stats())

	require.ErrorIs(t, k.DMA.Free(DMABuffer{CPU: buf.CPU + PageSize}), ErrForeign)
	require.NoError(t, k.DMA.Free(buf))
	require.ErrorIs(t, k.DMA.Free(buf), ErrForeign, "second Free")
	_, err = k.VM.Kernel().Translate(buf.VA)
	require.ErrorIs(t, err, ErrNotMapped, "freed DMA buffers are unmapped")
	// Tables made for the DMA window stay, everything else comes back.
	require.Equal(t, free-uint64(k.Stats().VM.TablePages-257), k.Stats().Phys.FreePages)

	for _, size := range []uint64{0, 4<<20 + 1} {
		_, err := k.DMA.Alloc(size)
		require.ErrorIs(t, err, ErrBadArgument, "DMA.Alloc(%d)", size)
	}
}

func TestDMAUnreachableMemory(t *testing.T) {
	v := newTestVM(t, 8*MiB) // RAM at 0x40000000
	window := fdt.DMAMap{Windows: []fdt.DMARange{{Bus: 0xc0000000, CPU: 0, Size: 1 << 30}}}
	d := NewDMAAllocator(v.buddy, v.mem, &recCache{mem: v.mem}, v.Kernel(), window)
	free := v.buddy.Stats().FreePages
	_, err := d.Alloc(PageSize)
	require.ErrorContains(t, err, "not reachable")
	require.Equal(t, free, v.buddy.Stats().FreePages, "the unusable page goes back")
	require.Equal(t, uint64(1), d.Stats().Failed)
}

func TestInitializeVirt(t *testing.T) {
	k, _ := newManager(t, "virt.dtb", "")
	require.Equal(t, []Region{{Address: 0x40000000, Size: 128 << 20}}, k.RAM)
	buf, err := k.DMA.Alloc(PageSize)
	require.NoError(t, err)
	require.Equal(t, buf.CPU, buf.Bus, "virt: bus addresses are physical addresses")
	p, err := CreatePool[packet](k, "packets", 100)
	require.NoError(t, err)
	o, err := p.Get()
	require.NoError(t, err)
	o.Len = 7
	s := k.Stats()
	require.Len(t, s.Pools, 1)
	require.Equal(t, "packets", s.Pools[0].Name)
	require.Equal(t, 128, s.Pools[0].Capacity, "100 packets of 64 bytes round up to two pages")
	require.Equal(t, 1, s.Pools[0].InUse)

	_, err = CreatePool[struct{ S string }](k, "bad", 1)
	require.ErrorIs(t, err, ErrPoolPointers)
	_, err = CreatePool[packet](k, "huge", 1<<20)
	require.ErrorIs(t, err, ErrBadArgument)
}

func TestInitializeErrors(t *testing.T) {
	tree := loadDTB(t, "raspi4b.dtb")
	direct := NewDirectMapSlice(make([]byte, PageSize), 0)
	k := &KernelMemoryManager{}
	require.ErrorIs(t, k.Initialize(Config{Tree: tree}), ErrBadArgument)
	err := k.Initialize(Config{Tree: tree, Direct: direct, TLB: nopTLB{}, Cache: &recCache{mem: direct}})
	require.ErrorContains(t, err, "not in the direct map")
	virt := loadDTB(t, "virt.dtb")
	direct = NewDirectMapSlice(boardRAM(128<<20), 0x40000000)
	err = k.Initialize(Config{Tree: virt, Direct: direct, TLB: nopTLB{}, Cache: &recCache{mem: direct}, DMABus: "/nope"})
	require.ErrorContains(t, err, "/nope")
}

func TestMeminfo(t *testing.T) {
	k, _ := newManager(t, "virt.dtb", "")
	_, err := k.DMA.Alloc(8192)
	require.NoError(t, err)
	_, err = CreatePool[packet](k, "packets", 64)
	require.NoError(t, err)
	got := k.Stats().Meminfo()
	for _, want := range []string{
		"MemTotal:           131072 kB\n", // 128 MiB
		"PageTables:           1036 kB\n", // 256 kernel L1 tables, the kernel L0, the DMA window's L2 and L3
		"DMABuffers:              8 kB\n",
		"FreeBlocks10:           31\n",
		"Pool packets:            0 of 64\n",
	} {
		require.Contains(t, got, want, "Meminfo()")
	}
}
