package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/comment"
	"qianfa/review/workflow"
	"qianfa/storage"
)

const cliDraft = `某部举报奖励办法（征求意见稿）

第一条 为了鼓励举报违法行为，制定本办法。
第二条 举报人可以通过网站、电话、信函举报。
第三条 举报受理后应当在十五个工作日内答复。
第四条 本办法自发布之日起施行。
`

// commentWorkspace is a workspace holding a comment draft that has passed
// 保密审查 and 签发, built through storage so that the test is about the
// comments commands, not the review ones.
func commentWorkspace(t *testing.T) (db string, id string) {
	t.Helper()
	workflow.DefaultPassParams = workflow.PassParams{Memory: 1024, Time: 1, Threads: 1}
	db = filepath.Join(t.TempDir(), "ws.db")
	s, err := storage.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	const pass = "评审口令-2025-xyz"
	// The administrator first: only an administrator may create the others.
	for _, u := range []struct {
		name string
		role review.Role
	}{{"admin", review.RoleAdmin}, {"clerk", review.RoleClerk}, {"conf", review.RoleConfidentiality}, {"boss", review.RoleSignoff}} {
		user, key, err := workflow.NewUser(u.name, "", []review.Role{u.role}, pass, time.Now().Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateUserWithKey(ctx, user, key, "admin"); err != nil {
			t.Fatal(err)
		}
	}
	doc, err := s.CreateDocument(ctx, review.NewDocument{Meta: review.Metadata{Title: "某部举报奖励办法（征求意见稿）", Kind: review.KindCommentDraft,
		Disclosure: review.DisclosureActive}, Text: cliDraft, Author: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	svc := &workflow.Service{Store: s, Docs: s, Users: s}
	if _, err := svc.Submit(ctx, "clerk", doc.ID, true); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		user string
		p    workflow.Proposal
	}{
		{"conf", workflow.Proposal{Stage: workflow.StageConfidentiality, Outcome: workflow.OutcomeDisclose}},
		{"boss", workflow.Proposal{Stage: workflow.StageSignoff, Outcome: workflow.OutcomeSign}},
	} {
		if _, _, err := svc.Decide(ctx, step.user, doc.ID, "", step.p, pass); err != nil {
			t.Fatal(err)
		}
	}
	return db, "1"
}

func TestCLI_CommentsWindowRulesAndExtension(t *testing.T) {
	db, id := commentWorkspace(t)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"征求意见稿 must name the kind", []string{"--start", "2024-11-04", "--end", "2024-11-12"}, 1, "请注明"},
		{"six working days refused", []string{"--kind", "行政规范性文件", "--start", "2024-11-04", "--end", "2024-11-11"}, 1, "只有6个工作日"},
		{"market actors need 30 days", []string{"--kind", "行政规范性文件", "--market", "--start", "2024-11-04", "--end", "2024-11-12"}, 1, "第六十二条"},
		{"bad channel", []string{"--kind", "行政规范性文件", "--start", "2024-11-04", "--end", "2024-11-12", "--channel", "微信"}, 1, "渠道“微信”无效"},
		{"missing end is a usage error", []string{"--kind", "规章", "--start", "2024-11-04"}, 2, "--end"},
		{"seven working days accepted", []string{"--kind", "行政规范性文件", "--start", "2024-11-04", "--end", "2024-11-12", "--channel", "网站,电子邮件"}, 0, "已开启征求意见：第 1 版，2024年11月4日至2024年11月12日（已截止），渠道：网站、电子邮件"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, db, "", append([]string{"--user", "clerk", "comments", "open", id}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stdout+r.stderr, tt.want) {
				t.Fatalf("exit %d, %q %q; want %d with %q", r.code, r.stdout, r.stderr, tt.code, tt.want)
			}
		})
	}
	if r := runCLI(t, db, "", "--user", "clerk", "comments", "extend", id, "--end", "2024-11-20"); r.code != 1 || !strings.Contains(r.stderr, "须写明理由") {
		t.Fatalf("extension without reason: %+v", r)
	}
	if r := runCLI(t, db, "", "--user", "clerk", "comments", "extend", id, "--end", "2024-11-20", "--reason", "应企业要求"); r.code != 0 ||
		!strings.Contains(r.stdout, "由2024年11月12日延长至2024年11月20日") {
		t.Fatalf("extension: %+v", r)
	}
	r := runCLI(t, db, "", "comments", "show", id)
	if !strings.Contains(r.stdout, "1. 开启 2024-11-04至2024-11-12") || !strings.Contains(r.stdout, "2. 延长 2024-11-04至2024-11-20，clerk") {
		t.Fatalf("history not shown: %s", r.stdout)
	} // Legality review is told that comment was held, the window and the count.
	r = runCLI(t, db, "", "review", "status", id)
	if !strings.Contains(r.stdout, "公开征求意见：第 1 版于2024年11月4日至2024年11月20日公开征求意见（期间曾延长）；收到意见 0 条") {
		t.Fatalf("review status does not show the public comment: %s", r.stdout)
	}
}

func TestCLI_CommentsLifeImportDisposeReportFeedback(t *testing.T) {
	db, id := commentWorkspace(t)
	dir := filepath.Dir(db)
	as := func(args ...string) result {
		t.Helper()
		return runCLI(t, db, "", append([]string{"--user", "clerk"}, args...)...)
	}
	if r := as("comments", "open", id, "--kind", "行政规范性文件", "--start", "2024-11-04", "--end", "2024-11-12"); r.code != 0 {
		t.Fatalf("open: %+v", r)
	}

	csv := "提交者类型,留言人,提交时间,条款,意见内容\n" +
		"个人,张三,2024-11-05 10:00,第三条,建议把答复时限缩短为十个工作日。\n" +
		"个人,李四,2024-11-06 10:00,3,建议把答复时限缩短为十个工作日！\n" +
		"企业,,2024-11-07 10:00,第八条,条款不存在。\n" +
		"协会,,2024-11-13 09:00,2,建议增加微信渠道。\n" +
		",,,,没有时间的意见\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "网站导出.csv")
	if err := os.WriteFile(file, gbk, 0o644); err != nil {
		t.Fatal(err)
	}
	r := as("comments", "import", id, file, "--map", "text=意见内容,time=提交时间,type=提交者类型,article=条款,name=留言人")
	if r.code != 1 || !strings.Contains(r.stdout, "已导入 3 条意见（第 1—3 条，GB18030 编码），逾期 1 条，与其他意见归为同组的 2 条") ||
		!strings.Contains(r.stderr, "第 4 行未导入：征求意见稿没有“第八条”") || !strings.Contains(r.stderr, "第 6 行未导入：提交时间为空") {
		t.Fatalf("import: %+v", r)
	}
	if r := as("comments", "add", id, "--text", "请加强宣传。", "--type", "其他", "--time", "2024-11-08 09:00", "--channel", "信函"); r.code != 0 || r.stdout != "已登记第 4 条意见\n" {
		t.Fatalf("add: %+v", r)
	}
	if r := as("comments", "add", id, "--text", "建议把答复时限缩短为十个工作日", "--article", "三", "--time", "2024-11-09 09:00"); r.code != 0 ||
		!strings.Contains(r.stdout, "与第 1 条意见内容相同或相近，归为一组（共 3 条）") {
		t.Fatalf("add duplicate: %+v", r)
	}

	disposals := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"2", "--as", "采纳"}, 0, "已处理：第 1、2、5 条意见（同组 3 条）→ 采纳"},
		{[]string{"3", "--as", "部分采纳"}, 1, "须写明理由"},
		{[]string{"3", "--as", "部分采纳", "--reason", "增加微信公众号渠道"}, 0, "第 3 条意见 → 部分采纳"},
		{[]string{"4", "--as", "不涉及", "--reason", "属于宣传工作安排"}, 0, "→ 不涉及本文件"},
		{[]string{"9", "--as", "采纳"}, 1, "没有第 9 条意见"},
		{[]string{"4", "--as", "同意"}, 1, "处理意见“同意”无效"},
	}
	for _, d := range disposals {
		r := as(append([]string{"comments", "dispose", id}, d.args...)...)
		if r.code != d.code || !strings.Contains(r.stdout+r.stderr, d.want) {
			t.Fatalf("dispose %v: %+v; want %d %q", d.args, r, d.code, d.want)
		}
	}

	// The final text, a later revision of the same document.
	s, err := storage.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	final := strings.Replace(strings.Replace(cliDraft, "十五个工作日", "十个工作日", 1), "信函举报", "信函、微信公众号举报", 1)
	final = strings.Replace(final, "（征求意见稿）", "", 1)
	meta := review.Metadata{Title: "某部举报奖励办法", Kind: review.KindNormative, Disclosure: review.DisclosureActive}
	if _, err := s.ReviseDocument(context.Background(), 1, meta, final, "clerk", "根据征求意见修改"); err != nil {
		t.Fatal(err)
	}
	s.Close()

	r = runCLI(t, db, "", "comments", "report", id, "--format", "json")
	var rep comment.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != 0 {
		t.Fatalf("report json: %v %+v", err, r)
	}
	if rep.Total != 5 || rep.Late != 1 || rep.Groups != 3 || rep.ByDisposition[comment.Adopted] != 3 || rep.FinalRevision != 2 || len(rep.Changes) != 2 {
		t.Fatalf("report %+v", rep)
	}
	html := filepath.Join(dir, "说明.html")
	if r := runCLI(t, db, "", "comments", "report", id, "--format", "html", "--out", html); r.code != 0 {
		t.Fatalf("report html: %+v", r)
	}
	if b, _ := os.ReadFile(html); !strings.Contains(string(b), "第三条修改为：第三条 举报受理后应当在十个工作日内答复。") {
		t.Fatalf("html lacks the article change:\n%s", b)
	}
	if r := runCLI(t, db, "", "comments", "report", id, "--format", "pdf"); r.code != 2 {
		t.Fatalf("bad format: %+v", r)
	}

	r = as("comments", "feedback", id)
	if r.code != 0 || strings.TrimSpace(r.stdout) != "2" || !strings.Contains(r.stderr, "关于《某部举报奖励办法》征求意见采纳情况的说明") {
		t.Fatalf("feedback: %+v", r)
	}
	if r := runCLI(t, db, "", "show", "2"); !strings.Contains(r.stdout, "文种：其他文件") || !strings.Contains(r.stdout, "共收到意见 5 条") {
		t.Fatalf("feedback document: %s", r.stdout)
	}
	r = runCLI(t, db, "", "comments", "list", "--json")
	var rows []draftRow
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || len(rows) != 1 {
		t.Fatalf("list: %v %s", err, r.stdout)
	}
	if rows[0].State != comment.StateAnswered || rows[0].Comments != 5 || rows[0].Undisposed != 0 {
		t.Fatalf("list row %+v", rows[0])
	}
	if r := as("comments", "add", id, "--text", "迟到的意见"); r.code != 1 || !strings.Contains(r.stderr, "已经反馈") {
		t.Fatalf("comment after feedback: %+v", r)
	}
}

func TestCLI_CommentsListShowsOpenWindowsAndDaysLeft(t *testing.T) {
	db, id := commentWorkspace(t)
	today := calendar.FromTime(time.Now())
	start, end := today.AddDays(-28), today.AddDays(1)
	if r := runCLI(t, db, "", "--user", "clerk", "comments", "open", id, "--kind", "规章", "--start", start.String(), "--end", end.String()); r.code != 0 {
		t.Fatalf("open: %+v", r)
	}
	r := runCLI(t, db, "", "comments", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "征求中") || !strings.Contains(r.stdout, "剩 2 天（即将截止）") || !strings.Contains(r.stdout, "意见 0 条") {
		t.Fatalf("list: %+v", r)
	}
	if r := runCLI(t, db, "", "comments", "show", "7"); r.code != 1 || !strings.Contains(r.stderr, "尚未开启征求意见") {
		t.Fatalf("show unknown: %+v", r)
	}
	if r := runCLI(t, db, "", "comments", "dispose", id); r.code != 2 {
		t.Fatalf("dispose without a number: %+v", r)
	}
}
