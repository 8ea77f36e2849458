package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
)

// workspace is the fake catalogue most tests start from.
func workspace() *fakeStore {
	s := newFakeStore()
	s.add("关于做好住房公积金管理工作的通知", review.KindNotice, review.StatusDraft, review.ValidityInForce,
		"各有关单位：为规范住房公积金管理，现就有关事项通知如下。")
	s.add("某部行政许可实施办法", review.KindRule, review.StatusConfidentiality, review.ValidityInForce,
		"第一条 为了规范行政许可的实施，制定本办法。")
	s.add("2024年政府信息公开工作年度报告", review.KindReport, review.StatusPublished, review.ValidityExpired,
		"本报告根据《中华人民共和国政府信息公开条例》编制。")
	return s
}

// openApp builds the main window on a test app and waits for its first
// listing. Debouncing is off so each keystroke searches at once.
func openApp(t *testing.T, s Services) *App {
	t.Helper()
	a := newApp(test.NewTempApp(t), s)
	a.debounce = 0
	a.wait()
	t.Cleanup(a.win.Close)
	return a
}

func titles(b *docBrowser) []string {
	var out []string
	for _, h := range b.hits {
		out = append(out, h.Meta.Title)
	}
	return out
}

func TestMainWindow_ListsDocuments(t *testing.T) {
	a := openApp(t, workspace().services())
	if got := a.win.Title(); got != WindowTitle {
		t.Errorf("title = %q", got)
	}
	b := a.browser
	if b == nil || a.nav.cur != "全部文件" {
		t.Fatalf("start screen = %q, want 全部文件", a.nav.cur)
	}
	if n := b.list.Length(); n != 3 {
		t.Fatalf("list length = %d, want 3 (%v)", n, titles(b))
	}
	if got, _ := b.count.Get(); got != "共 3 件" {
		t.Errorf("count = %q", got)
	}
	// Newest first, as the store lists them.
	if got := titles(b)[0]; got != "2024年政府信息公开工作年度报告" {
		t.Errorf("first row = %q", got)
	}
	row := newHitRow()
	b.updateHitRow(0, row)
	facts := row.(*fyne.Container).Objects[1].(*widget.Label).Text
	for _, want := range []string{"工作报告", "已发布", "000014349/2025-00003", "更新于 2025-03-01 17:03"} { // Beijing time
		if !strings.Contains(facts, want) {
			t.Errorf("row facts %q lack %q", facts, want)
		}
	}
	if u := a.CurrentUser(); u == nil || u.Name != "wang" {
		t.Errorf("current user = %v, want the clerk wang", u)
	}
}

func TestSearch_TypingNarrowsTheList(t *testing.T) {
	a := openApp(t, workspace().services())
	b := a.browser
	test.Type(b.search, "住房")
	a.wait()
	if got := titles(b); len(got) != 1 || got[0] != "关于做好住房公积金管理工作的通知" {
		t.Fatalf("after typing 住房: %v", got)
	}
	// The snippet comes from the text and the match is highlighted.
	row := newHitRow()
	b.updateHitRow(0, row)
	rt := row.(*fyne.Container).Objects[2].(*widget.RichText)
	var bold []string
	for _, s := range rt.Segments {
		if ts := s.(*widget.TextSegment); ts.Style.TextStyle.Bold {
			bold = append(bold, ts.Text)
		}
	}
	if len(bold) != 1 || bold[0] != "住房" {
		t.Errorf("highlighted = %v, want [住房]; segments %q", bold, rt.String())
	}

	test.Type(b.search, "不存在的词")
	a.wait()
	if n := b.list.Length(); n != 0 {
		t.Errorf("list length = %d, want 0", n)
	}
	if got, _ := b.count.Get(); got != "没有符合条件的文件" {
		t.Errorf("count = %q", got)
	}
	b.search.SetText("")
	a.wait()
	if n := b.list.Length(); n != 3 {
		t.Errorf("cleared search: list length = %d, want 3", n)
	}
}

func TestSearch_DebouncesKeystrokes(t *testing.T) {
	s := workspace()
	a := openApp(t, s.services())
	// Longer than any pause between test keystrokes, however loaded the
	// machine: with a short debounce a slow keystroke let the timer fire
	// in between, and typing ran two searches. The test ends the pause
	// itself below.
	a.debounce = time.Hour
	before := s.finds
	test.Type(a.browser.search, "行政许可")
	if n := s.finds - before; n != 0 {
		t.Fatalf("typing ran %d searches before the pause, want 0", n)
	}
	// The pause ends: the one search still waiting runs. Reset reports
	// whether the timer was waiting; the keystrokes' earlier timers were
	// stopped, or wait below would hang on their pending count.
	if a.browser.timer == nil || !a.browser.timer.Reset(0) {
		t.Fatal("no search waiting after typing")
	}
	a.wait()
	if n := s.finds - before; n != 1 {
		t.Errorf("typing four characters ran %d searches, want 1", n)
	}
	if got := titles(a.browser); len(got) != 1 {
		t.Errorf("after debounced search: %v", got)
	}
}

func TestFilters_Narrow(t *testing.T) {
	tests := []struct {
		name string
		sel  func(b *docBrowser) *widget.Select
		val  string
		want []string
	}{
		{"文种", func(b *docBrowser) *widget.Select { return b.kind }, "规章", []string{"某部行政许可实施办法"}},
		{"状态", func(b *docBrowser) *widget.Select { return b.status }, "草稿", []string{"关于做好住房公积金管理工作的通知"}},
		{"有效性", func(b *docBrowser) *widget.Select { return b.validity }, "失效", []string{"2024年政府信息公开工作年度报告"}},
		{"无结果", func(b *docBrowser) *widget.Select { return b.kind }, "政策解读", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := openApp(t, workspace().services())
			b := a.browser
			tt.sel(b).SetSelected(tt.val)
			a.wait()
			if got := titles(b); strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("%s=%s: %v, want %v", tt.name, tt.val, got, tt.want)
			}
			tt.sel(b).SetSelected(allOption)
			a.wait()
			if n := len(b.hits); n != 3 {
				t.Errorf("back to 全部: %d rows, want 3", n)
			}
		})
	}
}

func TestSelectRow_FillsDetail(t *testing.T) {
	s := workspace()
	a := openApp(t, s.services())
	b := a.browser
	// The first listing opens the newest document.
	if d := b.detail.doc; d == nil || d.ID != 3 {
		t.Fatalf("detail opened on %v, want the newest document", d)
	}
	b.list.Select(2) // oldest: the notice
	a.wait()
	d := b.detail
	for field, want := range map[string]string{
		"标题": "关于做好住房公积金管理工作的通知", "文种": "通知公告", "索引号": "000014349/2025-00001",
		"状态": "草稿", "有效性": "有效", "发文机关": "某部", "发文字号": "—", "经办人": "王经办",
	} {
		if got := d.info[field].Text; got != want {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}
	if !strings.HasPrefix(d.text.Text(), "各有关单位") {
		t.Errorf("正文 = %q", d.text.Text())
	}
	if n := d.revList.Length(); n != 1 {
		t.Errorf("revisions = %d, want 1", n)
	}
	d.revList.Select(0)
	if !strings.HasPrefix(d.revText.Text(), "各有关单位") || !strings.Contains(d.revInfo.Text, s.revs[1][0].Hash) {
		t.Errorf("selected revision shows %q / %q", d.revInfo.Text, d.revText.Text())
	}
	if n := d.auditList.Length(); n != 1 || d.audit[0].Action != review.ActionCreate {
		t.Errorf("audit = %v", d.audit)
	}
	if d.edit.Disabled() {
		t.Error("编辑 stays disabled with a document shown")
	}
}

func TestImportDialog_OneFailsTheOtherIsImported(t *testing.T) {
	s := workspace()
	svc := s.services()
	var seen []ImportOptions
	svc.Import = func(ctx context.Context, path string, opt ImportOptions) (*review.Document, error) {
		seen = append(seen, opt)
		name := filepath.Base(path)
		if strings.Contains(name, "坏") {
			return nil, review.Errorf(review.EINVALID, "“%s”不是有效的 .docx 文件：文件已损坏或已加密。", name)
		}
		return s.CreateDocument(ctx, review.NewDocument{
			Meta: review.Metadata{Title: strings.TrimSuffix(name, filepath.Ext(name)), Kind: opt.Kind, Disclosure: review.DisclosureActive},
			Text: "导入的正文。", Author: opt.Author, Source: name,
		})
	}
	a := openApp(t, svc)
	d := a.importFiles([]string{"/in/坏文件.docx", "/in/关于开展安全检查的通知.txt"})
	if !d.title.Disabled() {
		t.Error("title entry should be disabled for two files")
	}
	d.kind.SetSelected(string(review.KindNotice))
	test.Tap(d.start)
	a.wait()

	if len(d.results) != 2 {
		t.Fatalf("results = %d, want 2", len(d.results))
	}
	if len(d.list.Objects) != 2 {
		t.Fatalf("result rows = %d, want 2", len(d.list.Objects))
	}
	bad := d.list.Objects[0].(*widget.Label)
	good := d.list.Objects[1].(*widget.Label)
	if !strings.Contains(bad.Text, "失败") || !strings.Contains(bad.Text, "坏文件.docx") || !strings.Contains(bad.Text, "已损坏") {
		t.Errorf("failed row = %q", bad.Text)
	}
	if !strings.Contains(good.Text, "成功") || !strings.Contains(good.Text, "000014349/2025-00004") {
		t.Errorf("good row = %q", good.Text)
	}
	if got, _ := d.progress.Get(); got != 1 {
		t.Errorf("progress = %v, want 1", got)
	}
	if !strings.Contains(d.status.Text, "成功 1 件，失败 1 件") || d.close.Text != "关闭" {
		t.Errorf("status %q, button %q", d.status.Text, d.close.Text)
	}
	for _, o := range seen {
		if o.Kind != review.KindNotice || o.Author != "wang" || o.Title != "" {
			t.Errorf("import options = %+v", o)
		}
	}
	if got := titles(a.browser); len(got) != 4 || got[0] != "关于开展安全检查的通知" {
		t.Errorf("list after import: %v", got)
	}
	test.Tap(d.close)
}

func TestImportDialog_SingleFileTakesTitle(t *testing.T) {
	s := workspace()
	svc := s.services()
	var got ImportOptions
	svc.Import = func(ctx context.Context, path string, opt ImportOptions) (*review.Document, error) {
		got = opt
		return s.CreateDocument(ctx, review.NewDocument{
			Meta: review.Metadata{Title: opt.Title, Kind: opt.Kind, Disclosure: review.DisclosureActive},
			Text: "正文", Author: opt.Author,
		})
	}
	a := openApp(t, svc)
	d := a.importFiles([]string{"/in/draft.md"})
	test.Type(d.title, "新的标题")
	test.Tap(d.start)
	a.wait()
	if got.Title != "新的标题" || got.Kind != review.KindOther {
		t.Errorf("options = %+v", got)
	}
	// A single import opens the new document.
	if a.browser.detail.doc == nil || a.browser.detail.doc.Meta.Title != "新的标题" {
		t.Errorf("detail shows %v", a.browser.detail.doc)
	}
}

func TestImportDialog_NeedsUserAndFile(t *testing.T) {
	s := workspace()
	svc := s.services()
	svc.Import = func(context.Context, string, ImportOptions) (*review.Document, error) {
		t.Error("import ran")
		return nil, nil
	}
	a := openApp(t, svc)
	d := a.importFiles([]string{"/in/a.txt"})
	d.files.SetSelected(nil)
	test.Tap(d.start)
	if d.problem.Text != "请至少勾选一个文件。" {
		t.Errorf("problem = %q", d.problem.Text)
	}
	a.user = nil
	d.files.SetSelected(d.files.Options)
	test.Tap(d.start)
	if !strings.Contains(d.problem.Text, "当前用户") {
		t.Errorf("problem = %q", d.problem.Text)
	}
}

func TestImport_DroppedFolderAndUnsupportedFile(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b.docx", "a.txt", "c.md", "notes.pdf", "~$b.docx", ".hidden.txt"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := workspace()
	svc := s.services()
	var imported []string
	svc.Import = func(ctx context.Context, path string, opt ImportOptions) (*review.Document, error) {
		imported = append(imported, filepath.Base(path))
		return s.CreateDocument(ctx, review.NewDocument{
			Meta: review.Metadata{Title: filepath.Base(path), Kind: opt.Kind, Disclosure: review.DisclosureActive},
			Text: "正文", Author: opt.Author,
		})
	}
	a := openApp(t, svc)
	d := a.importURIs([]fyne.URI{storage.NewFileURI(dir), storage.NewFileURI("/elsewhere/scan.pdf")})
	if d == nil {
		t.Fatal("no import dialog")
	}
	if want := "a.txt|b.docx|c.md|scan.pdf"; strings.Join(d.files.Options, "|") != want {
		t.Fatalf("files = %v, want %s", d.files.Options, want)
	}
	test.Tap(d.start)
	a.wait()
	if strings.Join(imported, "|") != "a.txt|b.docx|c.md" {
		t.Errorf("imported %v", imported)
	}
	last := d.list.Objects[3].(*widget.Label).Text
	if !strings.Contains(last, "scan.pdf") || !strings.Contains(last, "不支持的文件类型") {
		t.Errorf("pdf row = %q", last)
	}
}

func TestEdit_SavingMakesANewRevision(t *testing.T) {
	s := workspace()
	a := openApp(t, s.services())
	a.ShowDocument(1)
	a.wait()
	det := a.browser.detail
	e := a.showEditDialog(det.doc, det.cur)
	e.title.SetText("关于做好住房公积金管理工作的补充通知")
	e.docNumber.SetText("某发〔2025〕3号")
	e.note.SetText("补充发文字号，标题加“补充”")
	test.Tap(e.save)
	a.wait()
	if e.problem.Text != "" || e.saved == nil {
		t.Fatalf("not saved: %q", e.problem.Text)
	}
	revs := s.revs[1]
	if len(revs) != 2 || revs[0].Meta.Title != "关于做好住房公积金管理工作的通知" || revs[1].Number != 2 || revs[1].Author != "wang" {
		t.Fatalf("revisions = %+v", revs)
	}
	if det.info["标题"].Text != "关于做好住房公积金管理工作的补充通知" || det.info["发文字号"].Text != "某发〔2025〕3号" {
		t.Errorf("detail not refreshed: %q", det.info["标题"].Text)
	}
	if det.revList.Length() != 2 || det.audit[0].Action != review.ActionRevise {
		t.Errorf("revisions %d, newest audit %v", det.revList.Length(), det.audit[0].Action)
	}
	if got := titles(a.browser)[0]; got != "关于做好住房公积金管理工作的补充通知" {
		t.Errorf("list not refreshed: %q", got)
	}
}

func TestEdit_ValidationKeepsInput(t *testing.T) {
	tests := []struct {
		name    string
		change  func(e *editDialog)
		problem string
	}{
		{"发文字号", func(e *editDialog) { e.docNumber.SetText("国发[2019]012号"); e.note.SetText("改字号") }, "GB/T 9704"},
		{"无修改说明", func(e *editDialog) { e.subject.SetText("住房") }, "请填写修改说明"},
		{"未改动", func(e *editDialog) { e.note.SetText("没改") }, "内容没有改动"},
		{"不予公开无依据", func(e *editDialog) { e.disclosure.SetSelected("不予公开"); e.note.SetText("改属性") }, "须注明依据"},
		{"空标题", func(e *editDialog) { e.title.SetText(" "); e.note.SetText("删标题") }, "标题不能为空"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := workspace()
			a := openApp(t, s.services())
			a.ShowDocument(1)
			a.wait()
			det := a.browser.detail
			e := a.showEditDialog(det.doc, det.cur)
			tt.change(e)
			before := e.meta()
			test.Tap(e.save)
			a.wait()
			if !strings.Contains(e.problem.Text, tt.problem) {
				t.Errorf("problem = %q, want it to mention %q", e.problem.Text, tt.problem)
			}
			if e.saved != nil || len(s.revs[1]) != 1 {
				t.Error("saved despite the problem")
			}
			if e.meta() != before {
				t.Error("input changed")
			}
		})
	}
}

func TestNavigation_PlaceholdersAndSwitching(t *testing.T) {
	a := openApp(t, workspace().services())
	for _, sc := range screens {
		if !a.ShowScreen(sc.title) {
			t.Fatalf("ShowScreen(%q) = false", sc.title)
		}
		if a.nav.stack.Objects[0] != a.nav.built[sc.title] {
			t.Errorf("%s not shown", sc.title)
		}
	}
	if a.ShowScreen("不存在") {
		t.Error("unknown screen reported as shown")
	}
	// Switching back keeps the same browser and its state.
	b := a.browser
	a.ShowScreen("全部文件")
	if a.browser != b || a.nav.stack.Objects[0] != b {
		t.Error("browser rebuilt on return")
	}
}

func TestTheme_BundledFontForEveryTextStyle(t *testing.T) {
	th := NewTheme()
	if th.Font(fyne.TextStyle{}) != fontRegular || th.Font(fyne.TextStyle{Monospace: true}) != fontRegular {
		t.Error("regular and monospace text should use the bundled regular face")
	}
	if th.Font(fyne.TextStyle{Bold: true}) != fontBold || th.Font(fyne.TextStyle{Bold: true, Italic: true}) != fontBold {
		t.Error("bold text should use the bundled bold face")
	}
	if len(fontRegular.Content()) < 1<<20 || len(fontBold.Content()) < 1<<20 {
		t.Error("bundled fonts look empty")
	}
}

func sp(start, end int) review.Span { return review.Span{Start: start, End: end} }

func TestSnippetSegments(t *testing.T) {
	tests := []struct {
		name    string
		snippet string
		spans   []review.Span
		want    string // highlighted parts in [brackets]
	}{
		{"none", "住房公积金", nil, "住房公积金"},
		{"middle", "做好住房公积金", []review.Span{sp(2, 4)}, "做好[住房]公积金"},
		{"two", "住房与住房", []review.Span{sp(0, 2), sp(3, 5)}, "[住房]与[住房]"},
		{"out of range", "住房", []review.Span{sp(1, 9)}, "住房"},
		{"overlap", "住房公积金", []review.Span{sp(0, 3), sp(2, 4)}, "[住房公]积金"},
		{"empty", "", nil, " "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			for _, s := range snippetSegments(tt.snippet, tt.spans) {
				ts := s.(*widget.TextSegment)
				if ts.Style.TextStyle.Bold {
					b.WriteString("[" + ts.Text + "]")
				} else {
					b.WriteString(ts.Text)
				}
			}
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
}

func TestEmptyWorkspace_ShowsHints(t *testing.T) {
	a := openApp(t, newFakeStore().services())
	b := a.browser
	if b.detail.content.Objects[0] != b.detail.empty {
		t.Error("detail pane should show its hint")
	}
	if got, _ := b.count.Get(); got != "没有符合条件的文件" {
		t.Errorf("count = %q", got)
	}
	if !b.detail.edit.Disabled() {
		t.Error("编辑 enabled without a document")
	}
}

func TestImportDialog_CancelStopsTheRest(t *testing.T) {
	s := workspace()
	svc := s.services()
	started, release := make(chan struct{}), make(chan struct{})
	var calls int
	svc.Import = func(ctx context.Context, path string, opt ImportOptions) (*review.Document, error) {
		calls++
		close(started)
		<-release
		return s.CreateDocument(ctx, review.NewDocument{
			Meta: review.Metadata{Title: "第一件", Kind: opt.Kind, Disclosure: review.DisclosureActive},
			Text: "正文", Author: opt.Author,
		})
	}
	a := openApp(t, svc)
	d := a.importFiles([]string{"/in/1.txt", "/in/2.txt", "/in/3.txt"})
	test.Tap(d.start)
	<-started
	test.Tap(d.close) // 取消 while the first file is under way
	close(release)
	a.wait()
	if calls != 1 || len(d.results) != 3 {
		t.Fatalf("calls %d, results %d", calls, len(d.results))
	}
	if d.results[0].err != nil {
		t.Errorf("the file under way should finish: %v", d.results[0].err)
	}
	for _, r := range d.results[1:] {
		if review.ErrorMessage(r.err) != "已取消，未导入。" {
			t.Errorf("%s: %v", r.path, r.err)
		}
	}
	if d.close.Text != "关闭" || d.close.Disabled() {
		t.Errorf("button %q disabled=%v", d.close.Text, d.close.Disabled())
	}
}

func TestUserOption_DoesNotRepeatRoles(t *testing.T) {
	for _, tt := range []struct {
		u    review.User
		want string
	}{
		{review.User{Name: "wang", DisplayName: "王经办", Roles: []review.Role{review.RoleClerk, review.RoleAdmin}}, "王经办（经办人、管理员）"},
		{review.User{Name: "zhang", DisplayName: "张伟（经办人）", Roles: []review.Role{review.RoleClerk}}, "张伟（经办人）"},
		{review.User{Name: "li", Roles: []review.Role{review.RoleLegal}}, "li（法制审核员）"},
	} {
		if got := userOption(&tt.u); got != tt.want {
			t.Errorf("userOption(%s) = %q, want %q", tt.u.Name, got, tt.want)
		}
	}
}

func TestTextView_WrapsWithoutLosingText(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(NewTheme())
	v := newTextView()
	para := strings.Repeat("为了规范公司的组织和行为，保护公司、股东和债权人的合法权益。", 40)
	v.SetText("第一条\n" + para + "\n\n第二条")
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(400, 300))
	var got strings.Builder
	wrapped := 0
	for _, l := range v.lines {
		if l.para == 1 {
			got.WriteString(l.text)
			wrapped++
		}
	}
	if got.String() != para || wrapped < 10 {
		t.Errorf("paragraph 1 in %d lines, joined equal: %v", wrapped, got.String() == para)
	}
	if n := len(v.lines); n != wrapped+3 {
		t.Errorf("lines = %d, want %d", n, wrapped+3)
	}
	for _, l := range v.lines {
		if w := fyne.MeasureText(l.text, theme.TextSize(), fyne.TextStyle{}).Width; w > 400 {
			t.Errorf("line %q is %v wide", l.text, w)
		}
	}
}

func TestEdit_LongTextEditedByParagraph(t *testing.T) {
	s := newFakeStore()
	var paras []string
	for i := range 300 {
		paras = append(paras, fmt.Sprintf("第%d条 公司应当依法经营，诚实守信，接受政府和社会公众的监督，承担社会责任。", i+1))
	}
	text := strings.Join(paras, "\n")
	s.add("公司法", review.KindRule, review.StatusDraft, review.ValidityInForce, text)
	a := openApp(t, s.services())
	det := a.browser.detail
	e := a.showEditDialog(det.doc, det.cur)
	if e.long == nil || e.text != nil {
		t.Fatal("a long text should open in the paragraph editor")
	}
	e.long.choose(2)
	if e.long.entry.Text != paras[2] {
		t.Fatalf("entry = %q", e.long.entry.Text)
	}
	e.long.entry.SetText("第3条 改过的条文。\n第3条之一 新增的条文。")
	e.note.SetText("修改第三条") // saving applies the paragraph still in the entry
	test.Tap(e.save)
	a.wait()
	revs := s.revs[1]
	if e.saved == nil || len(revs) != 2 {
		t.Fatalf("not saved: %q", e.problem.Text)
	}
	want := append(append(append([]string{}, paras[:2]...), "第3条 改过的条文。", "第3条之一 新增的条文。"), paras[3:]...)
	if revs[1].Text != strings.Join(want, "\n") {
		t.Error("revised text is not the original with paragraph 3 replaced")
	}
}
