package fat32

import "github.com/burrow-os/burrow/kernel/abi/linux"

// Rename moves the entry oldName of directory n to newName in directory
// to, replacing a file there (never a directory: EISDIR). A directory
// cannot move into itself (EINVAL); one that changes parent gets its ".."
// entry updated.
func (n *Node) Rename(oldName string, to *Node, newName string) error {
	n.fs.mu.Lock()
	defer n.fs.mu.Unlock()
	if to.fs != n.fs {
		return linux.EXDEV
	}
	if err := checkName(newName); err != nil {
		return err
	}
	l, err := n.load()
	if err != nil {
		return err
	}
	f := l.find(oldName)
	if f == nil {
		return linux.ENOENT
	}
	c := n.node(f)
	for p := to; p != nil; p = p.parent {
		if p == c {
			return linux.EINVAL
		}
	}
	tl := l
	if to != n {
		if tl, err = to.load(); err != nil {
			return err
		}
	}
	if t := tl.find(newName); t != nil {
		switch {
		case to == n && t.slot == f.slot:
			if t.name == newName {
				return nil
			}
			// A change of case only: the old slots go first, or the new
			// name would collide with them.
			if err := n.deleteSlots(l, f); err != nil {
				return err
			}
			return n.move(c, l, nil, to, l, newName)
		case n.node(t).IsDir():
			return linux.EISDIR
		case c.IsDir():
			return linux.ENOTDIR
		}
		if err := to.remove(tl, t, false); err != nil {
			return err
		}
	}
	return n.move(c, l, f, to, tl, newName)
}

// move writes c's entry as newName into to, then deletes its old slots f
// (nil when already deleted) from n, and updates c and its "..".
func (n *Node) move(c *Node, l *listing, f *found, to *Node, tl *listing, newName string) error {
	nf, err := to.addEntry(tl, newName, c.ent)
	if err != nil {
		return err
	}
	if f != nil {
		if err := n.deleteSlots(l, f); err != nil {
			return err
		}
	}
	delete(n.fs.nodes, nodeKey{n.ent.cluster, c.slot})
	c.parent, c.first, c.slot, c.name, c.ent = to, nf.first, nf.slot, newName, nf.ent
	n.fs.nodes[nodeKey{to.ent.cluster, c.slot}] = c
	if c.IsDir() && to != n {
		var b [slotSize]byte
		dotdot := to.ent.cluster
		if to.parent == nil {
			dotdot = 0
		}
		off := n.fs.clusterOffset(c.ent.cluster) + slotSize
		if err := n.fs.disk.readAt(b[:], off); err != nil {
			return err
		}
		e := decodeDirent(b[:])
		e.cluster = dotdot
		e.encode(b[:])
		return n.fs.disk.writeAt(b[:], off)
	}
	return nil
}
