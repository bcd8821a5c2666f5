package gen

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, data := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(data), 0o644))
	}
	return root
}

func TestSkipped(t *testing.T) {
	root := writeTree(t, map[string]string{"kernel/README.md": "x", "labs/README.md": "x", "labs/01-boot/a.c": "x"})
	for _, g := range All() {
		_, err := g.Run(root)
		var s Skipped
		if !errors.As(err, &s) || string(s) == "" {
			t.Errorf("%s.Run(tree without its source) error = %v, want Skipped with a reason", g.Name, err)
		}
	}
}

func TestSyscalls(t *testing.T) {
	root := writeTree(t, map[string]string{"kernel/syscall/table.go": `package syscall

var Table = []Entry{
	{Number: 64, Name: "write", Handler: sysWrite, Support: Full, Note: "console and files"},
	{Number: 63, Name: "read", Handler: sysRead, Support: Partial, Note: "no | pipes yet"},
	{Number: 220, Name: "clone", Support: Partial},
}
`, "kernel/syscall/table_test.go": `package syscall
var fake = Entry{Name: "x", Support: Full}`})
	p, err := Syscalls(root)
	require.NoError(t, err)
	lines := strings.Split(p.Markdown, "\n")
	var rows []string
	for _, l := range lines {
		if strings.HasPrefix(l, "| ") && !strings.HasPrefix(l, "| Number") {
			rows = append(rows, l)
		}
	}
	want := []string{
		"| 63 | [read](/kernel/syscall/table.go#L5) | Partial | no \\| pipes yet |",
		"| 64 | [write](/kernel/syscall/table.go#L4) | Full | console and files |",
		"| 220 | [clone](/kernel/syscall/table.go#L6) | Partial |  |",
	}
	assert.Equal(t, want, rows, "Syscalls rows, sorted by number, tests ignored")
	assert.Contains(t, p.Markdown, "answers 3 Linux arm64 system calls")
	assert.Equal(t, []string{"kernel/syscall/table.go"}, p.Sources)
}

func TestContract(t *testing.T) {
	root := writeTree(t, map[string]string{"ckernel/CONTRACT.md": "# Contract\n\nIntro.\n\n# Crossings\n\n```\n# not a heading\n```\n"})
	p, err := Contract(root)
	require.NoError(t, err)
	assert.Equal(t, "ckernel/CONTRACT.md", p.Source)
	assert.Equal(t, "ckernel", p.Base, "relative links in CONTRACT.md resolve from ckernel/")
	assert.NotContains(t, p.Markdown, "# Contract\n", "the file's own title is dropped")
	assert.Contains(t, p.Markdown, "\n## Crossings\n", "later top-level headings are demoted")
	assert.Contains(t, p.Markdown, "\n# not a heading\n", "fenced code is left alone")

	root = writeTree(t, map[string]string{"kernel/core/contract.go": `// Package core is the only Go code that crosses into C.
package core

// SvcConsoleWrite writes bytes to the console. Any time.
const SvcConsoleWrite = 0x100

// PowerOff stops the machine.
func PowerOff(status int) {}
`})
	p, err = Contract(root)
	require.NoError(t, err)
	assert.Contains(t, p.Markdown, "Package core is the only Go code that crosses into C.")
	assert.Contains(t, p.Markdown, "| `SvcConsoleWrite` | const | [5](/kernel/core/contract.go#L5) | SvcConsoleWrite writes bytes to the console. Any time. |")
	assert.Contains(t, p.Markdown, "| `PowerOff` | func | [8](/kernel/core/contract.go#L8) | PowerOff stops the machine. |")
}

func TestLabs(t *testing.T) {
	root := writeTree(t, map[string]string{
		"labs/01-boot/main.c": "int main(void)\n{\n\treturn 0;\n}\n",
		"labs/02-uart/main.c": "int main(void)\n{\n\tuart_init();\n\treturn 0;\n}\n",
		"labs/02-uart/uart.c": "void uart_init(void) {}\n",
		"labs/03-same/main.c": "int main(void)\n{\n\tuart_init();\n\treturn 0;\n}\n",
		"labs/03-same/uart.c": "void uart_init(void) {}\n",
	})
	p, err := Labs(root)
	require.NoError(t, err)
	assert.Contains(t, p.Markdown, "## 02-uart\n")
	assert.Contains(t, p.Markdown, "--- a/main.c\n+++ b/main.c\n@@ -1,4 +1,5 @@\n int main(void)\n {\n+\tuart_init();\n \treturn 0;\n }\n")
	assert.Contains(t, p.Markdown, "--- a/uart.c\n+++ b/uart.c\n@@ -0,0 +1,1 @@\n+void uart_init(void) {}\n")
	assert.Contains(t, p.Markdown, "## 03-same\n\nChanges from `02-uart` to `03-same`:\n\nNo file changed.")
}

func TestUnified(t *testing.T) {
	a := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n"
	b := "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n"
	want := "--- a\n+++ b\n@@ -1,6 +1,6 @@\n 1\n 2\n-3\n+three\n 4\n 5\n 6\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+twelve\n"
	if got := Unified("a", "b", a, b, 3); got != want {
		t.Errorf("Unified(two changes far apart) =\n%s\nwant\n%s", got, want)
	}
	if got := Unified("a", "b", a, a, 3); got != "" {
		t.Errorf("Unified(equal) = %q, want empty", got)
	}
	if got := Unified("a", "b", "x", "y", 3); got != "--- a\n+++ b\n@@ -1,1 +1,1 @@\n-x\n\\ No newline at end of file\n+y\n\\ No newline at end of file\n" {
		t.Errorf("Unified(no newline) = %q", got)
	}
}

func TestRuntimeSyscalls(t *testing.T) {
	root := writeTree(t, map[string]string{"ckernel/syscall.c": `enum {
	SYS_read = 63, SYS_write = 64,
	SYS_getuid = 174, SYS_geteuid = 175,
};

static long linux_syscall(struct trapframe *tf) {
	switch (nr) {
	case SYS_write: return sys_write((int)a[0], a[1], a[2]);
	case SYS_read: return -ENOENT; // no files | yet
	case SYS_getuid: case SYS_geteuid: return 0;
	case SYS_unknown: return 1;
	default: return unimplemented(nr);
	}
}
`})
	p, err := RuntimeSyscalls(root)
	require.NoError(t, err)
	var rows []string
	for _, l := range strings.Split(p.Markdown, "\n") {
		if strings.HasPrefix(l, "| ") && !strings.HasPrefix(l, "| Number") {
			rows = append(rows, l)
		}
	}
	want := []string{
		"| 63 | [read](/ckernel/syscall.c#L9) | `return -ENOENT;` | no files \\| yet |",
		"| 64 | [write](/ckernel/syscall.c#L8) | `return sys_write((int)a[0], a[1], a[2]);` |  |",
		"| 174 | [getuid](/ckernel/syscall.c#L10) | `return 0;` |  |",
		"| 175 | [geteuid](/ckernel/syscall.c#L10) | `return 0;` |  |",
	}
	assert.Equal(t, want, rows, "RuntimeSyscalls rows: by number, one per name, unknown names left out")
	assert.Contains(t, p.Markdown, "These are the 4 Linux arm64 system calls")

	root = writeTree(t, map[string]string{"ckernel/syscall.c": "int x;\n"})
	_, err = RuntimeSyscalls(root)
	var s Skipped
	assert.True(t, errors.As(err, &s), "a syscall.c without case lines is skipped, got %v", err)
}
