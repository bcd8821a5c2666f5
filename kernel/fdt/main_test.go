package fdt

import (
	"testing"

	"github.com/burrow-os/burrow/kernel/ktest/gotest"
)

// TestMain lets the package's tests also run inside the kernel at EL1 (the
// in-kernel tier builds one image per package listed in mk/kernel.mk's
// KTEST_PKGS), reporting each verdict with the run's nonce.
func TestMain(m *testing.M) { gotest.Main(m) }
