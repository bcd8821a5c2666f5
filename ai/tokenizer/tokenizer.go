// Package tokenizer is the byte-pair-encoding tokenizer of Llama models in
// the form llama2.c uses: a vocabulary of pieces, each with a merge score,
// plus byte-fallback pieces "<0x00>".."<0xFF>" for bytes that no piece
// covers. It reads and writes llama2.c's tokenizer.bin; ai/gguf builds the
// same Tokenizer from a GGUF file's embedded SentencePiece vocabulary.
//
// Encoding follows llama2.c's encode(): optional BOS, a dummy-prefix space
// (SentencePiece's add_dummy_prefix), one token per UTF-8 character (or its
// bytes), then repeated merges of the adjacent pair whose concatenation is
// the best-scoring piece. Pure Go without I/O beyond io.Reader/io.Writer: it
// runs on the host and in the Burrow kernel.
package tokenizer

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Tokenizer maps text to token ids and back.
type Tokenizer struct {
	Pieces   []string  // piece of each token id; SentencePiece's ▁ already replaced by a space
	Scores   []float32 // merge priority of each piece: higher merges first
	BOS, EOS int       // begin- and end-of-sequence ids (1 and 2 in Llama vocabularies)

	index   map[string]int
	byteTok [256]int // id of "<0xHH>", or -1
	maxLen  int
	workbuf []int
}

// New builds a tokenizer from pieces and scores. Duplicate pieces keep
// their first id, as llama2.c's sorted lookup effectively does.
func New(pieces []string, scores []float32, bos, eos int) (*Tokenizer, error) {
	if len(pieces) != len(scores) {
		return nil, fmt.Errorf("tokenizer: %d pieces but %d scores", len(pieces), len(scores))
	}
	if bos < 0 || bos >= len(pieces) || eos < 0 || eos >= len(pieces) {
		return nil, fmt.Errorf("tokenizer: BOS %d or EOS %d outside vocabulary of %d", bos, eos, len(pieces))
	}
	t := &Tokenizer{Pieces: pieces, Scores: scores, BOS: bos, EOS: eos, index: make(map[string]int, len(pieces))}
	for i := range t.byteTok {
		t.byteTok[i] = -1
	}
	for i, p := range pieces {
		if _, dup := t.index[p]; !dup {
			t.index[p] = i
		}
		if len(p) > t.maxLen {
			t.maxLen = len(p)
		}
		if b, ok := byteValue(p); ok && t.byteTok[b] < 0 {
			t.byteTok[b] = i
		}
	}
	return t, nil
}

// byteValue recognizes a byte-fallback piece such as "<0x0A>".
func byteValue(p string) (byte, bool) {
	if len(p) != 6 || !strings.HasPrefix(p, "<0x") || p[5] != '>' {
		return 0, false
	}
	var v byte
	for _, c := range p[3:5] {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = byte(c - '0')
		case c >= 'A' && c <= 'F':
			d = byte(c-'A') + 10
		case c >= 'a' && c <= 'f':
			d = byte(c-'a') + 10
		default:
			return 0, false
		}
		v = v<<4 | d
	}
	return v, true
}

// Len returns the vocabulary size.
func (t *Tokenizer) Len() int { return len(t.Pieces) }

// Lookup returns the id of an exact piece.
func (t *Tokenizer) Lookup(piece string) (int, bool) {
	id, ok := t.index[piece]
	return id, ok
}

// Encode turns text into token ids, with BOS and EOS when asked.
func (t *Tokenizer) Encode(text string, bos, eos bool) []int {
	var toks []int
	if bos {
		toks = append(toks, t.BOS)
	}
	start := len(toks)
	if text != "" {
		if id, ok := t.index[" "]; ok {
			toks = append(toks, id)
		}
	}
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		ch := text[i : i+n]
		if r == utf8.RuneError && n == 1 {
			ch = text[i : i+1]
		}
		if id, ok := t.index[ch]; ok {
			toks = append(toks, id)
		} else {
			for j := 0; j < len(ch); j++ {
				if id := t.byteTok[ch[j]]; id >= 0 {
					toks = append(toks, id)
				} else if id, ok := t.index["<unk>"]; ok {
					toks = append(toks, id)
				}
			}
		}
		i += n
	}
	toks = append(toks[:start], t.merge(toks[start:])...)
	if eos {
		toks = append(toks, t.EOS)
	}
	return toks
}

// merge repeatedly fuses the adjacent pair whose concatenation is the
// highest-scoring piece (the leftmost on ties) until no pair fuses.
func (t *Tokenizer) merge(toks []int) []int {
	var sb strings.Builder
	for {
		best, bestID, bestScore := -1, -1, float32(-1e10)
		for i := 0; i+1 < len(toks); i++ {
			a, b := t.Pieces[toks[i]], t.Pieces[toks[i+1]]
			if len(a)+len(b) > t.maxLen {
				continue
			}
			sb.Reset()
			sb.WriteString(a)
			sb.WriteString(b)
			if id, ok := t.index[sb.String()]; ok && t.Scores[id] > bestScore {
				best, bestID, bestScore = i, id, t.Scores[id]
			}
		}
		if best < 0 {
			return toks
		}
		toks[best] = bestID
		toks = append(toks[:best+1], toks[best+2:]...)
	}
}

// Decode returns the text of token tok that follows token prev: a
// byte-fallback piece becomes its raw byte, and the leading space of the
// first piece after BOS is dropped (it is the dummy prefix).
func (t *Tokenizer) Decode(prev, tok int) string {
	if tok < 0 || tok >= len(t.Pieces) {
		return ""
	}
	p := t.Pieces[tok]
	if prev == t.BOS && strings.HasPrefix(p, " ") {
		p = p[1:]
	}
	if b, ok := byteValue(p); ok {
		return string([]byte{b})
	}
	return p
}

// DecodeAll returns the text of a token sequence.
func (t *Tokenizer) DecodeAll(toks []int) string {
	var sb strings.Builder
	prev := -1
	for _, tok := range toks {
		if tok == t.BOS || tok == t.EOS {
			prev = tok
			continue
		}
		sb.WriteString(t.Decode(prev, tok))
		prev = tok
	}
	return sb.String()
}

// Text returns the text token tok stands for: its piece, or the raw byte
// of a byte-fallback piece. Control tokens (BOS, EOS) have no text.
func (t *Tokenizer) Text(tok int) string {
	if tok < 0 || tok >= len(t.Pieces) || tok == t.BOS || tok == t.EOS {
		return ""
	}
	p := t.Pieces[tok]
	if b, ok := byteValue(p); ok {
		return string([]byte{b})
	}
	return p
}
