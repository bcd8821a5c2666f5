package boottest

import (
	"strings"
	"testing"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// inKernelPackages are the kernel packages whose Go tests also run at EL1
// (mk/kernel.mk builds build/ktest/<name>.img for each), with the tests that
// cannot run there and why.
var inKernelPackages = []struct {
	name, skip, why string
}{
	{"kernel/ktest/gotest", "", ""},
	{"kernel/selftest", "", ""},
	{"kernel/mm", "", ""},
	{"kernel/fdt", "", ""},
	{"drivers/gic", "", ""},
	{"drivers/gpio", "", ""},
	{"drivers/mbox", "", ""},
	{"drivers/pl011", "", ""},
	{"drivers/reg", "", ""},
	{"drivers/rng200", "", ""},
	{"drivers/sdhci", "", ""},
	{"drivers/systimer", "", ""},
	{"drivers/virtio", "", ""},
}

// TestInKernelGoPackages boots each package's test binary in place of the
// Go kernel and requires every test to pass, as reported with the nonce.
func TestInKernelGoPackages(t *testing.T) {
	for _, p := range inKernelPackages {
		t.Run(p.name, func(t *testing.T) {
			img := "ktest/" + strings.ReplaceAll(p.name, "/", "-") + ".img"
			testenv.NeedQEMU(t, img)
			t.Parallel()
			args := ""
			if p.skip != "" {
				args = "-test.skip=" + p.skip
				t.Logf("skipping %s at EL1: %s", p.skip, p.why)
			}
			// 2 GiB: kernel/mm's tests model a whole board's RAM in a Go
			// slice, and the pages they touch must fit beside the heap.
			res := boot(t, "virt", img, args, "-m", "2G")
			console := strings.Join(res.Lines, "\n")
			assert.Equal(t, 0, res.ExitCode, "console:\n%s", console)
			results := res.Find("result")
			require.NotEmpty(t, results, "no test reported; console:\n%s", console)
			passed := 0
			for _, r := range results {
				if r.Get("status") == "fail" {
					t.Errorf("%s failed at EL1", r.Get("name"))
				}
				if r.Get("status") == "pass" {
					passed++
				}
			}
			done := res.Find("done")
			require.Len(t, done, 1)
			assert.Equal(t, "pass", done[0].Get("status"))
			t.Logf("%s: %d tests passed at EL1", p.name, passed)
		})
	}
}
