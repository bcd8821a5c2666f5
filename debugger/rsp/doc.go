// Package rsp is a client for the GDB remote serial protocol, the protocol
// QEMU's gdbstub (and OpenOCD) speak. It runs on the host, inside
// `burrow debug`, and talks to a target over TCP or a Unix socket.
//
// It follows "Debugging with GDB", appendix E (Remote Protocol): packets
// `$payload#cc` with a modulo-256 checksum, `+`/`-` acknowledgements (QEMU
// has no no-ack mode, so acks are always on), `}`-escapes, run-length
// encoded replies, `E NN` error replies and the empty reply for "not
// supported". On top of the framing it offers what a kernel debugger needs
// from QEMU 10's stub: qSupported, the target description
// (qXfer:features:read, including QEMU's system-registers feature), register
// and memory access (memory split into 0x800-byte packets, the most QEMU
// answers), Z0-Z4 breakpoints and watchpoints, vCont continue and step with
// stop replies, threads (one per CPU), qRcmd monitor commands, QEMU's
// Qqemu.PhyMemMode for physical reads, and interrupting a running target
// with a 0x03 byte.
//
// Every packet can be recorded (Client.Trace) in the transcript format of
// testdata/*.rsp, which the fake stub in rsptest replays in host tests.
package rsp
