package mbox

import (
	"encoding/binary"
	"fmt"
)

// Property tags (firmware wiki, "Mailbox property interface").
const (
	TagGetBoardRevision = 0x00010002
	TagGetBoardSerial   = 0x00010004
	TagGetARMMemory     = 0x00010005
	TagGetVCMemory      = 0x00010006
	TagGetClockRate     = 0x00030002
	TagGetMaxClockRate  = 0x00030004
	TagSetClockRate     = 0x00038002
	tagEnd              = 0
)

// Clock IDs of the clock tags.
const (
	ClockEMMC  = 1
	ClockUART  = 2
	ClockARM   = 3
	ClockCore  = 4
	ClockEMMC2 = 12
)

// Codes of the message header and of each tag (the wiki's "Buffer
// contents" and "Tag format").
const (
	codeRequest = 0x00000000
	codeSuccess = 0x80000000
	codeError   = 0x80000001
	tagResponse = 1 << 31 // set by the firmware in the tag's code word
)

// Tag is one request: its id, the words it sends, and the size of its
// value buffer in words (the larger of request and response).
type Tag struct {
	ID    uint32
	In    []uint32
	Words int
}

// Pack builds a property message: header (size, request code), each tag
// (id, value buffer size in bytes, request code 0, value buffer), the end
// tag, padded to a multiple of 16 bytes as the mailbox's address needs its
// low 4 bits for the channel.
func Pack(tags []Tag) []byte {
	words := []uint32{0, codeRequest}
	for _, t := range tags {
		n := max(t.Words, len(t.In))
		words = append(words, t.ID, uint32(4*n), 0)
		v := make([]uint32, n)
		copy(v, t.In)
		words = append(words, v...)
	}
	words = append(words, tagEnd)
	for len(words)%4 != 0 {
		words = append(words, 0)
	}
	words[0] = uint32(4 * len(words))
	b := make([]byte, 4*len(words))
	for i, w := range words {
		binary.LittleEndian.PutUint32(b[4*i:], w)
	}
	return b
}

// Parse reads the firmware's answer to a message built by Pack from tags
// and returns each tag's response words.
func Parse(b []byte, tags []Tag) ([][]uint32, error) {
	word := func(i int) (uint32, error) {
		if 4*i+4 > len(b) {
			return 0, fmt.Errorf("mbox: response truncated at word %d", i)
		}
		return binary.LittleEndian.Uint32(b[4*i:]), nil
	}
	code, err := word(1)
	if err != nil {
		return nil, err
	}
	switch code {
	case codeSuccess:
	case codeError:
		return nil, fmt.Errorf("mbox: the firmware could not parse the request")
	default:
		return nil, fmt.Errorf("mbox: response code %#x, the firmware did not answer", code)
	}
	out := make([][]uint32, len(tags))
	i := 2
	for k, t := range tags {
		id, err := word(i)
		if err != nil {
			return nil, err
		}
		size, _ := word(i + 1)
		rc, err := word(i + 2)
		if err != nil {
			return nil, err
		}
		if id != t.ID {
			return nil, fmt.Errorf("mbox: tag %d is %#x, want %#x", k, id, t.ID)
		}
		if rc&tagResponse == 0 {
			return nil, fmt.Errorf("mbox: tag %#x was not answered", id)
		}
		n := int(rc&^tagResponse) / 4 // response length in bytes -> words
		if n > int(size)/4 {
			return nil, fmt.Errorf("mbox: tag %#x answered %d bytes into a %d-byte buffer", id, 4*n, size)
		}
		for j := 0; j < n; j++ {
			w, err := word(i + 3 + j)
			if err != nil {
				return nil, err
			}
			out[k] = append(out[k], w)
		}
		i += 3 + int(size)/4
	}
	return out, nil
}
