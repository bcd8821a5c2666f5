package qemu

import (
	"fmt"
	"sort"
)

// Board is a QEMU machine Burrow boots on.
type Board struct {
	Name    string   // what users type: -board raspi4b
	Machine []string // the -machine/-cpu/-m arguments
	DTB     string   // device tree to pass with -dtb, relative to the tree root; "" for none
	EntryEL int      // exception level at entry for a raw Image (an ELF on raspi4b enters at EL3)
	UART    uint64   // physical base of the PL011 console
}

// Boards lists every board by name.
var Boards = map[string]Board{
	// Raspberry Pi 4B. RAM is fixed by the machine (2 GiB modelled; the DTB
	// says 960 MiB); QEMU removes the nodes it does not model from the DTB.
	"raspi4b": {
		Name:    "raspi4b",
		Machine: []string{"-machine", "raspi4b"},
		DTB:     "build/deps/bcm2711-rpi-4-b.dtb",
		EntryEL: 2,
		UART:    0xFE201000,
	},
	// QEMU's virt board with the Pi 4's CPU, entered at EL1. QEMU generates
	// the device tree and passes it in x0. -nic none drops the default
	// virtio NIC, whose option ROM Debian ships in a separate package.
	"virt": {
		Name:    "virt",
		Machine: []string{"-machine", "virt", "-cpu", "cortex-a72", "-m", "1G", "-nic", "none"},
		EntryEL: 1,
		UART:    0x09000000,
	},
	// virt with the virtualization extensions, so the kernel enters at EL2.
	"virt-el2": {
		Name:    "virt-el2",
		Machine: []string{"-machine", "virt,virtualization=on", "-cpu", "cortex-a72", "-m", "1G", "-nic", "none"},
		EntryEL: 2,
		UART:    0x09000000,
	},
}

// BoardNames returns the board names, sorted.
func BoardNames() []string {
	var names []string
	for n := range Boards {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LookupBoard returns the named board, or an error that lists the known ones.
func LookupBoard(name string) (Board, error) {
	b, ok := Boards[name]
	if !ok {
		return Board{}, fmt.Errorf("qemu: unknown board %q (known: %v)", name, BoardNames())
	}
	return b, nil
}
