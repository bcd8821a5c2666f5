//go:build !(linux && arm64)

package main

// The host build has no EL0: there is never a user shell.
func hasUserland() bool { return false }
func runShell()         {}
