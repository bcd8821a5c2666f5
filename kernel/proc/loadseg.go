package proc

import (
	"github.com/burrow-os/burrow/kernel/elf"
	"github.com/burrow-os/burrow/kernel/mm"
)

// loadSegments fills the segments' file bytes into the new space us (the
// areas are mapped already; what lies past each segment's file bytes
// stays demand-zero). A page that lies wholly inside one segment's file
// bytes, and in no other segment, is mapped from the page cache; the rest
// (a segment's partial first and last pages) are copied in.
func (k *Kernel) loadSegments(us *mm.UserSpace, exe executable, f *elf.File, bias uint64) error {
	version, cacheable := uint64(0), false
	if exe.inode != nil && k.cache.vm != nil {
		version, cacheable = exe.inode.Version()
	}
	segsOn := map[uint64]int{} // how many segments touch each page
	for _, s := range f.Segs {
		for va := pageDown(s.Vaddr + bias); va < pageUp(s.Vaddr+bias+s.Memsz); va += pageSize {
			segsOn[va]++
		}
	}
	for _, s := range f.Segs {
		start, end := s.Vaddr+bias, s.Vaddr+bias+s.Filesz
		for va := pageDown(start); va < end; va += pageSize {
			lo, hi := max(va, start), min(va+pageSize, end)
			off := s.Off + (lo - start) // the file offset of lo
			whole := lo == va && hi == va+pageSize && off%pageSize == 0 && segsOn[va] == 1
			if cacheable && whole {
				pa, err := k.cache.page(exe.inode, version, exe.data, off/pageSize)
				if err != nil {
					return err
				}
				if err := us.MapPage(va, pa); err != nil {
					return err
				}
				continue
			}
			if err := k.poke(us, lo, exe.data[off:off+(hi-lo)]); err != nil {
				return err
			}
		}
	}
	return nil
}
