package gen

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Labs makes the "diff to the previous stage" page. A lab stage is a
// directory directly under labs/ (for example labs/01-boot/), in name
// order; the page shows, for each stage after the first, a unified diff of
// every file that changed since the stage before it.
func Labs(root string) (*Page, error) {
	dir := filepath.Join(root, "labs")
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, Skipped("labs/ does not exist yet")
	}
	var stages []string
	for _, e := range ents {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			stages = append(stages, e.Name())
		}
	}
	sort.Strings(stages)
	if len(stages) < 2 {
		return nil, Skipped(fmt.Sprintf("labs/ has %d stage directories; diffs need at least two", len(stages)))
	}
	var b strings.Builder
	b.WriteString("*Generated from the stage directories under labs/. Each section is the diff from the stage before it.*\n\n")
	var srcs []string
	for i := 1; i < len(stages); i++ {
		prev, cur := stages[i-1], stages[i]
		fmt.Fprintf(&b, "## %s\n\nChanges from `%s` to `%s`:\n\n", cur, prev, cur)
		a, err := readTree(filepath.Join(dir, prev))
		if err != nil {
			return nil, err
		}
		c, err := readTree(filepath.Join(dir, cur))
		if err != nil {
			return nil, err
		}
		names := map[string]bool{}
		for n := range a {
			names[n] = true
		}
		for n := range c {
			names[n] = true
		}
		var sorted []string
		for n := range names {
			sorted = append(sorted, n)
		}
		sort.Strings(sorted)
		changed := 0
		for _, n := range sorted {
			if a[n] == c[n] {
				continue
			}
			changed++
			srcs = append(srcs, "labs/"+cur+"/"+n)
			d := Unified("a/"+n, "b/"+n, a[n], c[n], 3)
			fmt.Fprintf(&b, "~~~~diff\n%s~~~~\n\n", d)
		}
		if changed == 0 {
			b.WriteString("No file changed.\n\n")
		}
	}
	return &Page{Title: "Lab stages", Markdown: b.String(), Source: "labs", Sources: srcs}, nil
}

func readTree(dir string) (map[string]string, error) {
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	return files, err
}
