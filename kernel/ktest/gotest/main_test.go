package gotest

import "testing"

// TestMain: this package's own tests also run inside the kernel.
func TestMain(m *testing.M) { Main(m) }
