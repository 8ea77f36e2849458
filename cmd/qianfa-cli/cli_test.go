package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qianfa/review"
)

// result is one CLI invocation's outcome.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs qianfa-cli in process against the workspace at db.
func runCLI(t *testing.T, db string, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"--db", db}, args...), strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCLI_ImportListShow(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	if r := runCLI(t, db, "", "init"); r.code != 0 {
		t.Fatalf("init: %+v", r)
	}
	a := writeFile(t, dir, "通知.txt", "关于开展防汛检查的通知\n\n各单位：请于6月底前完成防汛隐患排查。\n")
	b := writeFile(t, dir, "办法.md", "# 举报奖励办法\n\n第一条 为了鼓励举报，制定本办法。\n")
	r := runCLI(t, db, "", "import", "--kind", "行政规范性文件", a, b)
	if r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	ids := strings.Fields(r.stdout)
	if len(ids) != 2 || ids[0] != "1" || ids[1] != "2" {
		t.Fatalf("want one ID per line, got %q", r.stdout)
	}

	r = runCLI(t, db, "", "list", "--query", "防汛隐患", "--json")
	var hits []review.DocumentHit
	if err := json.Unmarshal([]byte(r.stdout), &hits); err != nil || r.code != 0 {
		t.Fatalf("list --json: %v %+v", err, r)
	}
	if len(hits) != 1 || hits[0].Meta.Title != "关于开展防汛检查的通知" || hits[0].Meta.Kind != review.KindNormative {
		t.Fatalf("hits %+v", hits)
	}

	r = runCLI(t, db, "", "show", "2", "--json")
	var shown struct {
		Document review.Document
		Revision review.Revision
	}
	if err := json.Unmarshal([]byte(r.stdout), &shown); err != nil || r.code != 0 {
		t.Fatalf("show --json: %v %+v", err, r)
	}
	if shown.Revision.Meta.Title != "举报奖励办法" || !strings.Contains(shown.Revision.Text, "第一条") || strings.Contains(shown.Revision.Text, "#") {
		t.Fatalf("show: %+v", shown.Revision)
	}
	if r := runCLI(t, db, "", "show", "2", "--rev", "5"); r.code != 1 || !strings.Contains(r.stderr, "没有第 5 版") {
		t.Fatalf("missing revision: %+v", r)
	}
}

func TestCLI_BadFilesAreReportedAndTheRestImported(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	good := writeFile(t, dir, "好文件.txt", "关于做好值班工作的通知\n请各单位做好节日值班。")
	empty := writeFile(t, dir, "空文件.txt", "")
	fake := writeFile(t, dir, "假文档.docx", "这其实是纯文本")
	secret := writeFile(t, dir, "密件.txt", "机密★10年\n关于某事项的通知\n正文。")
	r := runCLI(t, db, "", "import", empty, good, fake, secret, filepath.Join(dir, "不存在.txt"))
	if r.code != 1 {
		t.Fatalf("want exit 1, got %+v", r)
	}
	if strings.TrimSpace(r.stdout) != "1" {
		t.Fatalf("the good file was not imported: %q", r.stdout)
	}
	for _, name := range []string{"空文件.txt", "假文档.docx", "密件.txt", "不存在.txt"} {
		if !strings.Contains(r.stderr, name) {
			t.Errorf("no message naming %s in:\n%s", name, r.stderr)
		}
	}
	if !strings.Contains(r.stderr, "保守国家秘密法") {
		t.Errorf("the classified file's refusal does not cite the law:\n%s", r.stderr)
	}
}

func TestCLI_ExitCodes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ws.db")
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"frobnicate"}, 2},
		{[]string{"show"}, 2},
		{[]string{"show", "abc"}, 2},
		{[]string{"list", "--nosuchflag"}, 2},
		{[]string{"import"}, 2},
		{[]string{"show", "99"}, 1},
		{[]string{"import", "--kind", "公函", "x.txt"}, 1},
		{[]string{"list"}, 0},
		{[]string{"help"}, 0},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			if r := runCLI(t, db, "", tt.args...); r.code != tt.code {
				t.Fatalf("exit %d, want %d: %+v", r.code, tt.code, r)
			}
		})
	}
}

func TestCLI_AuditVerifyNamesTheBrokenEntry(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	f := writeFile(t, dir, "a.txt", "甲文件\n正文甲")
	for i := 0; i < 3; i++ {
		if r := runCLI(t, db, "", "import", f); r.code != 0 {
			t.Fatal(r)
		}
	}
	if r := runCLI(t, db, "", "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "完整") {
		t.Fatalf("intact chain: %+v", r)
	}
	tamper(t, db, `DROP TRIGGER audit_no_update`, `UPDATE audit SET detail = '改过' WHERE seq = 2`)
	r := runCLI(t, db, "", "audit", "verify")
	if r.code != 1 || !strings.Contains(r.stdout, "第 2 条") {
		t.Fatalf("tampered chain: %+v", r)
	}
}

func TestCLI_BackupWhileOpen(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	runCLI(t, db, "", "import", writeFile(t, dir, "a.txt", "甲文件\n正文甲"))
	dest := filepath.Join(dir, "backup.db")
	if r := runCLI(t, db, "", "backup", dest); r.code != 0 {
		t.Fatal(r)
	}
	if r := runCLI(t, dest, "", "list"); r.code != 0 || !strings.Contains(r.stdout, "甲文件") {
		t.Fatalf("backup content: %+v", r)
	}
	if r := runCLI(t, db, "", "backup", dest); r.code != 1 {
		t.Fatalf("backup overwrote: %+v", r)
	}
}

func TestCLI_SampleWorkspace(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ws.db")
	if r := runCLI(t, db, "", "init", "--sample"); r.code != 0 {
		t.Fatal(r)
	}
	r := runCLI(t, db, "", "list", "--json")
	var hits []review.DocumentHit
	json.Unmarshal([]byte(r.stdout), &hits)
	if len(hits) < 4 {
		t.Fatalf("sample workspace has %d documents", len(hits))
	}
	// Seeding twice adds nothing.
	runCLI(t, db, "", "init", "--sample")
	r = runCLI(t, db, "", "list", "--json")
	var again []review.DocumentHit
	json.Unmarshal([]byte(r.stdout), &again)
	if len(again) != len(hits) {
		t.Fatalf("second seeding added documents: %d → %d", len(hits), len(again))
	}
}

// Usage errors and help speak Chinese: the flag package's English reports
// are translated, and a command's --help shows its summary and options.
func TestCLI_FlagErrorsAndHelpInChinese(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ws.db")
	tests := []struct {
		args []string
		code int
		out  string // in stdout for code 0, stderr otherwise
	}{
		{[]string{"list", "--nosuch"}, 2, "未知选项 -nosuch"},
		{[]string{"list", "--limit", "x"}, 2, "选项 -limit 的值 \"x\" 无效：格式不正确"},
		{[]string{"list", "--query"}, 2, "选项 -query 需要一个值"},
		{[]string{"review", "approve", "1", "--partial=maybe"}, 2, "选项 -partial 的值 \"maybe\" 无效"},
		{[]string{"--nosuch", "list"}, 2, "未知选项 -nosuch"},
		{[]string{"review", "verify", "--help"}, 0, "allowed-signers"},
		{[]string{"-h"}, 0, "命令："},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := runCLI(t, db, "", tt.args...)
			got := r.stderr
			if tt.code == 0 {
				got = r.stdout
			}
			if r.code != tt.code || !strings.Contains(got, tt.out) || strings.Contains(r.stderr, "flag") {
				t.Fatalf("exit %d, want %d with %q: %+v", r.code, tt.code, tt.out, r)
			}
		})
	}
}

func TestCLI_ListingsRefuseStrayArguments(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ws.db")
	for _, args := range [][]string{{"audit", "list", "12"}, {"user", "list", "admin"}} {
		if r := runCLI(t, db, "", args...); r.code != 2 || !strings.Contains(r.stderr, "多余的参数") {
			t.Errorf("%v: %+v", args, r)
		}
	}
}
