package book

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// TOC is the book's ordered table of contents, read from book/src/SUMMARY.md.
//
// The file is Markdown in mdBook's SUMMARY style:
//
//	# Title of the book
//
//	[Preface](preface.md)          an unnumbered chapter
//
//	# Part one: booting            a part heading in the sidebar
//	- [The boot path](boot.md)     chapter 1
//	  - [Exception levels](el.md)  section 1.1 (two spaces per level)
//
// Chapters appear in the sidebar and in previous/next order exactly as
// listed. Blank lines and <!-- comment --> lines are ignored.
type TOC struct {
	Title   string
	Entries []Entry
}

// Entry is one line of the table of contents: a part heading or a chapter.
type Entry struct {
	Part   string // part heading text; the other fields are empty
	Title  string // chapter title as the sidebar shows it
	File   string // chapter source, relative to book/src, slash-separated
	Number string // "1", "1.2"; "" for an unnumbered chapter
	Level  int    // 0 for top-level chapters
	Line   int    // line in SUMMARY.md
}

var (
	tocPartRE    = regexp.MustCompile(`^#\s+(.+?)\s*$`)
	tocChapterRE = regexp.MustCompile(`^( *)(?:[-*]\s+)?\[([^\]]+)\]\(([^)\s]+)\)\s*$`)
)

// ParseTOC parses SUMMARY.md text. name is used in error messages.
func ParseTOC(name, text string) (*TOC, error) {
	toc := &TOC{}
	var counters []int
	seen := map[string]int{}
	sc := bufio.NewScanner(strings.NewReader(text))
	line := 0
	for sc.Scan() {
		line++
		l := strings.TrimRight(sc.Text(), " \t\r")
		trim := strings.TrimSpace(l)
		if trim == "" || (strings.HasPrefix(trim, "<!--") && strings.HasSuffix(trim, "-->")) {
			continue
		}
		if m := tocPartRE.FindStringSubmatch(l); m != nil {
			if toc.Title == "" && len(toc.Entries) == 0 {
				toc.Title = m[1]
			} else {
				toc.Entries = append(toc.Entries, Entry{Part: m[1], Line: line})
			}
			continue
		}
		m := tocChapterRE.FindStringSubmatch(l)
		if m == nil {
			return nil, fmt.Errorf("%s:%d: expected \"# Part\", \"- [Title](file.md)\" or \"[Title](file.md)\", found %q", name, line, trim)
		}
		file := path.Clean(m[3])
		if !strings.HasSuffix(file, ".md") || strings.HasPrefix(file, "../") || path.IsAbs(file) {
			return nil, fmt.Errorf("%s:%d: chapter %q must be a .md file inside book/src", name, line, m[3])
		}
		if prev, dup := seen[file]; dup {
			return nil, fmt.Errorf("%s:%d: %s is already listed on line %d", name, line, file, prev)
		}
		seen[file] = line
		e := Entry{Title: m[2], File: file, Line: line}
		numbered := strings.ContainsAny(strings.TrimLeft(l, " ")[:1], "-*")
		if numbered {
			if len(m[1])%2 != 0 {
				return nil, fmt.Errorf("%s:%d: indent with two spaces per level", name, line)
			}
			e.Level = len(m[1]) / 2
			if e.Level > len(counters) {
				return nil, fmt.Errorf("%s:%d: %q is nested more than one level below the chapter before it", name, line, e.Title)
			}
			if e.Level == len(counters) {
				counters = append(counters, 0)
			}
			counters = counters[:e.Level+1]
			counters[e.Level]++
			parts := make([]string, len(counters))
			for i, c := range counters {
				parts[i] = strconv.Itoa(c)
			}
			e.Number = strings.Join(parts, ".")
		} else if m[1] != "" {
			return nil, fmt.Errorf("%s:%d: an unnumbered chapter cannot be indented", name, line)
		}
		toc.Entries = append(toc.Entries, e)
	}
	if toc.Title == "" {
		return nil, fmt.Errorf("%s:1: the first heading (# Title) names the book", name)
	}
	return toc, sc.Err()
}

// Chapters returns the chapter entries in reading order, without parts.
func (t *TOC) Chapters() []Entry {
	var out []Entry
	for _, e := range t.Entries {
		if e.Part == "" {
			out = append(out, e)
		}
	}
	return out
}

// ReadTOC reads and parses dir/SUMMARY.md.
func ReadTOC(dir string) (*TOC, error) {
	data, err := os.ReadFile(path.Join(dir, "SUMMARY.md"))
	if err != nil {
		return nil, err
	}
	return ParseTOC("book/src/SUMMARY.md", string(data))
}
