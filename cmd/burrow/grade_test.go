package main

import (
	"os"
	"path/filepath"
	"testing"
)

// Hidden tests never run from a student's own checkout: -hidden needs
// instructor (-class) or Gradescope mode.
func TestGradeHiddenNeedsInstructorMode(t *testing.T) {
	hidden := t.TempDir()
	os.WriteFile(filepath.Join(hidden, "h.spec"), []byte("test secret\n\tmatch x\n"), 0o644)
	devnull, _ := os.Open(os.DevNull)
	defer devnull.Close()
	stderr := os.Stderr
	os.Stderr = devnull
	defer func() { os.Stderr = stderr }()
	if got := gradeCmd([]string{"-hidden", hidden, t.TempDir()}); got != gradeUsage {
		t.Errorf("burrow grade -hidden DIR TREE = %d, want %d (refused)", got, gradeUsage)
	}
}

func TestGradeBadFlags(t *testing.T) {
	devnull, _ := os.Open(os.DevNull)
	defer devnull.Close()
	stderr := os.Stderr
	os.Stderr = devnull
	defer func() { os.Stderr = stderr }()
	for _, args := range [][]string{
		{"-tests", t.TempDir()},          // no specs there
		{"-run", "("},                    // bad regexp
		{"-run", "^no-such-test$"},       // matches nothing
		{"-class", t.TempDir(), "extra"}, // a tree with -class
	} {
		if got := gradeCmd(args); got != gradeUsage {
			t.Errorf("burrow grade %q = %d, want %d", args, got, gradeUsage)
		}
	}
}
