package core

// Frame is the trap frame as Go sees it.
type Frame struct {
	X   [31]uint64
	ESR uint64
}
