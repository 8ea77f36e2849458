package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/container"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/comment"
	"qianfa/review/compare"
	scr "qianfa/review/screen"
	"qianfa/review/screening"
	"qianfa/review/workflow"
)

// The 签发 summary tells the official what screening left open or
// dismissed, what changed since the last signed-off revision, and whether
// public comment was held.
func TestSignoffSummary_ShowsFindingsChangesAndPublicComment(t *testing.T) {
	oldText := "第一条 为了规范举报奖励，制定本办法。\n第二条 奖励最低一千元。\n"
	newText := "第一条 为了规范举报奖励，制定本办法。\n第二条 奖励最低三千元。\n第三条 本办法自发布之日起施行。\n"
	changes, err := compare.Compare(oldText, newText, compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	meta := review.Metadata{Title: "举报奖励办法", Kind: review.KindNormative, Disclosure: review.DisclosureActive}
	m := &workflow.Summary{
		Document:     review.Document{ID: 1, IndexNo: "000014349/2026-00002", Meta: meta, Status: review.StatusSignoff},
		Revision:     review.Revision{DocumentID: 1, Number: 3, Meta: meta, Text: newText, Hash: review.RevisionHash(meta, newText), Author: "zhangwei"},
		LastApproved: 1,
	}
	st := &screening.State{DocumentID: 1, Revision: 3, Items: []screening.Item{
		{Finding: scr.Finding{Kind: scr.KindMobile, Text: "13801234567"}, Status: screening.StatusOpen},
		{Finding: scr.Finding{Kind: scr.KindEmail, Text: "office@example.gov.cn"}, Status: screening.StatusDismissed,
			Decision: &screening.Decision{Status: screening.StatusDismissed, Reason: "机关公开的联系邮箱"}},
	}}
	rec := &comment.Record{Held: true, Start: calendar.MustParse("2026-10-08"), End: calendar.MustParse("2026-11-07"), Revision: 1, Comments: 12, Considered: 12}
	page := texts(container.NewVBox(summarySections(m, summaryExtras{screening: st, changes: changes, comment: rec}, workflow.InboxItem{}, func(s string) string { return s })...))
	for _, want := range []string{
		"公开征求意见", "收到意见 12 条，已研究处理 12 条",
		"保密筛查", "待处理　手机号码：13801234567", "已排除　电子邮箱：office@example.gov.cn（排除理由：机关公开的联系邮箱）",
		"与第 1 版（上次签发）比较", "修改　第 2 条 → 第 2 条", "新增　— → 第 3 条",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("summary lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "第 1 条 → 第 1 条") {
		t.Errorf("unchanged articles listed:\n%s", page)
	}
}
