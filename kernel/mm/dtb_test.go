package mm

import (
	_ "embed"
	"encoding/binary"
	"os"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// The board DTBs the tests use, embedded so the tests also run at EL1 as an
// in-kernel test binary, where there is no file system. They are the dumps
// in kernel/fdt/testdata with QEMU's padding cut off (totalsize shrunk to
// the end of the last block); TestEmbeddedDTBsMatchFDT keeps them in step.
var (
	//go:embed testdata/raspi4b.dtb
	raspi4bDTB []byte
	//go:embed testdata/virt.dtb
	virtDTB []byte
)

// boardDTB returns the embedded DTB of that name.
func boardDTB(t testing.TB, name string) []byte {
	t.Helper()
	switch name {
	case "raspi4b.dtb":
		return raspi4bDTB
	case "virt.dtb":
		return virtDTB
	}
	t.Fatalf("no embedded DTB %q", name)
	return nil
}

// TestEmbeddedDTBsMatchFDT checks the copies against kernel/fdt/testdata,
// on the host (at EL1 there are no files to compare with).
func TestEmbeddedDTBsMatchFDT(t *testing.T) {
	for _, name := range []string{"raspi4b.dtb", "virt.dtb"} {
		full, err := os.ReadFile("../fdt/testdata/" + name)
		if err != nil {
			t.Skipf("no kernel/fdt/testdata here (in-kernel run?): %v", err)
		}
		be := binary.BigEndian
		end := max(be.Uint32(full[8:])+be.Uint32(full[36:]), be.Uint32(full[12:])+be.Uint32(full[32:]))
		want := append([]byte(nil), full[:end]...)
		be.PutUint32(want[4:], end)
		require.Equal(t, want, boardDTB(t, name), "testdata/%s is not kernel/fdt/testdata/%s without padding: copy it again", name, name)
	}
}

var (
	boardRAMMu sync.Mutex
	boardRAMs  = map[uint64][]byte{}
)

// boardRAM returns a byte slice to stand for a board's RAM, allocated once
// per size and shared by the tests, which each build a fresh manager over
// it. Allocating 960 MiB again would make the runtime clear the reused
// memory, and at EL1 that commits every page: more than the machine has.
func boardRAM(size uint64) []byte {
	boardRAMMu.Lock()
	defer boardRAMMu.Unlock()
	if b, ok := boardRAMs[size]; ok {
		return b
	}
	b := make([]byte, size)
	boardRAMs[size] = b
	return b
}
