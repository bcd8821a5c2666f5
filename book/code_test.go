package book

import "testing"

func TestExpandTabs(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"\tx", 8, "        x"},
		{"ab\tc", 8, "ab      c"},
		{"a\tb\n\tc", 4, "a   b\n    c"},
		{"no tabs", 8, "no tabs"},
		{"12345678\tx", 8, "12345678        x"},
	}
	for _, tt := range tests {
		if got := expandTabs(tt.in, tt.width); got != tt.want {
			t.Errorf("expandTabs(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}
