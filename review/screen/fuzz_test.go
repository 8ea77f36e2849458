package screen

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzScan feeds the detectors arbitrary text: no panic, every finding
// within the text with Text equal to the code points it covers, and
// redacting everything leaves nothing for CheckClean to find.
func FuzzScan(f *testing.F) {
	id := makeID("110101", "19900307", "123")
	for _, seed := range []string{
		"",
		"秘密★1年\n正文",
		"身份证" + id + "手机13800138000",
		"卡号" + makeLuhn("622202123456789") + " 6222 0212 3456 7890",
		"(010)12345678 （0755）1234567 010-12345678",
		"a@b.cn @@ x@y",
		"张 三　丰 天河工程 内部资料",
		fullWidth(id) + "＋8613800138000",
		makeCredit("91110000600037341"),
		"\xff\xfe\xef\xbc",
		"1\xef\xbc\x91\xef\xbc",
	} {
		f.Add(seed)
	}
	s := New(Config{
		Keywords: []KeywordList{{Name: "k", Ground: Art15, Terms: []string{"张三丰", "天河", "ab", "1"}}},
		Allow:    []string{"天河工程"},
	})
	f.Fuzz(func(t *testing.T, text string) {
		fs := s.Scan(text)
		n := utf8.RuneCountInString(text)
		for i, fd := range fs {
			if fd.Start < 0 || fd.Start >= fd.End || fd.End > n {
				t.Fatalf("finding %d %s at [%d,%d) outside [0,%d)", i, fd.Kind, fd.Start, fd.End, n)
			}
			if i > 0 && fs[i-1].Start > fd.Start {
				t.Fatalf("findings not sorted by start")
			}
			if got := runeSlice(text, fd.Start, fd.End); got != fd.Text {
				t.Fatalf("finding %s [%d,%d): Text %q, text has %q", fd.Kind, fd.Start, fd.End, fd.Text, got)
			}
			if fd.Fingerprint == "" || !fd.Ground.Valid() {
				t.Fatalf("finding without fingerprint or ground: %+v", fd)
			}
		}
		_ = CheckImportable(text)
		if !utf8.ValidString(text) || strings.ContainsRune(text, RedactionMark) {
			return
		}
		out := Redact(text, fs)
		if utf8.RuneCountInString(out) != n {
			t.Fatalf("Redact changed the length")
		}
		if err := CheckClean(out, fs); err != nil {
			t.Fatalf("CheckClean after Redact: %v", err)
		}
	})
}

// runeSlice returns the code points [start, end) of s, counting each invalid
// byte as one code point, as ranging over a string does.
func runeSlice(s string, start, end int) string {
	bs, k := -1, 0
	for i := range s {
		if k == start {
			bs = i
		}
		if k == end {
			return s[bs:i]
		}
		k++
	}
	if k == end && bs >= 0 {
		return s[bs:]
	}
	return "<out of range>"
}
