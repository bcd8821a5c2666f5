package vfs

import (
	"crypto/rand"
	"io"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

// Device numbers, as Linux assigns them (Documentation/admin-guide/devices.txt).
const (
	DevNull    = 1<<8 | 3
	DevZero    = 1<<8 | 5
	DevRandom  = 1<<8 | 8
	DevURandom = 1<<8 | 9
	DevTTY     = 5<<8 | 0
	DevConsole = 5<<8 | 1
)

type nullDev struct{}

func (nullDev) Read(*File, []byte) (int, error)      { return 0, nil }
func (nullDev) Write(_ *File, p []byte) (int, error) { return len(p), nil }

type zeroDev struct{}

func (zeroDev) Read(_ *File, p []byte) (int, error)  { clear(p); return len(p), nil }
func (zeroDev) Write(_ *File, p []byte) (int, error) { return len(p), nil }

type randomDev struct{ r io.Reader }

func (d randomDev) Read(_ *File, p []byte) (int, error)  { return io.ReadFull(d.r, p) }
func (d randomDev) Write(_ *File, p []byte) (int, error) { return len(p), nil }

// MountDev makes /dev with the console (tty), null, zero and the random
// devices, as a devtmpfs would.
func (fs *FS) MountDev(tty *TTY) error {
	dev := New().Root
	if err := fs.Mount("/dev", dev); err != nil {
		return err
	}
	for _, d := range []struct {
		name string
		rdev uint64
		dev  Device
	}{
		{"console", DevConsole, tty}, {"tty", DevTTY, tty}, {"null", DevNull, nullDev{}},
		{"zero", DevZero, zeroDev{}}, {"random", DevRandom, randomDev{rand.Reader}},
		{"urandom", DevURandom, randomDev{rand.Reader}},
	} {
		if err := fs.AddDevice(nil, "/dev/"+d.name, d.rdev, d.dev); err != nil && err != linux.EEXIST {
			return err
		}
	}
	return nil
}
