package docimport

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

var (
	magicZip = []byte("PK\x03\x04")
	// magicOLE opens an OLE compound file: a Word 97-2003 .doc, or a .docx
	// that Word has encrypted with a password (it wraps the package in one).
	magicOLE = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	bomUTF8  = []byte{0xEF, 0xBB, 0xBF}
)

// sniffBinary refuses a text file whose content is an Office document, so
// that a .docx saved as .txt gets a message that tells the clerk what to do
// rather than "unknown encoding".
func sniffBinary(base string, data []byte) error {
	switch {
	case bytes.HasPrefix(data, magicZip):
		return invalid(base, "文件内容是 .docx 文档或压缩包，与扩展名不符；如果是 Word 文档，请把扩展名改为 .docx 后再导入。")
	case bytes.HasPrefix(data, magicOLE):
		return invalid(base, "文件内容是旧版 Office 文档或加密文件，不是纯文本；请在 Word 中取消密码并另存为 .docx 后再导入。")
	}
	return nil
}

// decodeText detects the encoding of a text file and returns its text as
// UTF-8. Order matters: a byte-order mark is a declaration and wins; valid
// UTF-8 is next, because GBK text is almost never valid UTF-8 while the
// reverse (UTF-8 read as GBK) often decodes to plausible nonsense; GB18030,
// the encoding of Chinese Windows' "ANSI" files, comes last and only when
// the bytes look like real Chinese text.
func decodeText(base string, data []byte) (text, encoding string, err error) {
	utf16 := bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF})
	// A NUL never occurs in a text a person wrote; it means a binary file
	// (an image, a PDF, an executable) carrying a text extension. UTF-16 is
	// full of NUL bytes and is checked once decoded.
	if !utf16 && bytes.IndexByte(data, 0) >= 0 {
		return "", "", errBinary(base)
	}
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		data = data[len(bomUTF8):]
		if !utf8.Valid(data) {
			return "", "", badEncoding(base)
		}
		text, encoding = string(data), EncodingUTF8
	case utf16:
		// Notepad's "Unicode" and "Unicode big endian". The BOM says which.
		if len(data)%2 != 0 {
			return "", "", badEncoding(base)
		}
		dec := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder()
		out, derr := dec.Bytes(data)
		if derr != nil {
			return "", "", invalidWrap(base, derr, "文件声明为 UTF-16 编码，但内容无法按 UTF-16 解读。")
		}
		encoding = EncodingUTF16LE
		if data[0] == 0xFE {
			encoding = EncodingUTF16BE
		}
		text = string(out)
	case utf8.Valid(data):
		text, encoding = string(data), EncodingUTF8
	default:
		s, ok := decodeGB18030(data)
		if !ok {
			return "", "", badEncoding(base)
		}
		text, encoding = s, EncodingGB18030
	}
	if strings.ContainsRune(text, 0) {
		return "", "", errBinary(base)
	}
	return text, encoding, nil
}

func errBinary(base string) error {
	return invalid(base, "文件含有二进制内容，不是纯文本文件。")
}

func badEncoding(base string) error {
	return invalid(base, "文件既不是 UTF-8 编码，也不是 GB18030/GBK 编码，无法识别其中的文字。请用记事本或 WPS 另存为 UTF-8 编码后再导入。")
}

// decodeGB18030 decodes data as GB18030 if it is well formed and plausible.
//
// Well formed is checked on the bytes, since the x/text decoder replaces bad
// sequences with U+FFFD instead of failing. Plausible means what real Chinese
// office text looks like: at least 80% of the two- and four-byte characters
// lie in the GB 2312 area (lead and trail byte both 0xA1 or above), where the
// everyday characters are. That rejects Big5 text and UTF-8 with a stray
// byte, which often also decode "cleanly" as GBK but mostly to rare
// characters. Then at least 95% of the decoded characters must be ASCII,
// CJK or the punctuation and symbols GB 2312 has.
func decodeGB18030(data []byte) (string, bool) {
	var multi, common int
	for i := 0; i < len(data); {
		b := data[i]
		if b < 0x80 {
			i++
			continue
		}
		if b == 0x80 || b == 0xFF || i+1 >= len(data) {
			return "", false
		}
		b2 := data[i+1]
		if b2 >= 0x30 && b2 <= 0x39 { // four-byte sequence
			if i+3 >= len(data) {
				return "", false
			}
			b3, b4 := data[i+2], data[i+3]
			if b3 < 0x81 || b3 == 0xFF || b4 < 0x30 || b4 > 0x39 {
				return "", false
			}
			multi++
			i += 4
			continue
		}
		if b2 < 0x40 || b2 == 0x7F || b2 == 0xFF {
			return "", false
		}
		multi++
		if b >= 0xA1 && b2 >= 0xA1 {
			common++
		}
		i += 2
	}
	if multi == 0 || common*10 < multi*8 {
		return "", false
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", false
	}
	var total, plausible int
	for _, r := range string(out) {
		if r == utf8.RuneError {
			return "", false
		}
		if unicode.IsSpace(r) {
			continue
		}
		total++
		if plausibleRune(r) {
			plausible++
		}
	}
	if plausible*100 < total*95 {
		return "", false
	}
	return string(out), true
}

// plausibleRune reports whether r is a character Chinese official text is
// made of: ASCII, CJK ideographs, and the punctuation, symbols, letters and
// kana that GB 2312 carries.
func plausibleRune(r rune) bool {
	switch {
	case r >= 0x20 && r < 0x7F:
	case r >= 0x00A0 && r <= 0x02FF: // Latin-1, pinyin letters
	case r >= 0x0370 && r <= 0x04FF: // Greek, Cyrillic (both in GB 2312)
	case r >= 0x2000 && r <= 0x27BF: // punctuation, ℃, Ⅻ, ①, arrows, ■, ★
	case r >= 0x2E80 && r <= 0x33FF: // radicals, CJK punctuation, kana, bopomofo, ㈠
	case r >= 0x3400 && r <= 0x4DBF: // CJK extension A
	case r >= 0x4E00 && r <= 0x9FFF: // CJK unified ideographs
	case r >= 0xF900 && r <= 0xFAFF: // CJK compatibility ideographs
	case r >= 0xFE30 && r <= 0xFE4F: // CJK compatibility forms
	case r >= 0xFF00 && r <= 0xFFEF: // full-width forms
	case r >= 0x20000 && r <= 0x3134F: // CJK extensions B–G
	default:
		return false
	}
	return true
}

// normalise gives text the form Doc.Text promises. The same text always
// normalises to the same bytes, which matters because a revision is
// identified by the hash of its text.
func normalise(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 1)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
			b.WriteByte('\n')
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029:
			// Word's manual line break pasted into text, page breaks, and
			// Unicode's line and paragraph separators all end a line.
			b.WriteByte('\n')
		case r < 0x20 || r == 0x7F || (r >= 0x80 && r < 0xA0) || r == 0xFEFF:
			// Other controls and byte-order marks carry no text; left in,
			// they would hide keyword matches and make equal texts differ.
		default:
			b.WriteRune(r)
		}
	}

	lines := strings.Split(b.String(), "\n")
	out := lines[:0]
	blank := true // true at the start, so leading blank lines are dropped
	for _, ln := range lines {
		ln = strings.TrimRightFunc(ln, unicode.IsSpace)
		if ln == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, ln)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n") + "\n"
}

// firstLine returns the first line of text that is not blank, trimmed.
func firstLine(text string) string {
	for ln := range strings.Lines(text) {
		if t := strings.TrimSpace(ln); t != "" {
			return t
		}
	}
	return ""
}

// clipTitle trims a title candidate, turns tabs into spaces and keeps at most
// MaxTitleRunes characters.
func clipTitle(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\t", " "))
	if utf8.RuneCountInString(s) <= MaxTitleRunes {
		return s
	}
	n := 0
	for i := range s {
		if n == MaxTitleRunes {
			return strings.TrimSpace(s[:i])
		}
		n++
	}
	return s
}
