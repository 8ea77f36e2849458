package review

import "unicode/utf8"

// RedactionMark replaces each code point of a confirmed screening finding.
const RedactionMark = '■'

// IsRedaction reports whether after is before with some code points, and
// nothing else, replaced by RedactionMark. Such a revision changes no
// substance: its text is still the drafter's, which is what separation of
// duties cares about.
func IsRedaction(before, after string) bool {
	if before == after {
		return false
	}
	for before != "" && after != "" {
		rb, wb := utf8.DecodeRuneInString(before)
		ra, wa := utf8.DecodeRuneInString(after)
		if ra != rb && ra != RedactionMark {
			return false
		}
		before, after = before[wb:], after[wa:]
	}
	return before == "" && after == ""
}
