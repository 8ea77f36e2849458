package screen

import (
	"strings"
	"unicode/utf8"
)

// The number detectors share one byte scanner. Chinese text is almost all
// three-byte runes, none of which contains an ASCII digit, so the scanner
// looks eight bytes at a time for an ASCII digit or the 0xEF lead byte of a
// full-width digit, and only then reads the surrounding token. Every
// candidate is validated (check digit, date, Luhn, area code) before it
// becomes a finding: regular expressions would be slower and could not check
// digits anyway.

// token is a maximal run of ASCII or full-width letters and digits.
type token struct {
	start, end int      // byte span in the text
	n          int      // characters
	digits     int      // of which digits
	norm       [24]byte // the characters as upper-case ASCII (first 24)
}

func (t *token) allDigits() bool { return t.digits == t.n }

// str returns the normalised characters (at most 24).
func (t *token) str() string { return string(t.norm[:min(t.n, len(t.norm))]) }

const (
	lo8 = 0x0101010101010101
	hi8 = 0x8080808080808080
)

// nextDigit returns the byte offset of the first ASCII digit or full-width
// digit (EF BC 90–99) at or after i, or -1.
func nextDigit(s string, i int) int {
	from := i
	for i < len(s) {
		if i+17 <= len(s) && i >= 1 {
			// Two words per round: the loop runs at memory speed on
			// Chinese text, where a hit is one word in dozens.
			if !wordHit(load64(s, i), load64(s, i-1)) && !wordHit(load64(s, i+8), load64(s, i+7)) {
				i += 16
				continue
			}
		}
		end := min(i+16, len(s))
		for ; i < end; i++ {
			b := s[i]
			if b-'0' < 10 {
				return i
			}
			if b-0x90 < 10 && i-2 >= from && s[i-1] == 0xBC && s[i-2] == 0xEF {
				return i - 2
			}
		}
	}
	return -1
}

func load64(s string, i int) uint64 {
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// wordHit reports whether the eight bytes w may hold an ASCII digit or the
// last byte of a full-width digit; prev is the same eight bytes shifted by
// one, so lane k of prev is the byte before lane k of w. False positives are
// fine (the byte loop decides), false negatives are not.
func wordHit(w, prev uint64) bool {
	// A lane holds an ASCII digit when, its top bit clear, adding 0x50
	// carries into the top bit but adding 0x46 does not.
	x := w &^ hi8
	dig := (x + 0x5050505050505050) &^ (x + 0x4646464646464646) &^ w
	// The same test for 0x90–0x99 on the bytes with the top bit flipped.
	v := w ^ hi8
	y := v &^ hi8
	tail := (y + 0x7070707070707070) &^ (y + 0x6666666666666666) &^ v
	// … and the byte before it is 0xBC (a zero lane of prev^0xBC…BC).
	e := prev ^ 0xBCBCBCBCBCBCBCBC
	bc := (e - lo8) &^ e
	return (dig|tail&bc)&hi8 != 0
}

func isASCIIAlnum(b byte) bool {
	return b-'0' < 10 || (b|0x20)-'a' < 26
}

// fullAlnum returns the ASCII upper-case form of the full-width letter or
// digit encoded by 0xEF b1 b2, or 0.
func fullAlnum(b1, b2 byte) byte {
	switch {
	case b1 == 0xBC && b2-0x90 < 10:
		return '0' + (b2 - 0x90)
	case b1 == 0xBC && b2-0xA1 < 26:
		return 'A' + (b2 - 0xA1)
	case b1 == 0xBD && b2-0x81 < 26:
		return 'A' + (b2 - 0x81)
	}
	return 0
}

// readToken reads the token starting at byte i.
func readToken(s string, i int) token {
	t := token{start: i}
	for i < len(s) {
		b := s[i]
		var c byte
		w := 1
		switch {
		case isASCIIAlnum(b):
			c = b
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
		case b == 0xEF && i+2 < len(s):
			c = fullAlnum(s[i+1], s[i+2])
			w = 3
		}
		if c == 0 {
			break
		}
		if t.n < len(t.norm) {
			t.norm[t.n] = c
		}
		t.n++
		if c-'0' < 10 {
			t.digits++
		}
		i += w
	}
	t.end = i
	return t
}

// tokenStart steps back from byte p over letters and digits, not before floor.
func tokenStart(s string, p, floor int) int {
	for p > floor {
		if isASCIIAlnum(s[p-1]) {
			p--
			continue
		}
		if p-3 >= floor && s[p-3] == 0xEF && fullAlnum(s[p-2], s[p-1]) != 0 {
			p -= 3
			continue
		}
		break
	}
	return p
}

// sepAt returns the width of a group separator at byte i (space, hyphen,
// full-width hyphen) and its kind, or 0.
func sepAt(s string, i int) (width int, kind byte) {
	if i >= len(s) {
		return 0, 0
	}
	switch s[i] {
	case ' ':
		return 1, ' '
	case '-':
		return 1, '-'
	case 0xEF:
		if strings.HasPrefix(s[i:], "－") {
			return 3, '-'
		}
	}
	return 0, 0
}

// digitTokenAt reads an all-digit token at byte i, if there is one.
func digitTokenAt(s string, i int) (token, bool) {
	if i >= len(s) {
		return token{}, false
	}
	t := readToken(s, i)
	return t, t.n > 0 && t.allDigits()
}

// scanNumbers runs the enabled number detectors over text.
func (sc *Screener) scanNumbers(text string, hits []hit) []hit {
	floor := 0
	for i := 0; ; {
		p := nextDigit(text, i)
		if p < 0 {
			return hits
		}
		t := readToken(text, tokenStart(text, p, floor))
		var end int
		hits, end = sc.numberAt(text, &t, hits)
		floor, i = end, end
	}
}

// numberAt examines the token t (which contains a digit) and what follows
// it; it returns the hits and the byte offset where scanning resumes.
func (sc *Screener) numberAt(text string, t *token, hits []hit) ([]hit, int) {
	if t.allDigits() {
		if h, ok := sc.grouped(text, t); ok {
			return append(hits, h), h.be
		}
	}
	if h, ok := sc.single(text, t); ok {
		return append(hits, h), max(h.be, t.end)
	}
	return hits, t.end
}

// grouped recognises numbers written in groups: 010-12345678,
// (010)12345678, 138 0013 8000, 6222 0212 3456 7890 123.
func (sc *Screener) grouped(text string, t *token) (hit, bool) {
	n0 := t.n
	g0 := t.str()
	if sc.on[KindLandline] && (n0 == 3 || n0 == 4) && areaCode(g0) {
		// (010)12345678 and （010） 12345678
		open, close := openParen(text, t.start), 0
		if open > 0 {
			close = closeParen(text, t.end)
		}
		j := t.end
		if open > 0 && close > 0 {
			j += close
			if j < len(text) && text[j] == ' ' {
				j++
			}
			if l, ok := digitTokenAt(text, j); ok && localNumber(&l) {
				return hit{kind: KindLandline, bs: t.start - open, be: l.end}, true
			}
		} else if w, _ := sepAt(text, j); w > 0 && open == 0 {
			if l, ok := digitTokenAt(text, j+w); ok && localNumber(&l) {
				return hit{kind: KindLandline, bs: t.start, be: l.end}, true
			}
		}
	}
	w, sep := sepAt(text, t.end)
	if w == 0 {
		return hit{}, false
	}
	// Collect up to five groups joined by the same separator.
	var groups [5]token
	groups[0] = *t
	ng := 1
	for j := t.end; ng < len(groups); {
		w2, sep2 := sepAt(text, j)
		if w2 == 0 || sep2 != sep {
			break
		}
		g, ok := digitTokenAt(text, j+w2)
		if !ok {
			break
		}
		groups[ng] = g
		ng++
		j = g.end
	}
	if sc.on[KindMobile] && ng >= 3 && groups[0].n == 3 && groups[1].n == 4 && groups[2].n == 4 &&
		mobilePrefix(groups[0].norm[0], groups[0].norm[1]) {
		return hit{kind: KindMobile, bs: t.start, be: groups[2].end}, true
	}
	if sc.on[KindBankCard] && ng >= 4 {
		var digits [24]byte
		nd := 0
		last := 0
		for k := 0; k < ng && nd < 19; k++ {
			g := &groups[k]
			if g.n != 4 && !(k >= 4 && g.n <= 3) || nd+g.n > 19 {
				break
			}
			nd += copy(digits[nd:], g.norm[:g.n])
			last = k
			if g.n != 4 {
				break
			}
		}
		if nd >= 16 && luhn(digits[:nd]) && bankContext(text, t.start, groups[last].end) {
			return hit{kind: KindBankCard, bs: t.start, be: groups[last].end}, true
		}
	}
	return hit{}, false
}

// single recognises a number written as one token.
func (sc *Screener) single(text string, t *token) (hit, bool) {
	if t.n > len(t.norm) {
		return hit{}, false
	}
	d := t.norm[:t.n]
	h := hit{bs: t.start, be: t.end}
	switch {
	case t.n == 18 && sc.on[KindIDCard] && id18(d):
		h.kind = KindIDCard
	case t.n == 18 && sc.on[KindCreditCode] && creditCode(d):
		h.kind = KindCreditCode
	case !t.allDigits():
		return hit{}, false
	case t.n == 15 && sc.on[KindIDCard] && id15(d):
		h.kind = KindIDCard
	case t.n == 11 && sc.on[KindMobile] && mobilePrefix(d[0], d[1]):
		h.kind = KindMobile
	case t.n == 13 && sc.on[KindMobile] && d[0] == '8' && d[1] == '6' && mobilePrefix(d[2], d[3]) && plusBefore(text, t.start) > 0:
		h.kind = KindMobile
		h.bs -= plusBefore(text, t.start)
	case t.n >= 16 && t.n <= 19 && sc.on[KindBankCard] && luhn(d) && bankContext(text, t.start, t.end):
		h.kind = KindBankCard
	default:
		return hit{}, false
	}
	return h, true
}

func mobilePrefix(a, b byte) bool { return a == '1' && b >= '3' && b <= '9' }

// areaCode accepts 010 and 020–029 (three digits) and 0[3-9]xx (four).
func areaCode(g string) bool {
	if g[0] != '0' {
		return false
	}
	if len(g) == 3 {
		return g[1] == '1' && g[2] == '0' || g[1] == '2'
	}
	return g[1] >= '3'
}

// localNumber accepts seven or eight digits not starting with 0 (which
// would be another area code). Real local numbers avoid a leading 1 as well,
// but documents use 010-12345678 as the very example of a phone number.
func localNumber(t *token) bool {
	return (t.n == 7 || t.n == 8) && t.norm[0] != '0'
}

// openParen returns the width of “(” or “（” just before byte i, or 0.
func openParen(s string, i int) int {
	switch {
	case i >= 1 && s[i-1] == '(':
		return 1
	case strings.HasSuffix(s[:i], "（"):
		return len("（")
	}
	return 0
}

// closeParen returns the width of “)” or “）” at byte i, or 0.
func closeParen(s string, i int) int {
	switch {
	case i < len(s) && s[i] == ')':
		return 1
	case strings.HasPrefix(s[i:], "）"):
		return len("）")
	}
	return 0
}

// plusBefore returns the width of “+” or “＋” just before byte i, or 0.
func plusBefore(s string, i int) int {
	switch {
	case i >= 1 && s[i-1] == '+':
		return 1
	case strings.HasSuffix(s[:i], "＋"):
		return len("＋")
	}
	return 0
}

// provinces holds the first two digits of real administrative division codes
// (GB/T 2260): a number starting with 00 or 99 is not an ID number.
var provinces = func() (p [100]bool) {
	for _, c := range []int{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
		41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82} {
		p[c] = true
	}
	return p
}()

func num(d []byte) int {
	n := 0
	for _, c := range d {
		n = n*10 + int(c-'0')
	}
	return n
}

func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// id18 validates an 18-character 居民身份证号 (GB 11643-1999): region
// prefix, birth date between 1900 and 2099, and the ISO 7064 MOD 11-2
// check character. d holds upper-case ASCII.
func id18(d []byte) bool {
	sum := 0
	for i := range 17 {
		if d[i]-'0' >= 10 {
			return false
		}
		sum += int(d[i]-'0') * idWeights[i]
	}
	if "10X98765432"[sum%11] != d[17] {
		return false
	}
	y := num(d[6:10])
	return provinces[num(d[0:2])] && y >= 1900 && y <= 2099 && validDate(y, num(d[10:12]), num(d[12:14]))
}

// id15 validates a first-generation 15-digit number: region prefix and a
// yymmdd birth date in the 1900s (the old numbers stopped being issued in
// 2004 and held no century).
func id15(d []byte) bool {
	return provinces[num(d[0:2])] && validDate(1900+num(d[6:8]), num(d[8:10]), num(d[10:12]))
}

// luhn reports whether the digits pass the Luhn check used by bank cards.
func luhn(d []byte) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// bankWords are the words that make a Luhn-valid digit run a bank card: on
// its own a 16-digit number is as likely an order or file number.
var bankWords = []string{"卡号", "账号", "帐号", "银行", "开户"}

// bankContextRunes is the window, in characters on each side, searched for
// a bank word: wide enough for “开户银行：中国工商银行北京分行 账号：”.
const bankContextRunes = 24

func bankContext(s string, bs, be int) bool {
	lo := bs
	for k := 0; k < bankContextRunes && lo > 0; k++ {
		_, w := utf8.DecodeLastRuneInString(s[:lo])
		lo -= w
	}
	hi := be
	for k := 0; k < bankContextRunes/2 && hi < len(s); k++ {
		_, w := utf8.DecodeRuneInString(s[hi:])
		hi += w
	}
	for _, w := range bankWords {
		if strings.Contains(s[lo:bs], w) || strings.Contains(s[be:hi], w) {
			return true
		}
	}
	return false
}

// creditAlphabet is the character set of the 统一社会信用代码 (GB 32100-2015):
// digits and upper-case letters without I, O, Z, S, V; a character's value
// is its index.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditValue = func() (v [256]int8) {
	for i := range v {
		v[i] = -1
	}
	for i := range len(creditAlphabet) {
		v[creditAlphabet[i]] = int8(i)
	}
	return v
}()

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// creditCode validates an 18-character 统一社会信用代码: registering
// authority code, a six-digit division code with a real province (or 10 for
// central bodies), and the MOD 31 check character. Without the structural
// checks one random 18-character code in 31 would pass.
func creditCode(d []byte) bool {
	if strings.IndexByte("123456789ANY", d[0]) < 0 {
		return false
	}
	for _, c := range d[2:8] {
		if c-'0' >= 10 {
			return false
		}
	}
	if p := num(d[2:4]); !provinces[p] && p != 10 {
		return false
	}
	sum := 0
	for i := range 17 {
		v := creditValue[d[i]]
		if v < 0 {
			return false
		}
		sum += int(v) * creditWeights[i]
	}
	c := (31 - sum%31) % 31
	return creditAlphabet[c] == d[17]
}
