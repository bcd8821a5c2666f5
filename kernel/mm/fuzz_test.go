package mm

import (
	"encoding/binary"
	"errors"
	"testing"
)

// FuzzAddressSpace drives a user space with arbitrary Map, Unmap, Protect
// and Translate calls decoded from the input, any arguments at all, and
// checks that nothing panics, that every refusal is one of the documented
// errors, and that Translate agrees with a model of which pages are mapped.
//
//	go test -run '^$' -fuzz FuzzAddressSpace -fuzztime 60s ./kernel/mm
func FuzzAddressSpace(f *testing.F) {
	op := func(kind byte, va, pa, size uint32) []byte {
		b := []byte{kind}
		b = binary.LittleEndian.AppendUint32(b, va)
		b = binary.LittleEndian.AppendUint32(b, pa)
		return binary.LittleEndian.AppendUint32(b, size)
	}
	f.Add(append(op(0, 0x200000, 0x200000, 0x200000), op(1, 0x201000, 0, 0x1000)...))
	f.Add(append(op(0, 0x1000, 0x3000, 0x3000), op(2, 0x2000, 0, 0x1000)...))
	f.Add(op(0, 0x1001, 0x7, 0))
	f.Fuzz(func(t *testing.T, data []byte) {
		v := newTestVM(t, 8*MiB)
		as, err := v.NewSpace()
		if err != nil {
			t.Fatal(err)
		}
		model := map[uint64]uint64{} // page VA -> PA, within the 64 MiB window checked
		const window = 64 * MiB
		for len(data) >= 13 {
			kind := data[0] % 4
			// Addresses are scaled so that most land on pages of a 64 MiB
			// window, and some are wild.
			va := uint64(binary.LittleEndian.Uint32(data[1:]))
			pa := 0x40000000 + uint64(binary.LittleEndian.Uint32(data[5:]))
			size := uint64(binary.LittleEndian.Uint32(data[9:]))
			if data[0]&0x80 == 0 {
				va, pa, size = va%window&^pageMask, pa&^pageMask, size%(4*MiB)&^pageMask
			}
			data = data[13:]
			switch kind {
			case 0:
				err := as.Map(va, pa, size, AttrNormal, ProtRead|ProtWrite)
				if err == nil {
					for off := uint64(0); off < size; off += PageSize {
						model[va+off] = pa + off
					}
				} else if !errors.Is(err, ErrBadArgument) && !errors.Is(err, ErrOverlap) && !errors.Is(err, ErrNoMemory) {
					t.Fatalf("Map(%#x, %#x, %#x) = %v", va, pa, size, err)
				}
			case 1:
				err := as.Unmap(va, size)
				if err == nil {
					for off := uint64(0); off < size; off += PageSize {
						delete(model, va+off)
					}
				} else if !errors.Is(err, ErrBadArgument) && !errors.Is(err, ErrNoMemory) {
					t.Fatalf("Unmap(%#x, %#x) = %v", va, size, err)
				}
			case 2:
				err := as.Protect(va, size, ProtRead)
				if err != nil && !errors.Is(err, ErrBadArgument) && !errors.Is(err, ErrNotMapped) && !errors.Is(err, ErrNoMemory) {
					t.Fatalf("Protect(%#x, %#x) = %v", va, size, err)
				}
			case 3:
				as.Translate(va)
			}
		}
		for va, pa := range model {
			got, err := as.Translate(va)
			if err != nil || got.PA != pa {
				t.Fatalf("Translate(%#x) = %#x, %v; want %#x", va, got.PA, err, pa)
			}
		}
		if uint64(len(model))*PageSize != as.Mapped() {
			t.Fatalf("Mapped() = %#x, model has %d pages", as.Mapped(), len(model))
		}
		as.Destroy()
		if err := v.buddy.Check(); err != nil {
			t.Fatal(err)
		}
	})
}
