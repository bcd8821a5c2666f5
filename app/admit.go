package app

import (
	"encoding/binary"
	"errors"
	"fmt"
	"syscall"

	"github.com/burrow-os/burrow/kernel/abi/burrow"
)

// Admission is the kernel's answer to an admission request.
type Admission struct {
	// OnBurrow is false when the kernel does not know Burrow's prctl
	// options (Linux): the program then runs unadmitted.
	OnBurrow bool
	// Admitted is true when Burrow admitted the program; its declared
	// memory is then its limit.
	Admitted bool
	// What the kernel reported, admitted or not (zero off Burrow).
	FreeMemory uint64
	OnlineCPUs int
	AIRunning  bool
	Mapped     uint64 // bytes the process had mapped when it asked
}

// RefusedError is the error of an admission the kernel refused.
type RefusedError struct {
	Errno     syscall.Errno
	Required  ResourceRequirements
	Admission Admission
}

// Error says what the kernel could not give, from the figures it reported.
func (e *RefusedError) Error() string {
	r, a := e.Required.withDefaults(), e.Admission
	var why string
	switch {
	case e.Errno == syscall.ENOMEM && r.Memory > a.FreeMemory:
		why = fmt.Sprintf("needs %s of memory, %s free", Size(r.Memory), Size(a.FreeMemory))
	case e.Errno == syscall.ENOMEM:
		why = fmt.Sprintf("declares %s of memory and already has %s mapped", Size(r.Memory), Size(a.Mapped))
	case r.CPUs > a.OnlineCPUs:
		why = fmt.Sprintf("needs %d CPUs, %d online", r.CPUs, a.OnlineCPUs)
	case r.AIServices && !a.AIRunning:
		why = "needs AI services, and the kernel's AI layer is not running"
	default:
		why = "the kernel found the request malformed"
	}
	return fmt.Sprintf("%s (%s)", why, errnoName(e.Errno))
}

func errnoName(e syscall.Errno) string {
	switch e {
	case syscall.ENOMEM:
		return "ENOMEM"
	case syscall.EINVAL:
		return "EINVAL"
	}
	return e.Error()
}

// prctlFunc is prctl(2) with a pointer to a buffer as its second argument
// (nil passes 0); tests replace it.
type prctlFunc func(option int, buf []byte) (uintptr, error)

// admit asks the kernel to admit the program called name with
// requirements r (already validated). Off Burrow it returns an Admission
// with OnBurrow false and no error; a refusal is a *RefusedError.
func admit(prctl prctlFunc, name string, r ResourceRequirements) (Admission, error) {
	version, err := prctl(burrow.PR_BURROW_VERSION, nil)
	if errors.Is(err, syscall.EINVAL) {
		return Admission{}, nil // Linux: no such option
	}
	if err != nil {
		return Admission{}, fmt.Errorf("prctl(PR_BURROW_VERSION): %w", err)
	}
	if version != burrow.APP_ABI_VERSION {
		return Admission{}, fmt.Errorf("the kernel speaks admission version %d, this program %d", version, burrow.APP_ABI_VERSION)
	}
	r = r.withDefaults()
	req := burrow.AppRequest{Size: burrow.SizeofAppRequest, Memory: r.Memory, CPUs: uint32(r.CPUs), CPUShare: uint32(r.CPUShare)}
	if r.AIServices {
		req.Flags |= burrow.APP_AI
	}
	copy(req.Name[:len(req.Name)-1], name)
	buf, err := binary.Append(nil, binary.LittleEndian, &req)
	if err != nil {
		return Admission{}, err
	}
	_, err = prctl(burrow.PR_BURROW_ADMIT, buf)
	if _, derr := binary.Decode(buf, binary.LittleEndian, &req); derr != nil {
		return Admission{}, derr
	}
	a := Admission{OnBurrow: true, Admitted: err == nil, FreeMemory: req.FreeMemory, OnlineCPUs: int(req.OnlineCPUs),
		AIRunning: req.KernelFlags&burrow.APP_AI != 0, Mapped: req.Committed}
	var errno syscall.Errno
	if errors.As(err, &errno) && (errno == syscall.ENOMEM || errno == syscall.EINVAL) {
		return a, &RefusedError{Errno: errno, Required: r, Admission: a}
	}
	if err != nil {
		return a, fmt.Errorf("prctl(PR_BURROW_ADMIT): %w", err)
	}
	return a, nil
}
