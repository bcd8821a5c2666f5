package include

import (
	"os"
	"strings"
	"testing"
)

func writeLines(t *testing.T, path string, n int) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Repeat("x\n", n)), 0o644); err != nil {
		t.Fatal(err)
	}
}
