package compare

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Level is the rank of a structural heading above the article.
type Level int

// Heading levels, from the largest division down.
const (
	LevelPart    Level = iota + 1 // 编
	LevelChapter                  // 章
	LevelSection                  // 节
)

// Heading is a 编, 章 or 节 heading line such as "第一章 总则".
type Heading struct {
	Level Level
	Num   int    // 1 for 第一章
	Title string // "总则"; inner spaces kept as written ("总 则")
	Text  string // the whole heading line, trimmed
	Line  int    // 1-based line in the source text
}

// Clause is one 款 of an article: a paragraph, with the 项 ("（一）…")
// lines that follow it.
type Clause struct {
	Text  string
	Items []string
}

// Article is one 条.
type Article struct {
	Num     int      // 103 for 第一百零三条
	Sub     int      // 1 for 第十条之一, else 0
	Label   string   // "第一百零三条", as written
	Clauses []Clause // the 款, the first one without the label
	Path    []string // enclosing headings' text, outermost first
	Line    int      // 1-based line of the label in the source
	Text    string   // label, a space, then the paragraphs joined by "\n"
	Body    string   // Text without the label: what alignment compares
}

// No returns the article number as written in tables and CSV: "103", or
// "10-1" for 第十条之一.
func (a *Article) No() string {
	if a.Sub > 0 {
		return strconv.Itoa(a.Num) + "-" + strconv.Itoa(a.Sub)
	}
	return strconv.Itoa(a.Num)
}

// Document is a parsed legal text.
type Document struct {
	// Preamble is the text before the first article (title, adoption
	// history, preamble), blank lines and headings left out.
	Preamble string
	Headings []Heading
	Articles []Article
}

// isBlankRune reports runes that only lay text out: Unicode spaces plus the
// zero-width space and BOM that documents exported from Word carry.
func isBlankRune(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '\u2060'
}

// trimBlank trims layout runes at both ends.
func trimBlank(s string) string { return strings.TrimFunc(s, isBlankRune) }

// Parse splits a legal text into preamble, headings and articles. It never
// fails: a text without articles is all preamble. An article starts only at
// the start of a paragraph with 第X条 (optionally 之Y) followed by a space,
// a full-width space, a tab or the end of the line, so a paragraph that
// merely begins by citing "第十条规定的…" is not mistaken for one.
func Parse(text string) *Document {
	text = normalizeNewlines(strings.ToValidUTF8(text, "\uFFFD"))
	doc := &Document{}
	var pre []string
	var cur *Article
	var path [3]string // 编, 章, 节 currently open
	flush := func() {
		if cur != nil {
			cur.Text, cur.Body = articleText(cur)
			doc.Articles = append(doc.Articles, *cur)
			cur = nil
		}
	}
	lineNo := 0
	for line := range strings.SplitSeq(text, "\n") {
		lineNo++
		t := trimBlank(line)
		if t == "" {
			continue
		}
		if h, ok := parseHeading(t); ok {
			flush()
			h.Line = lineNo
			doc.Headings = append(doc.Headings, h)
			path[h.Level-1] = h.Text
			for l := int(h.Level); l < len(path); l++ {
				path[l] = "" // a new chapter closes the previous one's 节
			}
			continue
		}
		if num, sub, label, rest, ok := parseArticleStart(t); ok {
			flush()
			cur = &Article{Num: num, Sub: sub, Label: label, Line: lineNo}
			for _, p := range path {
				if p != "" {
					cur.Path = append(cur.Path, p)
				}
			}
			cur.Clauses = append(cur.Clauses, Clause{Text: rest})
			continue
		}
		if cur == nil {
			pre = append(pre, t)
			continue
		}
		if isItem(t) && len(cur.Clauses) > 0 {
			c := &cur.Clauses[len(cur.Clauses)-1]
			c.Items = append(c.Items, t)
			continue
		}
		cur.Clauses = append(cur.Clauses, Clause{Text: t})
	}
	flush()
	doc.Preamble = strings.Join(pre, "\n")
	return doc
}

// articleText renders an article canonically: one paragraph per line, the
// label and first 款 separated by one space.
func articleText(a *Article) (text, body string) {
	var b strings.Builder
	for i, c := range a.Clauses {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(c.Text)
		for _, it := range c.Items {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(it)
		}
	}
	body = strings.TrimLeft(b.String(), "\n")
	if body == "" {
		return a.Label, ""
	}
	return a.Label + " " + body, body
}

// normalizeNewlines turns CRLF and lone CR into LF.
func normalizeNewlines(s string) string {
	if !strings.ContainsRune(s, '\r') {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// scanNumber reads 第<numeral><unit> at the start of s and returns the value,
// the unit rune and the rest of s after the unit.
func scanNumber(s string) (n int, unit rune, rest string, ok bool) {
	if !strings.HasPrefix(s, "第") {
		return 0, 0, "", false
	}
	s = s[len("第"):]
	end := 0
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		if !isNumeralRune(r) {
			break
		}
		end += size
	}
	if end == 0 || end == len(s) {
		return 0, 0, "", false
	}
	n, ok = ParseNumeral(s[:end])
	if !ok {
		return 0, 0, "", false
	}
	unit, size := utf8.DecodeRuneInString(s[end:])
	return n, unit, s[end+size:], true
}

// startsWithSeparator reports whether s is empty or begins with the space
// that separates a label from its text.
func startsWithSeparator(s string) bool {
	if s == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s)
	return r == ' ' || r == '\t' || r == '\u3000'
}

// parseArticleStart recognises "第X条 …" and "第X条之Y …" at the start of a
// trimmed paragraph.
func parseArticleStart(t string) (num, sub int, label, rest string, ok bool) {
	n, unit, after, ok := scanNumber(t)
	if !ok || unit != '条' {
		return 0, 0, "", "", false
	}
	if strings.HasPrefix(after, "之") {
		s := after[len("之"):]
		end := 0
		for end < len(s) {
			r, size := utf8.DecodeRuneInString(s[end:])
			if !isNumeralRune(r) {
				break
			}
			end += size
		}
		if m, ok2 := ParseNumeral(s[:end]); ok2 && end > 0 {
			sub = m
			after = s[end:]
		}
	}
	if !startsWithSeparator(after) {
		return 0, 0, "", "", false
	}
	label = t[:len(t)-len(after)]
	return n, sub, label, trimBlank(after), true
}

// maxHeadingRunes bounds heading length: a longer "第二章 …" paragraph is a
// sentence, not a heading.
const maxHeadingRunes = 60

// parseHeading recognises "第一章 总则", "第二编 物权" and "第三节 …".
func parseHeading(t string) (Heading, bool) {
	n, unit, after, ok := scanNumber(t)
	if !ok || !startsWithSeparator(after) {
		return Heading{}, false
	}
	var lv Level
	switch unit {
	case '编':
		lv = LevelPart
	case '章':
		lv = LevelChapter
	case '节':
		lv = LevelSection
	default:
		return Heading{}, false
	}
	if utf8.RuneCountInString(t) > maxHeadingRunes || strings.ContainsAny(t, "。；") {
		return Heading{}, false
	}
	return Heading{Level: lv, Num: n, Title: trimBlank(after), Text: t}, true
}

// isItem reports a 项 line: "（一）…" or "(一)…".
func isItem(t string) bool {
	var closing string
	switch {
	case strings.HasPrefix(t, "（"):
		t, closing = t[len("（"):], "）"
	case strings.HasPrefix(t, "("):
		t, closing = t[1:], ")"
	default:
		return false
	}
	i := strings.Index(t, closing)
	if i <= 0 {
		return false
	}
	_, ok := ParseNumeral(t[:i])
	return ok
}
