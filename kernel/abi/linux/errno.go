package linux

import "strconv"

// Errno is a Linux error number. It is a Go error; the trap boundary turns it
// into the register value -errno.
type Errno uint64

// Error returns strerror's text for the number.
func (e Errno) Error() string {
	if s, ok := errnoText[e]; ok {
		return s
	}
	return "errno " + strconv.FormatUint(uint64(e), 10)
}

// Signal is a Linux signal number (1..64).
type Signal int
