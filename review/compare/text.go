package compare

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"qianfa/review"
)

// maxInput bounds each compared text. Larger inputs are refused with a clear
// message rather than left to exhaust memory.
const maxInput = 32 << 20

// TextDiff is a whole-text diff for the side-by-side and inline views.
type TextDiff struct {
	// Segments is the inline (redline) form; it partitions both texts:
	// Equal+Delete rebuild the old text, Equal+Insert the new one.
	Segments []Segment `json:"segments"`
	// Lines pairs old and new lines for side-by-side display.
	Lines []LinePair `json:"lines"`
	// Coarse is true when some block was too large for a character diff
	// and is shown as a whole replacement.
	Coarse bool `json:"coarse"`
	// Warnings are for the user, in Chinese (invalid bytes replaced, …).
	Warnings []string `json:"warnings,omitempty"`
}

// LinePair is one row of the side-by-side view. A line number of 0 means the
// side has no line here (pure insertion or deletion). Old holds Equal and
// Delete segments, New holds Equal and Insert segments; neither contains the
// line's newline.
type LinePair struct {
	OldLine int       `json:"old_line,omitempty"`
	NewLine int       `json:"new_line,omitempty"`
	Old     []Segment `json:"old,omitempty"`
	New     []Segment `json:"new,omitempty"`
	Changed bool      `json:"changed"`
}

// sanitize replaces invalid UTF-8 and says so in Chinese.
func sanitize(s, which string, warns *[]string) string {
	if utf8.ValidString(s) {
		return s
	}
	*warns = append(*warns, which+"含有无效的 UTF-8 字节，已替换为 “\uFFFD” 后比较。")
	return strings.ToValidUTF8(s, "\uFFFD")
}

// checkInput sanitises both texts and enforces the size limit.
func checkInput(old, new string) (string, string, []string, error) {
	if len(old) > maxInput || len(new) > maxInput {
		return "", "", nil, review.Errorf(review.EINVALID, "待比较的文本过大（超过 %d MB），请分段比较。", maxInput>>20)
	}
	var warns []string
	old = sanitize(old, "旧文本", &warns)
	new = sanitize(new, "新文本", &warns)
	return old, new, warns, nil
}

// DiffText compares two whole texts line by line, then character by
// character within changed lines, with semantic clean-up. Invalid UTF-8 is
// replaced by U+FFFD (with a warning); Apply(old, Segments) then equals the
// sanitised new text. Line endings are kept as written.
func DiffText(old, new string, opt Options) (*TextDiff, error) {
	td, err := DiffInline(old, new, opt)
	if err != nil {
		return nil, err
	}
	td.Lines = sideBySide(td.Segments)
	return td, nil
}

// DiffInline is DiffText without the side-by-side Lines, for callers that
// show only the redline (qianfa-cli diff's text output): pairing the lines
// costs a twentieth of the whole diff and most of its allocations.
func DiffInline(old, new string, opt Options) (*TextDiff, error) {
	old, new, warns, err := checkInput(old, new)
	if err != nil {
		return nil, err
	}
	d := newDiffer(opt)
	segs := d.diffLines(old, new)
	td := &TextDiff{Segments: segs, Coarse: d.coarse, Warnings: warns}
	if d.coarse {
		td.Warnings = append(td.Warnings, coarseWarning)
	}
	if err := verify(old, new, segs); err != nil {
		return nil, err
	}
	return td, nil
}

// coarseWarning tells the user that part of the result is not character-level.
const coarseWarning = "部分改动范围过大，未逐字比对，整段显示为删除和新增。"

// verify checks that the segments rebuild both texts; a mismatch is a bug,
// reported instead of showing the user a wrong comparison.
func verify(old, new string, segs []Segment) error {
	// Walk both texts in step rather than rebuilding them: the same check
	// without two copies of the whole text.
	po, pn := 0, 0
	for _, s := range segs {
		if s.Op != Insert {
			if !strings.HasPrefix(old[po:], s.Text) {
				return verifyFailed()
			}
			po += len(s.Text)
		}
		if s.Op != Delete {
			if !strings.HasPrefix(new[pn:], s.Text) {
				return verifyFailed()
			}
			pn += len(s.Text)
		}
	}
	if po != len(old) || pn != len(new) {
		return verifyFailed()
	}
	return nil
}

func verifyFailed() error {
	return review.Errorf(review.EINTERNAL, "比较结果自检失败，未能还原原文，请将两份文本报告给技术人员。")
}

// Apply replays segments on old: Equal text must match and is kept, Delete
// text must match and is dropped, Insert text is added. It returns the new
// text, or an EINVALID error when the segments do not fit old.
func Apply(old string, segs []Segment) (string, error) {
	var b strings.Builder
	b.Grow(len(old))
	pos := 0
	for i, s := range segs {
		switch s.Op {
		case Equal, Delete:
			if !strings.HasPrefix(old[pos:], s.Text) {
				return "", review.Errorf(review.EINVALID, "第 %d 段改动与原文不符，无法应用。", i+1)
			}
			pos += len(s.Text)
			if s.Op == Equal {
				b.WriteString(s.Text)
			}
		case Insert:
			b.WriteString(s.Text)
		}
	}
	if pos != len(old) {
		return "", review.Errorf(review.EINVALID, "改动未覆盖原文末尾，无法应用。")
	}
	return b.String(), nil
}

// splitLines cuts s after each "\n", keeping the newline with its line.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	out := strings.SplitAfter(s, "\n")
	if out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// diffLines is the line-then-character diff of two texts.
func (d *differ) diffLines(a, b string) []Segment {
	if a == b {
		if a == "" {
			return nil
		}
		return []Segment{{Op: Equal, Text: a}}
	}
	la, lb := splitLines(a), splitLines(b)
	ka, kb := d.lineKeys(la), d.lineKeys(lb)
	runs := absorbBlankAnchors(d.tokenRuns(ka, kb), la, lb)
	// The character diffs of changed blocks are independent: gather them,
	// run them on every core, and assemble the results in order. A stretch
	// of identical lines is one job holding the new text's bytes, which
	// diffChars passes through as Equal without copying; lines whose keys
	// are equal but whose bytes differ (under the ignore options) are
	// diffed one by one.
	var jobs [][2]string
	i, j := 0, 0
	pa, pb := 0, 0 // byte offsets of la[i] in a and lb[j] in b
	same := -1
	for k := 0; k < len(runs); k++ {
		if runs[k].op == Equal {
			for t := 0; t < runs[k].n; t++ {
				l := lb[j+t]
				if la[i+t] == l {
					if same < 0 {
						same = pb
					}
				} else {
					if same >= 0 {
						jobs = append(jobs, [2]string{b[same:pb], b[same:pb]})
						same = -1
					}
					jobs = append(jobs, [2]string{la[i+t], l})
				}
				pa += len(la[i+t])
				pb += len(l)
			}
			i += runs[k].n
			j += runs[k].n
			continue
		}
		if same >= 0 {
			jobs = append(jobs, [2]string{b[same:pb], b[same:pb]})
			same = -1
		}
		na, nb := 0, 0
		for ; k < len(runs) && runs[k].op != Equal; k++ {
			if runs[k].op == Delete {
				na += runs[k].n
			} else {
				nb += runs[k].n
			}
		}
		k--
		// Lines are consecutive substrings, so a block is one slice.
		ea, eb := pa, pb
		for _, l := range la[i : i+na] {
			ea += len(l)
		}
		for _, l := range lb[j : j+nb] {
			eb += len(l)
		}
		jobs = append(jobs, [2]string{a[pa:ea], b[pb:eb]})
		i, j, pa, pb = i+na, j+nb, ea, eb
	}
	if same >= 0 {
		jobs = append(jobs, [2]string{b[same:pb], b[same:pb]})
	}
	var out builder
	for _, segs := range d.diffAll(jobs) {
		out.addAll(segs)
	}
	return out.done()
}

// blankMergeBytes bounds the changed stretch absorbBlankAnchors builds.
const blankMergeBytes = 1500

// absorbBlankAnchors joins changed blocks separated only by blank lines
// into one, when a line was added or removed among them and the result
// stays small. Blank lines are the commonest line of all, so the line diff
// anchors on them wherever they fall: with a line inserted above a reworded
// heading, the heading would be paired with the new line and the article
// under it with the heading, and shown deleted and inserted again. The
// character diff of the joined block pairs them by their text instead.
// Where every block replaces line for line, the anchors pair them right
// already and stay, as they do around large stretches: the character
// diff's cost grows with the block.
func absorbBlankAnchors(runs []keyRun, la, lb []string) []keyRun {
	type part struct {
		run   keyRun
		bytes int
		blank bool // an Equal run of blank lines
	}
	parts := make([]part, len(runs))
	i, j := 0, 0
	for k, r := range runs {
		p := part{run: r, blank: r.op == Equal}
		if r.op != Insert {
			for _, l := range la[i : i+r.n] {
				p.bytes += len(l)
				p.blank = p.blank && strings.TrimSpace(l) == ""
			}
			i += r.n
		}
		if r.op != Delete {
			for _, l := range lb[j : j+r.n] {
				p.bytes += len(l)
			}
			j += r.n
		}
		parts[k] = p
	}
	var out runBuilder
	for k := 0; k < len(parts); {
		if parts[k].run.op == Equal {
			out.add(Equal, parts[k].run.n)
			k++
			continue
		}
		// A chain: changed runs, then any number of (blank lines, changed
		// runs); end is where it stops.
		end, bytes, blocks := k, 0, 0
		uneven := false
		for end < len(parts) {
			dels, ins, e := 0, 0, end
			for ; e < len(parts) && parts[e].run.op != Equal; e++ {
				bytes += parts[e].bytes
				if parts[e].run.op == Delete {
					dels += parts[e].run.n
				} else {
					ins += parts[e].run.n
				}
			}
			blocks++
			uneven = uneven || dels != ins
			end = e
			if e+1 < len(parts) && parts[e].blank && parts[e+1].run.op != Equal {
				bytes += parts[e].bytes
				end = e + 1
				continue
			}
			break
		}
		merge := blocks > 1 && uneven && bytes <= blankMergeBytes
		for _, p := range parts[k:end] {
			if p.run.op == Equal && merge {
				out.add(Delete, p.run.n)
				out.add(Insert, p.run.n)
			} else {
				out.add(p.run.op, p.run.n)
			}
		}
		k = end
	}
	return out.runs
}

// diffAll runs diffChars on each pair, in parallel, keeping the order.
func (d *differ) diffAll(jobs [][2]string) [][]Segment {
	results := make([][]Segment, len(jobs))
	d.parallel(len(jobs), 64, func(w *differ, k int) {
		results[k] = w.diffChars(jobs[k][0], jobs[k][1])
	})
	return results
}

// parallel calls fn(w, k) for k in [0, n) on up to GOMAXPROCS goroutines,
// one per perWorker jobs at least, each with its own differ w (a differ's
// scratch memory and coarse flag are not shared); a coarse result in any
// of them marks d coarse.
func (d *differ) parallel(n, perWorker int, fn func(w *differ, k int)) {
	workers := min(runtime.GOMAXPROCS(0), max(1, n/perWorker))
	if workers == 1 {
		for k := range n {
			fn(d, k)
		}
		return
	}
	var next atomic.Int64
	var coarse atomic.Bool
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			w := &differ{opt: d.opt, dmp: d.dmp} // dmp only holds settings
			for {
				k := int(next.Add(1)) - 1
				if k >= n {
					break
				}
				fn(w, k)
			}
			if w.coarse {
				coarse.Store(true)
			}
		})
	}
	wg.Wait()
	d.coarse = d.coarse || coarse.Load()
}

// lineKeys returns each line's comparison key under the options: the line
// itself when no option applies.
func (d *differ) lineKeys(lines []string) []string {
	if d.plain() {
		return lines
	}
	out := make([]string, len(lines))
	var buf []rune
	for i, l := range lines {
		buf = buf[:0]
		for _, r := range l {
			if k := d.foldRune(r); k >= 0 {
				buf = append(buf, k)
			}
		}
		out[i] = string(buf)
	}
	return out
}

// sideBySide splits inline segments into paired lines. Lines inside a
// changed block are paired in order, the longer side's surplus facing
// blanks.
func sideBySide(segs []Segment) []LinePair {
	var pairs []LinePair
	var oldCur, newCur []Segment
	var oldBlock, newBlock [][]Segment
	oldNo, newNo := 0, 0
	changed := func(line []Segment) bool {
		for _, s := range line {
			if s.Op != Equal && !s.Ignored {
				return true
			}
		}
		return false
	}
	add := func(o, n []Segment, hasOld, hasNew bool) {
		var p LinePair
		if hasOld {
			oldNo++
			p.OldLine, p.Old = oldNo, o
			p.Changed = changed(o)
		}
		if hasNew {
			newNo++
			p.NewLine, p.New = newNo, n
			p.Changed = p.Changed || changed(n)
		}
		if !hasOld || !hasNew {
			p.Changed = true
		}
		pairs = append(pairs, p)
	}
	// emit pairs a block's lines: the last lines of both sides end together
	// (at an Equal newline, or at the end of the text), so they face each
	// other; the lines before them pair in order.
	emit := func() {
		no, nn := len(oldBlock), len(newBlock)
		if no == 0 && nn == 0 {
			return
		}
		last := no > 0 && nn > 0
		if last {
			no, nn = no-1, nn-1
		}
		for k := 0; k < max(no, nn); k++ {
			var o, n []Segment
			if k < no {
				o = oldBlock[k]
			}
			if k < nn {
				n = newBlock[k]
			}
			add(o, n, k < no, k < nn)
		}
		if last {
			add(oldBlock[no], newBlock[nn], true, true)
		}
		oldBlock, newBlock = oldBlock[:0], newBlock[:0]
	}
	// Walk segments, cutting each side into lines at "\n". A line pair is
	// closed when both sides have ended a line at the same point of an
	// Equal segment.
	appendSide := func(cur *[]Segment, block *[][]Segment, s Segment) {
		parts := strings.SplitAfter(s.Text, "\n")
		for _, p := range parts {
			if p == "" {
				continue
			}
			nl := strings.HasSuffix(p, "\n")
			t := strings.TrimSuffix(p, "\n")
			if t != "" {
				*cur = append(*cur, Segment{Op: s.Op, Text: t, Ignored: s.Ignored})
			}
			if nl {
				*block = append(*block, *cur)
				*cur = nil
			}
		}
	}
	for _, s := range segs {
		if s.Op == Equal {
			// An Equal newline ends the current line on both sides.
			parts := strings.SplitAfter(s.Text, "\n")
			for _, p := range parts {
				if p == "" {
					continue
				}
				nl := strings.HasSuffix(p, "\n")
				t := strings.TrimSuffix(p, "\n")
				if t != "" {
					oldCur = append(oldCur, Segment{Op: Equal, Text: t})
					newCur = append(newCur, Segment{Op: Equal, Text: t})
				}
				if nl {
					oldBlock = append(oldBlock, oldCur)
					newBlock = append(newBlock, newCur)
					oldCur, newCur = nil, nil
					emit()
				}
			}
			continue
		}
		if s.Op == Delete {
			appendSide(&oldCur, &oldBlock, s)
		} else {
			appendSide(&newCur, &newBlock, s)
		}
	}
	if oldCur != nil {
		oldBlock = append(oldBlock, oldCur)
	}
	if newCur != nil {
		newBlock = append(newBlock, newCur)
	}
	emit()
	return pairs
}
