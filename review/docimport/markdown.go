package docimport

import (
	"regexp"
	"strings"
)

// Markdown is not rendered, only made to read as a document: the markup a
// reader of the text would not see is removed, the words stay. Line by line,
// with no attempt at full CommonMark:
//
//   - heading markers go ("## 第一章 总则" → "第一章 总则"; "#标题" without the
//     space counts too, as Chinese editors write it), as do setext underlines
//     and thematic breaks ("===", "---", "***");
//   - block-quote markers go; list bullets and numbers stay, they are text;
//   - fenced code blocks keep their content and lose their fences;
//   - emphasis, strong and strike-through markers go (**重要** → 重要), as do
//     backticks around code;
//   - links and images become their text ([条例](http://…) → 条例), autolinks
//     their address, and link reference definitions are dropped;
//   - table rows become cells separated by tabs, the alignment row is dropped;
//   - backslash escapes become the character (\* → *).
//
// HTML in the text is kept as written, and soft-wrapped lines are not joined
// (Chinese does not put a space where a line wraps, so joining is not
// obviously right, and the clerk sees the text as its author wrote it).
func stripMarkdown(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	fence := ""
	for _, ln := range lines {
		if fence != "" {
			if t := strings.TrimSpace(ln); strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
				continue
			}
			out = append(out, ln)
			continue
		}
		if m := mdFence.FindStringSubmatch(ln); m != nil {
			fence = m[1]
			continue
		}
		if mdRule.MatchString(ln) || mdLinkDef.MatchString(ln) || mdTableSep.MatchString(ln) {
			continue
		}
		out = append(out, stripMarkdownLine(ln))
	}
	return strings.Join(out, "\n")
}

var (
	mdFence    = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
	mdRule     = regexp.MustCompile(`^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$`)
	mdLinkDef  = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:[ \t]*\S+`)
	mdTableSep = regexp.MustCompile(`^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$`)
	mdQuote    = regexp.MustCompile(`^ {0,3}(?:>[ \t]?)+`)
	mdHeading  = regexp.MustCompile(`^ {0,3}#{1,6}(?:[ \t]+|([^#\s]))(.*?)(?:[ \t]+#+)?[ \t]*$`)
	mdEmptyH   = regexp.MustCompile(`^ {0,3}#{1,6}[ \t]*$`)
	mdEscape   = regexp.MustCompile("\\\\([\\\\`*_{}\\[\\]()#+\\-.!|~<>])")
	mdCode     = regexp.MustCompile("(`+)([^`]+?)(`+)")
	mdImage    = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink     = regexp.MustCompile(`\[([^\]]+)\]\([^)]*\)`)
	mdRefLink  = regexp.MustCompile(`\[([^\]]+)\]\[[^\]]*\]`)
	mdAutoLink = regexp.MustCompile(`<((?:https?|ftp|mailto):[^>\s]+|[^>\s@]+@[^>\s@]+\.[^>\s@]+)>`)
	mdStrong   = regexp.MustCompile(`\*\*(\S(?:.*?\S)?)\*\*`)
	mdStrongU  = regexp.MustCompile(`__(\S(?:.*?\S)?)__`)
	mdStrike   = regexp.MustCompile(`~~(\S(?:.*?\S)?)~~`)
	mdEm       = regexp.MustCompile(`\*(\S(?:.*?\S)?)\*`)
	// Underscore emphasis only away from letters and digits, as in
	// CommonMark, so file_name_v2 and 中_文 stay as they are.
	mdEmU = regexp.MustCompile(`(^|[^\p{L}\p{N}_])_(\S(?:.*?\S)?)_($|[^\p{L}\p{N}_])`)
)

// mdEscapable lists the characters a backslash escapes. While a line is
// being stripped they stand in as noncharacters U+FDD0.., which never occur in
// real text, so an escaped \* is not taken for emphasis; they are put back at
// the end.
const mdEscapable = "\\`*_{}[]()#+-.!|~<>"

func mdProtect(s string) string {
	var b strings.Builder
	for _, r := range s {
		if i := strings.IndexRune(mdEscapable, r); i >= 0 {
			b.WriteRune(rune(0xFDD0 + i))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func mdRestore(s string) string {
	return strings.Map(func(r rune) rune {
		if i := int(r - 0xFDD0); i >= 0 && i < len(mdEscapable) {
			return rune(mdEscapable[i])
		}
		return r
	}, s)
}

func stripMarkdownLine(ln string) string {
	ln = mdEscape.ReplaceAllStringFunc(ln, func(m string) string { return mdProtect(m[1:]) })
	// Code spans keep their content verbatim: protect it from the rules below.
	ln = mdCode.ReplaceAllStringFunc(ln, func(m string) string {
		sm := mdCode.FindStringSubmatch(m)
		if len(sm[1]) != len(sm[3]) {
			return m
		}
		return mdProtect(strings.TrimSpace(sm[2]))
	})
	ln = mdQuote.ReplaceAllString(ln, "")
	if mdEmptyH.MatchString(ln) {
		ln = ""
	} else if m := mdHeading.FindStringSubmatch(ln); m != nil {
		ln = m[1] + m[2]
	}
	if t := strings.TrimSpace(ln); strings.HasPrefix(t, "|") {
		t = strings.TrimSuffix(strings.TrimPrefix(t, "|"), "|")
		cells := strings.Split(t, "|")
		for i, c := range cells {
			cells[i] = strings.TrimSpace(c)
		}
		ln = strings.Join(cells, "\t")
	}
	ln = mdImage.ReplaceAllString(ln, "$1")
	ln = mdLink.ReplaceAllString(ln, "$1")
	ln = mdRefLink.ReplaceAllString(ln, "$1")
	ln = mdAutoLink.ReplaceAllString(ln, "$1")
	ln = mdStrong.ReplaceAllString(ln, "$1")
	ln = mdStrongU.ReplaceAllString(ln, "$1")
	ln = mdStrike.ReplaceAllString(ln, "$1")
	ln = mdEm.ReplaceAllString(ln, "$1")
	ln = mdEmU.ReplaceAllString(ln, "$1$2$3")
	return mdRestore(ln)
}
