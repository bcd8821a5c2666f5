package qemu

import (
	"encoding/json"
	"time"
)

// Reading the guest's virtual time from the host.
//
// Under -icount shift=0 QEMU's virtual clock advances one nanosecond per
// guest instruction, so a budget of virtual time is a budget of
// instructions: the same on a fast host and a loaded one. QEMU has no option
// that stops a guest after N instructions, so Run reads the instruction
// count over QMP while the guest runs, and kills QEMU once it passes the
// budget. The count comes from query-replay, whose icount field is QEMU's
// raw instruction counter on every board, whether or not record/replay is
// in use (mode "none"). A reading can lag the guest by a little; it never
// runs ahead of it, so a kernel that finishes inside its budget is never
// killed.
func readVirtualTime(q *QMP) (time.Duration, error) {
	raw, err := q.Call("query-replay", nil)
	if err != nil {
		return 0, err
	}
	var r struct {
		Icount int64 `json:"icount"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return 0, err
	}
	return time.Duration(r.Icount), nil // shift=0: 1 ns per instruction
}
