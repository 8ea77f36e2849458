package screen

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// naiveMatches finds the occurrences of terms in text the slow way: at every
// start, walk the text stepping over spaces and compare folded runes.
func naiveMatches(text string, terms []string) [][3]int {
	var out [][3]int
	for ti, t := range terms {
		want := []rune(normalize(t))
		if len(want) == 0 {
			continue
		}
		for bs, r := range text {
			if isSkip(fold(r)) {
				continue
			}
			k, j := 0, bs
			for j < len(text) && k < len(want) {
				r, w := decodeAt(text, j)
				r = fold(r)
				j += w
				if isSkip(r) {
					continue
				}
				if r != want[k] {
					break
				}
				k++
			}
			if k == len(want) {
				out = append(out, [3]int{ti, bs, j})
			}
		}
	}
	slices.SortFunc(out, cmp3)
	return out
}

func decodeAt(s string, i int) (rune, int) {
	for _, r := range s[i:] {
		return r, len(string(r))
	}
	return 0, 0
}

func cmp3(a, b [3]int) int {
	for i := range a {
		if a[i] != b[i] {
			return a[i] - b[i]
		}
	}
	return 0
}

func TestMatcher_AgreesWithNaiveSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"张", "三", "丰", "李", "四", "a", "B", "Ａ", " ", "　", "\n", "，"}
	gen := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	for round := range 300 {
		terms := make([]string, 1+rng.IntN(12))
		payloads := make([]int, len(terms))
		for i := range terms {
			terms[i] = gen(1 + rng.IntN(4))
			payloads[i] = i
		}
		text := gen(rng.IntN(60))
		var got [][3]int
		newMatcher(terms, payloads, false).scan(text, func(p, bs, be int) {
			got = append(got, [3]int{p, bs, be})
		})
		slices.SortFunc(got, cmp3)
		if want := naiveMatches(text, terms); !slices.Equal(got, want) {
			t.Fatalf("round %d: terms %q text %q\n got  %v\n want %v", round, terms, text, got, want)
		}
	}
}

func TestNextDigit_AgreesWithByteLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"中", "文", "，", "：", "休", "伐", "a", "7", "０", "９", "\xbc", "\xef", " "}
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(50) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		from := 0
		if len(s) > 0 {
			from = rng.IntN(len(s))
		}
		want := -1
		for i := from; i < len(s); i++ {
			if s[i]-'0' < 10 || strings.HasPrefix(s[i:], "\xef\xbc") && i+2 < len(s) && s[i+2]-0x90 < 10 {
				want = i
				break
			}
		}
		if got := nextDigit(s, from); got != want {
			t.Fatalf("nextDigit(%q, %d) = %d, want %d", s, from, got, want)
		}
	}
}
