package board

import (
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/burrow-os/burrow/kernel/fdt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTableMatches: the one driver table, on each board's device tree,
// matches what that board has, with no per-board configuration.
func TestTableMatches(t *testing.T) {
	tests := []struct {
		board string
		want  string // binding:enabled nodes, sorted
	}{
		{"raspi4b", "gic:1 gpio:1 mbox:1 sdhci:2 systimer:1 timer:1 uart:1"},
		{"virt", "gic:1 timer:1 uart:1 virtio:32"},
	}
	for _, tt := range tests {
		blob, err := os.ReadFile("../../kernel/fdt/testdata/" + tt.board + ".dtb")
		require.NoError(t, err)
		tree, err := fdt.Parse(blob)
		require.NoError(t, err)
		r := Drivers(Options{})
		count := map[string]int{}
		tree.Root.Walk(func(n *fdt.Node) {
			if b := r.Match(n); b != nil && n.Enabled() {
				count[b.Name]++
			}
		})
		var got []string
		for name, c := range count {
			got = append(got, name+":"+strconv.Itoa(c))
		}
		sort.Strings(got)
		assert.Equal(t, tt.want, strings.Join(got, " "), "bindings matched on %s", tt.board)
	}
}
