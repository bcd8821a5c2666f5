package tokenizer

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// ReadBin reads llama2.c's tokenizer.bin: an int32 max_token_length, then
// for each of vocabSize tokens a float32 score, an int32 length and that
// many bytes of piece, all little-endian. BOS is 1 and EOS 2, as in
// llama2.c.
func ReadBin(r io.Reader, vocabSize int) (*Tokenizer, error) {
	if vocabSize < 3 || vocabSize > 1<<24 {
		return nil, fmt.Errorf("tokenizer: vocabulary size %d out of range", vocabSize)
	}
	br := bufio.NewReader(r)
	var hdr [4]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return nil, fmt.Errorf("tokenizer.bin: header: %w", noEOF(err))
	}
	maxLen := int32(binary.LittleEndian.Uint32(hdr[:]))
	if maxLen <= 0 || maxLen > 1<<16 {
		return nil, fmt.Errorf("tokenizer.bin: max_token_length %d out of range", maxLen)
	}
	pieces := make([]string, vocabSize)
	scores := make([]float32, vocabSize)
	var rec [8]byte
	for i := range pieces {
		if _, err := io.ReadFull(br, rec[:]); err != nil {
			return nil, fmt.Errorf("tokenizer.bin: token %d of %d: %w", i, vocabSize, noEOF(err))
		}
		scores[i] = math.Float32frombits(binary.LittleEndian.Uint32(rec[:4]))
		n := int32(binary.LittleEndian.Uint32(rec[4:]))
		if n < 0 || n > maxLen {
			return nil, fmt.Errorf("tokenizer.bin: token %d has length %d, max_token_length is %d", i, n, maxLen)
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(br, b); err != nil {
			return nil, fmt.Errorf("tokenizer.bin: token %d piece: %w", i, noEOF(err))
		}
		pieces[i] = string(b)
	}
	return New(pieces, scores, 1, 2)
}

// WriteBin writes t in tokenizer.bin form.
func (t *Tokenizer) WriteBin(w io.Writer) error {
	bw := bufio.NewWriter(w)
	maxLen := 1
	for _, p := range t.Pieces {
		maxLen = max(maxLen, len(p))
	}
	var b [8]byte
	binary.LittleEndian.PutUint32(b[:4], uint32(maxLen))
	bw.Write(b[:4])
	for i, p := range t.Pieces {
		binary.LittleEndian.PutUint32(b[:4], math.Float32bits(t.Scores[i]))
		binary.LittleEndian.PutUint32(b[4:], uint32(len(p)))
		bw.Write(b[:])
		bw.WriteString(p)
	}
	return bw.Flush()
}

// noEOF turns a bare EOF into ErrUnexpectedEOF: inside a file, running out
// of bytes always means truncation.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
