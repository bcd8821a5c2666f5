package fdt

import "fmt"

// Error reports a malformed device tree: where in the blob the problem is and
// what is wrong with it. Offset is a byte offset from the start of the blob,
// or -1 when the problem is not tied to one place (a bad phandle reference,
// for example, is reported at the property that holds it).
type Error struct {
	Offset int
	Reason string
}

func (e *Error) Error() string {
	if e.Offset < 0 {
		return "fdt: " + e.Reason
	}
	return fmt.Sprintf("fdt: offset %#x: %s", e.Offset, e.Reason)
}

// errorf builds an *Error at offset off.
func errorf(off int, format string, args ...any) *Error {
	return &Error{Offset: off, Reason: fmt.Sprintf(format, args...)}
}
