package main

import (
	"bytes"
	"fmt"
	"strconv"
)

// Adding a file to a cpio initramfs, for the benchmarks: the harness puts
// this run's protocol nonce into /etc/nonce of the benchmark's initramfs,
// since Burrow's first process, unlike Linux's, is not given the kernel's
// boot words. The format is "newc" (Linux's
// Documentation/driver-api/early-userspace/buffer-format.rst): a 110-byte
// ASCII header ("070701" and thirteen 8-digit hex fields), the name with
// its NUL padded to 4 bytes, the data padded to 4 bytes; the entry named
// "TRAILER!!!" ends the archive.

const cpioHeaderLen = 110

// cpioEntry encodes one newc entry: a regular file (mode 0o100644 and so
// on) with its data, or the trailer.
func cpioEntry(name string, mode uint32, data []byte) []byte {
	var b bytes.Buffer
	fields := []uint32{0, mode, 0, 0, 1, 0, uint32(len(data)), 0, 0, 0, 0, uint32(len(name) + 1), 0}
	b.WriteString("070701")
	for _, f := range fields {
		fmt.Fprintf(&b, "%08x", f)
	}
	b.WriteString(name)
	b.WriteByte(0)
	for b.Len()%4 != 0 {
		b.WriteByte(0)
	}
	b.Write(data)
	for b.Len()%4 != 0 {
		b.WriteByte(0)
	}
	return b.Bytes()
}

// cpioWithFile returns a copy of the newc archive with one more regular
// file, name (relative to the root, as "etc/nonce"), added just before its
// trailer. The archive must already hold the file's directory.
func cpioWithFile(archive []byte, name string, data []byte) ([]byte, error) {
	off := 0
	for {
		if len(archive)-off < cpioHeaderLen {
			return nil, fmt.Errorf("cpio: no TRAILER!!! entry (archive ends at byte %d)", off)
		}
		h := archive[off : off+cpioHeaderLen]
		if string(h[:6]) != "070701" {
			return nil, fmt.Errorf("cpio: byte %d: magic %q, want \"070701\" (newc)", off, h[:6])
		}
		field := func(i int) (int, error) {
			v, err := strconv.ParseUint(string(h[6+8*i:14+8*i]), 16, 32)
			return int(v), err
		}
		size, err1 := field(6)
		nameLen, err2 := field(11)
		if err1 != nil || err2 != nil || nameLen < 1 {
			return nil, fmt.Errorf("cpio: byte %d: bad header", off)
		}
		nameEnd := off + cpioHeaderLen + nameLen
		dataOff := (nameEnd + 3) &^ 3
		next := (dataOff + size + 3) &^ 3
		if nameEnd > len(archive) || dataOff+size > len(archive) {
			return nil, fmt.Errorf("cpio: byte %d: entry runs past the end", off)
		}
		if string(archive[off+cpioHeaderLen:nameEnd-1]) == "TRAILER!!!" {
			out := append([]byte(nil), archive[:off]...)
			out = append(out, cpioEntry(name, 0o100644, data)...)
			return append(out, cpioEntry("TRAILER!!!", 0, nil)...), nil
		}
		off = next
	}
}
