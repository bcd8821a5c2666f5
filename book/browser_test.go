//go:build browser

// The browser tier of the book: headless Chromium, driven by chromedp,
// reads the real book from a local server. It is compiled only with
// -tags browser and runs only with BURROW_BOOK_BROWSER=1; mk/book.test.sh
// sets both, after installing Chromium with scripts/setup.sh chromium.

package book

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/burrow-os/burrow/internal/testenv"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/require"
)

// What the real book must let a reader find: a search term and the page
// whose section should come first for it.
const (
	searchTerm    = "ESR_EL1"
	searchWantURL = "exceptions.html"
)

func TestBrowserBook(t *testing.T) {
	if os.Getenv("BURROW_BOOK_BROWSER") != "1" {
		t.Skip("drives Chromium: runs with BURROW_BOOK_BROWSER=1 (mk/book.test.sh)")
	}
	root := testenv.Root(t)
	site := filepath.Join(root, "build", "book")
	res, err := Build(Config{Root: root, Out: site, Strict: true, Log: io.Discard})
	require.NoError(t, err, "building the real book")
	t.Logf("built %d pages, %d source pages, %d search sections", res.Chapters, res.Sources, res.Sections)

	srv := httptest.NewServer(http.FileServer(http.Dir(site)))
	defer srv.Close()

	exe := "/usr/bin/chromium"
	if _, err := os.Stat(exe); err != nil {
		t.Fatalf("%s is missing: run scripts/setup.sh chromium", exe)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	defer cancelT()

	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		require.NoError(t, chromedp.Do(ctx, steps...), what)
	}
	eval := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		require.NoError(t, err, "evaluate %s", expr)
		return v
	}

	do("open the book", chromedp.EmulateViewport(1366, 900), chromedp.Navigate(srv.URL+"/index.html"),
		chromedp.WaitVisible(chromedp.CSS("#search")))

	t.Run("navigation links resolve", func(t *testing.T) {
		// Visit every chapter in the sidebar and fetch every link on it:
		// sidebar, previous/next, links in the text, quote headers.
		pages := strings.Split(eval(`Array.from(document.querySelectorAll("#sidebar li:not(.part) a")).map(a => a.href).join("\n")`), "\n")
		require.Greater(t, len(pages), 3, "chapters in the sidebar")
		seen := map[string]bool{}
		for _, p := range pages {
			do("open "+p, chromedp.Navigate(p), chromedp.WaitVisible(chromedp.CSS("article h1")))
			links := eval(`Array.from(document.querySelectorAll("#sidebar a, .prevnext a, article a, .onpage a")).map(a => a.href).join("\n")`)
			for _, h := range strings.Split(links, "\n") {
				h, _, _ = strings.Cut(h, "#")
				if !strings.HasPrefix(h, srv.URL) || seen[h] {
					continue
				}
				seen[h] = true
				resp, err := http.Get(h)
				if err != nil {
					t.Errorf("GET %s (linked from %s): %v", h, p, err)
					continue
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("GET %s (linked from %s) = %s, want 200", h, p, resp.Status)
				}
			}
		}
		t.Logf("%d chapters, %d distinct local links, all resolve", len(pages), len(seen))
		do("back to the start", chromedp.Navigate(srv.URL+"/index.html"), chromedp.WaitVisible(chromedp.CSS("article h1")))
		// The right arrow key turns the page.
		do("press the right arrow", chromedp.KeyEvent(kb.ArrowRight), chromedp.Sleep(500*time.Millisecond),
			chromedp.WaitVisible(chromedp.CSS("article h1")))
		if loc := eval(`location.href`); loc != pages[1] {
			t.Errorf("after the right arrow, location = %s, want %s", loc, pages[1])
		}
		do("back to the start again", chromedp.Navigate(srv.URL+"/index.html"), chromedp.WaitVisible(chromedp.CSS("article h1")))
		// Following "next" in the browser lands on the second chapter of
		// the sidebar.
		second := eval(`document.querySelectorAll("#sidebar li:not(.part) a")[1].href`)
		do("click next", chromedp.Click(chromedp.CSS(".prevnext a.next")), chromedp.WaitVisible(chromedp.CSS("article h1")))
		if loc := eval(`location.href`); loc != second {
			t.Errorf("after clicking next, location = %s, want %s", loc, second)
		}
		if cur := eval(`document.querySelector("#sidebar li.active a").href`); cur != second {
			t.Errorf("after clicking next, the sidebar marks %s, want %s", cur, second)
		}
	})

	t.Run("search finds a known term", func(t *testing.T) {
		do("type a query", chromedp.Click(chromedp.CSS("#search")), chromedp.SendKeys(chromedp.CSS("#search"), searchTerm),
			chromedp.WaitVisible(chromedp.CSS("#search-results li a")))
		shot(t, ctx, filepath.Join(root, "build", "book-search.png"))
		first := eval(`document.querySelector("#search-results li a").getAttribute("href")`)
		if !strings.Contains(first, searchWantURL) {
			t.Errorf("search %q: first result %s, want a section of %s", searchTerm, first, searchWantURL)
		}
		mark := eval(`(document.querySelector("#search-results mark") || {}).textContent || ""`)
		if !strings.EqualFold(mark, searchTerm) {
			t.Errorf("search %q: highlighted %q in the snippet", searchTerm, mark)
		}
		do("open the first result", chromedp.Click(chromedp.CSS("#search-results li a")), chromedp.WaitVisible(chromedp.CSS("article h1")))
		if loc := eval(`location.pathname + location.hash`); !strings.Contains(loc, searchWantURL) {
			t.Errorf("after choosing the first result, location = %s, want %s", loc, searchWantURL)
		}
	})

	t.Run("code is highlighted", func(t *testing.T) {
		do("open a chapter with code", chromedp.Navigate(srv.URL+"/"+searchWantURL), chromedp.WaitVisible(chromedp.CSS("figure.quote pre")))
		n := eval(`String(document.querySelectorAll("figure.quote .chroma span.k, figure.quote .chroma span.kt, figure.quote .chroma span.nf, figure.quote .chroma span.c1").length)`)
		if n == "0" {
			t.Errorf("no highlighted tokens in the quotes of %s", searchWantURL)
		}
		// The colours come from the stylesheet: a keyword is not drawn in
		// the plain text colour.
		diff := eval(`(() => { const k = document.querySelector(".chroma .k, .chroma .kt, .chroma .nf");
			const pre = k.closest("pre"); return getComputedStyle(k).color + " | " + getComputedStyle(pre).color })()`)
		parts := strings.Split(diff, " | ")
		if len(parts) != 2 || parts[0] == parts[1] {
			t.Errorf("keyword colour vs text colour = %q, want them to differ", diff)
		}
		eval(`(document.querySelector("figure.quote").scrollIntoView(), "")`)
		shot(t, ctx, filepath.Join(root, "build", "book-code.png"))
		cap := eval(`document.querySelector("figure.quote figcaption a").getAttribute("href")`)
		resp, err := http.Get(srv.URL + "/" + strings.SplitN(cap, "#", 2)[0])
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("quote header link %s does not resolve: %v %v", cap, err, resp)
		}
		if resp != nil {
			resp.Body.Close()
		}
	})

	t.Run("themes", func(t *testing.T) {
		before := eval(`document.documentElement.getAttribute("data-theme") + " " + getComputedStyle(document.body).backgroundColor`)
		do("switch theme", chromedp.Click(chromedp.CSS("#theme-toggle")))
		after := eval(`document.documentElement.getAttribute("data-theme") + " " + getComputedStyle(document.body).backgroundColor`)
		if before == after {
			t.Errorf("theme toggle: %q before and after", before)
		}
		shot(t, ctx, filepath.Join(root, "build", "book-desktop-"+strings.Fields(after)[0]+".png"))
		do("switch back", chromedp.Click(chromedp.CSS("#theme-toggle")))
	})

	t.Run("print view", func(t *testing.T) {
		do("count the chapters", chromedp.EmulateViewport(1366, 900), chromedp.Navigate(srv.URL+"/index.html"),
			chromedp.WaitVisible(chromedp.CSS("#sidebar")))
		want := eval(`String(document.querySelectorAll("#sidebar li:not(.part) a").length)`)
		do("open the print view", chromedp.Navigate(srv.URL+"/print.html"), chromedp.WaitVisible(chromedp.CSS("section.print-chapter")))
		chapters := eval(`String(document.querySelectorAll("section.print-chapter").length)`)
		if chapters != want {
			t.Errorf("print.html has %s chapters, the sidebar lists %s", chapters, want)
		}
		// Every in-page link of the single-page view lands on an element.
		broken := eval(`Array.from(document.querySelectorAll("article a[href^='#']")).map(a => a.getAttribute("href")).filter(h => !document.getElementById(decodeURIComponent(h.slice(1)))).join(" ")`)
		if broken != "" {
			t.Errorf("print.html in-page links with no target: %s", broken)
		}
		do("print media", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}))
		if d := eval(`getComputedStyle(document.querySelector("header.top")).display + " " + getComputedStyle(document.querySelector("#sidebar")).display`); d != "none none" {
			t.Errorf("print stylesheet: header and sidebar display = %q, want none none", d)
		}
		eval(`(document.querySelector("section.print-chapter:nth-of-type(3) figure.quote").scrollIntoView(), "")`)
		shot(t, ctx, filepath.Join(root, "build", "book-print-media.png"))
		pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
		require.NoError(t, err, "print to PDF")
		pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
		if pages < 10 {
			t.Errorf("print view prints on %d pages, want the whole book", pages)
		}
		out := filepath.Join(root, "build", "book.pdf")
		require.NoError(t, os.WriteFile(out, pdf, 0o644))
		t.Logf("print view as PDF: %s (%d KiB, %d pages)", out, len(pdf)/1024, pages)
		do("screen media", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
			return err
		}))
	})

	t.Run("screenshots", func(t *testing.T) {
		do("desktop", chromedp.EmulateViewport(1366, 900), chromedp.Navigate(srv.URL+"/"+searchWantURL), chromedp.WaitVisible(chromedp.CSS("#sidebar")))
		shot(t, ctx, filepath.Join(root, "build", "book-desktop.png"))
		do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile), chromedp.Navigate(srv.URL+"/"+searchWantURL),
			chromedp.WaitVisible(chromedp.CSS("article h1")))
		// On a phone the table of contents hides behind the menu button.
		if w := eval(`String(document.querySelector("#sidebar").getBoundingClientRect().right <= 0)`); w != "true" {
			t.Errorf("phone: sidebar visible without opening the menu")
		}
		if over := eval(`String(document.documentElement.scrollWidth > window.innerWidth)`); over != "false" {
			t.Errorf("phone: the page scrolls sideways")
		}
		shot(t, ctx, filepath.Join(root, "build", "book-phone.png"))
		do("open the menu", chromedp.Click(chromedp.CSS("#menu-toggle")), chromedp.Sleep(400*time.Millisecond))
		if w := eval(`String(document.querySelector("#sidebar").getBoundingClientRect().left >= 0)`); w != "true" {
			t.Errorf("phone: the menu button does not show the table of contents")
		}
		shot(t, ctx, filepath.Join(root, "build", "book-phone-menu.png"))
	})
}

func shot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	require.NoError(t, err, "screenshot")
	require.NoError(t, os.WriteFile(path, png, 0o644))
	t.Logf("screenshot %s (%d KiB)", path, len(png)/1024)
}
