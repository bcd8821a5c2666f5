package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
)

// Application is a program the framework runs. Initialize prepares it, Run
// does its work and returns when the work is done or the context's
// Context is cancelled, and Shutdown releases what Initialize took.
// GetResourceRequirements is read once, before Initialize, to ask the
// kernel for admission. Shutdown runs after Run has returned, unless Run
// ignores a cancelled Context for longer than Main's grace period.
type Application interface {
	Initialize(context *AppContext) error
	Run() error
	Shutdown() error
	GetResourceRequirements() ResourceRequirements
}

// Flagger is implemented by an application that has flags of its own: Main
// calls Flags before it parses the command line.
type Flagger interface {
	Flags(fs *flag.FlagSet)
}

// AppContext is what an application gets from the framework.
type AppContext struct {
	// KernelInterface reads the state of the kernel the program runs on.
	KernelInterface *KernelAPI
	// AIServices reads the kernel's AI layer; nil unless the application's
	// requirements ask for AI services.
	AIServices *AIServiceInterface
	// Config is the configuration from flags and the environment.
	Config *AppConfig
	// Admission is what the kernel answered when asked to admit the
	// application.
	Admission Admission
	// Context is cancelled when SIGINT or SIGTERM arrives: Run should
	// return soon after.
	Context context.Context
}

// AppConfig is the configuration Main read.
type AppConfig struct {
	// Name is the program's name, the last element of argv[0].
	Name string
	// Args are the command-line arguments left after the flags.
	Args []string
	// RequireAdmission makes Main stop, rather than run unadmitted, when
	// the kernel is not Burrow (flag -require-admission).
	RequireAdmission bool
}

// ResourceRequirements is what an application needs from the kernel.
type ResourceRequirements struct {
	// Memory is the most memory, in bytes, the program will map, the Go
	// runtime's own included (at least MinMemory). Burrow enforces it: a
	// mapping beyond it fails with ENOMEM, which Go's runtime reports as
	// "out of memory".
	Memory uint64
	// CPUs is how many CPUs must be online; 0 means 1.
	CPUs int
	// CPUShare is the percentage of one CPU the program expects to keep
	// busy, up to 100 per CPU; 0 means 100. The kernel records it.
	CPUShare int
	// AIServices asks for the kernel's AI layer (AppContext.AIServices).
	AIServices bool
}

// MinMemory is the least an application may declare. A Go program maps
// about 49 MiB before main runs, on Burrow as on Linux: the 8 MiB main
// stack, the heap's first 4 MiB, and 32 MiB for the index of heap arenas,
// which it hardly touches. The limit counts mapped memory, not resident
// pages, so every Go application needs at least that and some room.
const MinMemory = 64 << 20

// maxMemory is a sanity bound: more than the 256 TiB a 48-bit address space
// holds is a mistake, not a requirement.
const maxMemory = 1 << 48

// ErrInvalidRequirements is wrapped by Validate's errors.
var ErrInvalidRequirements = errors.New("invalid resource requirements")

// Validate reports whether r is a request the kernel could grant: enough
// memory for a Go program, and a CPU share its CPUs can give.
func (r ResourceRequirements) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidRequirements, fmt.Sprintf(format, a...))
	}
	r = r.withDefaults()
	switch {
	case r.Memory < MinMemory:
		return bad("memory %s is less than the %s a Go program needs", Size(r.Memory), Size(MinMemory))
	case r.Memory > maxMemory:
		return bad("memory %s is more than an address space holds", Size(r.Memory))
	case r.CPUs < 1:
		return bad("%d CPUs", r.CPUs)
	case r.CPUShare < 1 || r.CPUShare > 100*r.CPUs:
		return bad("CPU share %d%% is not between 1%% and %d%% (100%% per CPU)", r.CPUShare, 100*r.CPUs)
	}
	return nil
}

// withDefaults fills the zero fields with what they mean.
func (r ResourceRequirements) withDefaults() ResourceRequirements {
	if r.CPUs == 0 {
		r.CPUs = 1
	}
	if r.CPUShare == 0 {
		r.CPUShare = 100
	}
	return r
}

// String is the requirements in one line.
func (r ResourceRequirements) String() string {
	r = r.withDefaults()
	s := fmt.Sprintf("%s of memory, %d CPU, %d%% share", Size(r.Memory), r.CPUs, r.CPUShare)
	if r.AIServices {
		s += ", AI services"
	}
	return s
}

// Size prints a byte count in binary units: "64 MiB", "1.5 GiB".
func Size(n uint64) string {
	switch {
	case n >= 1<<30:
		if n%(1<<30) == 0 {
			return fmt.Sprintf("%d GiB", n>>30)
		}
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	default:
		return fmt.Sprintf("%d KiB", n>>10)
	}
}
