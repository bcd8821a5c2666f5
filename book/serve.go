package book

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// Serve builds the book, serves it on addr (which must be a localhost
// address) and rebuilds whenever a chapter or a file the book reads
// changes. Open pages reload themselves after a rebuild. A failed rebuild
// prints its problems and keeps serving the last good site. Serve returns
// when ctx is done.
func Serve(ctx context.Context, cfg Config, addr string, ready func(url string)) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("book: serve listens on localhost only, not %q", host)
	}
	cfg.Serve = true
	if cfg.Out == "" {
		cfg.Out = filepath.Join(cfg.Root, "build", "book")
	}
	var (
		mu      sync.Mutex
		version int
		deps    []string
	)
	rebuild := func() {
		start := time.Now()
		res, err := Build(cfg)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			fmt.Fprintf(cfg.Log, "book: rebuild failed, still serving the last good build:\n%v\n", err)
			return
		}
		version++
		deps = res.Deps
		fmt.Fprintf(cfg.Log, "book: built %d pages in %v\n", res.Chapters, time.Since(start).Round(time.Millisecond))
	}
	rebuild()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/_burrow/version", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		v := version
		mu.Unlock()
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprint(w, strconv.Itoa(v))
	})
	mux.Handle("/", http.FileServer(http.Dir(cfg.Out)))
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	if ready != nil {
		ready("http://" + ln.Addr().String() + "/")
	}
	mu.Lock()
	last := snapshot(cfg.Root, deps) // what the first build read
	mu.Unlock()
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			sctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		case <-tick.C:
			mu.Lock()
			d := deps
			mu.Unlock()
			now := snapshot(cfg.Root, d)
			if !sameSnapshot(last, now) {
				last = now
				rebuild()
				mu.Lock()
				d = deps
				mu.Unlock()
				last = snapshot(cfg.Root, d)
			}
		}
	}
}

// snapshot records the modification time and size of everything under
// book/src and of every tree file the last build read (a directory dep,
// such as kernel/ for the syscall table, is walked).
func snapshot(root string, deps []string) map[string]string {
	m := map[string]string{}
	walk := func(dir string) {
		filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if fi, err := d.Info(); err == nil && !d.IsDir() {
				m[p] = fi.ModTime().String() + "/" + strconv.FormatInt(fi.Size(), 10)
			}
			return nil
		})
	}
	walk("book/src")
	for _, d := range deps {
		fi, err := os.Stat(filepath.Join(root, d))
		switch {
		case err != nil:
			m[d] = "missing"
		case fi.IsDir():
			walk(d)
		default:
			m[d] = fi.ModTime().String() + "/" + strconv.FormatInt(fi.Size(), 10)
		}
	}
	return m
}

func sameSnapshot(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
