package main

import (
	"fmt"
	"syscall"
	"time"
	"unsafe"
)

func init() { checks["poll"] = polls }

type pollFd struct {
	fd             int32
	events, revent int16
}

const (
	pollIn  = 0x1
	pollOut = 0x4
	pollErr = 0x8
	pollHup = 0x10
)

// ppoll waits up to timeout for one file and returns its revents.
func ppoll(fd int, events int16, timeout time.Duration) (int16, error) {
	p := pollFd{fd: int32(fd), events: events}
	ts := syscall.NsecToTimespec(int64(timeout))
	_, _, e := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&p)), 1, uintptr(unsafe.Pointer(&ts)), 0, 0, 0)
	if e != 0 {
		return 0, e
	}
	return p.revent, nil
}

// polls checks that ppoll and pselect6 see what pipes can do, and wait for
// their timeout when nothing is ready.
func polls() {
	var fds [2]int
	check("pipe", syscall.Pipe(fds[:]))
	r, w := fds[0], fds[1]
	rev, err := ppoll(r, pollIn, 0)
	fmt.Printf("empty pipe: %#x %v\n", rev, err)
	t0 := time.Now()
	rev, err = ppoll(r, pollIn, 50*time.Millisecond)
	fmt.Printf("empty pipe after the timeout: %#x %v waited: %v\n", rev, err, time.Since(t0) >= 50*time.Millisecond)
	rev, _ = ppoll(w, pollOut, 0)
	fmt.Printf("write end: %#x\n", rev)
	go func() { time.Sleep(20 * time.Millisecond); syscall.Write(w, []byte("x")) }()
	rev, err = ppoll(r, pollIn, 5*time.Second)
	fmt.Printf("after a write: %#x %v\n", rev, err)

	var set syscall.FdSet
	set.Bits[r/64] |= 1 << (r % 64)
	tv := syscall.Timeval{Usec: 1000}
	n, err := syscall.Select(r+1, &set, nil, nil, &tv)
	fmt.Printf("select readable: %d %v %v\n", n, err, set.Bits[r/64]&(1<<(r%64)) != 0)

	var b [1]byte
	syscall.Read(r, b[:])
	set = syscall.FdSet{}
	set.Bits[r/64] |= 1 << (r % 64)
	tv = syscall.Timeval{Usec: 30000}
	t0 = time.Now()
	n, err = syscall.Select(r+1, &set, nil, nil, &tv)
	fmt.Printf("select on an empty pipe: %d %v cleared: %v waited: %v\n", n, err, set.Bits[r/64] == 0, time.Since(t0) >= 30*time.Millisecond)

	syscall.Close(w)
	rev, err = ppoll(r, pollIn, 0)
	fmt.Printf("writer closed: %#x %v\n", rev, err)
	check("pipe", syscall.Pipe(fds[:]))
	syscall.Close(fds[0])
	rev, _ = ppoll(fds[1], pollOut, 0)
	fmt.Printf("reader closed: %#x\n", rev&(pollOut|pollErr))
	rev, err = ppoll(99, pollIn, 0)
	fmt.Printf("bad fd: %#x %v\n", rev, err)
}
