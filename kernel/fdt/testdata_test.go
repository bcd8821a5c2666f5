package fdt

import (
	_ "embed"
	"testing"
)

// The two DTBs QEMU passes, embedded so that this package's tests also run
// at EL1 as an in-kernel test binary, where there is no file system.
var (
	//go:embed testdata/raspi4b.dtb
	raspi4bDTB []byte
	//go:embed testdata/virt.dtb
	virtDTB []byte
)

// readDTB returns the embedded copy of testdata/name.
func readDTB(t testing.TB, name string) []byte {
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
