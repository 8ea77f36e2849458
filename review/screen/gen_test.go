package screen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Generators of valid numbers, so that tests do not depend on anybody's
// real identifiers and can produce as many as a table needs.

// makeID returns an 18-digit ID number for region (6 digits), birth
// (yyyymmdd) and sequence (3 digits) with its correct check character.
func makeID(region, birth, seq string) string {
	body := region + birth + seq
	sum := 0
	for i := range 17 {
		sum += int(body[i]-'0') * idWeights[i]
	}
	return body + string("10X98765432"[sum%11])
}

// wrongCheck replaces the last character of an ID number with a wrong one.
func wrongCheck(id string) string {
	for _, c := range "0123456789X" {
		if byte(c) != id[17] {
			return id[:17] + string(c)
		}
	}
	panic("unreachable")
}

// makeLuhn completes prefix (n-1 digits) with its Luhn check digit.
func makeLuhn(prefix string) string {
	for d := '0'; d <= '9'; d++ {
		if s := prefix + string(d); luhn([]byte(s)) {
			return s
		}
	}
	panic("unreachable")
}

// breakLuhn changes the last digit so that the Luhn check fails.
func breakLuhn(s string) string {
	last := s[len(s)-1]
	return s[:len(s)-1] + string('0'+(last-'0'+1)%10)
}

// makeCredit completes a 17-character prefix with its GB 32100 check
// character.
func makeCredit(prefix string) string {
	sum := 0
	for i := range 17 {
		sum += int(creditValue[prefix[i]]) * creditWeights[i]
	}
	return prefix + string(creditAlphabet[(31-sum%31)%31])
}

// fullWidth writes ASCII digits and letters as their full-width forms.
func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > ' ' && r < 0x7F {
			r += 0xFEE0
		}
		b.WriteRune(r)
	}
	return b.String()
}

// spaced puts sep between the runes of s.
func spaced(s, sep string) string {
	var parts []string
	for _, r := range s {
		parts = append(parts, string(r))
	}
	return strings.Join(parts, sep)
}

// kindsOf summarises findings as "kind:text" for compact assertions.
func kindsOf(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = fmt.Sprintf("%s:%s", f.Kind, f.Text)
	}
	return out
}

// genTerms returns n distinct keyword terms of two to six CJK ideographs,
// from a PRNG seeded with seed so that runs are comparable.
func genTerms(n int, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15))
	seen := map[string]bool{}
	out := make([]string, 0, n)
	for len(out) < n {
		k := 2 + rng.IntN(5)
		rs := make([]rune, k)
		for i := range rs {
			rs[i] = rune(0x4E00 + rng.IntN(0x9FA5-0x4E00+1))
		}
		if s := string(rs); !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
