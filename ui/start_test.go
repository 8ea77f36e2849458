package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"qianfa/review"
)

func TestStart_Validate(t *testing.T) {
	tests := []struct {
		start Start
		ok    bool
	}{
		{Start{}, true},
		{Start{View: StartComments}, true},
		{Start{View: StartDocuments}, true},
		{Start{View: StartScreening, Document: 3}, true},
		{Start{View: StartScreening}, false},
		{Start{View: CompareViewTable}, false},
		{Start{View: StartExport, Document: 2}, false},
		{Start{View: StartExport, Document: 2, ExportTo: "/tmp"}, true},
		{Start{View: "bogus", Document: 1}, false},
	}
	for _, tt := range tests {
		err := tt.start.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("%+v: err = %v, want ok = %v", tt.start, err, tt.ok)
		}
		if err != nil && review.ErrorMessage(err) == "" {
			t.Errorf("%+v: no message", tt.start)
		}
	}
}

func TestStart_OpensTheScreenOrDocument(t *testing.T) {
	s := workspace()
	doc := s.add("关于开展汛期检查的通知", review.KindNotice, review.StatusDraft, review.ValidityInForce, "各单位：请做好汛期检查。")
	for _, tt := range []struct {
		start  Start
		screen string
	}{
		{Start{View: StartComments}, commentsTitle},
		{Start{View: StartDocuments, Document: doc.ID}, startScreen},
	} {
		a := newApp(test.NewTempApp(t), s.services())
		a.debounce = 0
		a.startAt(tt.start)
		a.wait()
		if a.nav.cur != tt.screen {
			t.Errorf("%+v: screen %q, want %q", tt.start, a.nav.cur, tt.screen)
		}
		if tt.start.Document > 0 && (a.browser.detail.doc == nil || a.browser.detail.doc.ID != doc.ID) {
			t.Errorf("%+v: document not selected", tt.start)
		}
		a.win.Close()
	}
}
