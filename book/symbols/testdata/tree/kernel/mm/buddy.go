package mm

// Buddy is an allocator.
type Buddy struct{}

// Alloc allocates.
func (b *Buddy) Alloc(order int) uintptr { return 0 }

func New() *Buddy { return &Buddy{} }

func dump() {}
