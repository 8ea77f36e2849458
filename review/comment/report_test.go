package comment_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"qianfa/review"
	"qianfa/review/comment"
	"qianfa/review/compare"
)

const finalText = `某部举报奖励办法

第一条 为了鼓励举报违法行为，制定本办法。
第二条 举报人可以通过网站、电话、信函、微信公众号举报。
第三条 举报受理后应当在十个工作日内答复。
第四条 奖励标准由财务部门另行制定。
第五条 本办法自发布之日起施行。
`

func reportInput() comment.Input {
	bj := time.FixedZone("CST", 8*3600)
	at := func(day int) time.Time { return time.Date(2025, 3, day, 10, 0, 0, 0, bj) }
	mk := func(no int, group int64, typ comment.SubmitterType, art, text string, d comment.Disposition, reason string) comment.Comment {
		return comment.Comment{No: no, Group: group, SubmitterType: typ, Article: art, Text: text, ReceivedAt: at(no),
			Disposition: d, Reason: reason}
	}
	cs := []comment.Comment{
		mk(1, 1, comment.SubmitterPerson, "3", "建议把答复时限缩短为十个工作日。", comment.Adopted, ""),
		mk(2, 1, comment.SubmitterPerson, "3", "建议把答复时限缩短为十个工作日！", comment.Adopted, ""),
		mk(3, 1, comment.SubmitterCompany, "3", "建议把答复时限缩短为十个工作日", comment.Adopted, ""),
		mk(4, 2, comment.SubmitterCompany, "4", "建议明确奖励标准的上限。", comment.NotAdopted, "奖励标准由专门文件规定"),
		mk(5, 3, comment.SubmitterOrganisation, "2", "建议增加微信公众号和电话渠道。", comment.Partly, "增加微信公众号，电话渠道已有"),
		mk(6, 4, comment.SubmitterOther, "", "请加强对基层执法人员的培训。", comment.NotRelated, "属于执法培训工作，已转有关司局"),
		mk(7, 5, comment.SubmitterPerson, "5", "建议推迟施行日期。", "", ""),
	}
	cs[6].Late = true
	return comment.Input{
		Document: review.Document{ID: 1, IndexNo: "000014349/2025-00007",
			Meta: review.Metadata{Title: "某部举报奖励办法（征求意见稿）", Kind: review.KindCommentDraft}},
		Window: comment.Window{Revision: 1, Kind: review.KindNormative, Start: d("2025-03-01"), End: d("2025-03-31"),
			Channels: []comment.Channel{comment.ChannelWebsite, comment.ChannelEmail}},
		Comments:  cs,
		DraftText: draftText, FinalText: finalText, FinalRevision: 2,
		Now: time.Date(2025, 4, 2, 9, 0, 0, 0, bj),
	}
}

func TestBuild_CountsByTypeAndDisposition(t *testing.T) {
	r, err := comment.Build(reportInput())
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 7 || r.Late != 1 || r.Groups != 5 || r.Undisposed != 1 {
		t.Errorf("total %d late %d groups %d undisposed %d", r.Total, r.Late, r.Groups, r.Undisposed)
	}
	wantDisp := map[comment.Disposition]int{comment.Adopted: 3, comment.Partly: 1, comment.NotAdopted: 1, comment.NotRelated: 1}
	for d, n := range wantDisp {
		if r.ByDisposition[d] != n {
			t.Errorf("%s = %d, want %d", d, r.ByDisposition[d], n)
		}
	}
	byType := map[comment.SubmitterType]comment.TypeCount{}
	for _, tc := range r.ByType {
		byType[tc.Type] = tc
	}
	tests := []struct {
		typ   comment.SubmitterType
		total int
		disp  comment.Disposition
		n     int
	}{
		{comment.SubmitterPerson, 3, comment.Adopted, 2},
		{comment.SubmitterPerson, 3, "", 1},
		{comment.SubmitterCompany, 2, comment.Adopted, 1},
		{comment.SubmitterCompany, 2, comment.NotAdopted, 1},
		{comment.SubmitterOrganisation, 1, comment.Partly, 1},
		{comment.SubmitterOther, 1, comment.NotRelated, 1},
	}
	for _, tt := range tests {
		tc := byType[tt.typ]
		if tc.Total != tt.total || tc.ByDisposition[tt.disp] != tt.n {
			t.Errorf("%s: total %d, %q %d; want %d, %d", tt.typ, tc.Total, tt.disp, tc.ByDisposition[tt.disp], tt.total, tt.n)
		}
	}
}

func TestBuild_ReasonsAndChangesPerArticle(t *testing.T) {
	r, err := comment.Build(reportInput())
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, a := range r.Articles {
		order = append(order, a.Label)
	}
	if strings.Join(order, " ") != "第二条 第三条 第四条 第五条" {
		t.Fatalf("articles in order %v", order)
	}
	art3 := r.Articles[1]
	if art3.Comments != 3 || len(art3.Items) != 1 || art3.Items[0].Count != 3 || art3.Items[0].Disposition != comment.Adopted {
		t.Errorf("第三条: %+v", art3)
	}
	if art3.Change == nil || art3.Change.Label != compare.Modified || !strings.Contains(art3.Change.NewText, "十个工作日") {
		t.Errorf("第三条 change %+v", art3.Change)
	}
	if c := r.Articles[2].Change; c == nil || c.Label != compare.Unchanged {
		t.Errorf("第四条 should be unchanged: %+v", c)
	}
	if it := r.Articles[2].Items[0]; it.Reason != "奖励标准由专门文件规定" {
		t.Errorf("第四条 reason %q", it.Reason)
	}
	if len(r.General) != 1 || r.General[0].Disposition != comment.NotRelated {
		t.Errorf("general %+v", r.General)
	}
	if len(r.Changes) != 2 || r.Changes[0].NewNo != "2" || r.Changes[1].NewNo != "3" {
		t.Errorf("changes %+v", r.Changes)
	}
}

func TestReport_RendersTextHTMLAndJSON(t *testing.T) {
	r, err := comment.Build(reportInput())
	if err != nil {
		t.Fatal(err)
	}
	text := r.Text()
	for _, want := range []string{
		"关于《某部举报奖励办法》征求意见采纳情况的说明\n",
		"2025年3月1日至2025年3月31日，我们通过网站、电子邮件",
		"共收到意见 7 条（个人 3 条，企业 2 条，社会组织 1 条，其他 1 条）",
		"其中 1 条在截止日期后收到",
		"合并处理后为 5 组",
		"采纳 3 条，部分采纳 1 条，不采纳 1 条，不涉及本文件内容的 1 条，尚有 1 条正在研究",
		"关于第三条（3 条意见）：\n（一）意见：建议把答复时限缩短为十个工作日。（同类意见 3 条）\n处理情况：采纳。\n修改情况：第三条修改为：第三条 举报受理后应当在十个工作日内答复。",
		"处理情况：不采纳。理由：奖励标准由专门文件规定。",
		"关于文件整体及其他方面：",
		"二、条文修改情况\n第二条修改为：",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q\n%s", want, text)
		}
	}
	var html bytes.Buffer
	if err := r.Write(&html, "html"); err != nil {
		t.Fatal(err)
	}
	h := html.String()
	for _, want := range []string{`<meta charset="utf-8">`, "Noto Sans CJK SC", "<th>部分采纳</th>", "<th>尚未处理</th>", "（同类意见 3 条）", "含逾期 1 条"} {
		if !strings.Contains(h, want) {
			t.Errorf("html lacks %q", want)
		}
	}
	if strings.Contains(h, "<script") || strings.Contains(h, "http") {
		t.Errorf("html is not self-contained")
	}
	var js bytes.Buffer
	if err := r.Write(&js, "json"); err != nil {
		t.Fatal(err)
	}
	var back comment.Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.Total != 7 || back.ByDisposition[comment.Adopted] != 3 {
		t.Fatalf("json round trip: %v %+v", err, back)
	}
	if err := r.Write(&js, "pdf"); review.ErrorCode(err) != review.EINVALID {
		t.Errorf("pdf: %v", err)
	}
}
