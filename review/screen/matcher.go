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
// A matcher is immutable once built and safe for concurrent use.
type matcher struct {
	classBMP []int32          // folded rune -> symbol class; 0 means “in no pattern”
	classHi  map[rune]int32   // the same for runes beyond the BMP
	rootNext []int32          // the root's transitions, dense by class
	edgeLo   []int32          // edges of state s are edgeCls/edgeTo[edgeLo[s]:edgeLo[s+1]]
	edgeCls  []int32          // sorted by class within a state
	edgeTo   []int32          //
	fail     []int32          // failure links
	first    []int32          // first state on the fail chain (self included) with output, or -1
	dict     []int32          // next state with output strictly down the fail chain, or -1
	out      []int32          // first pattern ending at the state, or -1
	patNext  []int32          // next pattern ending at the same state, or -1
	pats     []matcherPattern // by pattern id
	ringMask int              // ring of recent rune offsets, sized above the longest pattern
}

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
	type edge struct{ cls, to int32 }
	children := [][]edge{nil}
	out := []int32{-1}
	var nClass int32 = 1
	classOf := map[rune]int32{}
	maxLen := 1
	for i, t := range terms {
		norm := normalize(t)
		if norm == "" {
			continue
		}
		state := int32(0)
		n := 0
		for _, r := range norm {
			n++
			c, ok := classOf[r]
			if !ok {
				c = nClass
				nClass++
				classOf[r] = c
			}
			next := int32(-1)
			for _, e := range children[state] {
				if e.cls == c {
					next = e.to
					break
				}
			}
			if next < 0 {
				next = int32(len(children))
				children = append(children, nil)
				out = append(out, -1)
				children[state] = append(children[state], edge{c, next})
			}
			state = next
		}
		first, _ := utf8.DecodeRuneInString(norm)
		last, _ := utf8.DecodeLastRuneInString(norm)
		id := int32(len(m.pats))
		m.pats = append(m.pats, matcherPattern{
			runes:      n,
			edgeStart:  boundaries && isWordRune(first),
			edgeEnd:    boundaries && isWordRune(last),
			payload:    payloads[i],
			normalized: norm,
		})
		m.patNext = append(m.patNext, out[state])
		out[state] = id
		maxLen = max(maxLen, n)
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

	ns := len(children)
	m.rootNext = make([]int32, nClass)
	for _, e := range children[0] {
		m.rootNext[e.cls] = e.to
	}
	m.edgeLo = make([]int32, ns+1)
	for s := range ns {
		ch := children[s]
		sort.Slice(ch, func(a, b int) bool { return ch[a].cls < ch[b].cls })
		m.edgeLo[s] = int32(len(m.edgeCls))
		for _, e := range ch {
			m.edgeCls = append(m.edgeCls, e.cls)
			m.edgeTo = append(m.edgeTo, e.to)
		}
	}
	m.edgeLo[ns] = int32(len(m.edgeCls))

	// Failure and dictionary links, breadth first so that a state's fail
	// target is always complete before the state itself.
	m.out = out
	m.fail = make([]int32, ns)
	m.dict = make([]int32, ns)
	m.first = make([]int32, ns)
	m.dict[0], m.first[0] = -1, -1
	queue := make([]int32, 0, ns)
	for _, e := range children[0] {
		queue = append(queue, e.to)
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := m.fail[s]
		switch {
		case m.out[f] >= 0:
			m.dict[s] = f
		default:
			m.dict[s] = m.dict[f]
		}
		if m.out[s] >= 0 {
			m.first[s] = s
		} else {
			m.first[s] = m.dict[s]
		}
		for _, e := range children[s] {
			// The child's fail target: the longest proper suffix of its
			// path that is also a path from the root.
			g := f
			for {
				if nx := m.step(g, e.cls); nx >= 0 && nx != e.to {
					m.fail[e.to] = nx
					break
				}
				if g == 0 {
					m.fail[e.to] = 0
					break
				}
				g = m.fail[g]
			}
			queue = append(queue, e.to)
		}
	}

	size := 1
	for size <= maxLen {
		size <<= 1
	}
	m.ringMask = size - 1
	return m
}

// step returns the goto transition of state s on class c, or -1.
func (m *matcher) step(s, c int32) int32 {
	if s == 0 {
		if to := m.rootNext[c]; to != 0 {
			return to
		}
		return -1
	}
	lo, hi := m.edgeLo[s], m.edgeLo[s+1]
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

// scan calls emit for every occurrence of every pattern, with the pattern's
// payload and the occurrence's byte span in text (spaces inside the span
// included). Occurrences arrive ordered by their end.
func (m *matcher) scan(text string, emit func(payload, bs, be int)) {
	if len(m.pats) == 0 {
		return
	}
	ring := make([]int, m.ringMask+1)
	classBMP := m.classBMP[:0x10000]
	state := int32(0)
	k := 0 // index of the current non-space rune
	for i := 0; i < len(text); {
		c := text[i]
		var r rune
		size := 1
		if c < 0x80 {
			r = rune(c)
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			if r == ' ' || r == '\t' {
				i++
				continue
			}
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
			if r >= 0xFF01 || r == 0x3000 || r == 0xA0 {
				r = fold(r)
				if r == ' ' {
					i += size
					continue
				}
			}
		}
		k++
		ring[k&m.ringMask] = i
		var cls int32
		if r < 0x10000 {
			cls = classBMP[r]
		} else {
			cls = m.classHi[r]
		}
		if cls == 0 {
			// No pattern contains this rune, so every partial match dies.
			state = 0
			i += size
			continue
		}
		for {
			if state == 0 {
				state = m.rootNext[cls]
				break
			}
			if nx := m.step(state, cls); nx >= 0 {
				state = nx
				break
			}
			state = m.fail[state]
		}
		i += size
		for t := m.first[state]; t >= 0; t = m.dict[t] {
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
