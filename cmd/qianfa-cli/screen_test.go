package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"qianfa/review"
	"qianfa/storage"
)

const commendation = "关于表彰先进个人的决定\n\n王建国，身份证号110105196803150011，联系电话13801234567；\n" +
	"奖金发放账户：开户银行中国工商银行，卡号6222020200112233446。\n咨询电话：010-83930000。\n"

// screenWorkspace is a workspace with a clerk, a confidentiality reviewer
// and an administrator. Users are stored directly: screening commands check
// roles, not passphrases.
func screenWorkspace(t *testing.T) (dir, db string) {
	t.Helper()
	dir = t.TempDir()
	db = filepath.Join(dir, "ws.db")
	s, err := storage.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The administrator first, creating the others: the store lets only an
	// administrator create users, and anyone only the first administrator.
	for _, u := range []struct {
		name string
		role review.Role
	}{{"admin", review.RoleAdmin}, {"clerk", review.RoleClerk}, {"conf", review.RoleConfidentiality}} {
		if err := s.CreateUser(context.Background(), &review.User{Name: u.name, Roles: []review.Role{u.role}, PassHash: "-"}, "admin"); err != nil {
			t.Fatal(err)
		}
	}
	return dir, db
}

// screened runs `screen ARG --json` and decodes it.
func screened(t *testing.T, db, arg string) []findingJSON {
	t.Helper()
	r := runCLI(t, db, "", "screen", arg, "--json")
	if r.code != 0 {
		t.Fatalf("screen %s: %+v", arg, r)
	}
	var out []findingJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("screen --json output: %v\n%s", err, r.stdout)
	}
	return out
}

func TestCLI_ScreenFile_OffsetsAreCodePointsAndExitIsZeroEitherWay(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "none.db") // no workspace: screening a file creates none
	file := writeFile(t, dir, "决定.txt", commendation)
	clean := writeFile(t, dir, "通知.txt", "关于开展防汛检查的通知\n\n各单位：请按时完成排查。\n")
	found := screened(t, db, file)
	var kinds []string
	runes := []rune(commendation)
	for _, f := range found {
		kinds = append(kinds, string(f.Kind))
		if string(runes[f.Start:f.End]) != f.Text {
			t.Errorf("%s: [%d,%d) is %q, not %q", f.Kind, f.Start, f.End, string(runes[f.Start:f.End]), f.Text)
		}
		if f.Fingerprint == "" || f.Ground != 15 || f.Status != "" {
			t.Errorf("finding %+v", f)
		}
	}
	if got := strings.Join(kinds, " "); got != "id_card mobile bank_card landline" {
		t.Errorf("kinds = %s", got)
	}
	tests := []struct {
		name  string
		args  []string
		code  int
		lines int
	}{
		{"one line per finding", []string{"screen", file}, 0, 4},
		{"no findings is still success", []string{"screen", clean}, 0, 0},
		{"missing file fails", []string{"screen", filepath.Join(dir, "无此文件.txt")}, 1, 0},
		{"no argument is a usage error", []string{"screen"}, 2, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, db, "", tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d: %+v", r.code, tc.code, r)
			}
			if n := len(strings.Split(strings.TrimSpace(r.stdout), "\n")); tc.lines > 0 && n != tc.lines {
				t.Errorf("%d lines, want %d:\n%s", n, tc.lines, r.stdout)
			}
			if tc.lines == 0 && r.stdout != "" {
				t.Errorf("stdout = %q", r.stdout)
			}
		})
	}
	if r := runCLI(t, db, "", "screen", file); !strings.HasPrefix(r.stdout, "21-39\t居民身份证号\t110105196803150011\t条例第十五条\t") {
		t.Errorf("first line = %q", strings.SplitN(r.stdout, "\n", 2)[0])
	}
}

func TestCLI_ScreenDecideRedact_Walk(t *testing.T) {
	dir, db := screenWorkspace(t)
	file := writeFile(t, dir, "决定.txt", commendation)
	if r := runCLI(t, db, "", "--user", "clerk", "import", file); r.code != 0 || strings.TrimSpace(r.stdout) != "1" {
		t.Fatalf("import: %+v", r)
	}
	items := screened(t, db, "1")
	if len(items) != 4 {
		t.Fatalf("%d findings", len(items))
	}
	fp := map[string]string{}
	for _, it := range items {
		if it.Status != "待处理" {
			t.Errorf("%s status %s", it.Text, it.Status)
		}
		fp[it.Text] = it.Fingerprint
	}
	steps := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"a clerk may not decide", []string{"--user", "clerk", "screen", "confirm", "1", fp["13801234567"]}, 1, "只有保密审查员"},
		{"a decision needs --user", []string{"screen", "confirm", "1", fp["13801234567"]}, 2, "--user"},
		{"dismissal needs a reason", []string{"--user", "conf", "screen", "dismiss", "1", fp["010-83930000"]}, 2, "--reason"},
		{"unknown fingerprint", []string{"--user", "conf", "screen", "confirm", "1", "0000"}, 1, "没有指纹"},
		{"nothing confirmed, nothing to redact", []string{"--user", "conf", "redact", "1"}, 1, "无需遮盖"},
		{"confirm the ID number", []string{"--user", "conf", "screen", "confirm", "1", fp["110105196803150011"]}, 0, ""},
		{"confirm the mobile", []string{"--user", "conf", "screen", "confirm", "1", fp["13801234567"]}, 0, ""},
		{"confirm the bank card", []string{"--user", "conf", "screen", "confirm", "1", fp["6222020200112233446"]}, 0, ""},
		{"dismiss the office phone", []string{"--user", "conf", "screen", "dismiss", "1", fp["010-83930000"], "--reason", "本单位公开的咨询电话"}, 0, ""},
	}
	for _, s := range steps {
		r := runCLI(t, db, "", s.args...)
		if r.code != s.code || !strings.Contains(r.stderr, s.stderr) {
			t.Fatalf("%s: exit %d, want %d; stderr %q, want %q", s.name, r.code, s.code, r.stderr, s.stderr)
		}
	}
	r := runCLI(t, db, "", "redact", "1", "--preview")
	if r.code != 0 || strings.Contains(r.stdout, "13801234567") || !strings.Contains(r.stdout, "■■■■■■■■■■■") {
		t.Fatalf("preview: %+v", r)
	}
	preview := r.stdout
	r = runCLI(t, db, "", "--user", "conf", "redact", "1")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "2" {
		t.Fatalf("redact: %+v", r)
	}
	r = runCLI(t, db, "", "show", "1", "--json")
	var shown struct{ Revision review.Revision }
	if err := json.Unmarshal([]byte(r.stdout), &shown); err != nil {
		t.Fatal(err)
	}
	if shown.Revision.Number != 2 || shown.Revision.Author != "conf" || shown.Revision.Text != preview {
		t.Errorf("revision 2 = #%d by %s, text equals preview: %v", shown.Revision.Number, shown.Revision.Author, shown.Revision.Text == preview)
	}
	for _, c := range []string{"110105196803150011", "13801234567", "6222020200112233446"} {
		if strings.Contains(shown.Revision.Text, c) {
			t.Errorf("revision 2 still holds %s", c)
		}
	}
	// Only the dismissed phone remains, dismissed, with who and why.
	items = screened(t, db, "1")
	if len(items) != 1 || items[0].Status != "已排除" || items[0].Reason != "本单位公开的咨询电话" ||
		items[0].DecidedBy != "conf" || items[0].DecidedOn != 1 {
		t.Errorf("after redaction: %+v", items)
	}
	if r := runCLI(t, db, "", "screen", "1"); !strings.HasSuffix(strings.TrimSpace(r.stdout), "已排除（本单位公开的咨询电话）") {
		t.Errorf("text line = %q", r.stdout)
	}
	if r := runCLI(t, db, "", "screen", "99"); r.code != 1 {
		t.Errorf("unknown document: %+v", r)
	}
}

func TestCLI_KeywordsAndAllowList_AdministratorOnly(t *testing.T) {
	dir, db := screenWorkspace(t)
	list := writeFile(t, dir, "代号.txt", "\uFEFF# 内部项目代号\n天河工程\n北斗行动\n")
	steps := []struct {
		name   string
		args   []string
		code   int
		stdout string
	}{
		{"reviewer may not import", []string{"--user", "conf", "keywords", "import", "项目代号", "--ground", "16", list}, 1, ""},
		{"ground is required", []string{"--user", "admin", "keywords", "import", "项目代号", list}, 2, ""},
		{"administrator imports", []string{"--user", "admin", "keywords", "import", "项目代号", "--ground", "16", list}, 0, "2 个词条"},
		{"list shows ground and size", []string{"keywords", "list"}, 0, "项目代号\t条例第十六条（内部事务、过程性信息）\t2 个词条"},
		{"allow add", []string{"--user", "admin", "allow", "add", "010-83930000"}, 0, "已加入白名单"},
		{"allow list", []string{"allow", "list"}, 0, "010-83930000"},
		{"reviewer may not allow", []string{"--user", "conf", "allow", "add", "12345"}, 1, ""},
	}
	for _, s := range steps {
		r := runCLI(t, db, "", s.args...)
		if r.code != s.code || !strings.Contains(r.stdout, s.stdout) {
			t.Fatalf("%s: %+v", s.name, r)
		}
	}
	file := writeFile(t, dir, "通知.txt", "关于天河工程的通知\n\n咨询电话：010-83930000。\n")
	found := screened(t, db, file)
	if len(found) != 1 || found[0].Kind != "keyword" || found[0].List != "项目代号" || found[0].Ground != 16 {
		t.Errorf("findings with the office's lists: %+v", found)
	}
}
