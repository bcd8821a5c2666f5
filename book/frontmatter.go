package book

import (
	"fmt"
	"strings"
)

// FrontMatter is the optional header of a chapter, between two "---" lines
// at the very top of the file, one "key: value" per line:
//
//	---
//	title: The boot path
//	summary: From power-on to the first line of C at EL1.
//	lab: 1
//	---
type FrontMatter struct {
	Title   string // replaces the table-of-contents title on the page
	Summary string // shown under the title and in search results
	Lab     string // the lab this chapter belongs to
}

// splitFrontMatter separates front matter from the chapter body. It returns
// the body and how many lines the header took, so errors in the body can
// still name the line in the file. Unknown keys are returned as warnings.
func splitFrontMatter(text string) (fm FrontMatter, body string, skipped int, warnings []string, err error) {
	if !strings.HasPrefix(text, "---\n") {
		return fm, text, 0, nil, nil
	}
	lines := strings.Split(text, "\n")
	for i := 1; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "---" {
			return fm, strings.Join(lines[i+1:], "\n"), i + 1, warnings, nil
		}
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			return fm, "", 0, nil, fmt.Errorf("%d: front matter line %q is not key: value", i+1, l)
		}
		v = strings.Trim(strings.TrimSpace(v), `"`)
		switch strings.TrimSpace(k) {
		case "title":
			fm.Title = v
		case "summary":
			fm.Summary = v
		case "lab":
			fm.Lab = v
		default:
			warnings = append(warnings, fmt.Sprintf("%d: unknown front matter key %q (title, summary, lab)", i+1, k))
		}
	}
	return fm, "", 0, nil, fmt.Errorf("1: front matter has no closing ---")
}
