package main

import (
	"strings"
	"testing"
)

// TestCount: what counts as a word, and the order of the table.
func TestCount(t *testing.T) {
	cases := []struct {
		in   string
		top  int
		want string
	}{
		{"the cat and the dog\nThe end", 2, "7 words, 5 distinct\n      3 the\n      1 and\n"},
		{"It's 'quoted' -- don't; it's!", 3, "4 words, 3 distinct\n      2 it's\n      1 don't\n      1 quoted\n"},
		{"Größe größe 42 x42", 5, "4 words, 3 distinct\n      2 größe\n      1 42\n      1 x42\n"},
		{"", 3, "0 words, 0 distinct\n"},
	}
	for _, c := range cases {
		w := &wordfreq{top: c.top, counts: map[string]int{}}
		for _, line := range strings.Split(c.in, "\n") {
			w.countLine(line)
		}
		var out strings.Builder
		w.print(&out)
		if got := out.String(); got != c.want {
			t.Errorf("wordfreq -top %d of %q =\n%s\nwant\n%s", c.top, c.in, got, c.want)
		}
	}
}
