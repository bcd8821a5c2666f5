package reg

import "sync"

// Fake is a register file in memory for host tests. Registers read back what
// was last written, unless a hook simulates the device: OnRead can compute a
// value (a status register), OnWrite can act on a write (write-1-to-clear,
// a doorbell) and decide what is stored. It is safe for concurrent use.
type Fake struct {
	mu      sync.Mutex
	regs    map[uint64]uint32
	OnRead  func(pa uint64, stored uint32) uint32
	OnWrite func(f *Fake, pa uint64, v uint32) (store uint32)
	Writes  []Access // every write, in order
}

// Access is one recorded write.
type Access struct {
	PA uint64
	V  uint32
}

// NewFake returns an empty register file: every register reads 0.
func NewFake() *Fake { return &Fake{regs: map[uint64]uint32{}} }

// Read32 returns the stored value, through OnRead when set.
func (f *Fake) Read32(pa uint64) uint32 {
	f.mu.Lock()
	v, hook := f.regs[pa], f.OnRead
	f.mu.Unlock()
	if hook != nil {
		return hook(pa, v)
	}
	return v
}

// Write32 records the write and stores v, or what OnWrite returns.
func (f *Fake) Write32(pa uint64, v uint32) {
	f.mu.Lock()
	f.Writes = append(f.Writes, Access{pa, v})
	hook := f.OnWrite
	f.mu.Unlock()
	if hook != nil {
		v = hook(f, pa, v)
	}
	f.Poke(pa, v)
}

// Peek returns the stored value without hooks.
func (f *Fake) Peek(pa uint64) uint32 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.regs[pa]
}

// Poke stores v without hooks or recording: the device changing its state.
func (f *Fake) Poke(pa uint64, v uint32) {
	f.mu.Lock()
	f.regs[pa] = v
	f.mu.Unlock()
}
