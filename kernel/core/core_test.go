package core

import (
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cStructLayout returns the fields of a C struct of u64 scalars and arrays
// (u64 x[31]; u64 q[32][2];) as name and size in bytes, in order.
func cStructLayout(t *testing.T, header, name string) (names []string, sizes []uintptr) {
	t.Helper()
	dims := regexp.MustCompile(`\[(\d+)\]`)
	for _, f := range cStructFields(t, header, name) {
		size := uintptr(8)
		for _, d := range dims.FindAllStringSubmatch(f, -1) {
			n, _ := strconv.Atoi(d[1])
			size *= uintptr(n)
		}
		base, _, _ := strings.Cut(f, "[")
		names = append(names, base)
		sizes = append(sizes, size)
	}
	return names, sizes
}

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

// TestUserRegsMatchesC keeps core.UserRegs and UserTrap identical to the C
// core's struct user_regs and struct user_trap (ckernel/user.h).
func TestUserRegsMatchesC(t *testing.T) {
	header, err := os.ReadFile(testenv.Root(t) + "/ckernel/user.h")
	require.NoError(t, err)
	for _, c := range []struct {
		cName string
		goVal any
	}{{"user_regs", UserRegs{}}, {"user_trap", UserTrap{}}} {
		names, sizes := cStructLayout(t, string(header), c.cName)
		st := reflect.TypeOf(c.goVal)
		require.Equal(t, len(names), st.NumField(), "struct %s fields %v", c.cName, names)
		for i := range names {
			f := st.Field(i)
			assert.Equal(t, strings.ReplaceAll(names[i], "_", ""), strings.ToLower(f.Name), "%s field %d", c.cName, i)
			assert.Equal(t, sizes[i], f.Type.Size(), "%s.%s size", c.cName, names[i])
		}
	}
}

func TestHostCallsSayNotBurrow(t *testing.T) {
	_, err := ReadStats()
	assert.ErrorIs(t, err, ErrNotBurrow)
	_, err = PhysHandover()
	assert.ErrorIs(t, err, ErrNotBurrow)
}
