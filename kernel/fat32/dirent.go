package fat32

import (
	"encoding/binary"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/burrow-os/burrow/kernel/abi/linux"
)

// Attribute bits of a directory entry (DIR_Attr, spec section 6).
const (
	attrReadOnly = 0x01
	attrHidden   = 0x02
	attrSystem   = 0x04
	attrVolumeID = 0x08
	attrDir      = 0x10
	attrArchive  = 0x20
	attrLongName = attrReadOnly | attrHidden | attrSystem | attrVolumeID // an LFN slot
)

// Case bits in DIR_NTRes (a Windows NT extension Linux reads and writes):
// the short name's base or extension is shown in lower case. They let
// "config.txt" live in one entry without a long name.
const (
	ntLowerBase = 0x08
	ntLowerExt  = 0x10
)

// Markers in a slot's first byte.
const (
	slotEnd  = 0x00 // this slot and all after it are free
	slotFree = 0xe5 // a deleted entry
	slotE5   = 0x05 // a name whose first byte really is 0xe5
)

const slotSize = 32

// dirent is one 32-byte short directory entry.
type dirent struct {
	name       [11]byte // 8 characters of base, 3 of extension, space padded
	attr       byte
	ntres      byte
	ctimeTenth byte   // DIR_CrtTimeTenth: 0..199 hundredths of a second
	ctime      uint16 // DIR_CrtTime
	cdate      uint16 // DIR_CrtDate
	adate      uint16 // DIR_LstAccDate
	cluster    uint32 // DIR_FstClusHI << 16 | DIR_FstClusLO
	mtime      uint16 // DIR_WrtTime
	mdate      uint16 // DIR_WrtDate
	size       uint32 // DIR_FileSize
}

func decodeDirent(b []byte) dirent {
	le := binary.LittleEndian
	var d dirent
	copy(d.name[:], b[0:11])
	d.attr, d.ntres, d.ctimeTenth = b[11], b[12], b[13]
	d.ctime, d.cdate, d.adate = le.Uint16(b[14:]), le.Uint16(b[16:]), le.Uint16(b[18:])
	d.cluster = uint32(le.Uint16(b[20:]))<<16 | uint32(le.Uint16(b[26:]))
	d.mtime, d.mdate, d.size = le.Uint16(b[22:]), le.Uint16(b[24:]), le.Uint32(b[28:])
	return d
}

func (d *dirent) encode(b []byte) {
	le := binary.LittleEndian
	copy(b[0:11], d.name[:])
	b[11], b[12], b[13] = d.attr, d.ntres, d.ctimeTenth
	le.PutUint16(b[14:], d.ctime)
	le.PutUint16(b[16:], d.cdate)
	le.PutUint16(b[18:], d.adate)
	le.PutUint16(b[20:], uint16(d.cluster>>16))
	le.PutUint16(b[22:], d.mtime)
	le.PutUint16(b[24:], d.mdate)
	le.PutUint16(b[26:], uint16(d.cluster))
	le.PutUint32(b[28:], d.size)
}

func (d *dirent) isDir() bool { return d.attr&attrDir != 0 }

// shortName is the entry's 8.3 name as Linux shows it: "CONFIG.TXT", or
// "config.txt" with the NT case bits.
func (d *dirent) shortName() string {
	base := strings.TrimRight(string(oem(d.name[:8])), " ")
	ext := strings.TrimRight(string(oem(d.name[8:])), " ")
	if d.ntres&ntLowerBase != 0 {
		base = strings.ToLower(base)
	}
	if d.ntres&ntLowerExt != 0 {
		ext = strings.ToLower(ext)
	}
	if ext == "" {
		return base
	}
	return base + "." + ext
}

// cp850 is what bytes 0x80 to 0xFF of a short name mean in code page 850
// (IBM's Multilingual Latin-1), which mtools and fsck.vfat assume.
var cp850 = []rune("ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0")

// oem decodes short-name bytes from code page 850.
func oem(b []byte) []rune {
	r := make([]rune, len(b))
	for i, c := range b {
		if i == 0 && c == slotE5 {
			c = 0xe5
		}
		if r[i] = rune(c); c >= 0x80 {
			r[i] = cp850[c-0x80]
		}
	}
	return r
}

// checksum is the long-name checksum of an 11-byte short name (spec
// section 7.2): rotate right by one bit, add the next byte.
func checksum(name [11]byte) byte {
	var sum byte
	for _, c := range name {
		sum = (sum>>1 | sum<<7) + c
	}
	return sum
}

// lfnChars is how many UTF-16 characters one long-name slot holds, and
// lfnOffsets where they sit in the slot (5 + 6 + 2).
const lfnChars = 13

var lfnOffsets = [lfnChars]int{1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30}

// lfnSlots encodes name as long-name slots in disk order: the last part
// (ordinal n with the 0x40 flag) first, ordinal 1 last, right before the
// short entry whose checksum they carry. The name ends with a 0x0000 and
// is padded with 0xFFFF.
func lfnSlots(name string, sum byte) [][slotSize]byte {
	u := utf16.Encode([]rune(name))
	n := (len(u) + lfnChars - 1) / lfnChars
	slots := make([][slotSize]byte, n)
	for i := range n {
		s := &slots[n-1-i]
		s[0] = byte(i + 1)
		if i == n-1 {
			s[0] |= 0x40
		}
		s[11], s[13] = attrLongName, sum
		for j, off := range lfnOffsets {
			k := i*lfnChars + j
			c := uint16(0xffff)
			switch {
			case k < len(u):
				c = u[k]
			case k == len(u):
				c = 0
			}
			binary.LittleEndian.PutUint16(s[off:], c)
		}
	}
	return slots
}

// lfnPart decodes the characters of one long-name slot, stopping at the
// 0x0000 terminator.
func lfnPart(s []byte) []uint16 {
	var u []uint16
	for _, off := range lfnOffsets {
		c := binary.LittleEndian.Uint16(s[off:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return u
}

// checkName rejects names FAT cannot store: characters Windows forbids,
// control characters, a trailing dot or space (Windows would drop them),
// more than 255 UTF-16 characters.
func checkName(name string) error {
	if name == "" || name == "." || name == ".." {
		return linux.EINVAL
	}
	if strings.ContainsAny(name, "\"*/:<>?\\|") || strings.HasSuffix(name, ".") || strings.HasSuffix(name, " ") {
		return linux.EINVAL
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return linux.EINVAL
		}
	}
	if len(utf16.Encode([]rune(name))) > 255 {
		return linux.ENAMETOOLONG
	}
	return nil
}

// shortChar reports whether c may appear in a short name (spec 6.1:
// upper-case letters, digits, and $ % ' - _ @ ~ ` ! ( ) { } ^ # &).
func shortChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("$%'-_@~`!(){}^#&", c) >= 0
}

// fitsShort returns the 8.3 entry name and case bits for a name that needs
// no long name: base of 1 to 8 and extension of 0 to 3 short-name
// characters, each part all upper or all lower case.
func fitsShort(name string) (short [11]byte, ntres byte, ok bool) {
	base, ext, _ := strings.Cut(name, ".")
	if len(base) < 1 || len(base) > 8 || len(ext) > 3 || strings.Contains(ext, ".") ||
		(strings.Contains(name, ".") && ext == "") {
		return short, 0, false
	}
	part := func(s string, dst []byte, lowerBit byte) bool {
		lower, upper := false, false
		for i := range len(s) {
			c := s[i]
			switch {
			case c >= 'a' && c <= 'z':
				lower, c = true, c-'a'+'A'
			case c >= 'A' && c <= 'Z':
				upper = true
			}
			if !shortChar(c) {
				return false
			}
			dst[i] = c
		}
		if lower {
			ntres |= lowerBit
		}
		return !(lower && upper)
	}
	copy(short[:], "           ")
	if !part(base, short[:8], ntLowerBase) || !part(ext, short[8:], ntLowerExt) {
		return short, 0, false
	}
	return short, ntres, true
}

// makeShort generates the short name stored beside a long one, as Windows
// and Linux do: upper case, leading dots and spaces dropped, other
// characters not allowed in short names as '_', the base cut to leave
// room for a numeric tail "~N" (the lowest N that taken says is free),
// and the extension cut to 3.
func makeShort(name string, taken func([11]byte) bool) ([11]byte, error) {
	clean := func(s string) string {
		var b strings.Builder
		for _, r := range strings.ToUpper(s) {
			switch {
			case r == ' ' || r == '.':
			case r < 0x80 && shortChar(byte(r)):
				b.WriteRune(r)
			default:
				b.WriteByte('_')
			}
		}
		return b.String()
	}
	trimmed := strings.TrimLeft(name, ". ")
	base, ext := trimmed, ""
	if i := strings.LastIndexByte(trimmed, '.'); i >= 0 {
		base, ext = trimmed[:i], trimmed[i+1:]
	}
	base, ext = clean(base), clean(ext)
	if base == "" {
		base = "_"
	}
	if len(ext) > 3 {
		ext = ext[:3]
	}
	for n := 1; n < 1000000; n++ {
		tail := "~" + strconv.Itoa(n)
		b := base
		if len(b) > 8-len(tail) {
			b = b[:8-len(tail)]
		}
		var short [11]byte
		copy(short[:], "           ")
		copy(short[:8], b+tail)
		copy(short[8:], ext)
		if !taken(short) {
			return short, nil
		}
	}
	return [11]byte{}, linux.ENOSPC
}

// FAT timestamps (spec 6.1) are local time with 2-second resolution:
// date = (year-1980)<<9 | month<<5 | day, time = hour<<11 | minute<<5 |
// second/2. Burrow's clock is UTC, so that is what it stores.
func fatTime(t time.Time) (date, clock uint16, tenth byte) {
	t = t.UTC()
	if t.Year() < 1980 {
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if t.Year() > 2107 {
		t = time.Date(2107, 12, 31, 23, 59, 58, 0, time.UTC)
	}
	date = uint16(t.Year()-1980)<<9 | uint16(t.Month())<<5 | uint16(t.Day())
	clock = uint16(t.Hour())<<11 | uint16(t.Minute())<<5 | uint16(t.Second()/2)
	tenth = byte(t.Second()%2*100 + t.Nanosecond()/10_000_000)
	return date, clock, tenth
}

// goTime decodes a FAT date and time; a zero or invalid date is the epoch
// of FAT, 1980-01-01.
func goTime(date, clock uint16) time.Time {
	y, m, d := int(date>>9)+1980, time.Month(date>>5&15), int(date&31)
	if m < 1 || m > 12 || d < 1 {
		return time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(y, m, d, int(clock>>11), int(clock>>5&63), int(clock&31)*2, 0, time.UTC)
}
