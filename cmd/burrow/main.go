// Command burrow is the one entry point to Burrow's tools: it boots the
// kernel in QEMU, and (as their issues land) debugs it, grades lab
// submissions and builds the course book. The Makefile wraps each subcommand.
//
// Each subcommand lives in its own file and registers itself from init, so
// adding a tool never touches this file.
package main

import (
	"fmt"
	"os"
	"sort"
)

// command is one subcommand of burrow.
type command struct {
	name    string // what the user types: burrow <name>
	summary string // one line for burrow help
	// run gets the arguments after the subcommand name and returns the
	// process exit status.
	run func(args []string) int
}

var commands = map[string]command{}

// register adds a subcommand; each subcommand file calls it from init.
func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("burrow: subcommand registered twice: " + c.name)
	}
	commands[c.name] = c
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: burrow <command> [arguments]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(os.Stderr, "\nRun 'burrow <command> -h' for a command's flags.")
}

func main() {
	if len(os.Args) < 2 || os.Args[1] == "help" || os.Args[1] == "-h" || os.Args[1] == "--help" {
		usage()
		os.Exit(2)
	}
	c, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "burrow: unknown command %q\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	os.Exit(c.run(os.Args[2:]))
}
