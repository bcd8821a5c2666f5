package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"syscall"
)

func init() {
	checks["jobctl"] = jobctl
	checks["nap"] = nap // run only when named: the child jobctl stops
}

// jobctl stops and continues a child and watches it through wait4: the
// stop and the continue are each reported once, and the child's sleep,
// interrupted by the stop, is restarted rather than failing with EINTR.
func jobctl() {
	var out bytes.Buffer
	cmd := exec.Command("/bin/conform", "nap")
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		fmt.Println("start:", err)
		return
	}
	pid := cmd.Process.Pid
	var ws syscall.WaitStatus
	check("kill STOP", syscall.Kill(pid, syscall.SIGSTOP))
	_, err := syscall.Wait4(pid, &ws, syscall.WUNTRACED, nil)
	fmt.Printf("stopped=%v by %v %v\n", ws.Stopped(), ws.StopSignal(), err)
	n, _ := syscall.Wait4(pid, &ws, syscall.WUNTRACED|syscall.WNOHANG, nil)
	fmt.Println("stop reported once:", n == 0)
	check("kill CONT", syscall.Kill(pid, syscall.SIGCONT))
	_, err = syscall.Wait4(pid, &ws, syscall.WCONTINUED, nil)
	fmt.Printf("continued=%v %v\n", ws.Continued(), err)
	_, err = syscall.Wait4(pid, &ws, 0, nil)
	fmt.Printf("exited=%v status=%d %v\n", ws.Exited(), ws.ExitStatus(), err)
	fmt.Print(out.String())
}

// nap sleeps 300 ms in one raw nanosleep and prints what it returned.
func nap() {
	ts := syscall.NsecToTimespec(300e6)
	fmt.Println("nap: nanosleep returned", syscall.Nanosleep(&ts, nil))
}
