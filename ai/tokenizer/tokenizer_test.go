package tokenizer

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// testVocab is a Llama-shaped vocabulary: <unk>, <s>, </s>, 256 byte
// pieces, then characters and merges with scores.
func testVocab(t *testing.T) *Tokenizer {
	pieces := []string{"<unk>", "<s>", "</s>"}
	for b := 0; b < 256; b++ {
		pieces = append(pieces, fmt.Sprintf("<0x%02X>", b))
	}
	scores := make([]float32, len(pieces))
	for _, p := range []struct {
		s     string
		score float32
	}{{" ", 0}, {"a", 0}, {"b", 0}, {"c", 0}, {"ab", 1}, {" ab", 2}, {"bc", 3}, {"é", 0}, {" c", 0.5}} {
		pieces = append(pieces, p.s)
		scores = append(scores, p.score)
	}
	tk, err := New(pieces, scores, 1, 2)
	require.NoError(t, err)
	return tk
}

func TestEncode(t *testing.T) {
	tk := testVocab(t)
	id := func(p string) int { i, ok := tk.Lookup(p); require.True(t, ok, p); return i }
	tests := []struct {
		text string
		want []int
	}{
		{"", []int{1}},
		{"ab", []int{1, id(" ab")}},
		// "bc" (3) beats "ab" (1): " a" has no piece, so " ", "a", "bc".
		{"abc", []int{1, id(" "), id("a"), id("bc")}},
		{"é", []int{1, id(" "), id("é")}},
		// '\n' is not a piece: byte fallback to <0x0A> = 3 + 10.
		{"a\n", []int{1, id(" "), id("a"), 13}},
		// "ü" is two bytes without a piece: two byte tokens.
		{"ü", []int{1, id(" "), 3 + 0xC3, 3 + 0xBC}},
	}
	for _, tt := range tests {
		if got := tk.Encode(tt.text, true, false); !equal(got, tt.want) {
			t.Errorf("Encode(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
	require.Equal(t, []int{id(" ab"), 2}, tk.Encode("ab", false, true), "Encode without BOS, with EOS")
}

func equal(a, b []int) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func TestDecodeRoundTrip(t *testing.T) {
	tk := testVocab(t)
	for _, s := range []string{"ab", "abc c", "é\nü", "cab ab"} {
		got := tk.DecodeAll(tk.Encode(s, true, true))
		if got != s {
			t.Errorf("DecodeAll(Encode(%q)) = %q, want %q", s, got, s)
		}
	}
}

func TestBinRoundTrip(t *testing.T) {
	tk := testVocab(t)
	var buf bytes.Buffer
	require.NoError(t, tk.WriteBin(&buf))
	back, err := ReadBin(bytes.NewReader(buf.Bytes()), tk.Len())
	require.NoError(t, err)
	require.Equal(t, tk.Pieces, back.Pieces)
	require.Equal(t, tk.Scores, back.Scores)
	require.Equal(t, tk.Encode("abc ab", true, false), back.Encode("abc ab", true, false))
}

func TestReadBinRejectsMalformed(t *testing.T) {
	tk := testVocab(t)
	var buf bytes.Buffer
	require.NoError(t, tk.WriteBin(&buf))
	good := buf.Bytes()
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "header"},
		{"truncated", good[:len(good)-1], "unexpected EOF"},
		{"bad max length", append([]byte{0, 0, 0, 0x80}, good[4:]...), "max_token_length"},
		{"long piece", func() []byte {
			b := append([]byte(nil), good...)
			b[8] = 0xff // length of token 0
			return b
		}(), "token 0 has length"},
	}
	for _, tt := range tests {
		_, err := ReadBin(bytes.NewReader(tt.data), tk.Len())
		if err == nil {
			t.Errorf("ReadBin(%s) = nil error, want %q", tt.name, tt.want)
			continue
		}
		require.ErrorContains(t, err, tt.want, tt.name)
	}
}

func FuzzReadBin(f *testing.F) {
	var buf bytes.Buffer
	tk, _ := New([]string{"<unk>", "<s>", "</s>", "a", "ab"}, []float32{0, 0, 0, 0, 1}, 1, 2)
	tk.WriteBin(&buf)
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		tk, err := ReadBin(bytes.NewReader(data), 5)
		if err == nil {
			tk.DecodeAll(tk.Encode("abba", true, true))
		}
	})
}
