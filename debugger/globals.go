package debugger

import (
	"debug/dwarf"
	"fmt"

	"github.com/burrow-os/burrow/debugger/sym"
)

// globalStruct finds the first global whose type is the pointer type typ,
// follows it, and reads the struct it points to. missing says, for the
// error when no such global exists, which subsystem has not landed.
func (s *Session) globalStruct(typ, missing string) (name string, t dwarf.Type, b []byte, err error) {
	vs := s.Syms.GlobalsOfType(typ)
	if len(vs) == 0 {
		return "", nil, nil, fmt.Errorf("no global %s in the loaded ELFs (%s has not landed in this build)", typ, missing)
	}
	v := vs[0]
	p, err := s.ReadMemory(v.Addr, 8)
	if err != nil {
		return v.Name, nil, nil, err
	}
	if leUint(p) == 0 {
		return v.Name, nil, nil, fmt.Errorf("debugger: %s is nil: %s is not initialised yet", v.Name, missing)
	}
	t = sym.Underlying(v.Type).(*dwarf.PtrType).Type
	b, err = s.ReadMemory(leUint(p), int(t.Size()))
	if err != nil {
		return v.Name, nil, nil, fmt.Errorf("debugger: %s points to unreadable memory: %w", v.Name, err)
	}
	return v.Name, t, b, nil
}
