package screen

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"qianfa/review"
)

// RedactionMark replaces each code point of a confirmed finding.
const RedactionMark = review.RedactionMark

// Redact returns text with every confirmed finding blacked out, one ■ per
// code point so that the layout and the length of the text survive.
//
// Each finding is redacted at its offsets when they still hold its text,
// and every other occurrence of its text is redacted too, including ones
// written with spaces between the characters: the same ID number quoted
// twice must not survive once, and CheckClean, which export runs, would
// refuse the result.
func Redact(text string, findings []Finding) string {
	spans := occurrences(text, findings)
	spans = append(spans, atOffsets(text, findings)...)
	if len(spans) == 0 {
		return text
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	var b strings.Builder
	b.Grow(len(text) + len(spans)*8)
	pos := 0
	for _, sp := range spans {
		bs, be := max(sp[0], pos), sp[1]
		if bs >= be {
			continue
		}
		b.WriteString(text[pos:bs])
		for range utf8.RuneCountInString(text[bs:be]) {
			b.WriteRune(RedactionMark)
		}
		pos = be
	}
	b.WriteString(text[pos:])
	return b.String()
}

// atOffsets returns the byte spans of the findings whose offsets still hold
// their text; stale ones are covered by the search for occurrences.
func atOffsets(text string, findings []Finding) [][2]int {
	sorted := make([]Finding, 0, len(findings))
	for _, f := range findings {
		if f.Start >= 0 && f.End > f.Start {
			sorted = append(sorted, f)
		}
	}
	slices.SortFunc(sorted, func(a, b Finding) int { return a.Start - b.Start })
	var spans [][2]int
	pos, runes := 0, 0
	for _, f := range sorted {
		// Walk forward to f.Start; findings are few, the walk is linear.
		for runes < f.Start && pos < len(text) {
			_, w := utf8.DecodeRuneInString(text[pos:])
			pos += w
			runes++
		}
		if runes != f.Start {
			break
		}
		end, n := pos, runes
		for n < f.End && end < len(text) {
			_, w := utf8.DecodeRuneInString(text[end:])
			end += w
			n++
		}
		if n == f.End && text[pos:end] == f.Text {
			spans = append(spans, [2]int{pos, end})
		}
	}
	return spans
}

// occurrences finds every occurrence of the findings' texts in text, by
// normal form (full-width folded, spaces stepped over).
func occurrences(text string, findings []Finding) [][2]int {
	terms := make([]string, 0, len(findings))
	payloads := make([]int, 0, len(findings))
	for i, f := range findings {
		if normalize(f.Text) != "" {
			terms = append(terms, f.Text)
			payloads = append(payloads, i)
		}
	}
	if len(terms) == 0 {
		return nil
	}
	var spans [][2]int
	m := newMatcher(terms, payloads, false)
	m.scan(text, func(p, bs, be int) {
		spans = append(spans, [2]int{bs, be})
	})
	return spans
}

// CheckClean returns an error naming the confirmed findings whose text is
// still present in text, however spaced or written in full-width
// characters. Export calls it on the revision it packages, so that nothing
// the confidentiality reviewer confirmed leaves the office.
func CheckClean(text string, confirmed []Finding) error {
	terms := make([]string, 0, len(confirmed))
	payloads := make([]int, 0, len(confirmed))
	for i, f := range confirmed {
		if normalize(f.Text) != "" {
			terms = append(terms, f.Text)
			payloads = append(payloads, i)
		}
	}
	if len(terms) == 0 {
		return nil
	}
	found := make([]bool, len(confirmed))
	count := 0
	newMatcher(terms, payloads, false).scan(text, func(p, bs, be int) {
		if !found[p] {
			found[p] = true
			count++
		}
	})
	if count == 0 {
		return nil
	}
	var names []string
	seen := map[string]bool{}
	for i, f := range confirmed {
		key := normalize(f.Text)
		if found[i] && !seen[key] {
			seen[key] = true
			names = append(names, fmt.Sprintf("%s“%s”", f.Kind.Label(), f.Text))
		}
	}
	const shown = 5
	more := ""
	if len(names) > shown {
		more = fmt.Sprintf("等%d项", len(names))
		names = names[:shown]
	}
	return review.Errorf(review.EINVALID,
		"文本中仍有已确认须删除的内容：%s%s。请先完成遮盖（删除）处理，再导出。",
		strings.Join(names, "、"), more)
}
