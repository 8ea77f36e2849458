package compare

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Label is the change label of a 对照表 row, in the office's words.
type Label string

// The eight labels. Alignment is by content: an article whose number moved
// because another was inserted before it keeps its partner.
const (
	Unchanged  Label = "未修改"   // same text, same number, same place
	Modified   Label = "修改"    // text changed, order kept
	Renumbered Label = "仅序号变化" // same text, new number, order kept
	Moved      Label = "移动"    // off the longest in-order chain; text may also have changed
	Added      Label = "新增"
	Deleted    Label = "删除"
	Split      Label = "拆分" // one old article became several new ones
	Merged     Label = "合并" // several old articles became one
)

// Labels lists every label in the order summaries show them.
var Labels = []Label{Unchanged, Modified, Renumbered, Moved, Added, Deleted, Split, Merged}

// Row is one line of the 修改对照表: an article pair, an article alone (新增,
// 删除), or a split or merge group.
type Row struct {
	Label Label `json:"label"`
	// OldNo and NewNo are the article numbers as Arabic integers ("103",
	// "10-1" for 之一), "" when the side is absent, and several numbers
	// joined by ";" for the group side of a 拆分 or 合并.
	OldNo string `json:"old_no"`
	NewNo string `json:"new_no"`
	// OldText and NewText are the whole articles (label and text, one
	// 款 or 项 per line); a group's articles are joined by "\n".
	OldText string `json:"old_text"`
	NewText string `json:"new_text"`
	// Old holds Equal/Delete segments of OldText, New holds Equal/Insert
	// segments of NewText, Inline all of them in reading order.
	Old    []Segment `json:"old_segments"`
	New    []Segment `json:"new_segments"`
	Inline []Segment `json:"-"`
	// Changed reports a text difference that the options do not ignore,
	// including the article number; a 移动 row may or may not be Changed.
	Changed bool `json:"changed"`
	// OldArticles and NewArticles point into the parsed documents.
	OldArticles []*Article `json:"-"`
	NewArticles []*Article `json:"-"`
}

// Summary counts rows per label.
type Summary map[Label]int

// String renders the summary line, e.g. "未修改 12，修改 30，新增 2".
// Labels with a zero count are left out; an empty summary says so.
func (s Summary) String() string {
	var parts []string
	for _, l := range Labels {
		if s[l] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", l, s[l]))
		}
	}
	if len(parts) == 0 {
		return "无条文"
	}
	return strings.Join(parts, "，")
}

// Result is an article-aware comparison.
type Result struct {
	Old, New *Document `json:"-"`
	// Preamble compares the text before the first article; nil when both
	// versions have none. Its numbers are empty; its label is 未修改, 修改,
	// 新增 or 删除.
	Preamble *Row `json:"preamble,omitempty"`
	// Rows are in reading order of the new text, deletions after the row
	// that holds their old predecessor. With HideUnchanged, 未修改 rows are
	// left out here but still counted in Summary.
	Rows    []Row   `json:"rows"`
	Summary Summary `json:"summary"`
	// Coarse is true when some text was too large for a character diff and
	// is shown as a whole replacement; Warnings then say so.
	Coarse   bool     `json:"coarse"`
	Warnings []string `json:"warnings,omitempty"`
	Options  Options  `json:"-"`
}

// Compare parses both texts, aligns their articles by content and builds
// the 对照表. Invalid UTF-8 is replaced by U+FFFD with a warning; inputs over
// 32 MB are refused with an EINVALID error. Every article of each version
// appears in exactly one row (HideUnchanged aside).
func Compare(old, new string, opt Options) (*Result, error) {
	old, new, warns, err := checkInput(old, new)
	if err != nil {
		return nil, err
	}
	od, nd := Parse(old), Parse(new)
	d := newDiffer(opt)
	r := &Result{Old: od, New: nd, Summary: Summary{}, Warnings: warns, Options: opt}

	if od.Preamble != "" || nd.Preamble != "" {
		p := Row{OldText: od.Preamble, NewText: nd.Preamble}
		p.Inline = d.diffLines(od.Preamble, nd.Preamble)
		if err := verify(p.OldText, p.NewText, p.Inline); err != nil {
			return nil, err
		}
		p.finish()
		switch {
		case od.Preamble == "":
			p.Label = Added
		case nd.Preamble == "":
			p.Label = Deleted
		case p.Changed:
			p.Label = Modified
		default:
			p.Label = Unchanged
		}
		r.Preamble = &p
	}

	vocab := map[[2]rune]int32{}
	olds := d.items(od.Articles, vocab)
	news := d.items(nd.Articles, vocab)
	al := align(olds, news, len(vocab))

	type keyed struct {
		row      Row
		at, sub  int // sort keys: new position, then old position
		firstOld int
	}
	var rows []keyed
	oldRow := make([]int, len(olds)) // old index -> rows index
	for i := range oldRow {
		oldRow[i] = -1
	}
	add := func(row Row, olds, news []int) {
		k := keyed{row: row, at: -1, firstOld: -1}
		if len(news) > 0 {
			k.at = news[0]
		}
		if len(olds) > 0 {
			k.firstOld = olds[0]
			for _, i := range olds {
				oldRow[i] = len(rows)
			}
		}
		rows = append(rows, k)
	}
	// The rows' diffs are independent; they run on every core and are
	// added in the order the loops below would have made them.
	type rowJob struct {
		pair       int // index in al.pairs, or -1 for a group or a lone article
		olds, news []int
		label      Label
	}
	var jobs []rowJob
	for pi := range al.pairs {
		jobs = append(jobs, rowJob{pair: pi})
	}
	for _, g := range al.groups {
		l := Split
		if len(g.olds) > 1 {
			l = Merged
		}
		jobs = append(jobs, rowJob{pair: -1, olds: g.olds, news: g.news, label: l})
	}
	for i, k := range al.oldIn {
		if k == -1 {
			jobs = append(jobs, rowJob{pair: -1, olds: []int{i}, label: Deleted})
		}
	}
	for j, k := range al.newIn {
		if k == -1 {
			jobs = append(jobs, rowJob{pair: -1, news: []int{j}, label: Added})
		}
	}
	built := make([]Row, len(jobs))
	d.parallel(len(jobs), 16, func(w *differ, k int) {
		jb := jobs[k]
		if jb.pair < 0 {
			built[k] = w.groupRow(od, nd, jb.olds, jb.news)
			built[k].Label = jb.label
			return
		}
		p := al.pairs[jb.pair]
		row := w.row(&od.Articles[p.a], &nd.Articles[p.b])
		switch {
		case !al.inOrder[jb.pair]:
			row.Label = Moved
		case !p.exact:
			row.Label = Modified
		case od.Articles[p.a].No() == nd.Articles[p.b].No():
			row.Label = Unchanged
		default:
			row.Label = Renumbered
		}
		built[k] = row
	})
	for k, jb := range jobs {
		if jb.pair >= 0 {
			p := al.pairs[jb.pair]
			add(built[k], []int{p.a}, []int{p.b})
		} else {
			add(built[k], jb.olds, jb.news)
		}
	}
	// A deleted article is shown after the row holding the nearest old
	// article before it that still has a new counterpart.
	for ri := range rows {
		k := &rows[ri]
		if k.at >= 0 {
			continue
		}
		k.sub = k.firstOld + 1
		for i := k.firstOld - 1; i >= 0; i-- {
			if at := rows[oldRow[i]].at; at >= 0 {
				k.at = at
				break
			}
		}
	}
	slices.SortStableFunc(rows, func(x, y keyed) int {
		if c := cmp.Compare(x.at, y.at); c != 0 {
			return c
		}
		return cmp.Compare(x.sub, y.sub)
	})
	for _, k := range rows {
		if err := verify(k.row.OldText, k.row.NewText, k.row.Inline); err != nil {
			return nil, err
		}
		r.Summary[k.row.Label]++
		if opt.HideUnchanged && k.row.Label == Unchanged {
			continue
		}
		r.Rows = append(r.Rows, k.row)
	}
	r.Coarse = d.coarse
	if d.coarse {
		r.Warnings = append(r.Warnings, coarseWarning)
	}
	return r, nil
}

// items prepares articles for alignment: the comparison key under the
// options and the article's character bigrams (whitespace and width always
// folded, since similarity should not hinge on layout).
func (d *differ) items(arts []Article, vocab map[[2]rune]int32) []item {
	out := make([]item, len(arts))
	for i := range arts {
		body := arts[i].Body
		if d.plain() {
			out[i].key = body
		} else {
			out[i].key = string(d.cut(body).keys)
		}
		if len(arts) > 1 {
			out[i].pos = float64(i) / float64(len(arts)-1)
		}
		// Bigrams of the body with layout runes dropped and width folded.
		grams := make([]int32, 0, len(body)/3+1)
		prev, n := rune(-1), 0
		addGram := func(a, b rune) {
			bg := [2]rune{a, b}
			id, ok := vocab[bg]
			if !ok {
				id = int32(len(vocab))
				vocab[bg] = id
			}
			grams = append(grams, id)
		}
		for _, r := range body {
			if isBlankRune(r) {
				continue
			}
			if r >= '\uff01' && r <= '\uff5e' {
				r -= 0xfee0
			}
			if prev >= 0 {
				addGram(prev, r)
			}
			prev = r
			n++
		}
		if n == 1 {
			addGram(prev, 0)
		}
		slices.Sort(grams)
		out[i].grams = slices.Compact(grams)
	}
	return out
}

// row diffs one old and one new article.
func (d *differ) row(a, b *Article) Row {
	r := Row{
		OldNo: a.No(), NewNo: b.No(), OldText: a.Text, NewText: b.Text,
		OldArticles: []*Article{a}, NewArticles: []*Article{b},
	}
	r.Inline = d.diffChars(a.Text, b.Text)
	r.finish()
	return r
}

// groupRow diffs the joined articles of a split, merge, deletion or addition.
func (d *differ) groupRow(od, nd *Document, olds, news []int) Row {
	var r Row
	var oNo, nNo, oTx, nTx []string
	for _, i := range olds {
		a := &od.Articles[i]
		r.OldArticles = append(r.OldArticles, a)
		oNo, oTx = append(oNo, a.No()), append(oTx, a.Text)
	}
	for _, j := range news {
		b := &nd.Articles[j]
		r.NewArticles = append(r.NewArticles, b)
		nNo, nTx = append(nNo, b.No()), append(nTx, b.Text)
	}
	r.OldNo, r.NewNo = strings.Join(oNo, ";"), strings.Join(nNo, ";")
	r.OldText, r.NewText = strings.Join(oTx, "\n"), strings.Join(nTx, "\n")
	r.Inline = d.diffLines(r.OldText, r.NewText)
	r.finish()
	return r
}

// finish derives the side views and Changed from Inline.
func (r *Row) finish() {
	r.Old, r.New = nil, nil
	for _, s := range r.Inline {
		if s.Op != Insert {
			r.Old = append(r.Old, s)
		}
		if s.Op != Delete {
			r.New = append(r.New, s)
		}
		if s.Op != Equal && !s.Ignored {
			r.Changed = true
		}
	}
}
