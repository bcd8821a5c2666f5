package grader

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// ProtectedList is where the reference tree lists its protected files.
const ProtectedList = "grader/protected.txt"

// LoadProtected reads the protected patterns from the reference tree: one
// per line, # comments. A pattern is a slash path, a path.Match glob, or a
// directory followed by /** for everything under it.
func LoadProtected(reference string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(reference, ProtectedList))
	if err != nil {
		return nil, fmt.Errorf("grader: reading the protected-file list: %v", err)
	}
	var pats []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if l == "" || l[0] == '#' {
			continue
		}
		if _, err := path.Match(strings.TrimSuffix(l, "/**"), ""); err != nil || strings.HasPrefix(l, "/") || strings.Contains(l, "..") {
			return nil, fmt.Errorf("%s:%d: bad pattern %q", ProtectedList, n, l)
		}
		pats = append(pats, l)
	}
	return pats, nil
}

// protects reports whether the slash path rel is covered by a pattern.
func protects(pats []string, rel string) bool {
	for _, p := range pats {
		if dir, ok := strings.CutSuffix(p, "/**"); ok {
			if strings.HasPrefix(rel, dir+"/") {
				return true
			}
		} else if ok, _ := path.Match(p, rel); ok {
			return true
		}
	}
	return false
}

// protectedFiles lists the regular files under root that the patterns
// cover, as sorted slash paths.
func protectedFiles(root string, pats []string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, root+string(filepath.Separator)))
		if d.IsDir() {
			if rel == ".git" || rel == "build" {
				return filepath.SkipDir
			}
			return nil
		}
		if protects(pats, rel) && (d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0) {
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// CheckIntegrity compares the student's protected files with the
// reference's. Every difference is an issue: changed content, a missing
// file, or an added file under a protected pattern (an extra test spec, a
// second Makefile fragment).
func CheckIntegrity(student, reference string, pats []string) ([]IntegrityIssue, error) {
	want, err := protectedFiles(reference, pats)
	if err != nil {
		return nil, err
	}
	have, err := protectedFiles(student, pats)
	if err != nil {
		return nil, err
	}
	var issues []IntegrityIssue
	inRef := map[string]bool{}
	for _, rel := range want {
		inRef[rel] = true
		a, errA := fileHash(filepath.Join(reference, rel))
		if errA != nil {
			return nil, errA
		}
		b, errB := fileHash(filepath.Join(student, rel))
		switch {
		case os.IsNotExist(errB):
			issues = append(issues, IntegrityIssue{Path: rel, Problem: "missing"})
		case errB != nil:
			issues = append(issues, IntegrityIssue{Path: rel, Problem: "unreadable: " + errB.Error()})
		case a != b:
			issues = append(issues, IntegrityIssue{Path: rel, Problem: "changed"})
		}
	}
	for _, rel := range have {
		if !inRef[rel] {
			issues = append(issues, IntegrityIssue{Path: rel, Problem: "added"})
		}
	}
	sort.Slice(issues, func(i, j int) bool { return issues[i].Path < issues[j].Path })
	return issues, nil
}

// fileHash hashes a file's content (a link's target path, for a link).
func fileHash(p string) ([32]byte, error) {
	st, err := os.Lstat(p)
	if err != nil {
		return [32]byte{}, err
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		l, err := os.Readlink(p)
		return sha256.Sum256([]byte("link:" + l)), err
	}
	f, err := os.Open(p)
	if err != nil {
		return [32]byte{}, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return [32]byte{}, err
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum, nil
}
