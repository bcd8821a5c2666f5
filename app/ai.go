package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/burrow-os/burrow/kernel/abi/burrow"
)

// AIServiceInterface reads the kernel's AI layer: the decisions its engine
// made (which policy answered which situation) and its counters. It is
// read-only: the kernel's policies stay the kernel's.
type AIServiceInterface struct {
	available bool
	reason    string // why not, when not available
	read      func(option int, arg uintptr, buf []byte) (uintptr, error)
}

// ErrNoAI is wrapped by the errors of an AIServiceInterface that cannot
// reach the AI layer.
var ErrNoAI = errors.New("AI services unavailable")

// newAIServices is the interface for a program the kernel answered with a.
func newAIServices(a Admission) *AIServiceInterface {
	s := &AIServiceInterface{available: a.Admitted && a.AIRunning, read: sysPrctlRead}
	switch {
	case !a.OnBurrow:
		s.reason = "not running on Burrow"
	case !a.Admitted:
		s.reason = "not admitted"
	case !a.AIRunning:
		s.reason = "the kernel's AI layer is not running"
	}
	return s
}

// Available reports whether the AI layer can be read, and if not, why.
func (s *AIServiceInterface) Available() (bool, string) { return s.available, s.reason }

// DecisionLog returns the AI engine's decisions, oldest first, one a line.
func (s *AIServiceInterface) DecisionLog() ([]string, error) {
	text, err := s.view(burrow.AI_VIEW_LOG)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines, nil
}

// State returns the AI engine's counters and policy cache, as the kernel
// console's `ai state` prints them.
func (s *AIServiceInterface) State() (string, error) { return s.view(burrow.AI_VIEW_STATE) }

// view reads one view through PR_BURROW_AI_READ, growing the buffer until
// the whole view fits (the call returns the view's full length).
func (s *AIServiceInterface) view(which uintptr) (string, error) {
	if !s.available {
		return "", fmt.Errorf("%w: %s", ErrNoAI, s.reason)
	}
	buf := make([]byte, 4096)
	for {
		n, err := s.read(burrow.PR_BURROW_AI_READ, which, buf)
		if err != nil {
			return "", fmt.Errorf("%w: prctl(PR_BURROW_AI_READ): %v", ErrNoAI, err)
		}
		if int(n) <= len(buf) {
			return string(buf[:n]), nil
		}
		if n > 16<<20 {
			return "", fmt.Errorf("%w: a view of %d bytes", ErrNoAI, n)
		}
		buf = make([]byte, n)
	}
}
