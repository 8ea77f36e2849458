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

// scanAll collects a matcher's occurrences, sorted like naiveMatches.
func scanAll(m *matcher, text string) [][3]int {
	var got [][3]int
	m.scan(text, func(p, bs, be int) { got = append(got, [3]int{p, bs, be}) })
	slices.SortFunc(got, cmp3)
	return got
}

// The matcher leaves the root only when the next non-space rune may
// continue a pattern (see matcher). These are the places where such a
// prefilter would skip a real match: spaces between the first two runes,
// single-rune terms (which must not wait for a second rune), a first rune
// repeated, a term's first rune at the very end of the text, and ASCII terms
// whose boundaries are checked.
func TestMatcher_DeferredRootStepKeepsEveryMatch(t *testing.T) {
	for _, tc := range []struct {
		terms []string
		text  string
		want  int // occurrences, as a check on the naive search itself
	}{
		{[]string{"张三"}, "张 三", 1},
		{[]string{"张三"}, "张　三", 1},
		{[]string{"张三"}, "张\t \u00a0　三", 1},
		{[]string{"张三"}, "　张　三　", 1},
		{[]string{"张三"}, "张张三", 1},
		{[]string{"张三"}, "张 张 三 张", 1},
		{[]string{"张三", "李"}, "张李", 1},
		{[]string{"张三", "李"}, "张李三", 1},
		{[]string{"张三", "张"}, "张三", 2},
		{[]string{"张三", "张"}, "张", 1},
		{[]string{"张三", "张"}, "李 张", 1},
		{[]string{"张三", "三"}, "张三", 2},
		{[]string{"张三丰", "三丰"}, "张三 丰", 2},
		{[]string{"三丰", "张三丰"}, "张 李三　丰", 1},
		{[]string{"天河", "河"}, "天　河", 2},
		{[]string{"张三"}, "李四张", 0},
		{[]string{"李四", "张"}, "李四张", 2},
		{[]string{"ab", "a"}, "a", 1},
		{[]string{"ab"}, "xa　b", 1},
		{[]string{"ab", "b"}, "Ａ Ｂ", 2},
	} {
		payloads := make([]int, len(tc.terms))
		for i := range payloads {
			payloads[i] = i
		}
		want := naiveMatches(tc.text, tc.terms)
		if len(want) != tc.want {
			t.Fatalf("terms %q text %q: naive search finds %v, want %d occurrences", tc.terms, tc.text, want, tc.want)
		}
		if got := scanAll(newMatcher(tc.terms, payloads, false), tc.text); !slices.Equal(got, want) {
			t.Errorf("terms %q text %q:\n got  %v\n want %v", tc.terms, tc.text, got, want)
		}
	}

	// Word boundaries, which naiveMatches does not know: spans of the
	// occurrences of "ab" (byte offsets).
	m := newMatcher([]string{"ab", "1"}, []int{0, 1}, true)
	text := "cab ab a b ab1 Ａｂ 1 21 a"
	var spans []string
	m.scan(text, func(p, bs, be int) { spans = append(spans, text[bs:be]) })
	if want := []string{"ab", "a b", "Ａｂ", "1"}; !slices.Equal(spans, want) {
		t.Errorf("boundaries: got %q, want %q", spans, want)
	}
}

// TestMatcher_AgreesWithNaiveSearch_DenseList uses many terms over a small
// alphabet, so that most runes start a term, each first rune has many
// possible second runes and the hashed follow sets collide.
func TestMatcher_AgreesWithNaiveSearch_DenseList(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var alphabet []string
	for r := rune(0x4E00); r < 0x4E00+40; r++ {
		alphabet = append(alphabet, string(r))
	}
	alphabet = append(alphabet, "a", "Ｂ", " ", "　", "\n")
	gen := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	for round := range 40 {
		terms := make([]string, 50+rng.IntN(300))
		payloads := make([]int, len(terms))
		for i := range terms {
			terms[i] = gen(1 + rng.IntN(4))
			payloads[i] = i
		}
		text := gen(200)
		if got, want := scanAll(newMatcher(terms, payloads, false), text), naiveMatches(text, terms); !slices.Equal(got, want) {
			t.Fatalf("round %d: text %q\n got  %v\n want %v", round, text, got, want)
		}
	}
}
