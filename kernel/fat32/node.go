package fat32

import (
	"time"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

// Node is a file or directory of a mounted volume. There is one Node per
// directory entry (FS keeps them by the entry's place), so every path to a
// file sees the same size and clusters. Its methods lock the FS.
type Node struct {
	fs     *FS
	parent *Node    // the directory holding the entry; nil for the root
	first  int      // index of the entry's first slot (its first long-name slot)
	slot   int      // index of its short entry in parent; -1 for the root
	name   string   // the long name, or the short one when there is none
	ent    dirent   // the short entry as on disk
	chain  []uint32 // the cluster chain, once read
	gone   bool     // removed: its clusters belong to the free pool again
}

// nodeKey is where a directory entry lives: the first cluster of its
// directory and the index of its short entry there.
type nodeKey struct {
	dir  uint32
	slot int
}

// maxFileSize is the largest FAT32 file: the size field is 32 bits.
const maxFileSize = 1<<32 - 1

// Name returns the file's name.
func (n *Node) Name() string {
	n.fs.mu.Lock()
	defer n.fs.mu.Unlock()
	return n.name
}

// IsDir reports whether n is a directory.
func (n *Node) IsDir() bool { return n.ent.isDir() } // the attribute never changes

// ReadOnly reports whether the read-only attribute is set.
func (n *Node) ReadOnly() bool { return n.ent.attr&attrReadOnly != 0 }

// Size returns a file's length in bytes (0 for a directory, as FAT stores).
func (n *Node) Size() int64 {
	n.fs.mu.Lock()
	defer n.fs.mu.Unlock()
	return int64(n.ent.size)
}

// ModTime returns the last write time, with FAT's 2-second resolution.
func (n *Node) ModTime() time.Time {
	n.fs.mu.Lock()
	defer n.fs.mu.Unlock()
	return goTime(n.ent.mdate, n.ent.mtime)
}

// clusters returns n's cluster chain, reading it from the FAT the first time.
func (n *Node) clusters() ([]uint32, error) {
	if n.chain == nil && n.ent.cluster != 0 {
		cs, err := n.fs.chain(n.ent.cluster)
		if err != nil {
			return nil, err
		}
		n.chain = cs
	}
	return n.chain, nil
}

// extents calls fn for each run of consecutive clusters that bytes
// [off, off+length) of n occupy, with the run's disk offset and length.
func (n *Node) extents(off, length int64, fn func(diskOff int64, lo, hi int64) error) error {
	cs, err := n.clusters()
	if err != nil {
		return err
	}
	cl := n.fs.bs.ClusterSize()
	for done := int64(0); done < length; {
		pos := off + done
		i := pos / cl
		if i >= int64(len(cs)) {
			return corrupt("%q has %d clusters for %d bytes", n.name, len(cs), off+length)
		}
		k := min(length-done, cl-pos%cl)
		for j := i + 1; done+k < length && j < int64(len(cs)) && cs[j] == cs[j-1]+1; j++ {
			k += min(cl, length-done-k)
		}
		if err := fn(n.fs.clusterOffset(cs[i])+pos%cl, done, done+k); err != nil {
			return err
		}
		done += k
	}
	return nil
}

// ReadAt reads a file's bytes from off; at or past the end it reads 0.
func (n *Node) ReadAt(p []byte, off int64) (int, error) {
	n.fs.mu.Lock()
	defer n.fs.mu.Unlock()
	if n.IsDir() {
		return 0, linux.EISDIR
	}
	if off < 0 {
		return 0, linux.EINVAL
	}
	if n.gone || off >= int64(n.ent.size) {
		return 0, nil
	}
	p = p[:min(int64(len(p)), int64(n.ent.size)-off)]
	err := n.extents(off, int64(len(p)), func(d, lo, hi int64) error { return n.fs.disk.readAt(p[lo:hi], d) })
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// WriteAt writes p at off, allocating clusters as the file grows; a gap
// between the old end and off reads back as zeros. The data, the FAT and
// the directory entry (size, write time) are on disk when it returns.
// Writes to a removed file are accepted and dropped, as its data would be
// dropped at its last close.
func (n *Node) WriteAt(p []byte, off int64) (int, error) {
	n.fs.mu.Lock()
	defer n.fs.mu.Unlock()
	if n.IsDir() {
		return 0, linux.EISDIR
	}
	if off < 0 || off > maxFileSize || int64(len(p)) > maxFileSize-off {
		return 0, linux.EFBIG
	}
	if n.gone {
		return len(p), nil
	}
	if off > int64(n.ent.size) {
		if err := n.fill(int64(n.ent.size), off); err != nil {
			return 0, err
		}
	}
	if err := n.write(p, off); err != nil {
		return 0, err
	}
	return len(p), n.stamp()
}

// write puts p at off, growing the chain and the size as needed.
func (n *Node) write(p []byte, off int64) error {
	end := off + int64(len(p))
	if err := n.reserve(end); err != nil {
		return err
	}
	err := n.extents(off, int64(len(p)), func(d, lo, hi int64) error { return n.fs.disk.writeAt(p[lo:hi], d) })
	if err != nil {
		return err
	}
	if end > int64(n.ent.size) {
		n.ent.size = uint32(end)
	}
	return nil
}

// fill writes zeros over [from, to), in pieces so a large gap does not
// need a large buffer.
func (n *Node) fill(from, to int64) error {
	zero := make([]byte, min(to-from, 64<<10))
	for from < to {
		k := min(to-from, int64(len(zero)))
		if err := n.write(zero[:k], from); err != nil {
			return err
		}
		from += k
	}
	return nil
}

// reserve makes the chain long enough for size bytes.
func (n *Node) reserve(size int64) error {
	cs, err := n.clusters()
	if err != nil {
		return err
	}
	cl := n.fs.bs.ClusterSize()
	need := int((size + cl - 1) / cl)
	if need <= len(cs) {
		return nil
	}
	last := uint32(0)
	if len(cs) > 0 {
		last = cs[len(cs)-1]
	}
	got, err := n.fs.alloc(need-len(cs), last)
	if err != nil {
		return err
	}
	if n.ent.cluster == 0 {
		n.ent.cluster = got[0]
	}
	n.chain = append(cs, got...)
	return nil
}

// Truncate sets a file's length: shrinking frees the clusters past the new
// end, growing fills with zeros.
func (n *Node) Truncate(size int64) error {
	n.fs.mu.Lock()
	defer n.fs.mu.Unlock()
	if n.IsDir() {
		return linux.EISDIR
	}
	if size < 0 || size > maxFileSize {
		return linux.EFBIG
	}
	if n.gone {
		return nil
	}
	if size > int64(n.ent.size) {
		if err := n.fill(int64(n.ent.size), size); err != nil {
			return err
		}
		return n.stamp()
	}
	cs, err := n.clusters()
	if err != nil {
		return err
	}
	cl := n.fs.bs.ClusterSize()
	keep := int((size + cl - 1) / cl)
	n.ent.size = uint32(size)
	if keep == 0 {
		n.ent.cluster = 0
	}
	// The entry first, then the FAT: a power cut in between leaves lost
	// clusters, never a file that claims freed ones.
	if err := n.stamp(); err != nil {
		return err
	}
	if keep >= len(cs) {
		return nil
	}
	if keep > 0 {
		if err := n.fs.setNext(cs[keep-1], fatEOC); err != nil {
			return err
		}
	}
	n.chain = cs[:keep:keep]
	return n.fs.free(cs[keep:])
}

// Touch sets the write time to now.
func (n *Node) Touch() error {
	n.fs.mu.Lock()
	defer n.fs.mu.Unlock()
	if n.gone {
		return nil
	}
	return n.stamp()
}

// stamp sets the write and access times to now and writes the entry.
func (n *Node) stamp() error {
	date, clock, _ := fatTime(n.fs.Now())
	n.ent.mdate, n.ent.mtime, n.ent.adate = date, clock, date
	if !n.IsDir() {
		n.ent.attr |= attrArchive // changed since the last backup
	}
	return n.writeEntry()
}

// writeEntry writes n's short entry back into its directory.
func (n *Node) writeEntry() error {
	if n.parent == nil {
		return nil // the root directory has no entry
	}
	var b [slotSize]byte
	n.ent.encode(b[:])
	return n.parent.writeDir(int64(n.slot)*slotSize, b[:])
}
