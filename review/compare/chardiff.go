package compare

import (
	"strings"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Op is the kind of a diff segment.
type Op int8

// Segment operations. Their string forms ("equal", "delete", "insert") are
// what JSON carries.
const (
	Equal Op = iota
	Delete
	Insert
)

// String returns "equal", "delete" or "insert".
func (o Op) String() string {
	switch o {
	case Delete:
		return "delete"
	case Insert:
		return "insert"
	}
	return "equal"
}

// MarshalText makes Op readable in JSON.
func (o Op) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// Segment is one run of a diff. Delete text comes from the old version,
// Insert and Equal text from the new one (Equal text is identical in both).
//
// Ignored marks a Delete/Insert pair that differs only in ways the options
// said to ignore (whitespace, full/half width). Renderers show an ignored
// Delete not at all in inline views and unhighlighted in the old column, and
// an ignored Insert as plain text; keeping them as edits rather than folding
// them into Equal is what lets Apply rebuild the new text exactly.
type Segment struct {
	Op      Op     `json:"op"`
	Text    string `json:"text"`
	Ignored bool   `json:"ignored,omitempty"`
}

// Options change what counts as a difference.
type Options struct {
	// IgnoreSpace treats all whitespace (including full-width spaces and
	// zero-width spaces) as absent.
	IgnoreSpace bool
	// IgnoreWidth treats full-width and half-width forms of punctuation,
	// digits and Latin letters as equal ("，" = ",", "１" = "1").
	IgnoreWidth bool
	// HideUnchanged leaves 未修改 rows out of Result.Rows (they are still
	// counted in the summary).
	HideUnchanged bool
}

// Size limits for the character diff. go-diff's bisection costs about
// (N+M)·D steps; a changed block larger than directCharLimit runes is first
// diffed by sentence, and a block still larger than coarseLimit after that is
// reported as one replacement (Result.Coarse) rather than risking seconds.
const (
	directCharLimit = 2000
	coarseLimit     = 40000
)

// differ runs diffs under one set of options. It is not safe for concurrent
// use; Compare and DiffText make their own.
type differ struct {
	opt    Options
	dmp    *diffmatchpatch.DiffMatchPatch
	coarse bool // a block had to be reported as a whole replacement
	scr    *scratch
}

func newDiffer(opt Options) *differ {
	dmp := diffmatchpatch.New()
	// A positive timeout makes go-diff return a non-minimal, sometimes
	// "delete all, insert all" answer without saying so. Sizes are bounded
	// by the caller instead.
	dmp.DiffTimeout = 0
	return &differ{opt: opt, dmp: dmp}
}

// foldRune maps a rune to its comparison key, or -1 when the options make it
// invisible.
func (d *differ) foldRune(r rune) rune {
	if d.opt.IgnoreSpace && isBlankRune(r) {
		return -1
	}
	if d.opt.IgnoreWidth {
		switch {
		case r >= '\uff01' && r <= '\uff5e':
			return r - 0xfee0
		case r == '\u3000':
			return ' '
		}
	}
	return r
}

// units is a text cut into comparison units: one per visible rune, with the
// invisible runes that follow it (or, for the first unit, surround it)
// attached, so that the units' spans partition the original text.
type units struct {
	s     string
	keys  []rune
	spans []int // len(keys)+1 byte offsets; unit i is s[spans[i]:spans[i+1]]
}

func (d *differ) cut(s string) units {
	n := utf8.RuneCountInString(s)
	u := units{s: s, keys: make([]rune, 0, n), spans: make([]int, 0, n+1)}
	plain := d.plain()
	for i, r := range s {
		k := r
		if !plain {
			k = d.foldRune(r)
		}
		if k < 0 {
			continue
		}
		u.keys = append(u.keys, k)
		u.spans = append(u.spans, i)
	}
	if len(u.keys) > 0 {
		u.spans[0] = 0
		u.spans = append(u.spans, len(s))
	}
	return u
}

// plain reports that no option changes what counts as equal.
func (d *differ) plain() bool { return !d.opt.IgnoreSpace && !d.opt.IgnoreWidth }

func (u units) text(i, j int) string {
	if i == j {
		return ""
	}
	return u.s[u.spans[i]:u.spans[j]]
}

// keyRun is one step of a diff over unit keys: n units of the old side
// (Delete), of the new side (Insert), or of both (Equal).
type keyRun struct {
	op Op
	n  int
}

// builder assembles segments, merging neighbours of the same kind and
// keeping every Delete before the Insert of the same change. Text waits in
// string builders until the kind changes: appending line after line to a
// segment's string would copy a long unchanged stretch once per line.
type builder struct {
	segs         []Segment
	eq, del, ins strings.Builder
	ignored      bool
}

// flush moves pending text into segments. At most one of the equal text and
// the change (del, ins) is pending at a time.
func (b *builder) flush() {
	if b.eq.Len() > 0 {
		b.push(Segment{Op: Equal, Text: b.eq.String()})
		b.eq.Reset()
	}
	if b.del.Len() > 0 {
		b.push(Segment{Op: Delete, Text: b.del.String(), Ignored: b.ignored})
		b.del.Reset()
	}
	if b.ins.Len() > 0 {
		b.push(Segment{Op: Insert, Text: b.ins.String(), Ignored: b.ignored})
		b.ins.Reset()
	}
}

func (b *builder) push(s Segment) {
	if n := len(b.segs); n > 0 && b.segs[n-1].Op == s.Op && b.segs[n-1].Ignored == s.Ignored {
		b.segs[n-1].Text += s.Text
		return
	}
	b.segs = append(b.segs, s)
}

func (b *builder) add(op Op, text string, ignored bool) {
	if text == "" {
		return
	}
	if op == Equal {
		if b.del.Len() > 0 || b.ins.Len() > 0 {
			b.flush()
		}
		b.eq.WriteString(text)
		return
	}
	if b.eq.Len() > 0 || ((b.del.Len() > 0 || b.ins.Len() > 0) && b.ignored != ignored) {
		b.flush()
	}
	b.ignored = ignored
	if op == Delete {
		b.del.WriteString(text)
	} else {
		b.ins.WriteString(text)
	}
}

func (b *builder) addAll(segs []Segment) {
	for _, s := range segs {
		b.add(s.Op, s.Text, s.Ignored)
	}
}

func (b *builder) done() []Segment {
	b.flush()
	return b.segs
}

// diffChars diffs two short-to-medium texts character by character with
// semantic clean-up, honouring the options. The segments partition both
// texts exactly.
func (d *differ) diffChars(a, b string) []Segment {
	var out builder
	d.diffCharsInto(&out, a, b)
	return out.done()
}

func (d *differ) diffCharsInto(out *builder, a, b string) {
	if a == b {
		out.add(Equal, a, false)
		return
	}
	ua, ub := d.cut(a), d.cut(b)
	// Text made only of ignored runes has no units; it is an ignored edit.
	if len(ua.keys) == 0 || len(ub.keys) == 0 {
		ign := len(ua.keys) == 0 && len(ub.keys) == 0
		if len(ua.keys) == 0 && a != "" {
			out.add(Delete, a, true)
			a = ""
		}
		if len(ub.keys) == 0 && b != "" {
			out.add(Insert, b, true)
			b = ""
		}
		if !ign {
			out.add(Delete, a, false)
			out.add(Insert, b, false)
		}
		return
	}
	runs := d.diffKeys(ua.keys, ub.keys)
	emitRuns(out, runs, ua, ub)
}

// emitRuns turns key runs back into segments of the original texts.
func emitRuns(out *builder, runs []keyRun, ua, ub units) {
	i, j := 0, 0
	for _, r := range runs {
		switch r.op {
		case Equal:
			if ta, tb := ua.text(i, i+r.n), ub.text(j, j+r.n); ta == tb {
				out.add(Equal, ta, false)
				i += r.n
				j += r.n
				continue
			}
			for k := 0; k < r.n; k++ {
				ta, tb := ua.text(i+k, i+k+1), ub.text(j+k, j+k+1)
				if ta == tb {
					out.add(Equal, ta, false)
				} else {
					out.add(Delete, ta, true)
					out.add(Insert, tb, true)
				}
			}
			i += r.n
			j += r.n
		case Delete:
			out.add(Delete, ua.text(i, i+r.n), false)
			i += r.n
		case Insert:
			out.add(Insert, ub.text(j, j+r.n), false)
			j += r.n
		}
	}
}

// diffKeys diffs two key sequences, by sentence first when they are large.
func (d *differ) diffKeys(a, b []rune) []keyRun {
	if len(a)+len(b) <= directCharLimit {
		return d.charRuns(a, b)
	}
	sa, sb := sentences(a), sentences(b)
	tokRuns := d.tokenRuns(runeKeys(sa), runeKeys(sb))
	var runs []keyRun
	ia, ib := 0, 0 // sentence indexes
	pa, pb := 0, 0 // key offsets
	span := func(ss [][]rune, from, n int) int {
		t := 0
		for _, s := range ss[from : from+n] {
			t += len(s)
		}
		return t
	}
	for k := 0; k < len(tokRuns); k++ {
		r := tokRuns[k]
		if r.op == Equal {
			n := span(sa, ia, r.n)
			runs = append(runs, keyRun{Equal, n})
			ia, ib, pa, pb = ia+r.n, ib+r.n, pa+n, pb+span(sb, ib, r.n)
			continue
		}
		// Gather the whole changed block between two equal runs.
		na, nb := 0, 0
		for ; k < len(tokRuns) && tokRuns[k].op != Equal; k++ {
			if tokRuns[k].op == Delete {
				na += tokRuns[k].n
			} else {
				nb += tokRuns[k].n
			}
		}
		k--
		la, lb := span(sa, ia, na), span(sb, ib, nb)
		switch {
		case la == 0 || lb == 0 || la+lb <= coarseLimit:
			runs = append(runs, d.charRuns(a[pa:pa+la], b[pb:pb+lb])...)
		default:
			d.coarse = true
			runs = append(runs, keyRun{Delete, la}, keyRun{Insert, lb})
		}
		ia, ib, pa, pb = ia+na, ib+nb, pa+la, pb+lb
	}
	return runs
}

// charRuns is the plain character diff with semantic clean-up.
//
// Before go-diff sees them, both sides lose their common beginning and end
// and every character that does not occur on the other side. Such a
// character can be in no common subsequence, and the common ends are in a
// longest one, so the longest common subsequence keeps its length, while go-diff's bisection, whose cost grows with the
// number of edits, and the merges it runs at every level of its recursion
// get far smaller inputs: in a revised article most inserted and deleted
// characters occur on one side only (公司法 2018 → 2023: the character
// diffs took 40% less time). The result is expanded back to the full texts
// before go-diff's semantic clean-up, which thus sees whole phrases. Where
// several common subsequences are equally long, go-diff may pick another
// one than on the unfiltered texts; on the corpus this changed 11 of the 979
// changed lines, about as many for the better as for the worse.
func (d *differ) charRuns(a, b []rune) []keyRun {
	if rewritten(a, b) {
		return replaceRuns(a, b)
	}
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	q := 0
	for q < len(a)-p && q < len(b)-p && a[len(a)-1-q] == b[len(b)-1-q] {
		q++
	}
	ma, mb := a[p:len(a)-q], b[p:len(b)-q]
	var rb runBuilder
	rb.runs = make([]keyRun, 0, 8)
	rb.add(Equal, p)
	if len(ma) == 0 || len(mb) == 0 {
		rb.add(Delete, len(ma))
		rb.add(Insert, len(mb))
		rb.add(Equal, q)
		return rb.runs
	}
	s := d.scratchFor()
	s.ka = s.shared(ma, mb, s.ka[:0])
	s.kb = s.shared(mb, ma, s.kb[:0])
	if len(s.ka) > 0 {
		s.fa, s.fb = pickRunes(ma, s.ka, s.fa[:0]), pickRunes(mb, s.kb, s.fb[:0])
		expandRuns(&rb, d.dmp.DiffMainRunes(s.fa, s.fb, false), s.ka, s.kb, len(ma), len(mb))
	} else {
		rb.add(Delete, len(ma))
		rb.add(Insert, len(mb))
	}
	rb.add(Equal, q)
	if len(rb.runs) == 1 {
		return rb.runs
	}
	// Back to go-diff's form on the full texts for its semantic clean-up.
	// The runs are already merged (no two neighbours of one kind, deletions
	// first), as DiffMain would hand them over; a DiffCleanupMerge here
	// changed nothing on the corpus and cost a twentieth of the diff.
	diffs := make([]diffmatchpatch.Diff, 0, len(rb.runs)+1)
	i, j := 0, 0
	for _, r := range rb.runs {
		switch r.op {
		case Equal:
			diffs = append(diffs, diffmatchpatch.Diff{Type: diffmatchpatch.DiffEqual, Text: string(a[i : i+r.n])})
			i += r.n
			j += r.n
		case Delete:
			diffs = append(diffs, diffmatchpatch.Diff{Type: diffmatchpatch.DiffDelete, Text: string(a[i : i+r.n])})
			i += r.n
		default:
			diffs = append(diffs, diffmatchpatch.Diff{Type: diffmatchpatch.DiffInsert, Text: string(b[j : j+r.n])})
			j += r.n
		}
	}
	diffs = d.dmp.DiffCleanupSemantic(diffs)
	runs := rb.runs[:0]
	for _, df := range diffs {
		n := utf8.RuneCountInString(df.Text)
		if n == 0 {
			continue
		}
		switch df.Type {
		case diffmatchpatch.DiffEqual:
			runs = append(runs, keyRun{Equal, n})
		case diffmatchpatch.DiffDelete:
			runs = append(runs, keyRun{Delete, n})
		default:
			runs = append(runs, keyRun{Insert, n})
		}
	}
	return runs
}

// expandRuns adds to rb the runs over the full sequences (lengths na, nb)
// of a diff over their kept elements ka and kb (indexes, increasing): kept
// elements take the diff's operation, dropped ones are deletions and
// insertions where they stand.
func expandRuns(rb *runBuilder, diffs []diffmatchpatch.Diff, ka, kb []int, na, nb int) {
	ia, ib := 0, 0 // next element of a and b not yet emitted
	pa, pb := 0, 0 // next kept element of a and b
	for _, df := range diffs {
		for range utf8.RuneCountInString(df.Text) {
			switch df.Type {
			case diffmatchpatch.DiffEqual:
				rb.add(Delete, ka[pa]-ia)
				rb.add(Insert, kb[pb]-ib)
				rb.add(Equal, 1)
				ia, ib, pa, pb = ka[pa]+1, kb[pb]+1, pa+1, pb+1
			case diffmatchpatch.DiffDelete:
				rb.add(Delete, ka[pa]+1-ia)
				ia, pa = ka[pa]+1, pa+1
			default:
				rb.add(Insert, kb[pb]+1-ib)
				ib, pb = kb[pb]+1, pb+1
			}
		}
	}
	rb.add(Delete, na-ia)
	rb.add(Insert, nb-ib)
}

// scratch is a differ's reusable memory for charRuns: a bit set over the
// Basic Multilingual Plane (8 KB, cleared after each use) with a map for
// the rare runes beyond it, and the index and rune buffers.
type scratch struct {
	bmp    [1024]uint64
	astral map[rune]bool
	ka, kb []int
	fa, fb []rune
}

func (d *differ) scratchFor() *scratch {
	if d.scr == nil {
		d.scr = new(scratch)
	}
	return d.scr
}

// shared appends to idx the indexes of the runes of x that occur in y.
func (s *scratch) shared(x, y []rune, idx []int) []int {
	for _, r := range y {
		if r >= 0 && r < 1<<16 {
			s.bmp[r>>6] |= 1 << (r & 63)
		} else {
			if s.astral == nil {
				s.astral = map[rune]bool{}
			}
			s.astral[r] = true
		}
	}
	for i, r := range x {
		var in bool
		if r >= 0 && r < 1<<16 {
			in = s.bmp[r>>6]&(1<<(r&63)) != 0
		} else {
			in = s.astral[r]
		}
		if in {
			idx = append(idx, i)
		}
	}
	for _, r := range y {
		if r >= 0 && r < 1<<16 {
			s.bmp[r>>6] = 0
		}
	}
	clear(s.astral)
	return idx
}

// pickRunes appends the runes of a at the given indexes to out.
func pickRunes(a []rune, idx []int, out []rune) []rune {
	for _, k := range idx {
		out = append(out, a[k])
	}
	return out
}

// tokenRuns diffs two token sequences (lines, sentences) by identity of
// their keys: each distinct token becomes one rune for go-diff.
func (d *differ) tokenRuns(a, b []string) []keyRun {
	if len(a)+len(b) > maxTokens {
		d.coarse = true
		return []keyRun{{Delete, len(a)}, {Insert, len(b)}}
	}
	ids := make(map[string]rune, len(a)+len(b))
	enc := func(toks []string) []rune {
		out := make([]rune, len(toks))
		for i, t := range toks {
			id, ok := ids[t]
			if !ok {
				id = tokenRune(len(ids))
				ids[t] = id
			}
			out[i] = id
		}
		return out
	}
	ea, eb := enc(a), enc(b)
	// A token that does not occur on the other side can be in no common
	// subsequence, so dropping such tokens before the diff leaves the result
	// minimal while shrinking both the input and the edit distance that
	// go-diff's bisection pays for (GNU diff and git do the same). In a
	// heavily revised law most changed lines are such tokens.
	ka, kb := matched(ea, eb), matched(eb, ea)
	fa, fb := pick(ea, ka), pick(eb, kb)
	var rb runBuilder
	expandRuns(&rb, d.dmp.DiffMainRunes(fa, fb, false), ka, kb, len(ea), len(eb))
	return rb.runs
}

// matched returns the indexes of the tokens of a that occur in b.
func matched(a, b []rune) []int {
	in := make(map[rune]bool, len(b))
	for _, t := range b {
		in[t] = true
	}
	var out []int
	for i, t := range a {
		if in[t] {
			out = append(out, i)
		}
	}
	return out
}

// pick returns the tokens of a at the given indexes.
func pick(a []rune, idx []int) []rune {
	out := make([]rune, len(idx))
	for i, k := range idx {
		out[i] = a[k]
	}
	return out
}

// runBuilder collects key runs, merging neighbours of the same kind and
// keeping deletions before insertions within a changed stretch, as go-diff
// orders them.
type runBuilder struct{ runs []keyRun }

func (b *runBuilder) add(op Op, n int) {
	if n <= 0 {
		return
	}
	if k := len(b.runs); k > 0 && b.runs[k-1].op == op {
		b.runs[k-1].n += n
		return
	}
	// An insertion followed by a deletion with no equal run between them
	// reads better, and matches go-diff's output, as deletion first.
	if k := len(b.runs); op == Delete && k > 0 && b.runs[k-1].op == Insert {
		ins := b.runs[k-1]
		b.runs = b.runs[:k-1]
		b.add(Delete, n)
		b.add(Insert, ins.n)
		return
	}
	b.runs = append(b.runs, keyRun{op, n})
}

// maxTokens keeps token numbers within the runes tokenRune can produce.
const maxTokens = 1_000_000

// tokenRune numbers tokens with valid, non-surrogate runes: go-diff hands
// its results back as strings, and a surrogate would not survive the trip.
func tokenRune(i int) rune {
	r := rune(i + 1)
	if r >= 0xd800 {
		r += 0x800
	}
	return r
}

// runeKeys returns the tokens as strings, the form tokenRuns compares.
func runeKeys(toks [][]rune) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = string(t)
	}
	return out
}

// sentences cuts keys after sentence-ending punctuation and newlines.
func sentences(keys []rune) [][]rune {
	var out [][]rune
	start := 0
	for i, r := range keys {
		switch r {
		case '。', '；', '！', '？', '\n', ';', '!', '?':
			out = append(out, keys[start:i+1])
			start = i + 1
		}
	}
	if start < len(keys) {
		out = append(out, keys[start:])
	}
	return out
}

// rewriteShare is the share of a passage's character pairs (bigrams) that
// must recur in the other for a character diff to be worth showing. Below it
// the passage was rewritten: go-diff's semantic clean-up would fold the few
// shared characters into the edit anyway, after the most expensive bisection
// there is, and a reader sees a rewritten sentence as replaced. Measured on
// the corpus, such passages were 40% of the character diffs and half their
// time.
const rewriteShare = 0.2

// rewritten reports whether fewer than rewriteShare of the shorter side's
// bigrams occur in the other side. Bigrams are hashed into a 4096-bit set,
// which may count a bigram as shared that is not; that errs towards the
// full character diff.
func rewritten(a, b []rune) bool {
	if len(a) < 16 || len(b) < 16 {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	var seen [64]uint64
	hash := func(x, y rune) uint32 { return (uint32(x)*2654435761 ^ uint32(y)*40503) >> 20 }
	for i := 0; i+1 < len(b); i++ {
		h := hash(b[i], b[i+1])
		seen[h>>6] |= 1 << (h & 63)
	}
	shared := 0
	for i := 0; i+1 < len(a); i++ {
		if h := hash(a[i], a[i+1]); seen[h>>6]&(1<<(h&63)) != 0 {
			shared++
		}
	}
	return float64(shared) < rewriteShare*float64(len(a)-1)
}

// replaceRuns shows b replacing a, keeping their common beginning and end.
func replaceRuns(a, b []rune) []keyRun {
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	q := 0
	for q < len(a)-p && q < len(b)-p && a[len(a)-1-q] == b[len(b)-1-q] {
		q++
	}
	var rb runBuilder
	rb.add(Equal, p)
	rb.add(Delete, len(a)-p-q)
	rb.add(Insert, len(b)-p-q)
	rb.add(Equal, q)
	return rb.runs
}
