package fdt

import (
	"encoding/binary"
	"testing"
)

// FuzzParse feeds mutated blobs to Parse and, when one parses, to every
// accessor. Nothing may panic; errors are fine. The seed corpus is the two
// DTBs QEMU passes (testdata/) and the small synthetic trees of the tests.
//
//	go test -run '^$' -fuzz FuzzParse -fuzztime 60s -fuzzminimizetime 1s ./kernel/fdt
//
// (make fuzz-fdt). Minimizing a new input grown from the 75 KB raspi4b seed
// is slow; with the default -fuzzminimizetime of 60 s the fuzzer seems to
// stall, so keep it short.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"raspi4b.dtb", "virt.dtb"} {
		f.Add(trimPadding(readDTB(f, name)))
	}
	f.Add(buildDTB(smallTree()))
	f.Add(buildDTB(node("", nil)))
	f.Fuzz(func(t *testing.T, blob []byte) {
		tree, err := Parse(blob)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Parse() error %T %v, want *fdt.Error", err, err)
			}
			return
		}
		exercise(tree)
	})
}

// exercise calls every accessor on every node, ignoring the results: the
// fuzzer only looks for panics and hangs.
func exercise(tree *Tree) {
	tree.Memory()
	tree.ReservedMemory()
	tree.StaticReservations()
	tree.StdoutPath()
	tree.FindCompatible("arm,pl011")
	tree.Root.Walk(func(n *Node) {
		n.Path()
		n.Enabled()
		n.Strings("compatible")
		tree.RegCPU(n)
		tree.DMA(n)
		if irqs, err := tree.Interrupts(n); err == nil {
			for _, irq := range irqs {
				irq.GIC()
			}
		}
	})
}

// trimPadding shrinks a blob's totalsize to the end of its last block. QEMU
// pads the virt DTB to 1 MiB, which would make every fuzz iteration copy a
// megabyte of zeros.
func trimPadding(blob []byte) []byte {
	be := binary.BigEndian
	end := max(be.Uint32(blob[8:])+be.Uint32(blob[36:]), be.Uint32(blob[12:])+be.Uint32(blob[32:]))
	out := append([]byte(nil), blob[:end]...)
	be.PutUint32(out[4:], end)
	return out
}
