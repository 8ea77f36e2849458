package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"qianfa/review"
)

// One golden file only: the result row is the piece whose look (bold,
// coloured match inside the snippet) is the point, and goldens of whole
// screens break on every Fyne upgrade.
func TestHitRow_RendersHighlight(t *testing.T) {
	a := openApp(t, newFakeStore().services())
	b := a.browser
	snippet, spans := review.Snippet("各有关单位：为规范住房公积金管理，现就有关事项通知如下。", "住房", 40)
	b.hits = []review.DocumentHit{{
		Document: review.Document{ID: 1, IndexNo: "000014349/2025-00001", Status: review.StatusDraft,
			Meta:      review.Metadata{Title: "关于做好住房公积金管理工作的通知", Kind: review.KindNotice},
			UpdatedAt: time.Date(2025, 3, 1, 9, 1, 0, 0, time.Local)},
		Snippet: snippet, Matches: spans,
	}}
	row := newHitRow()
	b.updateHitRow(0, row)
	w := test.NewTempWindow(t, row)
	w.Resize(fyne.NewSize(520, row.MinSize().Height+2*4))
	test.AssertRendersToMarkup(t, "hit_row.xml", w.Canvas())
}
