package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"

	"github.com/burrow-os/burrow/kernel/core"
	"github.com/burrow-os/burrow/kernel/ktest"
)

// blockDevice is what the block drivers (SDHCI, virtio) offer.
type blockDevice interface {
	io.ReaderAt
	io.WriterAt
	Size() int64
}

// BlockPattern is what blockCheck writes into the disk's last sector; the
// host test finds it in the image file after QEMU exits.
const BlockPattern = "burrow block write test, sector "

func init() { blockCheck = checkBlock }

// checkBlock reads the whole disk of the first bound block device (up to
// 8 MiB) and reports its SHA-256, for the host to compare with the image
// it built; then writes the last sector and reads it back.
func checkBlock(r *ktest.Reporter) error {
	var dev blockDevice
	var name string
	for _, n := range []string{"sdhci", "virtio"} {
		if d := devices.Find(n); d != nil {
			dev, name = d.Driver.(blockDevice), n
			break
		}
	}
	if dev == nil {
		return errSkip
	}
	size := min(dev.Size(), 8<<20)
	buf := make([]byte, size)
	t0 := core.Counter()
	if _, err := dev.ReadAt(buf, 0); err != nil {
		return err
	}
	st, _ := core.ReadStats()
	perSector := (core.Counter() - t0) * 1e9 / st.CounterFreq / uint64(size/512)
	sum := sha256.Sum256(buf)
	r.Report("block", "driver", name, "size", dev.Size(), "read", size, "sha256", fmt.Sprintf("%x", sum),
		"ns_per_sector", perSector)
	last := dev.Size()/512 - 1
	want := bytes.Repeat([]byte{'.'}, 512)
	copy(want, fmt.Sprintf("%s%d\n", BlockPattern, last))
	if _, err := dev.WriteAt(want, last*512); err != nil {
		return err
	}
	got := make([]byte, 512)
	if _, err := dev.ReadAt(got, last*512); err != nil {
		return err
	}
	if !bytes.Equal(got, want) {
		return fmt.Errorf("sector %d reads back %q, want %q", last, got[:40], want[:40])
	}
	return nil
}
