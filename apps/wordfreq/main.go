// Command wordfreq counts the words of its input, the files it names or
// standard input, and prints the most frequent ones: a CPU and memory
// workload written on Burrow's Application framework (app/). It declares
// 96 MiB of memory (a Go program maps about 49 MiB before main runs) and
// one busy CPU.
//
// A word is a run of letters and digits (and apostrophes inside), folded to
// lower case. Ties are printed in alphabetical order, so the output is the
// same on every kernel.
//
//	wordfreq [-top N] [file...]
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"unicode"

	"github.com/burrow-os/burrow/app"
)

type wordfreq struct {
	top    int
	ctx    *app.AppContext
	counts map[string]int
	words  int
}

func (w *wordfreq) GetResourceRequirements() app.ResourceRequirements {
	return app.ResourceRequirements{Memory: 96 << 20, CPUs: 1, CPUShare: 100}
}

func (w *wordfreq) Flags(fs *flag.FlagSet) {
	fs.IntVar(&w.top, "top", 10, "how many words to print")
}

func (w *wordfreq) Initialize(ctx *app.AppContext) error {
	if w.top < 1 {
		return fmt.Errorf("-top %d: want at least 1", w.top)
	}
	w.ctx, w.counts = ctx, map[string]int{}
	return nil
}

// Run counts every input, then prints the table. A signal stops it
// between lines.
func (w *wordfreq) Run() error {
	names := w.ctx.Config.Args
	if len(names) == 0 {
		names = []string{"-"}
	}
	for _, name := range names {
		if err := w.countFile(name); err != nil {
			return err
		}
	}
	w.print(os.Stdout)
	return nil
}

func (w *wordfreq) countFile(name string) error {
	var r io.Reader = os.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if err := w.ctx.Context.Err(); err != nil {
			return err
		}
		w.countLine(sc.Text())
	}
	return sc.Err()
}

// countLine adds the words of one line.
func (w *wordfreq) countLine(line string) {
	inWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' }
	for _, f := range strings.FieldsFunc(line, func(r rune) bool { return !inWord(r) }) {
		if word := strings.ToLower(strings.Trim(f, "'")); word != "" {
			w.counts[word]++
			w.words++
		}
	}
}

func (w *wordfreq) print(out io.Writer) {
	words := make([]string, 0, len(w.counts))
	for word := range w.counts {
		words = append(words, word)
	}
	sort.Slice(words, func(i, j int) bool {
		a, b := words[i], words[j]
		if w.counts[a] != w.counts[b] {
			return w.counts[a] > w.counts[b]
		}
		return a < b
	})
	fmt.Fprintf(out, "%d words, %d distinct\n", w.words, len(words))
	for _, word := range words[:min(w.top, len(words))] {
		fmt.Fprintf(out, "%7d %s\n", w.counts[word], word)
	}
}

func (w *wordfreq) Shutdown() error { return nil }

func main() { app.Main(&wordfreq{}) }
