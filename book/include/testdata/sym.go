package sym

// Buddy is a type.
type Buddy struct {
	x int
}

// Alloc allocates.
// Really.
func (b *Buddy) Alloc(n int) int {
	return n
}

type (
	// A is first.
	A int
	B int
)

func plain() {}
