package screen

import (
	"sort"
	"unicode/utf8"
)

// matcher is an Aho–Corasick automaton over folded runes. It finds every
// occurrence of every pattern in one left-to-right pass, so the cost of a
// scan depends on the text, not on the number of terms; a list of 10,000
// terms costs about what a list of 100 does.
//
// Spaces (ASCII space, tab, U+3000, U+00A0) in the text are stepped over
// without changing state, so “张 三” and “张　三” match the term 张三: people
// who want to hide a name from a naive search insert exactly such spaces,
// and so do layout tools.
//
// The layout is chosen for the cache, since on a 10,000-term list the
// automaton outgrows L1: the runes that start a pattern get classes 1..R and
// the root's child for class c is state c, so leaving the root costs no
// memory access; each state keeps its first edge, fail link and output link
// in one 16-byte record, and most states have a single edge.
//
// Leaving the root is deferred by one rune. In real text most positions
// start no term, but with 10,000 random terms nearly every character is the
// first rune of one, so a plain automaton leaves the root at almost every
// character only to fall back at the next, touching a cold state each time;
// that made a 10,000-term list 2.3 times slower than a 100-term one. So at
// the root a rune r that starts a pattern but is not itself a pattern is
// only remembered, and the next non-space rune r2 decides: the automaton
// enters r's state only if (r, r2) may begin a pattern, which the follow
// set of r answers (it can only err towards “may”). This is exact: r's
// state has no output, and from it r2 either follows an edge, whose class
// is in the follow set, or fails back to the root, which is where skipping
// leaves the automaton anyway. Runes that are single-rune patterns get the
// lowest classes, 1..S, and enter their state at once, since they have
// output to report. On a 10,000-term list the automaton now leaves the
// root at about 2% of the runes of real text instead of a third.
//
// A matcher is immutable once built and safe for concurrent use.
type matcher struct {
	classBMP []int32          // folded rune -> symbol class; 0 means “in no pattern”
	classHi  map[rune]int32   // the same for runes beyond the BMP
	singles  int32            // S: classes 1..S are single-rune patterns (S <= R)
	roots    int32            // R: classes 1..R start a pattern
	follow   []followSet      // by class 0..R: which classes may follow a pattern's first rune
	nodes    []node           // by state; state 0 is the root
	edgeLo   []int32          // further edges of state s: edgeCls/edgeTo[edgeLo[s]:edgeLo[s+1]]
	edgeCls  []int32          // sorted by class within a state
	edgeTo   []int32          //
	dict     []int32          // next state with output strictly down the fail chain, or -1
	out      []int32          // first pattern ending at the state, or -1
	patNext  []int32          // next pattern ending at the same state, or -1
	pats     []matcherPattern // by pattern id
	ringMask int              // ring of recent rune offsets, sized above the longest pattern
}

// node is one state of the automaton, 16 bytes so that four share a cache
// line.
type node struct {
	c0, t0 int32 // the edge with the smallest class (c0 = 0: no edges)
	fail   int32 // failure link, with moreEdges set when edgeLo says more
	first  int32 // first state on the fail chain, self included, with output; -1 if none
}

// moreEdges flags, in node.fail, a state with edges beyond its first.
const moreEdges = -1 << 31

// matcherPattern is what the automaton knows of a pattern: its length in
// folded, space-free runes, whether word boundaries must be checked at its
// ends (terms that start or end with an ASCII letter or digit: “ab” must not
// match inside “cabin”), and the caller's payload.
type matcherPattern struct {
	runes      int
	edgeStart  bool
	edgeEnd    bool
	payload    int
	normalized string
}

// fold maps a rune to the form used for matching: full-width ASCII
// (Ｚ, ０, ＠) to ASCII, ASCII letters to lower case, the ideographic and
// no-break spaces to a plain space.
func fold(r rune) rune {
	switch {
	case r < 0x80:
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
	case 0xFF01 <= r && r <= 0xFF5E:
		r -= 0xFEE0
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
	case r == 0x3000 || r == 0xA0:
		r = ' '
	}
	return r
}

// isSkip reports whether a folded rune is a space that matching steps over.
func isSkip(r rune) bool { return r == ' ' || r == '\t' }

// normalize folds s and drops the spaces matching steps over; two strings
// with the same normal form are the same term to the screener.
func normalize(s string) string {
	buf := make([]rune, 0, len(s))
	for _, r := range s {
		r = fold(r)
		if !isSkip(r) {
			buf = append(buf, r)
		}
	}
	return string(buf)
}

func isWordRune(r rune) bool {
	return r < 0x80 && ('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z')
}

// newMatcher builds the automaton. terms are matched by their normal form;
// empty normal forms are ignored. payloads[i] is returned for terms[i];
// boundaries asks for word-boundary checks on ASCII-edged terms.
func newMatcher(terms []string, payloads []int, boundaries bool) *matcher {
	m := &matcher{classHi: map[rune]int32{}}
	type term struct {
		runes   []rune
		payload int
	}
	var ts []term
	for i, t := range terms {
		if rs := []rune(normalize(t)); len(rs) > 0 {
			ts = append(ts, term{rs, payloads[i]})
		}
	}
	// Single-rune patterns first, so that their classes are 1..S, then the
	// other pattern-starting runes, so that those are S+1..R.
	classOf := map[rune]int32{}
	for _, t := range ts {
		if len(t.runes) == 1 && classOf[t.runes[0]] == 0 {
			classOf[t.runes[0]] = int32(len(classOf) + 1)
		}
	}
	m.singles = int32(len(classOf))
	for _, t := range ts {
		if classOf[t.runes[0]] == 0 {
			classOf[t.runes[0]] = int32(len(classOf) + 1)
		}
	}
	m.roots = int32(len(classOf))
	for _, t := range ts {
		for _, r := range t.runes[1:] {
			if classOf[r] == 0 {
				classOf[r] = int32(len(classOf) + 1)
			}
		}
	}

	// The trie. States 1..R are the root's children, state c for class c.
	type edge struct{ cls, to int32 }
	nStates := int(m.roots) + 1
	children := make([][]edge, nStates)
	for c := int32(1); c <= m.roots; c++ {
		children[0] = append(children[0], edge{c, c})
	}
	gotoMap := map[[2]int32]int32{}
	out := make([]int32, nStates)
	for i := range out {
		out[i] = -1
	}
	maxLen := 1
	for _, t := range ts {
		state := classOf[t.runes[0]]
		for _, r := range t.runes[1:] {
			c := classOf[r]
			next, ok := gotoMap[[2]int32{state, c}]
			if !ok {
				next = int32(nStates)
				nStates++
				children = append(children, nil)
				out = append(out, -1)
				children[state] = append(children[state], edge{c, next})
				gotoMap[[2]int32{state, c}] = next
			}
			state = next
		}
		id := int32(len(m.pats))
		m.pats = append(m.pats, matcherPattern{
			runes:      len(t.runes),
			edgeStart:  boundaries && isWordRune(t.runes[0]),
			edgeEnd:    boundaries && isWordRune(t.runes[len(t.runes)-1]),
			payload:    t.payload,
			normalized: string(t.runes),
		})
		m.patNext = append(m.patNext, out[state])
		out[state] = id
		maxLen = max(maxLen, len(t.runes))
	}
	gotoFn := func(s, c int32) int32 {
		if s == 0 {
			if c <= m.roots {
				return c
			}
			return 0
		}
		if to, ok := gotoMap[[2]int32{s, c}]; ok {
			return to
		}
		return -1
	}

	m.follow = make([]followSet, m.roots+1)
	for _, t := range ts {
		if len(t.runes) >= 2 {
			m.follow[classOf[t.runes[0]]] |= followBit(classOf[t.runes[1]])
		}
	}

	// Symbol classes: a flat table for the BMP keeps the per-rune lookup to
	// one load; the rare astral runes go through a map.
	m.classBMP = make([]int32, 0x10000)
	for r, c := range classOf {
		if r < 0x10000 {
			m.classBMP[r] = c
		} else {
			m.classHi[r] = c
		}
	}

	m.nodes = make([]node, nStates)
	m.edgeLo = make([]int32, nStates+1)
	for s := 1; s < nStates; s++ {
		ch := children[s]
		sort.Slice(ch, func(a, b int) bool { return ch[a].cls < ch[b].cls })
		nd := &m.nodes[s]
		if len(ch) > 0 {
			nd.c0, nd.t0 = ch[0].cls, ch[0].to
		}
		m.edgeLo[s] = int32(len(m.edgeCls))
		for _, e := range ch[min(1, len(ch)):] {
			m.edgeCls = append(m.edgeCls, e.cls)
			m.edgeTo = append(m.edgeTo, e.to)
		}
	}
	m.edgeLo[nStates] = int32(len(m.edgeCls))

	// Failure and dictionary links, breadth first so that a state's fail
	// target is always complete before the state itself.
	m.out = out
	m.dict = make([]int32, nStates)
	m.dict[0], m.nodes[0].first = -1, -1
	queue := make([]int32, 0, nStates)
	for c := int32(1); c <= m.roots; c++ {
		queue = append(queue, c)
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := m.nodes[s].fail
		if m.out[f] >= 0 {
			m.dict[s] = f
		} else {
			m.dict[s] = m.dict[f]
		}
		if m.out[s] >= 0 {
			m.nodes[s].first = s
		} else {
			m.nodes[s].first = m.dict[s]
		}
		for _, e := range children[s] {
			// The child's fail target: the longest proper suffix of its
			// path that is also a path from the root.
			g := f
			for {
				if nx := gotoFn(g, e.cls); nx > 0 {
					m.nodes[e.to].fail = nx
					break
				}
				if g == 0 {
					break
				}
				g = m.nodes[g].fail
			}
			queue = append(queue, e.to)
		}
	}

	for s := 1; s < nStates; s++ {
		if m.edgeLo[s] < m.edgeLo[s+1] {
			m.nodes[s].fail |= moreEdges
		}
	}

	size := 1
	for size <= maxLen {
		size <<= 1
	}
	m.ringMask = size - 1
	return m
}

// followSet is a set of classes hashed to 16 bits: it can only err towards
// “may contain”. 16 bits keep the whole table, one set per starting rune,
// small enough for L1 (a hashed bitset of all pairs, 32 KB for 10,000
// terms, was slower: its loads missed); with one or two second runes per
// starting rune, as on a long random list, a pair absent from every
// pattern passes about one time in fifteen. Its load depends only on the
// previous rune, so it overlaps with decoding the current one.
type followSet uint16

// followBit is the member of a followSet that stands for class c. Classes
// are numbered in order of first appearance, so their low bits are as good
// as a hash.
func followBit(c int32) followSet { return 1 << (c & 15) }

// scan calls emit for every occurrence of every pattern, with the pattern's
// payload and the occurrence's byte span in text (spaces inside the span
// included). Occurrences arrive ordered by their end.
func (m *matcher) scan(text string, emit func(payload, bs, be int)) {
	if len(m.pats) == 0 {
		return
	}
	ring := make([]int, m.ringMask+1)
	classBMP := m.classBMP[:0x10000]
	nodes := m.nodes
	roots, singles := m.roots, m.singles
	follow := m.follow
	state := int32(0)
	pend := int32(0) // at the root: the class of the previous rune, if it starts a pattern
	k := 0           // index of the current non-space rune
	for i := 0; i < len(text); {
		c := text[i]
		var r rune
		size := 1
		switch {
		case c < 0x80:
			r = rune(c)
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			if r == ' ' || r == '\t' {
				i++
				continue
			}
		case c&0xF0 == 0xE0 && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80:
			// Three bytes, nearly every rune of a Chinese text: decoded
			// here because the call costs more than the work.
			r = rune(c&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F)
			if r < 0x800 || 0xD800 <= r && r <= 0xDFFF {
				r, size = utf8.RuneError, 1 // what DecodeRune reports
			} else {
				size = 3
			}
			if r >= 0xFF01 || r == 0x3000 {
				r = fold(r)
				if r == ' ' {
					i += size
					continue
				}
			}
		default:
			r, size = utf8.DecodeRuneInString(text[i:])
			if r == 0xA0 {
				i += size
				continue
			}
		}
		k++
		ring[k&m.ringMask] = i
		i += size
		var cls int32
		if r < 0x10000 {
			cls = classBMP[r]
		} else {
			cls = m.classHi[r]
		}
		// A branch, although on a 10,000-term list a fifth of the runes of
		// real text are in no pattern, at random, and it is mispredicted:
		// without it a 100-term list, where nearly every rune leaves here,
		// lost a fifth of its speed (and a 10,000-term list gained a sixth).
		if cls == 0 {
			// No pattern contains this rune, so every partial match dies.
			state, pend = 0, 0
			continue
		}
		// The deferred step out of the root: when pend is set, state is 0
		// and becomes pend if the pair may start a pattern. Without a
		// branch, since pend is set after about a third of all runes, at
		// random.
		state |= pend & -int32(follow[pend]>>(cls&15)&1)
		pend = 0
		for state != 0 {
			nd := &nodes[state]
			if nd.c0 == cls {
				state = nd.t0
				goto moved
			}
			f := nd.fail
			if f < 0 {
				f &^= moreEdges
				if cls > nd.c0 {
					if to := m.search(m.edgeLo[state], m.edgeLo[state+1], cls); to >= 0 {
						state = to
						goto moved
					}
				}
			}
			state = f
		}
		// At the root. Classes S+1..R are deferred (see matcher), with
		// arithmetic rather than an if, which the compiler turned into a
		// mispredicted branch here (that alone cost a quarter of the speed
		// on 10,000 terms); 1..S are single-rune patterns, entered at once
		// for their output.
		pend = cls &^ (((cls - singles - 1) | (roots - cls)) >> 31)
		if uint32(cls-1) >= uint32(singles) {
			continue
		}
		state = cls
	moved:
		for t := nodes[state].first; t >= 0; t = m.dict[t] {
			for p := m.out[t]; p >= 0; p = m.patNext[p] {
				pat := &m.pats[p]
				bs := ring[(k-pat.runes+1)&m.ringMask]
				if pat.edgeStart && bs > 0 {
					if r, _ := utf8.DecodeLastRuneInString(text[:bs]); isWordRune(fold(r)) {
						continue
					}
				}
				if pat.edgeEnd && i < len(text) {
					if r, _ := utf8.DecodeRuneInString(text[i:]); isWordRune(fold(r)) {
						continue
					}
				}
				emit(pat.payload, bs, i)
			}
		}
	}
}

// search finds class c among the edges lo:hi.
func (m *matcher) search(lo, hi, c int32) int32 {
	if hi-lo <= 8 {
		for i := lo; i < hi; i++ {
			if m.edgeCls[i] == c {
				return m.edgeTo[i]
			}
		}
		return -1
	}
	for lo < hi {
		mid := int32(uint32(lo+hi) >> 1)
		switch {
		case m.edgeCls[mid] < c:
			lo = mid + 1
		case m.edgeCls[mid] > c:
			hi = mid
		default:
			return m.edgeTo[mid]
		}
	}
	return -1
}
