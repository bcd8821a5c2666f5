package book

import (
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// sourceURL is where the site shows a file of the tree, highlighted and
// with line anchors, relative to the site root.
func sourceURL(p string) string { return "source/" + p + ".html" }

// dirURL is where the site lists a directory of the tree.
func dirURL(p string) string { return "source/" + p + "/index.html" }

var lineFragRE = regexp.MustCompile(`^L(\d+)(?:-L\d+)?$`)

// rel makes a root-relative site path relative to the page c is rendered
// on (a chapter page, or print.html at the root).
func (b *builder) rel(c *chapter, m mode, target string) string {
	if m == printMode {
		return target
	}
	return strings.Repeat("../", strings.Count(c.Out, "/")) + target
}

// resolveLink checks one link written in chapter c and returns the href the
// page gets. Links to the web are left alone (the build has no network);
// every other link must resolve:
//
//   - "#anchor": a heading on the same page;
//   - "other.md" or "other.md#anchor": a chapter in the table of contents,
//     and a heading on it;
//   - "/ckernel/boot.S" (from the tree root) or a path relative to the
//     chapter's file: a file of the tree, shown as a source page; "#L12"
//     picks a line.
func (b *builder) resolveLink(c *chapter, m mode, dest string) (string, error) {
	u, err := url.Parse(dest)
	if err != nil {
		return "", fmt.Errorf("link %q: %v", dest, err)
	}
	if u.Scheme != "" || strings.HasPrefix(dest, "//") {
		return dest, nil
	}
	if u.Path == "" {
		if !c.anchors[u.Fragment] {
			return "", fmt.Errorf("link %q: no heading with id %q on this page", dest, u.Fragment)
		}
		if m == printMode {
			return "#" + c.Slug + "--" + u.Fragment, nil
		}
		return dest, nil
	}
	// A relative .md link is a chapter; "/path/FILE.md" is a file of the tree.
	if strings.HasSuffix(u.Path, ".md") && c.Base == "" && !strings.HasPrefix(u.Path, "/") {
		target := path.Clean(path.Join(path.Dir(c.File), u.Path))
		tc, ok := b.byFile[target]
		if !ok {
			return "", fmt.Errorf("link %q: %s is not a chapter in SUMMARY.md", dest, target)
		}
		if u.Fragment != "" && !tc.anchors[u.Fragment] {
			return "", fmt.Errorf("link %q: %s has no heading with id %q", dest, target, u.Fragment)
		}
		if m == printMode {
			if u.Fragment == "" {
				return "#" + tc.Slug, nil
			}
			return "#" + tc.Slug + "--" + u.Fragment, nil
		}
		href := b.rel(c, m, tc.Out)
		if u.Fragment != "" {
			href += "#" + u.Fragment
		}
		return href, nil
	}
	if strings.HasSuffix(u.Path, ".html") && c.Base == "" {
		return "", fmt.Errorf("link %q: link to the chapter's .md file, not the generated page", dest)
	}
	// A file of the tree.
	var p string
	if strings.HasPrefix(u.Path, "/") {
		p = path.Clean(strings.TrimPrefix(u.Path, "/"))
	} else {
		base := path.Join("book/src", path.Dir(c.File))
		if c.Base != "" {
			base = c.Base
		}
		p = path.Clean(path.Join(base, u.Path))
	}
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", fmt.Errorf("link %q: leaves the tree", dest)
	}
	// Images and other assets next to the chapters are copied as they are.
	if strings.HasPrefix(p, "book/src/") {
		if _, err := os.Stat(filepath.Join(b.cfg.Root, p)); err != nil {
			return "", fmt.Errorf("link %q: %s does not exist", dest, p)
		}
		asset := strings.TrimPrefix(p, "book/src/")
		b.assets[asset] = true
		return b.rel(c, m, asset), nil
	}
	fi, err := os.Stat(filepath.Join(b.cfg.Root, p))
	if err != nil {
		return "", fmt.Errorf("link %q: %s does not exist in the tree", dest, p)
	}
	if fi.IsDir() {
		if u.Fragment != "" {
			return "", fmt.Errorf("link %q: %s is a directory and has no #%s", dest, p, u.Fragment)
		}
		b.dirs[p] = true
		return b.rel(c, m, dirURL(p)), nil
	}
	href := b.rel(c, m, sourceURL(p))
	if u.Fragment != "" {
		// #L12, or GitHub's #L12-L20, which lands on the first line.
		mm := lineFragRE.FindStringSubmatch(u.Fragment)
		if mm == nil {
			return "", fmt.Errorf("link %q: a link into a source file takes #L<line> or #L<line>-L<line>", dest)
		}
		n, _ := strconv.Atoi(mm[1])
		u.Fragment = "L" + mm[1]
		data, err := os.ReadFile(filepath.Join(b.cfg.Root, p))
		if err != nil {
			return "", err
		}
		if lines := strings.Count(string(data), "\n"); n < 1 || n > lines+1 {
			return "", fmt.Errorf("link %q: %s has %d lines", dest, p, lines)
		}
		href += "#" + u.Fragment
	}
	b.sources[p] = true
	b.deps[p] = true
	return href, nil
}
