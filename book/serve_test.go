package book

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestServeRebuilds edits a chapter and a quoted file under a running
// server and checks that the served page and the reload version follow.
func TestServeRebuilds(t *testing.T) {
	root := writeTree(t, map[string]string{
		"book/src/SUMMARY.md": "# B\n- [One](one.md)\n",
		"book/src/one.md":     "first version\n\n{{#include src/a.c}}\n",
		"src/a.c":             "int before;\n",
	})
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, Config{Root: root, Log: io.Discard}, "127.0.0.1:0", func(u string) { urls <- u })
	}()
	var base string
	select {
	case base = <-urls:
	case err := <-done:
		t.Fatalf("Serve returned early: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not start")
	}
	defer func() {
		cancel()
		require.NoError(t, <-done)
	}()

	code, page := get(t, base+"one.html")
	require.Equal(t, 200, code)
	require.Contains(t, page, "first version")
	require.Contains(t, page, `data-serve="1"`, "served pages carry the live-reload hook")
	_, v0 := get(t, base+"_burrow/version")

	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// Modification times can be coarse: make sure the edit is visible.
	time.Sleep(20 * time.Millisecond)
	require.NoError(t, os.WriteFile(filepath.Join(root, "book/src/one.md"), []byte("second version\n\n{{#include src/a.c}}\n"), 0o644))
	waitFor("the chapter edit", func() bool { _, p := get(t, base+"one.html"); return strings.Contains(p, "second version") })
	_, v1 := get(t, base+"_burrow/version")
	if v1 == v0 {
		t.Errorf("version after a rebuild = %s, want it to change from %s", v1, v0)
	}

	require.NoError(t, os.WriteFile(filepath.Join(root, "src/a.c"), []byte("int after_the_edit;\n"), 0o644))
	waitFor("the quoted file's edit", func() bool { _, p := get(t, base+"one.html"); return strings.Contains(p, "after_the_edit") })

	// A broken edit keeps the last good site.
	require.NoError(t, os.WriteFile(filepath.Join(root, "book/src/one.md"), []byte("third\n\n{{#include src/gone.c}}\n"), 0o644))
	time.Sleep(1500 * time.Millisecond)
	code, page = get(t, base+"one.html")
	if code != 200 || !strings.Contains(page, "second version") {
		t.Errorf("after a failed rebuild, one.html = %d, %q..., want the last good page", code, page[:min(len(page), 80)])
	}
}

func TestServeLocalhostOnly(t *testing.T) {
	err := Serve(context.Background(), Config{Root: t.TempDir()}, "0.0.0.0:0", nil)
	if err == nil || !strings.Contains(err.Error(), "localhost only") {
		t.Errorf("Serve(0.0.0.0) error = %v, want a refusal", err)
	}
}
