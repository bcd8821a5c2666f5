package debugger

import (
	"debug/dwarf"
	"fmt"
	"strings"
	"time"

	"github.com/burrow-os/burrow/debugger/sym"
)

// The driver framework's device list is found by type: a global
// *drivers.Manager (main.devices in the Go kernel), whatever it is named.
const managerType = "*github.com/burrow-os/burrow/drivers.Manager"

// deviceStates are drivers.State's names, by value.
var deviceStates = []string{"unbound", "disabled", "bound", "failed"}

// DeviceInfo is one device as the devices view shows it.
type DeviceInfo struct {
	Path     string        `json:"path"`
	State    string        `json:"state"`
	Reason   string        `json:"reason,omitempty"`
	IRQs     uint64        `json:"irqs"`
	Errors   uint64        `json:"errors"`
	InitTime time.Duration `json:"init_ns"`
}

// goString reads the Go string header at b[off:] and then its bytes.
func (s *Session) goString(b []byte, off int64) string {
	if off+16 > int64(len(b)) {
		return ""
	}
	p, n := leUint(b[off:off+8]), leUint(b[off+8:off+16])
	if p == 0 || n == 0 || n > 4096 {
		return ""
	}
	data, err := s.ReadMemory(p, int(n))
	if err != nil {
		return ""
	}
	return string(data)
}

// Devices reads the driver framework's device list.
func (s *Session) Devices() ([]DeviceInfo, error) {
	name, mt, mb, err := s.globalStruct(managerType, "the driver framework")
	if err != nil {
		return nil, fmt.Errorf("the device view is not available: %w", err)
	}
	off, ft, ok := nestedField(mt, "Devices")
	if !ok {
		return nil, fmt.Errorf("debugger: drivers.Manager has no Devices field")
	}
	// Devices is a []*Device: data pointer and length, then each element.
	data, n := leUint(mb[off:off+8]), leUint(mb[off+8:off+16])
	if n > 4096 {
		return nil, fmt.Errorf("debugger: %s.Devices has %d entries: not a device list", name, n)
	}
	dt := sym.Underlying(sym.Underlying(ft).(*dwarf.StructType).Field[0].Type.(*dwarf.PtrType).Type).(*dwarf.PtrType).Type
	ptrs, err := s.ReadMemory(data, int(8*n))
	if err != nil {
		return nil, err
	}
	var out []DeviceInfo
	for i := uint64(0); i < n; i++ {
		db, err := s.ReadMemory(leUint(ptrs[8*i:8*i+8]), int(dt.Size()))
		if err != nil {
			return nil, err
		}
		var d DeviceInfo
		if o, _, ok := nestedField(dt, "Path"); ok {
			d.Path = s.goString(db, o)
		}
		if o, _, ok := nestedField(dt, "Reason"); ok {
			d.Reason = s.goString(db, o)
		}
		st, _ := field(dt, db, "State")
		d.State = fmt.Sprint(st)
		if st < uint64(len(deviceStates)) {
			d.State = deviceStates[st]
		}
		d.IRQs, _ = field(dt, db, "irqs")
		d.Errors, _ = field(dt, db, "errors")
		it, _ := field(dt, db, "InitTime")
		d.InitTime = time.Duration(it)
		out = append(out, d)
	}
	return out, nil
}

func cmdDevices(s *Session, a []string) (string, any, error) {
	devs, err := s.Devices()
	if err != nil {
		return "", nil, err
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%-34s %-9s %6s %6s %10s  %s\n", "DEVICE", "STATE", "IRQS", "ERRORS", "INIT", "REASON")
	for _, d := range devs {
		fmt.Fprintf(&sb, "%-34s %-9s %6d %6d %10v  %s\n", d.Path, d.State, d.IRQs, d.Errors, d.InitTime, d.Reason)
	}
	return sb.String(), devs, nil
}
