package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	"qianfa/review/publish"
)

// fakePublishing is the fake workspace that also exports and publishes.
// It is both the document store and Services.Publishing.
type fakePublishing struct {
	*fakeStore
	refuse       error // from Prepare
	refuseChange error // from Publish and MarkRepealed
	exported     []int64
	progress     []int64
}

func (p *fakePublishing) Prepare(_ context.Context, id int64) (*publish.Plan, error) {
	if p.refuse != nil {
		return nil, p.refuse
	}
	d, err := p.Document(context.Background(), id)
	if err != nil {
		return nil, err
	}
	return &publish.Plan{Document: *d, Revision: review.Revision{Number: 1}, FileName: "000014349-2025-00004-0123456789ab.zip",
		Attachments: []publish.Attachment{{Name: "附件1.pdf", Size: 3 << 20}}}, nil
}

func (p *fakePublishing) Export(_ context.Context, user string, id int64, pass, dir string, progress func(done, total int64)) (*publish.Export, error) {
	if pass != "口令正确" {
		return nil, review.Errorf(review.EFORBIDDEN, "口令不正确。")
	}
	for _, n := range []int64{10, 10, 50, 100} {
		progress(n, 100)
	}
	p.exported = append(p.exported, id)
	return &publish.Export{DocumentID: id, Path: dir + "/000014349-2025-00004-0123456789ab.zip", Size: 4 << 20,
		SHA256: strings.Repeat("0123456789abcdef", 4), Actor: user}, nil
}

func (p *fakePublishing) Publish(_ context.Context, user string, id int64, date, link string) (*review.Document, error) {
	if p.refuseChange != nil {
		return nil, p.refuseChange
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	d, err := p.doc(id)
	if err != nil {
		return nil, err
	}
	d.Status, d.PublishedOn, d.PublishedURL = review.StatusPublished, date, link
	c := *d
	return &c, nil
}

func (p *fakePublishing) MarkAmended(context.Context, string, int64, int64) error { return nil }

func (p *fakePublishing) MarkRepealed(_ context.Context, user string, id int64, date string) error {
	if p.refuseChange != nil {
		return p.refuseChange
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	d, err := p.doc(id)
	if err != nil {
		return err
	}
	d.Validity = review.ValidityRepealed
	return nil
}

func (p *fakePublishing) OfficeAllowedSigners(context.Context) ([]byte, error) {
	return []byte("wang ssh-ed25519 AAAA\n"), nil
}

// publishingApp is the usual fake workspace plus one 已签发 document.
func publishingApp(t *testing.T) (*App, *fakePublishing, *review.Document) {
	t.Helper()
	s := workspace()
	doc := s.add("举报奖励办法", review.KindNormative, review.StatusApproved, review.ValidityInForce, "第一条 为了鼓励举报，制定本办法。")
	p := &fakePublishing{fakeStore: s}
	svc := s.services()
	svc.Docs, svc.Publishing = p, p
	return openApp(t, svc), p, doc
}

func TestGroupFingerprint_BlocksOfFour(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"abcd", "abcd"},
		{"abcdef", "abcd ef"},
		{strings.Repeat("0123", 16), strings.TrimSpace(strings.Repeat("0123 ", 16))},
	} {
		if got := GroupFingerprint(c.in); got != c.want {
			t.Errorf("GroupFingerprint(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestDetail_OffersExportOnlyForApprovedDocuments(t *testing.T) {
	a, _, doc := publishingApp(t)
	for _, c := range []struct {
		title string
		id    int64
		want  bool
	}{{"approved", doc.ID, true}, {"draft", 1, false}, {"published", 3, false}} {
		a.ShowDocument(c.id)
		a.wait()
		if got := a.browser.detail.publish.box.Visible(); got != c.want {
			t.Errorf("%s: export buttons visible = %v, want %v", c.title, got, c.want)
		}
	}
}

func TestExportDialog_ShowsContentsThenProgressThenGroupedFingerprint(t *testing.T) {
	a, p, doc := publishingApp(t)
	e := a.showExportDialog(doc)
	a.wait()
	if e.plan == nil || e.dlg == nil {
		t.Fatal("dialog did not open")
	}
	before := texts(e.body)
	for _, want := range []string{"附件 1 个（3.0 MB）", "审查记录", "000014349-2025-00004-0123456789ab.zip", "王经办"} {
		if !strings.Contains(before, want) {
			t.Errorf("dialog lacks %q:\n%s", want, before)
		}
	}
	e.dir.SetText(t.TempDir())
	test.Type(e.pass, "错的口令")
	e.run()
	a.wait()
	if !strings.Contains(e.status.Text, "口令不正确") || e.start.Disabled() || e.result != nil {
		t.Fatalf("after a wrong passphrase: status %q, start disabled %v", e.status.Text, e.start.Disabled())
	}
	test.Type(e.pass, "口令正确")
	e.run()
	a.wait()
	if e.result == nil || len(p.exported) != 1 {
		t.Fatalf("export did not run: %v", p.exported)
	}
	if e.progress.Value != 1 {
		t.Errorf("progress = %v, want 1", e.progress.Value)
	}
	after := texts(e.body)
	if !strings.Contains(after, "0123 4567 89ab cdef 0123") || !strings.Contains(after, ".zip") || !strings.Contains(after, "[登记发布…]") {
		t.Errorf("result view:\n%s", after)
	}
	var copyBtn func()
	walkButtons(e.body, func(text string, tap func()) {
		if text == "复制指纹" {
			copyBtn = tap
		}
	})
	if copyBtn == nil {
		t.Fatal("no copy button")
	}
	copyBtn()
	if got := a.fyneApp.Clipboard().Content(); got != strings.Repeat("0123456789abcdef", 4) {
		t.Errorf("clipboard = %q", got)
	}
}

func TestExportDialog_RefusalShowsTheReasonWithoutAskingThePassphrase(t *testing.T) {
	a, p, doc := publishingApp(t)
	p.refuse = review.Errorf(review.ECONFLICT, "《举报奖励办法》签发后文本已改动。")
	e := a.showExportDialog(doc)
	a.wait()
	if e.dlg != nil || e.pass != nil {
		t.Fatal("the export dialog opened for a refused document")
	}
	top := a.win.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(allText(top), "签发后文本已改动") {
		t.Errorf("no refusal shown")
	}
}

func TestPublishedScreen_ListsPublishedAndRepeals(t *testing.T) {
	a, _, doc := publishingApp(t)
	if _, err := a.svc.Publishing.Publish(context.Background(), "wang", doc.ID, "2025-03-05", "https://www.example.gov.cn/1.html"); err != nil {
		t.Fatal(err)
	}
	v := newPublishedView(a)
	a.wait()
	if len(v.hits) != 2 || v.count.Text != "共 2 件" {
		t.Fatalf("published list = %d (%s)", len(v.hits), v.count.Text)
	}
	if !v.amend.Disabled() {
		t.Error("amend enabled without a selection")
	}
	i := -1
	for j, h := range v.hits {
		if h.ID == doc.ID {
			i = j
		}
	}
	row := newTwoLineRow()
	v.updateRow(i, row)
	if got := allText(row); !strings.Contains(got, "发布日期 2025-03-05") || !strings.Contains(got, "https://www.example.gov.cn/1.html") {
		t.Errorf("row = %q", got)
	}
	v.list.Select(i)
	if v.repeal.Disabled() || !v.signers.Disabled() {
		t.Errorf("clerk: repeal disabled %v, signer list enabled %v", v.repeal.Disabled(), !v.signers.Disabled())
	}
	f := v.showRepeal()
	f.date.SetText("2025-06-01")
	test.Tap(f.ok)
	a.wait()
	v.validity.SetSelected(string(review.ValidityRepealed))
	a.wait()
	if len(v.hits) != 1 || v.hits[0].ID != doc.ID {
		t.Errorf("repealed filter = %d hits", len(v.hits))
	}
}

// A refused 登记发布 or 标记已废止 keeps its dialog open with the reason and
// what was typed, so the clerk corrects one field instead of starting over.
func TestPublishDialogs_RefusalKeepsTheInput(t *testing.T) {
	a, p, doc := publishingApp(t)
	p.refuseChange = review.Errorf(review.EINVALID, "发布日期不能早于签发日期。")
	f := a.showPublishDialog(doc)
	f.date.SetText("2020-01-01")
	f.link.SetText("https://www.example.gov.cn/2.html")
	test.Tap(f.ok)
	a.wait()
	if !strings.Contains(f.status.Text, "不能早于签发日期") || f.date.Text != "2020-01-01" || f.link.Text != "https://www.example.gov.cn/2.html" {
		t.Errorf("after a refusal: status %q, date %q, link %q", f.status.Text, f.date.Text, f.link.Text)
	}
	if top := a.win.Canvas().Overlays().Top(); top == nil || !strings.Contains(allText(top), "登记发布") {
		t.Error("登记发布 closed on a refusal")
	}
	p.refuseChange = nil
	f.date.SetText("2025-03-05")
	test.Tap(f.ok)
	a.wait()
	if d, _ := p.Document(context.Background(), doc.ID); d.Status != review.StatusPublished || d.PublishedOn != "2025-03-05" {
		t.Fatalf("not published after correcting the date: %+v", d)
	}

	v := newPublishedView(a)
	a.wait()
	for i, h := range v.hits {
		if h.ID == doc.ID {
			v.list.Select(i)
		}
	}
	p.refuseChange = review.Errorf(review.EINVALID, "废止日期“2025-13-01”无效。")
	r := v.showRepeal()
	r.date.SetText("2025-13-01")
	test.Tap(r.ok)
	a.wait()
	if !strings.Contains(r.status.Text, "无效") || r.date.Text != "2025-13-01" {
		t.Errorf("after a refusal: status %q, date %q", r.status.Text, r.date.Text)
	}
}

// allText joins the text of every label and text object drawn under o,
// through the widgets' renderers, so dialogs and list rows can be read.
func allText(o fyne.CanvasObject) string {
	var b strings.Builder
	for _, x := range test.LaidOutObjects(o) {
		switch w := x.(type) {
		case *widget.Label:
			b.WriteString(w.Text + "\n")
		case *canvas.Text:
			b.WriteString(w.Text + "\n")
		}
	}
	return b.String()
}

// walkButtons calls fn with each button's text and a tap under o.
func walkButtons(o fyne.CanvasObject, fn func(text string, tap func())) {
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok {
			fn(b.Text, func() { test.Tap(b) })
		}
	}
}
