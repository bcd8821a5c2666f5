package proc

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

func TestChildCode(t *testing.T) {
	tests := []struct {
		status, code, val int
	}{
		{0x0300, linux.CLD_EXITED, 3},
		{int(linux.SIGINT), linux.CLD_KILLED, int(linux.SIGINT)},
		{0x7f | int(linux.SIGTSTP)<<8, linux.CLD_STOPPED, int(linux.SIGTSTP)},
		{0xffff, linux.CLD_CONTINUED, int(linux.SIGCONT)},
	}
	for _, tc := range tests {
		code, val := childCode(tc.status)
		assert.Equal(t, [2]int{tc.code, tc.val}, [2]int{code, val}, "childCode(%#x)", tc.status)
	}
}

func TestTakeReport(t *testing.T) {
	c := &Process{job: jobState{stopped: true, stopSig: linux.SIGTSTP, report: reportStopped}}
	_, ok := takeReport(c, false, true, false)
	assert.False(t, ok, "a stop is not reported to a wait without WUNTRACED")
	status, ok := takeReport(c, true, false, true)
	assert.True(t, ok)
	assert.Equal(t, 0x7f|int(linux.SIGTSTP)<<8, status, "WIFSTOPPED status")
	_, ok = takeReport(c, true, false, false)
	assert.True(t, ok, "WNOWAIT left the report in place")
	_, ok = takeReport(c, true, false, false)
	assert.False(t, ok, "a stop is reported once")

	c.job.report = reportContinued
	status, ok = takeReport(c, true, true, false)
	assert.True(t, ok)
	assert.Equal(t, 0xffff, status, "WIFCONTINUED status")
}

func TestStopSignalsAreNotIgnored(t *testing.T) {
	for _, sig := range []linux.Signal{linux.SIGSTOP, linux.SIGTSTP, linux.SIGTTIN, linux.SIGTTOU} {
		assert.True(t, isStopSignal(sig), "isStopSignal(%s)", sigName(sig))
		assert.False(t, defaultIgnored(sig), "defaultIgnored(%s): stop signals stop", sigName(sig))
	}
	assert.False(t, isStopSignal(linux.SIGCONT), "isStopSignal(SIGCONT)")
}
