package fat32

import (
	"strings"
	"unicode/utf16"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

// maxDirSlots bounds a directory (spec 6: at most 65,536 32-byte entries).
const maxDirSlots = 65536

// found is one entry of a directory as scan decodes it.
type found struct {
	name        string
	ent         dirent
	first, slot int // its first slot (a long-name one, if any) and its short entry
}

// listing is a directory's bytes and what they hold.
type listing struct {
	buf    []byte
	ents   []found
	shorts map[[11]byte]bool // every short name in use, "." ".." and the label too
	end    int               // index of the end-marker slot (or the slot count)
}

// scan decodes a directory's slots (spec 6 and 7): long-name slots are
// gathered in descending order and give the name of the short entry that
// follows if their ordinals run down to 1 and their checksums match it;
// otherwise the short name is used, as the spec says. Deleted slots,
// the volume label and "." and ".." are left out.
func scan(buf []byte) listing {
	l := listing{buf: buf, shorts: map[[11]byte]bool{}, end: len(buf) / slotSize}
	var parts [][]uint16
	want, sum, start := -1, byte(0), 0
	for i := 0; i < len(buf)/slotSize; i++ {
		s := buf[i*slotSize : (i+1)*slotSize]
		switch {
		case s[0] == slotEnd:
			l.end = i
			return l
		case s[0] == slotFree:
			want = -1
		case s[11]&0x3f == attrLongName:
			ord := int(s[0] & 0x1f)
			if s[0]&0x40 != 0 {
				want, sum, start, parts = ord, s[13], i, make([][]uint16, ord)
			}
			if ord == 0 || ord != want || s[13] != sum {
				want = -1
				continue
			}
			parts[ord-1] = lfnPart(s)
			want--
		default:
			d := decodeDirent(s)
			l.shorts[d.name] = true
			if d.attr&attrVolumeID != 0 || d.name[0] == '.' {
				want = -1
				continue
			}
			f := found{name: d.shortName(), ent: d, first: i, slot: i}
			if want == 0 && checksum(d.name) == sum {
				var u []uint16
				for _, p := range parts {
					u = append(u, p...)
				}
				if name := string(utf16.Decode(u)); name != "" {
					f.name, f.first = name, start
				}
			}
			want = -1
			l.ents = append(l.ents, f)
		}
	}
	return l
}

// find returns the entry called name, compared as FAT does: without regard
// to case.
func (l *listing) find(name string) *found {
	for i := range l.ents {
		if strings.EqualFold(l.ents[i].name, name) {
			return &l.ents[i]
		}
	}
	return nil
}

// load reads directory n.
func (n *Node) load() (*listing, error) {
	if !n.IsDir() {
		return nil, linux.ENOTDIR
	}
	if n.gone {
		return nil, linux.ENOENT
	}
	cs, err := n.clusters()
	if err != nil {
		return nil, err
	}
	cl := n.fs.bs.ClusterSize()
	buf := make([]byte, int64(len(cs))*cl)
	if err := n.extents(0, int64(len(buf)), func(d, lo, hi int64) error { return n.fs.disk.readAt(buf[lo:hi], d) }); err != nil {
		return nil, err
	}
	l := scan(buf)
	return &l, nil
}

// writeDir writes p at byte off of directory n.
func (n *Node) writeDir(off int64, p []byte) error {
	return n.extents(off, int64(len(p)), func(d, lo, hi int64) error { return n.fs.disk.writeAt(p[lo:hi], d) })
}

// node returns the Node for an entry of directory n.
func (n *Node) node(f *found) *Node {
	key := nodeKey{n.ent.cluster, f.slot}
	if c, ok := n.fs.nodes[key]; ok {
		return c
	}
	c := &Node{fs: n.fs, parent: n, first: f.first, slot: f.slot, name: f.name, ent: f.ent}
	n.fs.nodes[key] = c
	return c
}

// Entries returns a directory's files and directories, in disk order.
func (n *Node) Entries() ([]*Node, error) {
	n.fs.mu.Lock()
	defer n.fs.mu.Unlock()
	l, err := n.load()
	if err != nil {
		return nil, err
	}
	nodes := make([]*Node, len(l.ents))
	for i := range l.ents {
		nodes[i] = n.node(&l.ents[i])
	}
	return nodes, nil
}

// Lookup returns the entry of directory n called name (any case).
func (n *Node) Lookup(name string) (*Node, error) {
	n.fs.mu.Lock()
	defer n.fs.mu.Unlock()
	l, err := n.load()
	if err != nil {
		return nil, err
	}
	f := l.find(name)
	if f == nil {
		return nil, linux.ENOENT
	}
	return n.node(f), nil
}

// Create makes a new empty file or directory called name in directory n.
// A directory gets one cluster holding "." and "..".
func (n *Node) Create(name string, dir bool) (*Node, error) {
	n.fs.mu.Lock()
	defer n.fs.mu.Unlock()
	if err := checkName(name); err != nil {
		return nil, err
	}
	l, err := n.load()
	if err != nil {
		return nil, err
	}
	if l.find(name) != nil {
		return nil, linux.EEXIST
	}
	date, clock, tenth := fatTime(n.fs.Now())
	ent := dirent{attr: attrArchive, ctimeTenth: tenth, ctime: clock, cdate: date, adate: date, mtime: clock, mdate: date}
	if dir {
		ent.attr = attrDir
		cs, err := n.fs.alloc(1, 0)
		if err != nil {
			return nil, err
		}
		ent.cluster = cs[0]
		// "." is the directory itself, ".." its parent (0 for the root).
		buf := make([]byte, n.fs.bs.ClusterSize())
		dot, dotdot := ent, ent
		copy(dot.name[:], ".          ")
		copy(dotdot.name[:], "..         ")
		if dotdot.cluster = n.ent.cluster; n.parent == nil {
			dotdot.cluster = 0
		}
		dot.encode(buf[0:])
		dotdot.encode(buf[slotSize:])
		if err := n.fs.disk.writeAt(buf, n.fs.clusterOffset(cs[0])); err != nil {
			return nil, err
		}
	}
	f, err := n.addEntry(l, name, ent)
	if err != nil {
		if dir {
			n.fs.free([]uint32{ent.cluster})
		}
		return nil, err
	}
	return n.node(f), nil
}

// addEntry writes an entry called name into directory n: its short entry,
// preceded by long-name slots unless the name fits 8.3. It reuses the
// first run of deleted slots long enough, or the free space at the end,
// growing the directory by a cluster when that is too short.
func (n *Node) addEntry(l *listing, name string, ent dirent) (*found, error) {
	taken := func(s [11]byte) bool { return l.shorts[s] }
	var slots [][slotSize]byte
	short, ntres, ok := fitsShort(name)
	if ok && !taken(short) {
		ent.name, ent.ntres = short, ntres
	} else {
		s, err := makeShort(name, taken)
		if err != nil {
			return nil, err
		}
		ent.name, ent.ntres = s, 0
		slots = lfnSlots(name, checksum(s))
	}
	var sh [slotSize]byte
	ent.encode(sh[:])
	slots = append(slots, sh)
	need := len(slots)

	total := len(l.buf) / slotSize
	free := func(i int) bool { return i >= l.end || l.buf[i*slotSize] == slotFree }
	start, run := -1, 0
	for i := 0; i < total && start < 0; i++ {
		if free(i) {
			run++
		} else {
			run = 0
		}
		if run == need {
			start = i - need + 1
		}
	}
	if start < 0 {
		start = total - run // the free run at the end, to be continued
		if err := n.grow(l, start+need-total); err != nil {
			return nil, err
		}
		total = len(l.buf) / slotSize
	}
	data := make([]byte, 0, (need+1)*slotSize)
	for _, s := range slots {
		data = append(data, s[:]...)
	}
	// Past the end marker anything may follow: keep the marker after us.
	if end := start + need; end < total && end >= l.end && l.buf[end*slotSize] != slotEnd {
		data = append(data, make([]byte, slotSize)...)
	}
	if err := n.writeDir(int64(start)*slotSize, data); err != nil {
		return nil, err
	}
	copy(l.buf[start*slotSize:], data)
	l.shorts[ent.name] = true
	l.end = max(l.end, start+need)
	return &found{name: name, ent: ent, first: start, slot: start + need - 1}, nil
}

// grow adds zeroed clusters to directory n for at least slots more slots.
func (n *Node) grow(l *listing, slots int) error {
	cl := n.fs.bs.ClusterSize()
	k := int((int64(slots)*slotSize + cl - 1) / cl)
	if int64(len(l.buf))+int64(k)*cl > maxDirSlots*slotSize {
		return linux.ENOSPC
	}
	cs, err := n.clusters()
	if err != nil {
		return err
	}
	got, err := n.fs.alloc(k, cs[len(cs)-1])
	if err != nil {
		return err
	}
	for _, c := range got {
		if err := n.fs.zeroCluster(c); err != nil {
			return err
		}
	}
	n.chain = append(cs, got...)
	l.buf = append(l.buf, make([]byte, int64(k)*cl)...)
	return nil
}

// deleteSlots marks an entry's slots deleted (0xE5 in each first byte).
func (n *Node) deleteSlots(l *listing, f *found) error {
	b := append([]byte(nil), l.buf[f.first*slotSize:(f.slot+1)*slotSize]...)
	for i := 0; i < len(b); i += slotSize {
		b[i] = slotFree
	}
	copy(l.buf[f.first*slotSize:], b)
	delete(l.shorts, f.ent.name)
	return n.writeDir(int64(f.first)*slotSize, b)
}

// Remove deletes the entry called name: a directory only with dir set and
// only when empty, anything else only without. Its clusters are freed.
func (n *Node) Remove(name string, dir bool) error {
	n.fs.mu.Lock()
	defer n.fs.mu.Unlock()
	l, err := n.load()
	if err != nil {
		return err
	}
	f := l.find(name)
	if f == nil {
		return linux.ENOENT
	}
	return n.remove(l, f, dir)
}

func (n *Node) remove(l *listing, f *found, dir bool) error {
	c := n.node(f)
	switch {
	case dir && !c.IsDir():
		return linux.ENOTDIR
	case !dir && c.IsDir():
		return linux.EISDIR
	case c.IsDir():
		cl, err := c.load()
		if err != nil {
			return err
		}
		if len(cl.ents) != 0 {
			return linux.ENOTEMPTY
		}
	}
	if err := n.deleteSlots(l, f); err != nil {
		return err
	}
	cs, err := c.clusters()
	if err != nil {
		return err
	}
	c.gone = true
	delete(n.fs.nodes, nodeKey{n.ent.cluster, f.slot})
	return n.fs.free(cs)
}
