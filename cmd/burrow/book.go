package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/burrow-os/burrow/book"
)

func init() {
	register(command{
		name:    "book",
		summary: "build the course book into build/book (book build), or serve it with rebuild on change (book serve)",
		run:     runBook,
	})
}

func runBook(args []string) int {
	if len(args) == 0 || (args[0] != "build" && args[0] != "serve") {
		fmt.Fprintln(os.Stderr, "usage: burrow book build [-strict] [-o dir]\n       burrow book serve [-addr 127.0.0.1:3000]")
		return 2
	}
	fs := flag.NewFlagSet("book "+args[0], flag.ContinueOnError)
	root := fs.String("root", bookRoot(), "top of the Burrow tree")
	out := fs.String("o", "", "output directory (default <root>/build/book)")
	strict := fs.Bool("strict", false, "treat warnings as errors (make test sets it)")
	addr := fs.String("addr", "127.0.0.1:3000", "serve: localhost address to listen on")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	cfg := book.Config{Root: *root, Out: *out, Strict: *strict, Log: os.Stderr}
	if args[0] == "serve" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		err := book.Serve(ctx, cfg, *addr, func(url string) {
			fmt.Fprintf(os.Stderr, "book: serving %s (Ctrl-C stops)\n", url)
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return 0
	}
	res, err := book.Build(cfg)
	var be *book.Error
	if errors.As(err, &be) {
		fmt.Fprintln(os.Stderr, be)
		return 1
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "book:", err)
		return 1
	}
	dest := cfg.Out
	if dest == "" {
		dest = "build/book"
	}
	fmt.Fprintf(os.Stderr, "book: %d pages, %d source pages, %d symbol links, %d search sections, %d warnings -> %s\n",
		res.Chapters, res.Sources, res.SymLinks, res.Sections, len(res.Warnings), dest)
	return 0
}

// bookRoot is $BURROW_ROOT (set by the Makefile), else the working
// directory.
func bookRoot() string {
	if r := os.Getenv("BURROW_ROOT"); r != "" {
		return r
	}
	wd, _ := os.Getwd()
	return wd
}
