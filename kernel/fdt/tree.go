package fdt

import "strings"

// Lookup finds a node by path ("/soc/serial@7e201000") or by alias
// ("serial0", or "serial0/child" relative to an alias), as /aliases defines
// (3.3). Path components without a unit address match a unique child with
// one, so "/memory" finds "/memory@0".
func (t *Tree) Lookup(path string) *Node {
	n := t.Root
	if !strings.HasPrefix(path, "/") {
		alias, rest, _ := strings.Cut(path, "/")
		target, ok := t.Alias(alias)
		if !ok || !strings.HasPrefix(target, "/") {
			return nil
		}
		n = t.Lookup(target)
		path = rest
	}
	for _, part := range strings.Split(path, "/") {
		if n == nil {
			return nil
		}
		if part == "" {
			continue
		}
		n = n.Child(part)
	}
	return n
}

// Alias returns the path an /aliases entry names.
func (t *Tree) Alias(name string) (string, bool) {
	a := t.Root.Child("aliases")
	if a == nil {
		return "", false
	}
	return a.String(name)
}

// ByPhandle returns the node with the given phandle.
func (t *Tree) ByPhandle(ph uint32) *Node { return t.phandles[ph] }

// FindCompatible returns the enabled nodes that have c among their
// compatible strings, in tree order. Drivers bind this way.
func (t *Tree) FindCompatible(c string) []*Node {
	var out []*Node
	t.Root.Walk(func(n *Node) {
		if n.Compatible(c) && n.Enabled() && t.ancestorsEnabled(n) {
			out = append(out, n)
		}
	})
	return out
}

// ancestorsEnabled reports whether every ancestor of n is enabled: a device
// below a disabled bus is unreachable.
func (t *Tree) ancestorsEnabled(n *Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if !p.Enabled() {
			return false
		}
	}
	return true
}

// StdoutPath returns the node /chosen/stdout-path names, resolving an alias
// and dropping the ":options" suffix ("serial1:115200n8").
func (t *Tree) StdoutPath() *Node {
	c := t.Root.Child("chosen")
	if c == nil {
		return nil
	}
	s, ok := c.String("stdout-path")
	if !ok {
		return nil
	}
	s, _, _ = strings.Cut(s, ":")
	return t.Lookup(s)
}
