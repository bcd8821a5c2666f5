// Package debugger is Burrow's kernel debugger: a session over QEMU's
// gdbstub (or OpenOCD on a real Pi 4) that knows the kernel's symbols, its
// page tables and its data structures. It runs on the host, behind
// `burrow debug`: batch mode (Batch) runs a script of commands and prints
// text or JSON, and the TUI (debugger/tui) drives the same commands
// interactively.
//
// The pieces follow their specs in their own packages: the GDB remote
// serial protocol in debugger/rsp, ELF and DWARF symbols in debugger/sym,
// the VMSAv8-64 translation walk in debugger/mmu. This package adds the
// session (current CPU, breakpoints, stepping by instruction, line and
// call), the command language and the kernel-aware views. README.md
// documents the commands.
package debugger
