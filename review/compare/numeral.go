package compare

import "unicode/utf8"

// cnDigits maps the Chinese digits found in article numbers to values.
var cnDigits = map[rune]int{
	'零': 0, '〇': 0, '○': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}

// cnUnits maps the Chinese place units below 万 to their values.
var cnUnits = map[rune]int{'十': 10, '百': 100, '千': 1000}

// isNumeralRune reports whether r may appear in an article or heading number.
func isNumeralRune(r rune) bool {
	if _, ok := cnDigits[r]; ok {
		return true
	}
	if _, ok := cnUnits[r]; ok {
		return true
	}
	return r == '万' || arabicDigit(r) >= 0
}

// arabicDigit returns the value of an ASCII or full-width digit, or -1.
func arabicDigit(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '０' && r <= '９':
		return int(r - '０')
	}
	return -1
}

// maxNumeral bounds parsed values: no law has a billion articles, and the
// bound keeps arithmetic far from overflow on hostile input.
const maxNumeral = 1_000_000_000

// ParseNumeral returns the value of a number written in Chinese numerals
// ("一百零三" = 103, "十" = 10, "两千零五" = 2005) or in ASCII or full-width
// Arabic digits ("103", "１０３"). ok is false when s is not a well-formed
// number; legal texts never write "一零三", so positional digit strings
// without units are rejected rather than guessed at.
func ParseNumeral(s string) (n int, ok bool) {
	if s == "" || utf8.RuneCountInString(s) > 24 {
		return 0, false
	}
	if arabicDigit([]rune(s)[0]) >= 0 {
		for _, r := range s {
			d := arabicDigit(r)
			if d < 0 {
				return 0, false
			}
			n = n*10 + d
			if n >= maxNumeral {
				return 0, false
			}
		}
		return n, true
	}
	total, section := 0, 0
	pending := -1      // digit waiting for its unit
	lastUnit := 100000 // units within a section must decrease
	started := false
	for _, r := range s {
		if d, isDigit := cnDigits[r]; isDigit {
			if d == 0 {
				if pending > 0 || !started {
					return 0, false // "三零", or a leading 零
				}
				continue // 零 only marks a skipped place
			}
			if pending >= 0 {
				return 0, false // two digits without a unit between them
			}
			pending = d
			started = true
			continue
		}
		if u, isUnit := cnUnits[r]; isUnit {
			if u >= lastUnit {
				return 0, false
			}
			if pending < 0 {
				// "十" alone means 一十, at the start or after a larger unit
				// ("一百十" is colloquial but unambiguous).
				if u != 10 {
					return 0, false
				}
				pending = 1
			}
			section += pending * u
			pending, lastUnit, started = -1, u, true
			continue
		}
		if r == '万' {
			if pending > 0 {
				section += pending
			}
			if section == 0 || total != 0 {
				return 0, false
			}
			total = section * 10000
			section, pending, lastUnit = 0, -1, 100000
			continue
		}
		return 0, false
	}
	if !started {
		return 0, false
	}
	if pending > 0 {
		section += pending
	}
	n = total + section
	if n <= 0 || n >= maxNumeral {
		return 0, false
	}
	return n, true
}
