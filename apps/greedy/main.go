// Command greedy shows both sides of admission on Burrow's Application
// framework (app/). By default it declares a terabyte of memory, more than
// any Raspberry Pi has, and the kernel refuses it: it exits with status 69
// and the kernel's reason. With -declare MiB it asks for that much instead,
// is admitted, and then maps memory in chunks until the kernel's limit (its
// declared figure) refuses a mapping with ENOMEM.
//
//	greedy [-declare MiB] [-chunk MiB] [-max MiB]
package main

import (
	"errors"
	"flag"
	"fmt"
	"syscall"

	"github.com/burrow-os/burrow/app"
)

type greedy struct {
	declare, chunk, max uint64 // MiB
	ctx                 *app.AppContext
}

func (g *greedy) Flags(fs *flag.FlagSet) {
	fs.Uint64Var(&g.declare, "declare", 1<<20, "memory to declare, in MiB (the default is 1 TiB)")
	fs.Uint64Var(&g.chunk, "chunk", 8, "map memory in chunks of this many MiB")
	fs.Uint64Var(&g.max, "max", 0, "stop after mapping this many MiB (0: twice what it declares, at most 1024)")
}

func (g *greedy) GetResourceRequirements() app.ResourceRequirements {
	return app.ResourceRequirements{Memory: g.declare << 20, CPUs: 1, CPUShare: 10}
}

func (g *greedy) Initialize(ctx *app.AppContext) error {
	if g.chunk == 0 {
		return errors.New("-chunk 0")
	}
	if g.max == 0 {
		g.max = min(2*g.declare, 1024) // unadmitted, nothing else stops it
	}
	g.ctx = ctx
	return nil
}

// Run maps chunks, touching each, until a mapping fails or it has mapped
// -max MiB; then it unmaps them all (so printing cannot run out of memory)
// and says how far it got.
func (g *greedy) Run() error {
	var chunks [][]byte
	var mapErr error
	for uint64(len(chunks))*g.chunk < g.max && g.ctx.Context.Err() == nil {
		b, err := syscall.Mmap(-1, 0, int(g.chunk<<20), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
		if err != nil {
			mapErr = err
			break
		}
		b[0] = 1 // a page of it is really there
		chunks = append(chunks, b)
	}
	mapped := uint64(len(chunks)) * g.chunk
	for _, b := range chunks {
		if err := syscall.Munmap(b); err != nil {
			return err
		}
	}
	switch {
	case errors.Is(mapErr, syscall.ENOMEM):
		fmt.Printf("mapped %d MiB in %d MiB chunks; the next chunk: ENOMEM (declared %d MiB)\n", mapped, g.chunk, g.declare)
	case mapErr != nil:
		return fmt.Errorf("mmap after %d MiB: %w", mapped, mapErr)
	default:
		fmt.Printf("mapped %d MiB in %d MiB chunks; no limit stopped it\n", mapped, g.chunk)
	}
	return nil
}

func (g *greedy) Shutdown() error { return nil }

func main() { app.Main(&greedy{}) }
