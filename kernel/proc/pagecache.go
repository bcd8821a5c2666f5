package proc

import (
	"sync"

	"github.com/burrow-os/burrow/kernel/mm"
	"github.com/burrow-os/burrow/kernel/vfs"
)

// The page cache of executables. Every exec of busybox used to copy its
// 1.7 MiB of text into fresh pages; now the first exec fills one page per
// page of the file, and every later one maps the same pages (read-only,
// copy on write for a writable segment: mm.UserSpace.MapPage). Only ramfs
// files are cached, keyed by inode and checked against its version, so a
// rewritten program is read again. The cache keeps at most limit pages and
// forgets the least recently executed file first.

const pageCacheLimit = 16384 // 64 MiB

type pageCache struct {
	vm   *mm.VM
	fill func(pa uint64, b []byte) error // writes b at physical address pa

	mu    sync.Mutex // guards everything below
	files map[*vfs.Inode]*cachedFile
	pages int    // pages held, all files
	tick  uint64 // an exec counter, for least-recently-used
}

type cachedFile struct {
	version uint64
	pages   map[uint64]uint64 // file page index -> physical page
	used    uint64            // tick of the last exec
}

// page returns the physical page holding file page i of n, whose contents
// at version are data, filling it on first use.
func (c *pageCache) page(n *vfs.Inode, version uint64, data []byte, i uint64) (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.files[n]
	if f != nil && f.version != version {
		c.dropFile(n, f) // the file changed since it was cached
		f = nil
	}
	if f == nil {
		f = &cachedFile{version: version, pages: map[uint64]uint64{}}
		c.files[n] = f
	}
	c.tick++
	f.used = c.tick
	if pa, ok := f.pages[i]; ok {
		return pa, nil
	}
	for c.pages >= pageCacheLimit && c.evictOne(n) {
	}
	pa, err := c.vm.AllocPage()
	if err != nil {
		return 0, err
	}
	lo := i * pageSize
	if err := c.fill(pa, data[lo:min(lo+pageSize, uint64(len(data)))]); err != nil {
		c.vm.DropPage(pa)
		return 0, err
	}
	f.pages[i] = pa
	c.pages++
	return pa, nil
}

// evictOne drops the least recently used file other than keep; false if
// there is none.
func (c *pageCache) evictOne(keep *vfs.Inode) bool {
	var victim *vfs.Inode
	for n, f := range c.files {
		if n != keep && (victim == nil || f.used < c.files[victim].used) {
			victim = n
		}
	}
	if victim == nil {
		return false
	}
	c.dropFile(victim, c.files[victim])
	return true
}

// dropFile forgets a file; its pages are freed once no process maps them.
func (c *pageCache) dropFile(n *vfs.Inode, f *cachedFile) {
	for _, pa := range f.pages {
		c.vm.DropPage(pa)
	}
	c.pages -= len(f.pages)
	delete(c.files, n)
}

// DropCaches empties the page cache, as Linux's /proc/sys/vm/drop_caches
// does; the leak checks call it before counting free pages.
func (k *Kernel) DropCaches() {
	c := &k.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	for n, f := range c.files {
		c.dropFile(n, f)
	}
}

// CachedPages is how many pages the page cache holds.
func (k *Kernel) CachedPages() int {
	k.cache.mu.Lock()
	defer k.cache.mu.Unlock()
	return k.cache.pages
}
