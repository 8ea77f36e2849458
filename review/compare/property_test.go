package compare

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"qianfa/review"
)

// mutate applies n random edits (insert, delete, replace, duplicate a line,
// swap two lines) drawn from a small alphabet that includes the structure
// markers the parser reacts to.
func mutate(rng *rand.Rand, s string, n int) string {
	pieces := []string{"第十条 ", "第一百零三条之一　", "第二章 总则\n", "（一）", "\n", "　", " ", "，", ",", "。", "公司", "股东会", "应当", "１", "1", "\u200b", "国家秘密"}
	r := []rune(s)
	for range n {
		pos := 0
		if len(r) > 0 {
			pos = rng.IntN(len(r) + 1)
		}
		switch rng.IntN(5) {
		case 0, 1:
			p := []rune(pieces[rng.IntN(len(pieces))])
			r = append(r[:pos:pos], append(p, r[pos:]...)...)
		case 2:
			if pos < len(r) {
				end := min(len(r), pos+1+rng.IntN(20))
				r = append(r[:pos:pos], r[end:]...)
			}
		case 3:
			lines := strings.Split(string(r), "\n")
			if len(lines) > 2 {
				i, j := rng.IntN(len(lines)), rng.IntN(len(lines))
				lines[i], lines[j] = lines[j], lines[i]
			}
			r = []rune(strings.Join(lines, "\n"))
		case 4:
			if pos < len(r) {
				r[pos] = []rune("甲乙丙，。 ")[rng.IntN(6)]
			}
		}
	}
	return string(r)
}

func TestDiffText_ApplyRebuildsNewOnRandomMutations(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	opts := []Options{{}, {IgnoreSpace: true}, {IgnoreWidth: true}, {IgnoreSpace: true, IgnoreWidth: true}}
	for i := range 300 {
		old := mutate(rng, sampleLaw, rng.IntN(4))
		new := mutate(rng, old, 1+rng.IntN(12))
		opt := opts[i%len(opts)]
		d, err := DiffText(old, new, opt)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		got, err := Apply(old, d.Segments)
		if err != nil || got != new {
			t.Fatalf("case %d (%+v): Apply gave %q, err %v; want %q", i, opt, got, err, new)
		}
		checkLinePairs(t, d, old, new)
		r, err := Compare(old, new, opt)
		if err != nil {
			t.Fatalf("case %d: Compare: %v", i, err)
		}
		for _, row := range r.Rows {
			if got, err := Apply(row.OldText, row.Inline); err != nil || got != row.NewText {
				t.Fatalf("case %d: row %s→%s does not rebuild its new text", i, row.OldNo, row.NewNo)
			}
		}
	}
}

func TestCompare_SelfGivesOnlyUnchanged(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 100 {
		s := mutate(rng, sampleLaw, rng.IntN(20))
		r, err := Compare(s, s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range r.Rows {
			if row.Label != Unchanged || row.Changed {
				t.Fatalf("case %d: self comparison row %s→%s is %s", i, row.OldNo, row.NewNo, row.Label)
			}
		}
		if r.Summary[Unchanged] != len(r.Old.Articles) {
			t.Fatalf("case %d: summary %s for %d articles", i, r.Summary, len(r.Old.Articles))
		}
		if p := r.Preamble; p != nil && p.Label != Unchanged {
			t.Fatalf("case %d: preamble %s", i, p.Label)
		}
	}
}

func TestCompare_Labels(t *testing.T) {
	old := "示例法\n第一条 甲条文字，内容较长以便比对。\n第二条 乙条文字，不会改变。\n第三条 丙条文字，将被删除的条文。\n" +
		"第四条 丁条文字，后来移动到最后面去了。\n第五条 戊条文字，规定了很多事项。另外规定其他事项，而且还有第三个事项。\n第六条 己条文字，保持原样。\n"
	new := "示例法\n第一条 甲条文字，内容较长以便比对，并加一句。\n第二条 全新的条文，与旧文无关联。\n第三条 乙条文字，不会改变。\n" +
		"第四条 戊条文字，规定了很多事项。\n第五条 另外规定其他事项，而且还有第三个事项。\n第六条 己条文字，保持原样。\n第七条 丁条文字，后来移动到最后面去了。\n"
	r, err := Compare(old, new, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Label{
		"1→1": Modified, "→2": Added, "2→3": Renumbered, "3→": Deleted,
		"5→4;5": Split, "6→6": Unchanged, "4→7": Moved,
	}
	got := map[string]Label{}
	for _, row := range r.Rows {
		got[row.OldNo+"→"+row.NewNo] = row.Label
	}
	for k, l := range want {
		if got[k] != l {
			t.Errorf("row %s: %q, want %s (all rows %v)", k, got[k], l, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("rows %v, want %v", got, want)
	}
	// And the reverse direction turns the split into a merge.
	r2, err := Compare(new, old, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if row := findRow(t, r2, "4;5", "5"); row.Label != Merged {
		t.Errorf("reverse: %s, want 合并", row.Label)
	}
}

func TestCompare_IgnoreOptions(t *testing.T) {
	old := "第一条 依照本法第１０条，（一）处罚。\n第二条 不变。\n"
	new := "第一条 依照本法第10条, (一)处 罚。\n第二条 不变。\n"
	r, err := Compare(old, new, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Rows[0].Label != Modified {
		t.Errorf("without options: %s, want 修改", r.Rows[0].Label)
	}
	r, err = Compare(old, new, Options{IgnoreSpace: true, IgnoreWidth: true, HideUnchanged: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 0 || r.Summary[Unchanged] != 2 {
		t.Errorf("with options: rows %d, summary %s; want every row hidden as 未修改", len(r.Rows), r.Summary)
	}
	r, err = Compare(old, new, Options{IgnoreWidth: true})
	if err != nil {
		t.Fatal(err)
	}
	// Only the inserted space is left; the width differences are ignored
	// edits that still rebuild the text.
	row := r.Rows[0]
	if row.Label != Modified || Redline(row.Inline) != "第一条 依照本法第10条,{+ +}(一)处{+ +}罚。" {
		t.Errorf("IgnoreWidth: %s %q", row.Label, Redline(row.Inline))
	}
	if got, _ := Apply(row.OldText, row.Inline); got != row.NewText {
		t.Errorf("ignored edits do not rebuild the new text: %q", got)
	}
}

func TestCompare_InvalidUTF8IsSanitised(t *testing.T) {
	r, err := Compare("第一条 甲\xff乙。\n", "第一条 甲乙。\n", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "UTF-8") {
		t.Errorf("warnings %q", r.Warnings)
	}
	if Redline(r.Rows[0].Inline) != "第一条 甲[-\uFFFD-]乙。" {
		t.Errorf("redline %q", Redline(r.Rows[0].Inline))
	}
}

func TestCompare_TooLargeIsRefusedInChinese(t *testing.T) {
	_, err := Compare(strings.Repeat("字", maxInput/3+1), "", Options{})
	if review.ErrorCode(err) != review.EINVALID || !strings.Contains(review.ErrorMessage(err), "过大") {
		t.Errorf("err %v", err)
	}
}

func TestApply_RejectsSegmentsThatDoNotFit(t *testing.T) {
	segs := []Segment{{Op: Equal, Text: "甲"}, {Op: Delete, Text: "乙"}}
	if _, err := Apply("甲丙", segs); review.ErrorCode(err) != review.EINVALID {
		t.Errorf("err %v, want EINVALID", err)
	}
	if _, err := Apply("甲乙丁", segs); review.ErrorCode(err) != review.EINVALID {
		t.Errorf("unconsumed tail: err %v, want EINVALID", err)
	}
}

func TestResult_Writers(t *testing.T) {
	old := "示例法\n第十条 <b>甲</b> & \"乙\"，\n多行。\n第十一条 删除我。\n"
	new := "示例法（修订）\n第十条 <b>甲</b> & \"丙\"，\n多行。\n第十条之一 新增的一条。\n"
	r, err := Compare(old, new, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.Write(&b, "csv"); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"old_no", "new_no", "label", "old_text", "new_text"},
		{"", "", "修改", "示例法", "示例法（修订）"},
		{"10", "10", "修改", "第十条 <b>甲</b> & \"乙\"，\n多行。", "第十条 <b>甲</b> & \"丙\"，\n多行。"},
		{"11", "", "删除", "第十一条 删除我。", ""},
		{"", "10-1", "新增", "", "第十条之一 新增的一条。"},
	}
	if len(recs) != len(want) {
		t.Fatalf("csv records %q", recs)
	}
	for i := range want {
		if strings.Join(recs[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("csv record %d = %q, want %q", i, recs[i], want[i])
		}
	}

	b.Reset()
	if err := r.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	h := b.String()
	for _, s := range []string{`"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei"`, "&lt;b&gt;甲&lt;/b&gt; &amp; &#34;", "<del>乙</del>", "<ins>丙</ins>", "修改 1，新增 1，删除 1"} {
		if !strings.Contains(h, s) {
			t.Errorf("html lacks %q", s)
		}
	}
	if strings.Contains(h, "<b>") {
		t.Errorf("html does not escape article text")
	}

	b.Reset()
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var js struct {
		Rows []struct {
			OldNo string `json:"old_no"`
			Label string `json:"label"`
			New   []struct {
				Op string `json:"op"`
			} `json:"new_segments"`
		} `json:"rows"`
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal(b.Bytes(), &js); err != nil {
		t.Fatal(err)
	}
	if len(js.Rows) != 3 || js.Summary["修改"] != 1 || js.Summary["拆分"] != 0 || len(js.Summary) != len(Labels) {
		t.Errorf("json rows %d, summary %v", len(js.Rows), js.Summary)
	}
	if len(js.Rows[0].New) == 0 || js.Rows[0].New[1].Op != "insert" {
		t.Errorf("json segments %+v", js.Rows[0].New)
	}

	b.Reset()
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "【修改】第10条 → 第10条\n第十条 <b>甲</b> & \"[-乙-]{+丙+}\"") {
		t.Errorf("text output:\n%s", b.String())
	}
	if err := r.Write(&b, "pdf"); review.ErrorCode(err) != review.EINVALID {
		t.Errorf("unknown format: %v", err)
	}
}

// A line inserted above a reworded heading must not make the text diff pair
// the heading with the new line and show the unchanged article after it as
// deleted and inserted again: blank lines are no anchors there.
func TestDiffText_BlankLinesDoNotMisalignAnInsertedLine(t *testing.T) {
	old := "第一章 总则\n\n第一条 为了科学、有效地组织统计工作，制定本法。\n\n第二条 本法适用于统计活动。\n"
	new := "2024年9月13日 第二次修正\n\n第一章 总 则\n\n第一条 为了科学、有效地组织统计工作，加强统计监督，制定本法。\n\n第二条 本法适用于统计活动。\n"
	d, err := DiffText(old, new, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var equal strings.Builder
	for _, s := range d.Segments {
		if s.Op == Equal {
			equal.WriteString(s.Text)
		}
	}
	for _, want := range []string{"第一章 总", "第一条 为了科学、有效地组织统计工作，"} {
		if !strings.Contains(equal.String(), want) {
			t.Errorf("%q not kept as unchanged; redline:\n%s", want, Redline(d.Segments))
		}
	}
}
