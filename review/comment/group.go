package comment

import (
	"math"
	"slices"
	"strings"
	"unicode"
)

// Threshold is the similarity at or above which two comments are the same
// comment sent twice (a campaign submission, a letter also e-mailed).
//
// Similarity is the Jaccard index of the two texts' sets of character
// bigrams after Normalize. Bigrams rather than words because Chinese has no
// spaces, and rather than longer shingles because a short comment must
// survive a changed character: one character changed in a 40-character
// comment gives 0.90, a changed name or date in an otherwise identical
// letter stays above 0.8, while two comments that merely share a topic
// ("建议删除第五条" against "建议修改第五条中的收费标准") fall well below it.
const Threshold = 0.8

// Normalize folds a comment to what grouping compares: full-width forms to
// half-width, letters to lower case, and spaces, punctuation and symbols
// dropped, so that "同意！" and "同 意!" are the same comment.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= '\uff01' && r <= '\uff5e':
			r -= 0xfee0
		case r == '\u3000':
			r = ' '
		}
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsControl(r) ||
			unicode.Is(unicode.Cf, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// shingles returns the sorted, distinct bigrams of a normalised text; a
// one-character text is its own single shingle.
func shingles(norm string) []uint64 {
	rs := []rune(norm)
	switch len(rs) {
	case 0:
		return nil
	case 1:
		return []uint64{uint64(rs[0]) << 32}
	}
	out := make([]uint64, 0, len(rs)-1)
	for i := 1; i < len(rs); i++ {
		out = append(out, uint64(rs[i-1])<<32|uint64(rs[i]))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Similarity returns the Jaccard index of a's and b's bigram sets after
// Normalize: 1 for the same comment, 0 for nothing in common.
func Similarity(a, b string) float64 {
	na, nb := Normalize(a), Normalize(b)
	if na == nb {
		return 1
	}
	x, y := shingles(na), shingles(nb)
	if len(x) == 0 || len(y) == 0 {
		return 0
	}
	inter := 0
	for i, j := 0, 0; i < len(x) && j < len(y); {
		switch {
		case x[i] == y[j]:
			inter++
			i++
			j++
		case x[i] < y[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(x)+len(y)-inter)
}

// Assign places incoming comments among existing ones. The result has one
// entry per incoming text: the index, in existing followed by incoming, of
// the most similar earlier comment at or above Threshold (join its group),
// or -1 (start a new group). Earlier assignments never move: an answer
// already given to a group stays with its members.
//
// Candidates come from a prefix-filtered inverted index (the all-pairs
// similarity join): bigrams are ranked rarest first across all texts, and
// only the first |s| - ⌈t·|s|⌉ + 1 of each set are indexed, since two sets
// with Jaccard ≥ t must share one of those. Rare bigrams make short posting
// lists, so a few thousand comments group in milliseconds.
func Assign(existing, incoming []string) []int {
	all := make([]string, 0, len(existing)+len(incoming))
	all = append(all, existing...)
	all = append(all, incoming...)
	norms := make([]string, len(all))
	raw := make([][]uint64, len(all))
	df := map[uint64]int{}
	for i, s := range all {
		norms[i] = Normalize(s)
		raw[i] = shingles(norms[i])
		for _, g := range raw[i] {
			df[g]++
		}
	}
	// Rank bigrams rarest first; ties by value so the order is total.
	grams := make([]uint64, 0, len(df))
	for g := range df {
		grams = append(grams, g)
	}
	slices.SortFunc(grams, func(a, b uint64) int {
		if df[a] != df[b] {
			return df[a] - df[b]
		}
		if a < b {
			return -1
		}
		return 1
	})
	rank := make(map[uint64]int32, len(grams))
	for i, g := range grams {
		rank[g] = int32(i)
	}
	sets := make([][]int32, len(all))
	for i, gs := range raw {
		s := make([]int32, len(gs))
		for k, g := range gs {
			s[k] = rank[g]
		}
		slices.Sort(s)
		sets[i] = s
	}

	index := map[int32][]int32{}
	exact := map[string]int{}
	put := func(i int) {
		if _, ok := exact[norms[i]]; !ok {
			exact[norms[i]] = i
		}
		s := sets[i]
		for _, tok := range s[:prefixLen(len(s))] {
			index[tok] = append(index[tok], int32(i))
		}
	}
	for i := range existing {
		put(i)
	}
	out := make([]int, len(incoming))
	seen := make([]int32, len(all)) // stamp per candidate, to visit each once
	for k := range incoming {
		i := len(existing) + k
		out[k] = -1
		if j, ok := exact[norms[i]]; ok {
			out[k] = j
		} else if s := sets[i]; len(s) > 0 {
			best, bestSim := -1, 0.0
			lo := int(math.Ceil(Threshold*float64(len(s)) - 1e-9))
			hi := int(math.Floor(float64(len(s))/Threshold + 1e-9))
			for _, tok := range s[:prefixLen(len(s))] {
				for _, j := range index[tok] {
					if seen[j] == int32(i+1) {
						continue
					}
					seen[j] = int32(i + 1)
					t := sets[j]
					if len(t) < lo || len(t) > hi {
						continue
					}
					if sim := jaccard(s, t); sim >= Threshold-1e-9 && (sim > bestSim || (sim == bestSim && int(j) < best)) {
						best, bestSim = int(j), sim
					}
				}
			}
			out[k] = best
		}
		put(i)
	}
	return out
}

// prefixLen is how many of a set's rarest tokens must be indexed so that
// any set with Jaccard ≥ Threshold shares at least one of them.
func prefixLen(n int) int {
	if n == 0 {
		return 0
	}
	p := n - int(math.Ceil(Threshold*float64(n)-1e-9)) + 1
	return min(max(p, 1), n)
}

func jaccard(x, y []int32) float64 {
	inter := 0
	for i, j := 0, 0; i < len(x) && j < len(y); {
		switch {
		case x[i] == y[j]:
			inter++
			i++
			j++
		case x[i] < y[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(x)+len(y)-inter)
}

// Group groups texts among themselves: the result gives, for each text, the
// index of the first text of its group (itself when it starts one).
func Group(texts []string) []int {
	to := Assign(nil, texts)
	out := make([]int, len(texts))
	for i, j := range to {
		if j < 0 {
			out[i] = i
		} else {
			out[i] = out[j]
		}
	}
	return out
}
