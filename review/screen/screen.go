package screen

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"qianfa/review"
)

// Finding is one thing in a text that may not be published.
type Finding struct {
	Kind Kind `json:"kind"`
	// Start and End delimit the finding in Unicode code points (not bytes)
	// of the text as scanned, End exclusive.
	Start int `json:"start"`
	End   int `json:"end"`
	// Text is exactly the scanned text's code points Start to End.
	Text string `json:"text"`
	// Context is a short excerpt around the finding for the list beside
	// the text, with line breaks flattened.
	Context string `json:"context"`
	// Ground is the 条例 article the finding relates to.
	Ground Ground `json:"ground"`
	// List names the keyword list that matched; empty for other kinds.
	List string `json:"list,omitempty"`
	// Fingerprint identifies the finding across revisions: it hashes the
	// detector, the normalised match and a little normalised context, but
	// not the offset, so a dismissal still applies when text is inserted
	// above. The same number in the same words elsewhere shares it, and
	// rightly shares the reviewer's decision.
	Fingerprint string `json:"fingerprint"`
}

// KeywordList is one of the office's lists of sensitive terms, all of one
// legal ground (an administrator keeps, say, a list of informants' names
// under art. 15 and a list of internal project code names under art. 16).
type KeywordList struct {
	Name   string
	Ground Ground
	Terms  []string
}

// Config is what a Screener is built from.
type Config struct {
	// Kinds enables detectors; nil enables all of them.
	Kinds []Kind
	// Keywords are matched when KindKeyword is enabled.
	Keywords []KeywordList
	// Allow lists terms and exact strings that are never findings: the
	// ministry's own published hotline, its public mailbox, a place name
	// that contains a listed surname. A finding is dropped when its text
	// equals an entry or lies inside an occurrence of one (both compared
	// after normalisation).
	Allow []string
}

// Screener runs the detectors. It is immutable after New and safe for
// concurrent use; build it once per configuration, since building the
// keyword automaton is the expensive part.
type Screener struct {
	on      map[Kind]bool
	m       *matcher // keywords, work-secret markings and allow entries; nil when none
	entries []entry
	allow   map[string]bool
	numbers bool
}

// entry is the payload of one automaton pattern.
type entry struct {
	kind   Kind
	ground Ground
	list   string
	allow  bool
}

// hit is a finding in bytes, before offsets and excerpts are worked out.
type hit struct {
	kind   Kind
	bs, be int
	ground Ground
	list   string
}

// New builds a Screener. Keyword terms are trimmed; blank ones and lists
// with an invalid ground are kept out (ParseKeywordList rejects them where
// the administrator can still fix them).
func New(cfg Config) *Screener {
	s := &Screener{on: map[Kind]bool{}, allow: map[string]bool{}}
	kinds := cfg.Kinds
	if kinds == nil {
		kinds = Kinds()
	}
	for _, k := range kinds {
		s.on[k] = true
	}
	for _, k := range NumberKinds() {
		s.numbers = s.numbers || s.on[k]
	}
	var terms []string
	var payloads []int
	add := func(term string, e entry) {
		terms = append(terms, term)
		payloads = append(payloads, len(s.entries))
		s.entries = append(s.entries, e)
	}
	if s.on[KindWorkSecret] {
		for _, t := range workSecretTerms {
			add(t, entry{kind: KindWorkSecret, ground: Art16})
		}
	}
	if s.on[KindKeyword] {
		for _, l := range cfg.Keywords {
			if !l.Ground.Valid() {
				continue
			}
			for _, t := range l.Terms {
				add(strings.TrimSpace(t), entry{kind: KindKeyword, ground: l.Ground, list: l.Name})
			}
		}
	}
	for _, a := range cfg.Allow {
		if n := normalize(a); n != "" {
			s.allow[n] = true
			add(a, entry{allow: true})
		}
	}
	if len(terms) > 0 {
		s.m = newMatcher(terms, payloads, true)
	}
	return s
}

// ParseKeywordList reads a keyword list file: one term a line, UTF-8 (a
// byte-order mark is tolerated), blank lines and lines starting with # are
// skipped. It refuses an invalid ground, since every list must say why its
// terms may not be published.
func ParseKeywordList(name string, ground Ground, r io.Reader) (KeywordList, error) {
	if !ground.Valid() {
		return KeywordList{}, review.Errorf(review.EINVALID,
			"关键词表“%s”须注明依据：条例第十四条、第十五条或第十六条。", name)
	}
	l := KeywordList{Name: name, Ground: ground}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		if line == 1 {
			t = strings.TrimPrefix(t, "\uFEFF")
		}
		if !utf8.ValidString(t) {
			return KeywordList{}, review.Errorf(review.EINVALID,
				"关键词表“%s”第%d行不是UTF-8编码的文本，请另存为UTF-8后重新导入。", name, line)
		}
		t = strings.TrimSpace(strings.Trim(t, "\u3000"))
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		l.Terms = append(l.Terms, t)
	}
	if err := sc.Err(); err != nil {
		return KeywordList{}, review.WrapError(review.EINVALID, fmt.Errorf("read keyword list: %w", err),
			"无法读取关键词表“%s”。", name)
	}
	return l, nil
}

// Scan runs the enabled detectors over text and returns the findings
// sorted by Start (then longest first).
func (s *Screener) Scan(text string) []Finding {
	var hits []hit
	if s.on[KindClassification] {
		hits = headMarkings(text, hits)
	}
	if s.numbers {
		hits = s.scanNumbers(text, hits)
	}
	if s.on[KindEmail] {
		hits = scanEmails(text, hits)
	}
	var allowed [][2]int
	if s.m != nil {
		s.m.scan(text, func(p, bs, be int) {
			e := &s.entries[p]
			switch {
			case e.allow:
				allowed = append(allowed, [2]int{bs, be})
			case e.kind == KindWorkSecret && !isMarkingLine(text, bs, be):
			default:
				hits = append(hits, hit{kind: e.kind, bs: bs, be: be, ground: e.ground, list: e.list})
			}
		})
	}
	hits = s.prune(text, hits, allowed)
	return findings(text, hits)
}

// prune sorts hits and drops those the reviewer should not see: allowed
// strings, duplicates (a term in two lists), keyword matches inside a longer
// keyword match, numbers inside an e-mail address.
func (s *Screener) prune(text string, hits []hit, allowed [][2]int) []hit {
	slices.SortFunc(hits, func(a, b hit) int {
		if a.bs != b.bs {
			return a.bs - b.bs
		}
		return b.be - a.be
	})
	inside := func(h hit, spans [][2]int) bool {
		for _, a := range spans {
			if a[0] <= h.bs && h.be <= a[1] {
				return true
			}
		}
		return false
	}
	var emails [][2]int
	for _, h := range hits {
		if h.kind == KindEmail {
			emails = append(emails, [2]int{h.bs, h.be})
		}
	}
	out := hits[:0]
	kwEnd := -1 // end of the furthest-reaching keyword kept so far
	for _, h := range hits {
		switch {
		case len(allowed) > 0 && inside(h, allowed):
			continue
		case len(s.allow) > 0 && s.allow[normalize(text[h.bs:h.be])]:
			continue
		case h.kind == KindKeyword && h.be <= kwEnd:
			continue
		case len(emails) > 0 && h.kind != KindEmail && h.kind != KindKeyword && inside(h, emails):
			continue
		}
		if h.kind == KindKeyword {
			kwEnd = max(kwEnd, h.be)
		}
		out = append(out, h)
	}
	return out
}

// findings turns byte hits, sorted by start, into findings with code-point
// offsets; counting runes once, incrementally, keeps this linear.
func findings(text string, hits []hit) []Finding {
	if len(hits) == 0 {
		return nil
	}
	out := make([]Finding, 0, len(hits))
	pos, runes := 0, 0
	for _, h := range hits {
		runes += utf8.RuneCountInString(text[pos:h.bs])
		pos = h.bs
		g := h.ground
		if g == 0 {
			g = h.kind.Ground()
		}
		t := text[h.bs:h.be]
		out = append(out, Finding{
			Kind:        h.kind,
			Start:       runes,
			End:         runes + utf8.RuneCountInString(t),
			Text:        t,
			Context:     excerpt(text, h.bs, h.be),
			Ground:      g,
			List:        h.list,
			Fingerprint: fingerprint(text, h),
		})
	}
	return out
}

// excerptRunes is how much context the finding list shows on each side.
const excerptRunes = 15

func excerpt(text string, bs, be int) string {
	lo, hi := bs, be
	for k := 0; k < excerptRunes && lo > 0; k++ {
		_, w := utf8.DecodeLastRuneInString(text[:lo])
		lo -= w
	}
	for k := 0; k < excerptRunes && hi < len(text); k++ {
		_, w := utf8.DecodeRuneInString(text[hi:])
		hi += w
	}
	var b strings.Builder
	if lo > 0 {
		b.WriteString("…")
	}
	b.WriteString(strings.Join(strings.Fields(text[lo:hi]), " "))
	if hi < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

// fingerprintRunes is the context folded into a fingerprint on each side:
// enough to tell the same number in different roles apart (申请人 versus
// 被申请人), little enough that edits elsewhere in the paragraph keep it.
const fingerprintRunes = 4

// fingerprint hashes the detector, the normalised match and the nearest
// normalised context. Spaces, digits and ■ are left out of the context so
// that reformatting and the redaction of a neighbouring finding do not
// change it; line breaks end it.
func fingerprint(text string, h hit) string {
	var before, after []rune
	for i := h.bs; i > 0 && len(before) < fingerprintRunes; {
		r, w := utf8.DecodeLastRuneInString(text[:i])
		i -= w
		if r == '\n' {
			break
		}
		if r = fold(r); contextRune(r) {
			before = append(before, r)
		}
	}
	slices.Reverse(before)
	for i := h.be; i < len(text) && len(after) < fingerprintRunes; {
		r, w := utf8.DecodeRuneInString(text[i:])
		i += w
		if r == '\n' {
			break
		}
		if r = fold(r); contextRune(r) {
			after = append(after, r)
		}
	}
	sum := sha256.Sum256([]byte(string(h.kind) + "\x00" + normalize(text[h.bs:h.be]) + "\x00" +
		string(before) + "\x00" + string(after)))
	return hex.EncodeToString(sum[:12])
}

func contextRune(r rune) bool {
	return !isSkip(r) && r != '\r' && r != '■' && !('0' <= r && r <= '9')
}
