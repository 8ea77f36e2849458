package ui

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	"qianfa/review/compare"
)

const (
	rulesV1 = "举报奖励办法\n第一条 为了规范举报奖励，制定本办法。\n第二条 奖励标准为三千元。\n第三条 本办法自发布之日起施行。\n"
	// V2 raises the reward in 第二条 and inserts a new 第三条, so the old
	// 第三条 becomes 第四条 word for word.
	rulesV2 = "举报奖励办法\n第一条 为了规范举报奖励，制定本办法。\n第二条 奖励标准为五千元。\n第三条 举报人应当如实举报。\n第四条 本办法自发布之日起施行。\n"
)

// twoRevisions is a workspace with one document revised once.
func twoRevisions(t *testing.T, v1, v2 string) (*fakeStore, *review.Document) {
	t.Helper()
	s := newFakeStore()
	d := s.add("举报奖励办法", review.KindNormative, review.StatusDraft, review.ValidityInForce, v1)
	if _, err := s.ReviseDocument(context.Background(), d.ID, d.Meta, v2, "wang", "提高奖励标准"); err != nil {
		t.Fatal(err)
	}
	return s, d
}

// openCompare opens the comparison of the document's two revisions and
// waits for the first computation.
func openCompare(t *testing.T, v1, v2, view string) (*App, *compareView) {
	t.Helper()
	s, d := twoRevisions(t, v1, v2)
	a := openApp(t, s.services())
	revs, _ := s.Revisions(context.Background(), d.ID)
	v := a.compareRevisions(d, revs, view)
	if v == nil {
		t.Fatal("no comparison opened")
	}
	settle(a, v)
	return a, v
}

// settle waits for background work and lets the columns lay out.
func settle(a *App, v *compareView) {
	a.wait()
	if w := v.window(); w != nil {
		w.Content().Refresh()
	}
}

// rowSummary reads a table row as "old>new label".
func rowSummary(r compare.Row) string { return r.OldNo + ">" + r.NewNo + " " + string(r.Label) }

func TestCompare_TableRowsAndLabels(t *testing.T) {
	_, v := openCompare(t, rulesV1, rulesV2, CompareViewTable)
	if v.mode.Selected != viewTable {
		t.Fatalf("mode %q", v.mode.Selected)
	}
	var got []string
	for _, r := range v.tableRows() {
		got = append(got, rowSummary(r))
	}
	want := []string{"> 未修改", "1>1 未修改", "2>2 修改", ">3 新增", "3>4 仅序号变化"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("rows\n got %v\nwant %v", got, want)
	}
	// The summary counts articles; the title block is not one.
	if s := v.summary.Text; s != "修改对照表：未修改 1，修改 1，仅序号变化 1，新增 1" {
		t.Errorf("summary %q", s)
	}
	// The label column shows each row's label on the row's first line, and
	// the old and new columns show the in-line highlights.
	labels := columnText(v.table.cols[2], runLabel)
	if strings.Join(labels, "|") != "未修改|未修改|修改|新增|仅序号变化" {
		t.Errorf("label column %v", labels)
	}
	// The renumbered article shows its new number as the change.
	if del := columnText(v.table.cols[0], runDeleted); strings.Join(del, "|") != "三|三" {
		t.Errorf("deleted %v", del)
	}
	if ins := columnText(v.table.cols[1], runInserted); strings.Join(ins, "|") != "五|第三条 举报人应当如实举报。|四" {
		t.Errorf("inserted %v", ins)
	}
	// Every table row starts level in all three columns.
	for c := range 3 {
		if len(v.table.cols[c].lines) != len(v.table.cols[0].lines) {
			t.Fatalf("column %d has %d lines, column 0 %d", c, len(v.table.cols[c].lines), len(v.table.cols[0].lines))
		}
	}
	for i := range v.table.cols[0].lines {
		if v.table.cols[0].lines[i].rule != v.table.cols[2].lines[i].rule {
			t.Fatalf("line %d: rows not level", i)
		}
	}
}

// columnText collects a column's runs of one kind, in order.
func columnText(c *diffColumn, kind runKind) []string {
	var out []string
	for _, l := range c.lines {
		for _, r := range l.runs {
			if r.kind == kind {
				out = append(out, r.text)
			}
		}
	}
	return out
}

func TestCompare_ChangedOnlyFilter(t *testing.T) {
	_, v := openCompare(t, rulesV1, rulesV2, CompareViewTable)
	if !v.changedOnly.Visible() {
		t.Fatal("the filter should show in the 对照表")
	}
	test.Tap(v.changedOnly)
	var got []string
	for _, r := range v.tableRows() {
		got = append(got, rowSummary(r))
	}
	if strings.Join(got, "|") != "2>2 修改|>3 新增|3>4 仅序号变化" {
		t.Errorf("changed only: %v", got)
	}
	if labels := columnText(v.table.cols[2], runLabel); strings.Join(labels, "|") != "修改|新增|仅序号变化" {
		t.Errorf("label column %v", labels)
	}
	// The export writes what is shown.
	var b bytes.Buffer
	if err := v.export(&b, compare.FormatCSV); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || strings.Join(recs[0], ",") != "old_no,new_no,label,old_text,new_text" || recs[1][2] != "修改" {
		t.Errorf("csv %q", recs)
	}
	test.Tap(v.changedOnly)
	if n := len(v.tableRows()); n != 5 {
		t.Errorf("filter off: %d rows", n)
	}
	// Not a table: the filter goes away.
	v.mode.SetSelected(viewSideBySide)
	if v.changedOnly.Visible() {
		t.Error("the filter shows outside the 对照表")
	}
}

func TestCompare_OptionsRecompute(t *testing.T) {
	tests := []struct {
		name     string
		v1, v2   string
		check    func(v *compareView) *widget.Check
		before   string // label of 第二条 without the option
		after    string // with it
		wantOpts compare.Options
	}{
		{"全角半角", "第一条 甲。\n第二条 期限为３０日。\n", "第一条 甲。\n第二条 期限为30日。\n",
			func(v *compareView) *widget.Check { return v.ignoreWidth }, "修改", "未修改", compare.Options{IgnoreWidth: true}},
		{"空白", "第一条 甲。\n第二条 期限为三十日。\n", "第一条 甲。\n第二条 期限为 三十 日。\n",
			func(v *compareView) *widget.Check { return v.ignoreSpace }, "修改", "未修改", compare.Options{IgnoreSpace: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, v := openCompare(t, tc.v1, tc.v2, CompareViewTable)
			second := func() string {
				for _, r := range v.res.Rows {
					if r.NewNo == "2" {
						return string(r.Label)
					}
				}
				return ""
			}
			if got := second(); got != tc.before {
				t.Fatalf("before: %s", got)
			}
			test.Tap(tc.check(v))
			settle(a, v)
			if got := second(); got != tc.after || v.opt != tc.wantOpts {
				t.Errorf("after: %s, options %+v", got, v.opt)
			}
			// The side-by-side view shows the difference unhighlighted.
			if del := columnText(v.side.cols[0], runDeleted); len(del) != 0 {
				t.Errorf("ignored difference highlighted: %v", del)
			}
		})
	}

	// 隐藏未修改 drops unchanged rows from the table and unchanged lines from
	// the side-by-side view, a rule marking each gap.
	a, v := openCompare(t, rulesV1, rulesV2, CompareViewSideBySide)
	if n := len(v.side.cols[0].lines); n < 5 {
		t.Fatalf("side by side has %d lines", n)
	}
	test.Tap(v.hideUnchanged)
	settle(a, v)
	for _, r := range v.tableRows() {
		if r.Label == compare.Unchanged {
			t.Errorf("unchanged row kept: %s", rowSummary(r))
		}
	}
	var oldLines []string
	for _, l := range v.side.cols[0].lines {
		var b strings.Builder
		for _, r := range l.runs {
			b.WriteString(r.text)
		}
		oldLines = append(oldLines, b.String())
	}
	if len(oldLines) != 3 || !strings.HasPrefix(oldLines[0], "3  第二条") {
		t.Errorf("changed lines only: %q", oldLines)
	}
}

func TestCompare_ScrollsFollowEachOther(t *testing.T) {
	var v1, v2 strings.Builder
	v1.WriteString("长篇办法\n")
	v2.WriteString("长篇办法\n")
	for i := 1; i <= 120; i++ {
		fmt.Fprintf(&v1, "第%d条 本条规定第%d项事务的办理期限为三十日。\n", i, i)
		if i%10 == 0 {
			fmt.Fprintf(&v2, "第%d条 本条规定第%d项事务的办理期限为二十日，情况复杂的可以延长十日。\n", i, i)
		} else {
			fmt.Fprintf(&v2, "第%d条 本条规定第%d项事务的办理期限为三十日。\n", i, i)
		}
	}
	_, v := openCompare(t, v1.String(), v2.String(), CompareViewSideBySide)
	left, right := v.side.cols[0], v.side.cols[1]
	if len(left.lines) != len(right.lines) || len(left.lines) < 120 {
		t.Fatalf("lines: %d and %d", len(left.lines), len(right.lines))
	}
	if left.scroll.Size().Height <= 0 || left.MinSize().Height <= left.scroll.Size().Height {
		t.Fatalf("nothing to scroll: content %v in %v", left.MinSize(), left.scroll.Size())
	}

	left.scroll.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -900)})
	if y := left.scroll.Offset.Y; y != 900 || right.scroll.Offset.Y != y {
		t.Fatalf("left at %v, right at %v", y, right.scroll.Offset.Y)
	}
	// The right column shows the lines facing the left column's.
	if a, b := firstShown(t, left), firstShown(t, right); a == "" || a != b {
		t.Errorf("first lines shown: %q and %q", a, b)
	}
	right.scroll.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, 400)})
	if y := right.scroll.Offset.Y; y != 500 || left.scroll.Offset.Y != y {
		t.Errorf("right at %v, left at %v", y, left.scroll.Offset.Y)
	}
}

// firstShown is the line number of the topmost line a column shows.
func firstShown(t *testing.T, c *diffColumn) string {
	t.Helper()
	r := test.WidgetRenderer(c).(*diffColumnRenderer)
	for _, o := range r.objects {
		rt, ok := o.(*widget.RichText)
		if !ok || rt.Position().Y+rt.Size().Height < c.scroll.Offset.Y {
			continue
		}
		if len(rt.Segments) > 0 {
			return strings.TrimSpace(rt.Segments[0].Textual())
		}
	}
	return ""
}

func TestCompare_InlineRedline(t *testing.T) {
	_, v := openCompare(t, rulesV1, rulesV2, CompareViewInline)
	// Reading the redline without insertions gives the old text, without
	// deletions the new one.
	var oldB, newB strings.Builder
	for _, l := range v.inline.cols[0].lines {
		for _, r := range l.runs {
			if r.kind != runInserted {
				oldB.WriteString(r.text)
			}
			if r.kind != runDeleted {
				newB.WriteString(r.text)
			}
		}
	}
	flat := func(s string) string { return strings.ReplaceAll(s, "\n", "") }
	if oldB.String() != flat(rulesV1) || newB.String() != flat(rulesV2) {
		t.Errorf("redline reads\nold %q\nnew %q", oldB.String(), newB.String())
	}
	if del := columnText(v.inline.cols[0], runDeleted); strings.Join(del, "") != "三" {
		t.Errorf("deletions %v", del)
	}
	if !strings.Contains(v.summary.Text, "共 5 行，其中 3 行有改动") {
		t.Errorf("summary %q", v.summary.Text)
	}
}

func TestCompare_OneRevisionSaysSo(t *testing.T) {
	s := newFakeStore()
	d := s.add("通知", review.KindNotice, review.StatusDraft, review.ValidityInForce, "各单位：\n请按时报送。\n")
	a := openApp(t, s.services())
	revs, _ := s.Revisions(context.Background(), d.ID)
	if v := a.compareRevisions(d, revs, CompareViewSideBySide); v != nil {
		t.Error("a comparison opened for a single revision")
	}
}

func TestDetail_CompareButtonOpensWindow(t *testing.T) {
	s, d := twoRevisions(t, rulesV1, rulesV2)
	a := openApp(t, s.services())
	a.ShowDocument(d.ID)
	a.wait()
	before := len(a.fyneApp.Driver().AllWindows())
	test.Tap(a.browser.detail.compare)
	a.wait()
	wins := a.fyneApp.Driver().AllWindows()
	if len(wins) != before+1 || !strings.Contains(wins[len(wins)-1].Title(), "举报奖励办法") {
		t.Fatalf("windows %d → %d", before, len(wins))
	}
}

func TestWrap_KeepsTextAndPunctuation(t *testing.T) {
	test.NewTempApp(t)
	m := newRuneMeasurer()
	line := []run{{"第二条 奖励标准为", runPlain}, {"三", runDeleted}, {"五", runInserted}, {"千元。举报人应当如实举报，不得捏造、歪曲事实。", runPlain}}
	w := m.width('国', runPlain)
	for _, avail := range []float32{w * 3, w * 7.5, w * 11, w * 100} {
		got := m.wrap(line, avail)
		var b strings.Builder
		for i, l := range got {
			for j, r := range l {
				b.WriteString(r.text)
				if j == 0 && i > 0 && noLineStart([]rune(r.text)[0]) {
					t.Errorf("width %.0f: line %d starts with %q", avail, i, r.text)
				}
			}
		}
		if b.String() != "第二条 奖励标准为三五千元。举报人应当如实举报，不得捏造、歪曲事实。" {
			t.Errorf("width %.0f: text changed: %q", avail, b.String())
		}
		if avail == w*100 && len(got) != 1 {
			t.Errorf("wide line wrapped into %d", len(got))
		}
	}
}

func TestSegmentLines_IgnoredDifferences(t *testing.T) {
	segs := []compare.Segment{
		{Op: compare.Equal, Text: "期限为"},
		{Op: compare.Delete, Text: "３０", Ignored: true},
		{Op: compare.Insert, Text: "30", Ignored: true},
		{Op: compare.Equal, Text: "日。\n第二条 "},
		{Op: compare.Delete, Text: "甲"},
		{Op: compare.Insert, Text: "乙"},
		{Op: compare.Equal, Text: "。\n"},
	}
	show := func(lines [][]run) string {
		var b strings.Builder
		for i, l := range lines {
			if i > 0 {
				b.WriteString("/")
			}
			for _, r := range l {
				switch r.kind {
				case runDeleted:
					b.WriteString("[-" + r.text + "-]")
				case runInserted:
					b.WriteString("{+" + r.text + "+}")
				default:
					b.WriteString(r.text)
				}
			}
		}
		return b.String()
	}
	tests := []struct {
		side diffSide
		want string
	}{
		{sideOld, "期限为３０日。/第二条 [-甲-]。"},
		{sideNew, "期限为30日。/第二条 {+乙+}。"},
		{sideInline, "期限为30日。/第二条 [-甲-]{+乙+}。"},
	}
	for _, tc := range tests {
		if got := show(segmentLines(segs, tc.side)); got != tc.want {
			t.Errorf("side %d: %q, want %q", tc.side, got, tc.want)
		}
	}
}

func TestCompare_TwoFiles(t *testing.T) {
	dir := t.TempDir()
	oldPath, newPath := filepath.Join(dir, "征求意见稿.txt"), filepath.Join(dir, "送审稿.md")
	if err := os.WriteFile(oldPath, []byte(rulesV1), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(newPath, []byte(rulesV2), 0o644); err != nil {
		t.Fatal(err)
	}
	a := openApp(t, newFakeStore().services())
	before := len(a.fyneApp.Driver().AllWindows())
	a.compareFilePaths(oldPath, newPath)
	a.wait()
	wins := a.fyneApp.Driver().AllWindows()
	if len(wins) != before+1 || wins[len(wins)-1].Title() != "比较 — 征求意见稿.txt ↔ 送审稿.md" {
		t.Fatalf("windows: %d → %d", before, len(wins))
	}
	a.wait() // the window's own comparison
	// A file that cannot be read opens nothing.
	a.compareFilePaths(oldPath, filepath.Join(dir, "无此文件.txt"))
	a.wait()
	if n := len(a.fyneApp.Driver().AllWindows()); n != before+1 {
		t.Errorf("a window opened for a missing file: %d", n)
	}
}

// Comparing two files outside the workspace is reachable from the menu.
func TestMainMenu_OffersFileComparison(t *testing.T) {
	a := openApp(t, workspace().services())
	var labels []string
	for _, m := range a.win.MainMenu().Items {
		for _, it := range m.Items {
			labels = append(labels, it.Label)
		}
	}
	if !slices.Contains(labels, "比较两个文件…") {
		t.Errorf("menu items %q", labels)
	}
}
