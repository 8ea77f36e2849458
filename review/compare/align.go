package compare

import (
	"cmp"
	"slices"
	"sort"
)

// Alignment thresholds, tuned on the corpus's five law revisions. Dice
// similarity is over character bigrams; containment is the share of one
// article's bigrams found in another.
const (
	pairDice      = 0.5 // accept a pair anywhere in the text
	localPairDice = 0.3 // accept a pair that keeps the order of its neighbours
	partContain   = 0.6 // a split-off or merged-in part must come mostly from its whole
	mainContain   = 0.5 // the part already paired with the whole must too
	coverGain     = 0.1 // and adding the part must cover noticeably more of the whole
	maxCandidates = 8   // similar candidates kept per old article
	neighbourGap  = 2   // parts of a split or merge lie this close together
)

// item is an article as the aligner sees it.
type item struct {
	key   string  // normalised body: equality means "text unchanged"
	grams []int32 // sorted distinct bigram ids of the key
	pos   float64 // relative position in its document, for tie-breaks
}

// pair is a 1:1 match between old article a and new article b.
type pair struct {
	a, b  int
	exact bool
	score float64
}

// group is a split (one old, several new) or a merge (several old, one new).
type group struct {
	olds, news []int
}

// alignment is the aligner's answer.
type alignment struct {
	pairs   []pair // sorted by old index
	inOrder []bool // parallel to pairs: on the longest in-order chain
	groups  []group
	oldIn   []int // old index -> pair index, -2 in a group, -1 unmatched
	newIn   []int
}

// postings is an inverted index from bigram id to the items containing it,
// stored compactly (one offsets array, one data array) because it is
// rebuilt for every comparison and tens of thousands of small slices cost
// more to allocate than to fill.
type postings struct {
	off  []int32 // items of gram g are data[off[g]:off[g+1]]
	data []int32
}

func buildPostings(items []item, vocab int, skip func(int) bool) postings {
	p := postings{off: make([]int32, vocab+1)}
	for i, it := range items {
		if skip != nil && skip(i) {
			continue
		}
		for _, g := range it.grams {
			p.off[g+1]++
		}
	}
	for g := 1; g <= vocab; g++ {
		p.off[g] += p.off[g-1]
	}
	p.data = make([]int32, p.off[vocab])
	next := slices.Clone(p.off[:vocab])
	for i, it := range items {
		if skip != nil && skip(i) {
			continue
		}
		for _, g := range it.grams {
			p.data[next[g]] = int32(i)
			next[g]++
		}
	}
	return p
}

// overlaps counts shared bigrams between query and every indexed item
// accepted by keep, using counts (all zero on entry; the caller zeroes the
// touched entries after reading them).
func (p postings) overlaps(query []int32, keep func(int) bool, counts []int32, touched []int32) []int32 {
	touched = touched[:0]
	for _, g := range query {
		for _, j := range p.data[p.off[g]:p.off[g+1]] {
			if counts[j] == 0 {
				if !keep(int(j)) {
					continue
				}
				touched = append(touched, j)
			}
			counts[j]++
		}
	}
	return touched
}

// intersect counts the common elements of two sorted lists.
func intersect(x, y []int32) int {
	n, i, j := 0, 0, 0
	for i < len(x) && j < len(y) {
		switch {
		case x[i] < y[j]:
			i++
		case x[i] > y[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// align matches old and new articles by content.
func align(olds, news []item, vocab int) *alignment {
	al := &alignment{oldIn: make([]int, len(olds)), newIn: make([]int, len(news))}
	oldMatch := make([]int, len(olds)) // partner new index, or -1
	newMatch := make([]int, len(news))
	for i := range oldMatch {
		oldMatch[i] = -1
	}
	for i := range newMatch {
		newMatch[i] = -1
	}
	exact := map[int]bool{}

	// 1. Unchanged text: pair the k-th occurrence in old with the k-th in new.
	queue := map[string][]int{}
	for j, it := range news {
		queue[it.key] = append(queue[it.key], j)
	}
	for i, it := range olds {
		if q := queue[it.key]; len(q) > 0 {
			oldMatch[i], newMatch[q[0]] = q[0], i
			exact[i] = true
			queue[it.key] = q[1:]
		}
	}

	// 2. Similar text: candidates by bigram Dice.
	// Only articles still unmatched are worth indexing here.
	freePost := buildPostings(news, vocab, func(j int) bool { return newMatch[j] >= 0 })
	counts := make([]int32, max(len(news), len(olds)))
	var touched []int32
	type cand struct {
		a, b  int
		score float64
		dist  float64
	}
	var cands []cand
	for i, it := range olds {
		if oldMatch[i] >= 0 || len(it.grams) == 0 {
			continue
		}
		touched = freePost.overlaps(it.grams, func(j int) bool { return newMatch[j] < 0 }, counts, touched)
		var mine []cand
		for _, j := range touched {
			c := counts[j]
			counts[j] = 0
			s := 2 * float64(c) / float64(len(it.grams)+len(news[j].grams))
			if s >= localPairDice {
				d := it.pos - news[j].pos
				mine = append(mine, cand{i, int(j), s, max(d, -d)})
			}
		}
		byScore := func(x, y cand) int {
			if c := cmp.Compare(y.score, x.score); c != 0 {
				return c
			}
			if c := cmp.Compare(x.dist, y.dist); c != 0 {
				return c
			}
			return cmp.Compare(x.b, y.b)
		}
		slices.SortFunc(mine, byScore)
		if len(mine) > maxCandidates {
			mine = mine[:maxCandidates]
		}
		cands = append(cands, mine...)
	}
	slices.SortFunc(cands, func(x, y cand) int {
		if c := cmp.Compare(y.score, x.score); c != 0 {
			return c
		}
		if c := cmp.Compare(x.dist, y.dist); c != 0 {
			return c
		}
		if c := cmp.Compare(x.a, y.a); c != 0 {
			return c
		}
		return cmp.Compare(x.b, y.b)
	})
	// Passes over the candidates, best first: a strong match that keeps the
	// order of the pairs already made; then a strong match anywhere (a moved
	// article); then a weaker one only where it keeps the order, since a 30%
	// overlap with the article that now stands where the old one stood is a
	// revision, elsewhere it is chance.
	chain := orderedChain(oldMatch) // old indexes, increasing in both
	fits := func(a, b int) (int, bool) {
		k := sort.SearchInts(chain, a)
		lo, hi := -1, len(news)
		if k > 0 {
			lo = oldMatch[chain[k-1]]
		}
		if k < len(chain) {
			hi = oldMatch[chain[k]]
		}
		return k, b > lo && b < hi
	}
	for pass := 0; pass < 3; pass++ {
		for _, c := range cands {
			if oldMatch[c.a] >= 0 || newMatch[c.b] >= 0 || (pass < 2 && c.score < pairDice) {
				continue
			}
			k, ok := fits(c.a, c.b)
			if pass != 1 && !ok {
				continue
			}
			oldMatch[c.a], newMatch[c.b] = c.b, c.a
			if ok {
				chain = slices.Insert(chain, k, c.a)
			}
		}
	}

	// 4. Splits and merges.
	oldPost := buildPostings(olds, vocab, nil)
	newPost := buildPostings(news, vocab, nil)
	inGroupOld := make([]int, len(olds)) // group index+1, 0 when none
	inGroupNew := make([]int, len(news))
	var groups []group
	mark := make([]bool, vocab)
	cover := func(whole item, parts []item) float64 {
		for _, p := range parts {
			for _, g := range p.grams {
				mark[g] = true
			}
		}
		n := 0
		for _, g := range whole.grams {
			if mark[g] {
				n++
			}
		}
		for _, p := range parts {
			for _, g := range p.grams {
				mark[g] = false
			}
		}
		if len(whole.grams) == 0 {
			return 0
		}
		return float64(n) / float64(len(whole.grams))
	}
	contain := func(part, whole item) float64 {
		if len(part.grams) == 0 {
			return 0
		}
		return float64(intersect(part.grams, whole.grams)) / float64(len(part.grams))
	}
	// findParts handles one direction: parts are unmatched items on side P
	// that came mostly from one item on side W. For splits P is new and W
	// old; for merges the reverse.
	findParts := func(parts, wholes []item, partMatch, wholeMatch []int, partGroup, wholeGroup []int,
		wholePost postings, isExact func(whole int) bool, mk func(whole int, parts []int) group,
		side func(g *group) (whole, parts []int)) {
		for p := range parts {
			if partMatch[p] >= 0 || partGroup[p] > 0 || len(parts[p].grams) == 0 {
				continue
			}
			touched = wholePost.overlaps(parts[p].grams, func(int) bool { return true }, counts, touched)
			best, bestC, bestD := -1, 0.0, 0.0
			for _, w := range touched {
				c := float64(counts[w]) / float64(len(parts[p].grams))
				counts[w] = 0
				d := parts[p].pos - wholes[w].pos
				d = max(d, -d)
				if c > bestC || (c == bestC && d < bestD) {
					best, bestC, bestD = int(w), c, d
				}
			}
			if best < 0 || bestC < partContain {
				continue
			}
			w := best
			near := func(members []int) bool {
				for _, m := range members {
					if m-p <= neighbourGap && p-m <= neighbourGap {
						return true
					}
				}
				return false
			}
			switch {
			case wholeGroup[w] > 0:
				g := &groups[wholeGroup[w]-1]
				// Only extend a group whose whole is w (a split of w when
				// looking for splits, a merge into w when looking for merges).
				whole, members := side(g)
				if len(whole) != 1 || whole[0] != w {
					continue
				}
				if !near(members) {
					continue
				}
				var ps []item
				for _, m := range members {
					ps = append(ps, parts[m])
				}
				before := cover(wholes[w], ps)
				if cover(wholes[w], append(ps, parts[p]))-before < coverGain {
					continue
				}
				nm := append(slices.Clone(members), p)
				slices.Sort(nm)
				*g = mk(w, nm)
				partGroup[p] = wholeGroup[w]
			case wholeMatch[w] >= 0 && !isExact(w):
				q := wholeMatch[w]
				if !near([]int{q}) || contain(parts[q], wholes[w]) < mainContain {
					continue
				}
				if cover(wholes[w], []item{parts[q], parts[p]})-cover(wholes[w], []item{parts[q]}) < coverGain {
					continue
				}
				ms := []int{q, p}
				slices.Sort(ms)
				groups = append(groups, mk(w, ms))
				wholeGroup[w], partGroup[q], partGroup[p] = len(groups), len(groups), len(groups)
				wholeMatch[w], partMatch[q] = -1, -1
			case wholeMatch[w] < 0:
				// The whole has no partner yet: this part is its revision.
				wholeMatch[w], partMatch[p] = p, w
			}
		}
	}
	findParts(news, olds, newMatch, oldMatch, inGroupNew, inGroupOld, oldPost,
		func(w int) bool { return exact[w] },
		func(w int, ps []int) group { return group{olds: []int{w}, news: ps} },
		func(g *group) ([]int, []int) { return g.olds, g.news })
	findParts(olds, news, oldMatch, newMatch, inGroupOld, inGroupNew, newPost,
		func(w int) bool { return newMatch[w] >= 0 && exact[newMatch[w]] },
		func(w int, ps []int) group { return group{olds: ps, news: []int{w}} },
		func(g *group) ([]int, []int) { return g.news, g.olds })
	al.groups = groups

	// 5. Pairs, and which of them keep their order.
	for i := range olds {
		al.oldIn[i] = -1
		if inGroupOld[i] > 0 {
			al.oldIn[i] = -2
		}
	}
	for j := range news {
		al.newIn[j] = -1
		if inGroupNew[j] > 0 {
			al.newIn[j] = -2
		}
	}
	for i, j := range oldMatch {
		if j < 0 {
			continue
		}
		al.oldIn[i], al.newIn[j] = len(al.pairs), len(al.pairs)
		al.pairs = append(al.pairs, pair{a: i, b: j, exact: olds[i].key == news[j].key})
	}
	al.inOrder = make([]bool, len(al.pairs))
	for _, i := range orderedChain(oldMatch) {
		al.inOrder[al.oldIn[i]] = true
	}
	return al
}

// orderedChain returns the old indexes of the longest chain of matches whose
// new indexes increase with the old ones (patience LIS). Matches off the
// chain have moved relative to their neighbours.
func orderedChain(oldMatch []int) []int {
	var tails []int // tails[k]: old index ending the best chain of length k+1
	prev := make([]int, len(oldMatch))
	for i, j := range oldMatch {
		if j < 0 {
			continue
		}
		k := sort.Search(len(tails), func(k int) bool { return oldMatch[tails[k]] >= j })
		prev[i] = -1
		if k > 0 {
			prev[i] = tails[k-1]
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	if len(tails) == 0 {
		return nil
	}
	chain := make([]int, len(tails))
	for k, i := len(tails)-1, tails[len(tails)-1]; k >= 0; k-- {
		chain[k] = i
		i = prev[i]
	}
	return chain
}
