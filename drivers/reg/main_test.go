package reg

import (
	"testing"

	"github.com/burrow-os/burrow/kernel/ktest/gotest"
)

// TestMain lets the package's tests also run inside the kernel at EL1
// (make test's in-kernel tier), reporting each verdict with the run's nonce.
func TestMain(m *testing.M) { gotest.Main(m) }
