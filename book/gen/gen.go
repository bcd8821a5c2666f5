// Package gen writes the course book's generated pages from files of the
// Burrow tree: the Linux syscall compatibility table, the per-lab "diff to
// the previous stage" pages, and the C/Go contract page.
//
// It also lists the Linux system calls the C core answers for the Go
// runtime, from ckernel/syscall.c.
//
// It runs on the host, at book build time. Each generator returns Markdown
// that the book renders and checks like any chapter. A generator whose
// source does not exist yet returns Skipped with the reason; the book prints
// "skipped: <reason>" and the build goes on.
package gen

// Page is one generated page.
type Page struct {
	Title    string
	Markdown string
	Source   string   // the tree file (or directory) it was generated from
	Sources  []string // every tree file it read, for rebuild-on-change
	// Base is the tree directory that relative links in Markdown are
	// relative to; "" means book/src.
	Base string
}

// Skipped is the error a generator returns while its source does not exist.
// Its text says why, for "skipped: <why>".
type Skipped string

func (s Skipped) Error() string { return "skipped: " + string(s) }

// Generator makes one page.
type Generator struct {
	Name  string   // page name: generated/<Name>.html
	Watch []string // tree paths whose appearance should trigger a rebuild
	Run   func(root string) (*Page, error)
}

// All returns the generators in the order their pages appear.
func All() []Generator {
	return []Generator{
		{Name: "runtime-syscalls", Watch: []string{runtimeSyscallsFile}, Run: RuntimeSyscalls},
		{Name: "syscalls", Watch: []string{"kernel"}, Run: Syscalls},
		{Name: "labs", Watch: []string{"labs"}, Run: Labs},
		{Name: "contract", Watch: []string{"ckernel/CONTRACT.md", "kernel/core/contract.go"}, Run: Contract},
	}
}
