package gen

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// runtimeSyscallsFile is where the C core serves the Go runtime's Linux
// system calls.
const runtimeSyscallsFile = "ckernel/syscall.c"

var (
	sysEnumRE = regexp.MustCompile(`\bSYS_(\w+)\s*=\s*(\d+)`)
	sysCaseRE = regexp.MustCompile(`case SYS_(\w+):`)
)

// RuntimeSyscalls makes the page listing the Linux system calls the C core
// answers for the Go runtime, from the SYS_ numbers and the case lines of
// ckernel/syscall.c: for each call, its number, and what the C core does
// (the statement after the case label, and its comment).
func RuntimeSyscalls(root string) (*Page, error) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(runtimeSyscallsFile)))
	if err != nil {
		return nil, Skipped(runtimeSyscallsFile + " does not exist yet")
	}
	numbers := map[string]int{}
	for _, m := range sysEnumRE.FindAllStringSubmatch(string(data), -1) {
		n, _ := strconv.Atoi(m[2])
		numbers[m[1]] = n
	}
	type row struct {
		num        int
		name, does string
		note       string
		line       int
	}
	var rows []row
	for i, l := range strings.Split(string(data), "\n") {
		names := sysCaseRE.FindAllStringSubmatch(l, -1)
		if len(names) == 0 {
			continue
		}
		rest := l[strings.LastIndex(l, ":")+1:]
		if at := sysCaseRE.FindAllStringIndex(l, -1); len(at) > 0 {
			rest = l[at[len(at)-1][1]:]
		}
		does, note, _ := strings.Cut(rest, "//")
		does = strings.TrimSpace(does)
		for _, m := range names {
			n, ok := numbers[m[1]]
			if !ok {
				continue
			}
			rows = append(rows, row{n, m[1], does, strings.TrimSpace(note), i + 1})
		}
	}
	if len(rows) == 0 {
		return nil, Skipped(runtimeSyscallsFile + " has no case SYS_name: lines with known numbers")
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].num < rows[j].num })
	var b strings.Builder
	fmt.Fprintf(&b, "The Go runtime inside the Go kernel believes it runs on Linux. These are the %d Linux arm64 system calls the C core answers for it, read from the dispatch `switch` in [%s](/%s) each time the book is built; any other number returns `-ENOSYS` and is logged once.\n\n",
		len(rows), runtimeSyscallsFile, runtimeSyscallsFile)
	b.WriteString("| Number | Name | What the C core does | Note |\n|---:|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %d | [%s](/%s#L%d) | `%s` | %s |\n", r.num, r.name, runtimeSyscallsFile, r.line,
			strings.ReplaceAll(escapeCell(r.does), "`", "'"), escapeCell(r.note))
	}
	return &Page{Title: "System calls the C core serves", Markdown: b.String(), Source: runtimeSyscallsFile,
		Sources: []string{runtimeSyscallsFile}}, nil
}
