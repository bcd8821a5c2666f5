package drivers

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/burrow-os/burrow/kernel/fdt"
)

// Registry holds the drivers the kernel was built with.
type Registry struct {
	bindings []*Binding
}

// Register adds a driver. Register panics on a binding without a name or a
// constructor: that is a programming error in the kernel's driver table.
func (r *Registry) Register(b Binding) {
	if b.Name == "" || b.New == nil || len(b.Compatible) == 0 {
		panic(fmt.Sprintf("drivers: incomplete binding %+v", b))
	}
	r.bindings = append(r.bindings, &b)
}

// Manager is the result of probing: every device found, in the order they
// were initialised, and the bindings that found nothing.
type Manager struct {
	Devices []*Device
	Missing []*Binding // bindings no enabled or disabled node matched
	Total   time.Duration
}

// Probe walks the tree, matches every node that has a compatible property
// against the registry (the first of the node's strings that a driver
// binds wins, so the most specific one), and initialises the matches in
// dependency order. Disabled nodes are listed and skipped. A driver that
// fails leaves its device Failed with the reason; probing goes on.
func (r *Registry) Probe(tree *fdt.Tree, env *Env) *Manager {
	m := &Manager{}
	env.m = m
	env.Tree = tree
	start := env.now()
	var found []*Device
	matched := map[*Binding]bool{}
	tree.Root.Walk(func(n *fdt.Node) {
		compat := n.Strings("compatible")
		if len(compat) == 0 || n.Parent == nil {
			return
		}
		d := &Device{Path: n.Path(), Compatible: compat, Node: n}
		d.Binding = r.match(compat)
		if d.Binding != nil {
			matched[d.Binding] = true
		}
		switch {
		case !n.Enabled():
			d.State, d.Reason = Disabled, "status = disabled in the device tree"
		case d.Binding == nil:
			d.Reason = "no driver for " + compat[0]
		}
		found = append(found, d)
	})
	for _, b := range r.bindings {
		if !matched[b] {
			m.Missing = append(m.Missing, b)
		}
	}
	// Order: bound-to-be devices by dependency, the rest after them.
	todo := r.order(found)
	for _, d := range todo {
		r.bind(d, env)
		m.Devices = append(m.Devices, d)
	}
	for _, d := range found {
		if d.Binding == nil || d.State == Disabled {
			m.Devices = append(m.Devices, d)
		}
	}
	m.Total = env.now() - start
	return m
}

// Match returns the binding that would bind node n, or nil: probing's
// matching without initialising anything, for tests and tools.
func (r *Registry) Match(n *fdt.Node) *Binding { return r.match(n.Strings("compatible")) }

func (r *Registry) match(compat []string) *Binding {
	for _, c := range compat {
		for _, b := range r.bindings {
			for _, bc := range b.Compatible {
				if bc == c {
					return b
				}
			}
		}
	}
	return nil
}

// order sorts the enabled, matched devices so that every binding named in
// After comes first (a topological order over bindings, stable by
// registration order). A cycle is reported as a failure of its members.
func (r *Registry) order(found []*Device) []*Device {
	rank := map[string]int{}
	var visit func(b *Binding, depth int) int
	byName := map[string]*Binding{}
	for _, b := range r.bindings {
		byName[b.Name] = b
	}
	visit = func(b *Binding, depth int) int {
		if v, ok := rank[b.Name]; ok {
			return v
		}
		if depth > len(r.bindings) {
			return -1 // a cycle
		}
		v := 0
		for _, a := range b.After {
			if dep := byName[a]; dep != nil {
				dv := visit(dep, depth+1)
				if dv < 0 {
					return -1
				}
				if dv+1 > v {
					v = dv + 1
				}
			}
		}
		rank[b.Name] = v
		return v
	}
	var todo []*Device
	for _, d := range found {
		if d.Binding == nil || d.State == Disabled {
			continue
		}
		if visit(d.Binding, 0) < 0 {
			d.State, d.Reason = Failed, "dependency cycle through "+d.Binding.Name
		}
		todo = append(todo, d)
	}
	sort.SliceStable(todo, func(i, j int) bool {
		return rank[todo[i].Binding.Name] < rank[todo[j].Binding.Name]
	})
	return todo
}

// bind resolves a device's resources, constructs and initialises its driver
// and starts its interrupt loop.
func (r *Registry) bind(d *Device, env *Env) {
	if d.State == Failed {
		return
	}
	fail := func(format string, args ...any) {
		d.State, d.Reason = Failed, fmt.Sprintf(format, args...)
	}
	regs, err := env.Tree.RegCPU(d.Node)
	if err != nil {
		fail("reg: %v", err)
		return
	}
	d.Regs = regs
	if d.Node.Has("interrupts") || d.Node.Has("interrupts-extended") {
		ints, err := env.Tree.Interrupts(d.Node)
		if err != nil {
			fail("interrupts: %v", err)
			return
		}
		for _, in := range ints {
			g, err := in.GIC()
			if err != nil {
				continue // a line on another controller (a GPIO chip): not ours
			}
			d.IRQs = append(d.IRQs, int(g.INTID))
			if g.Trigger&(fdt.TriggerEdgeRising|fdt.TriggerEdgeFalling) != 0 {
				d.edge = append(d.edge, int(g.INTID))
			}
		}
	}
	start := env.now()
	drv, err := d.Binding.New(d, env)
	if err == nil {
		err = drv.Initialize()
	}
	d.InitTime = env.now() - start
	if errors.Is(err, ErrNoDevice) {
		d.State, d.Reason = Found, err.Error()
		return
	}
	if err != nil {
		fail("%v", err)
		return
	}
	d.Driver, d.State = drv, Bound
	if d.Binding.IRQ && len(d.IRQs) > 0 && env.Claim != nil {
		if env.IRQ == nil {
			// Nobody could unmask the line: the device works without
			// interrupts, and says so.
			d.Fail(fmt.Errorf("no interrupt controller driver: interrupt %d stays masked", d.IRQs[0]))
			return
		}
		for _, id := range d.ServedLines() {
			if err := env.Claim(id); err != nil {
				d.Fail(fmt.Errorf("claim interrupt %d: %w", id, err))
				continue
			}
			d.Serving = true
			go serve(d, env, id)
		}
		if is, ok := drv.(InterruptsServed); ok && d.Serving {
			is.InterruptsServed()
		}
	}
}

// serve is a device's interrupt goroutine (the bottom half): the C top half
// has masked and acknowledged the line and woken us; we handle the device
// and unmask the line for the next one.
func serve(d *Device, env *Env, id int) {
	if env.IRQ != nil {
		env.IRQ.Configure(id, slices.Contains(d.edge, id))
		env.IRQ.Enable(id)
	}
	for {
		if err := env.Wait(id); err != nil {
			d.Fail(fmt.Errorf("wait for interrupt %d: %w", id, err))
			return
		}
		start := env.now()
		err := d.Driver.HandleInterrupt()
		d.handled.Add(int64(env.now() - start))
		d.irqs.Add(1)
		if err != nil {
			d.Fail(err)
		}
		if env.IRQ != nil {
			env.IRQ.Enable(id)
		}
	}
}

func (e *Env) now() time.Duration {
	if e.Clock == nil {
		return 0
	}
	return e.Clock()
}

// Find returns the first bound device of binding name, or nil.
func (m *Manager) Find(name string) *Device {
	for _, d := range m.Devices {
		if d.Binding != nil && d.Binding.Name == name && d.State == Bound {
			return d
		}
	}
	return nil
}

// Report prints the zero-configuration report: what was found, what was
// bound to what and how long it took, what was left unbound and why, and
// which drivers found nothing.
func (m *Manager) Report(w io.Writer) {
	var bound, failed, disabled, nodrv int
	for _, d := range m.Devices {
		switch d.State {
		case Bound:
			bound++
		case Failed:
			failed++
		case Disabled:
			disabled++
		default:
			nodrv++
		}
	}
	fmt.Fprintf(w, "devices: %d found in the device tree: %d bound, %d failed, %d disabled, %d without a driver (%d us)\n",
		len(m.Devices), bound, failed, disabled, nodrv, m.Total.Microseconds())
	for _, d := range m.Devices {
		switch d.State {
		case Bound:
			fmt.Fprintf(w, "  bound    %-8s %-2s %-34s irq %-4s init %d us\n", d.Binding.Name, d.Binding.Kind,
				d.Path, irqList(d.IRQs), d.InitTime.Microseconds())
		case Failed:
			fmt.Fprintf(w, "  failed   %-8s %-2s %-34s %s\n", d.Binding.Name, d.Binding.Kind, d.Path, d.Reason)
		case Disabled:
			if d.Binding != nil {
				fmt.Fprintf(w, "  disabled %-8s %-37s %s: skipped\n", d.Binding.Name, d.Path, d.Reason)
			}
		}
	}
	for _, b := range m.Missing {
		what := "skipped"
		if b.Absent != "" {
			what = b.Absent
		}
		fmt.Fprintf(w, "  absent   %-8s no %s in the device tree: %s\n", b.Name, b.Compatible[0], what)
	}
	var names, off, order []string
	empty := map[string]int{} // binding and reason -> how many nodes
	for _, d := range m.Devices {
		switch {
		case d.State == Found && d.Binding != nil:
			k := d.Binding.Name + "\x00" + d.Reason
			if empty[k] == 0 {
				order = append(order, k)
			}
			empty[k]++
		case d.State == Found:
			names = append(names, d.Node.Name)
		case d.State == Disabled && d.Binding == nil:
			off = append(off, d.Node.Name)
		}
	}
	for _, k := range order {
		name, reason, _ := strings.Cut(k, "\x00")
		fmt.Fprintf(w, "  unbound  %-8s %d node(s): %s\n", name, empty[k], reason)
	}
	if len(names) > 0 {
		fmt.Fprintf(w, "  unbound (no driver): %s\n", wrap(strings.Join(names, " "), 100, "    "))
	}
	if len(off) > 0 {
		fmt.Fprintf(w, "  disabled (no driver either): %s\n", wrap(strings.Join(off, " "), 100, "    "))
	}
}

func irqList(ids []int) string {
	if len(ids) == 0 {
		return "-"
	}
	return fmt.Sprint(ids[0])
}

// wrap breaks s into lines of at most width, each continuation indented.
func wrap(s string, width int, indent string) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(s) {
		if i > 0 {
			if n+1+len(w) > width {
				b.WriteString("\n" + indent)
				n = len(indent)
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}
