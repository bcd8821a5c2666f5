//go:build !arm64

package mm

// Off arm64 there is no MMU to maintain: callers must pass their own TLB
// and Cache (the host tests pass recorders).
func archTLB() TLB                 { return nil }
func archCache(d *DirectMap) Cache { return nil }
