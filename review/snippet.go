package review

import "strings"

// Snippet returns an excerpt of text around the first occurrence of query
// (case-insensitive for Latin letters), about width code points wide, and
// where each occurrence of query stands in it, for highlighting a result.
// With no occurrence it returns the start of the text.
func Snippet(text, query string, width int) (string, []Span) {
	r := []rune(text)
	q := []rune(strings.ToLower(strings.TrimSpace(query)))
	lower := []rune(strings.ToLower(text))
	if len(lower) != len(r) { // lowering changed the length: fall back to exact
		lower = r
	}
	first := -1
	if len(q) > 0 {
		first = indexRunes(lower, q, 0)
	}
	start := 0
	if first > width/3 {
		start = first - width/3
	}
	end := min(start+width, len(r))
	var spans []Span
	if len(q) > 0 {
		for i := indexRunes(lower[:end], q, start); i >= 0 && i+len(q) <= end; i = indexRunes(lower[:end], q, i+len(q)) {
			spans = append(spans, Span{Start: i - start, End: i - start + len(q)})
		}
	}
	s := strings.ReplaceAll(string(r[start:end]), "\n", " ")
	return s, spans
}

func indexRunes(s, sub []rune, from int) int {
	for i := from; i+len(sub) <= len(s); i++ {
		match := true
		for j := range sub {
			if s[i+j] != sub[j] {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}
