package burrow

// Private prctl(2) options (see the package comment for the range).
const (
	// PR_BURROW_BASE is the first option of the range: "Bur\0".
	PR_BURROW_BASE = 0x42757200

	// PR_BURROW_VERSION returns APP_ABI_VERSION. Linux returns EINVAL.
	PR_BURROW_VERSION = PR_BURROW_BASE + 0

	// PR_BURROW_ADMIT asks the kernel to admit the calling process as an
	// application: arg2 points to an AppRequest. The kernel checks the
	// requirements, fills the request's kernel half whatever it decides,
	// and returns 0 (admitted), ENOMEM (not enough free memory, or the
	// process already uses more than it declares) or EINVAL (a malformed
	// request, more CPUs than are online, or AI services that are not
	// running). Admitting again replaces the earlier admission.
	PR_BURROW_ADMIT = PR_BURROW_BASE + 1

	// PR_BURROW_AI_READ copies a text view of the kernel's AI layer into a
	// buffer, as syslog(2) copies the kernel log: arg2 is AI_VIEW_LOG or
	// AI_VIEW_STATE, arg3 the buffer, arg4 its length. It returns the view's
	// full length in bytes (a longer view is cut to the buffer). Only a
	// process admitted with APP_AI may call it; others get EPERM.
	PR_BURROW_AI_READ = PR_BURROW_BASE + 2
)

// APP_ABI_VERSION is what PR_BURROW_VERSION returns: the layout version of
// AppRequest and of the options above.
const APP_ABI_VERSION = 1

// Views for PR_BURROW_AI_READ.
const (
	AI_VIEW_LOG   = 0 // the decision log, oldest first, one decision a line
	AI_VIEW_STATE = 1 // the engine's counters and its policy cache
)

// Flags in AppRequest.Flags (asked by the application) and
// AppRequest.KernelFlags (what the kernel offers).
const (
	APP_AI = 1 << 0 // the AI layer's read-only services
)

// AppRequest is struct burrow_app_request, the argument of
// PR_BURROW_ADMIT: 64 bytes, little-endian, no padding (a test checks the
// size). The application fills the first half; the kernel writes the
// second half, admitted or not, so a refused application can say why.
type AppRequest struct {
	Size     uint32   // SizeofAppRequest: lets a later version grow the layout
	Flags    uint32   // APP_* services the application wants
	Memory   uint64   // the most memory, in bytes, the application will map
	CPUs     uint32   // online CPUs the application needs (at least 1)
	CPUShare uint32   // percent of one CPU it expects to keep busy (recorded only)
	Name     [16]byte // the application's name, NUL-padded, like comm

	FreeMemory  uint64 // kernel: free RAM, in bytes, when the request was checked
	OnlineCPUs  uint32 // kernel: CPUs online
	KernelFlags uint32 // kernel: APP_* services that are running
	Committed   uint64 // kernel: bytes the process had mapped when it asked
}

// SizeofAppRequest is the size of AppRequest in bytes.
const SizeofAppRequest = 64
