package core

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cStructFields returns the field names of a C struct of u64 fields, in
// order, from the header text.
func cStructFields(t *testing.T, header, name string) []string {
	t.Helper()
	re := regexp.MustCompile(`(?s)struct ` + name + ` \{(.*?)\};`)
	m := re.FindStringSubmatch(header)
	require.NotNil(t, m, "struct %s not found", name)
	var fields []string
	for _, line := range strings.Split(m[1], "\n") {
		line, _, _ = strings.Cut(line, "//")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		require.True(t, strings.HasPrefix(line, "u64 "), "struct %s: %q is not a u64 field", name, line)
		for _, f := range strings.Split(strings.TrimSuffix(line[4:], ";"), ",") {
			fields = append(fields, strings.TrimSpace(f))
		}
	}
	return fields
}

// TestStatsMatchesC keeps core.Stats and the C core's struct core_stats
// field for field identical, so ReadStats never reads one field as another.
func TestStatsMatchesC(t *testing.T) {
	header, err := os.ReadFile(testenv.Root(t) + "/ckernel/services.h")
	require.NoError(t, err)
	cFields := cStructFields(t, string(header), "core_stats")
	st := reflect.TypeOf(Stats{})
	require.Equal(t, len(cFields), st.NumField(), "core.Stats has %d fields, struct core_stats %v", st.NumField(), cFields)
	for i, c := range cFields {
		goName := strings.ToLower(st.Field(i).Name)
		assert.Equal(t, strings.ReplaceAll(c, "_", ""), goName, "field %d", i)
		assert.Equal(t, reflect.Uint64, st.Field(i).Type.Kind(), "field %s", st.Field(i).Name)
	}
}

func TestHostCallsSayNotBurrow(t *testing.T) {
	_, err := ReadStats()
	assert.ErrorIs(t, err, ErrNotBurrow)
	_, err = PhysHandover()
	assert.ErrorIs(t, err, ErrNotBurrow)
}
