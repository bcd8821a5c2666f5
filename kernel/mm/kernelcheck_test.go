package mm

import (
	"testing"

	"github.com/burrow-os/burrow/kernel/fdt"
	"github.com/stretchr/testify/require"
)

// The in-kernel checks and benchmarks pass on the host too, over a byte
// slice, for both boards' device trees.
func TestKernelChecksOnHost(t *testing.T) {
	tests := []struct {
		dtb      string
		ram      Region
		handover Region
	}{
		{"raspi4b.dtb", Region{Address: 0, Size: 0x3c000000}, Region{Address: 0x38000000, Size: 64 << 20}},
		{"virt.dtb", Region{Address: 0x40000000, Size: 128 << 20}, Region{Address: 0x46000000, Size: 32 << 20}},
	}
	for _, tt := range tests {
		blob := boardDTB(t, tt.dtb)
		direct := NewDirectMapSlice(boardRAM(tt.ram.Size), tt.ram.Address)
		k, err := NewKernelManager(KernelEnv{DTB: blob, Handover: tt.handover, Direct: direct, TLB: nopTLB{}, Cache: &recCache{mem: direct}})
		require.NoError(t, err, "NewKernelManager(%s)", tt.dtb)
		require.Equal(t, tt.handover.Size/PageSize, k.Stats().Phys.TotalPages, "%s: only the handover region is managed", tt.dtb)
		tree, err := fdt.Parse(blob)
		require.NoError(t, err)
		for _, c := range KernelChecks(k, tree) {
			require.NoError(t, c.Run(), "%s: check %s", tt.dtb, c.Name)
		}
		benches, err := KernelBenchmarks(k)
		require.NoError(t, err)
		for _, b := range benches {
			b.Run(10)
		}
		require.NoError(t, k.Phys.Check(), "%s: after the checks and benchmarks", tt.dtb)
	}
}

func TestNewKernelManagerErrors(t *testing.T) {
	blob := virtDTB
	direct := NewDirectMapSlice(make([]byte, PageSize), 0x40000000)
	for _, h := range []Region{{}, {Address: 0x1000, Size: PageSize}, {Address: 0x47ff0000, Size: 1 << 20}} {
		_, err := NewKernelManager(KernelEnv{DTB: blob, Handover: h, Direct: direct, TLB: nopTLB{}, Cache: &recCache{mem: direct}})
		require.ErrorIs(t, err, ErrBadArgument, "NewKernelManager(handover %+v)", h)
	}
	_, err := NewKernelManager(KernelEnv{DTB: blob[:100]})
	require.Error(t, err)
	if archTLB() == nil {
		_, err := NewKernelManager(KernelEnv{DTB: blob, Handover: Region{Address: 0x46000000, Size: 1 << 20}, Direct: direct})
		require.ErrorIs(t, err, ErrBadArgument, "no TLB on the host")
	}
}
