package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"qianfa/review"
	"qianfa/review/sshsig"
	"qianfa/review/workflow"
	"qianfa/storage"
)

const walkPass = "审查口令-2024-abc"

var cheapOnce sync.Once

// cheapPassphrases lowers argon2id's cost for tests; the stored format and
// the comparison do not depend on it.
func cheapPassphrases() {
	cheapOnce.Do(func() { workflow.DefaultPassParams = workflow.PassParams{Memory: 1024, Time: 1, Threads: 1} })
}

// walk is a workspace with one user per role, and helpers to run commands
// as them and to assert outcomes.
type walk struct {
	t   *testing.T
	dir string
	db  string
}

func newWalk(t *testing.T) *walk {
	cheapPassphrases()
	t.Setenv(passphraseEnv, walkPass)
	w := &walk{t: t, dir: t.TempDir()}
	w.db = filepath.Join(w.dir, "ws.db")
	w.ok("", "init")
	w.ok("", "user", "add", "admin", "--role", "管理员", "--display", "管理员老王")
	for _, u := range [][]string{
		{"clerk", "--role", "clerk"}, {"conf", "--role", "保密审查员"}, {"legal", "--role", "legal"},
		{"boss", "--role", "signoff"}, {"multi", "--role", "confidentiality,legal"},
		{"writer", "--role", "clerk", "--role", "confidentiality"},
	} {
		w.ok("admin", append([]string{"user", "add"}, u...)...)
	}
	return w
}

func (w *walk) run(user string, args ...string) result {
	w.t.Helper()
	if user != "" {
		args = append([]string{"--user", user}, args...)
	}
	return runCLI(w.t, w.db, "", args...)
}

func (w *walk) ok(user string, args ...string) string {
	w.t.Helper()
	r := w.run(user, args...)
	if r.code != 0 {
		w.t.Fatalf("%s %v: exit %d\n%s%s", user, args, r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// refused asserts exit 1 with a message containing want, and that the
// workspace's audit log did not grow: a refused action writes nothing.
func (w *walk) refused(want, user string, args ...string) {
	w.t.Helper()
	before := w.auditCount()
	r := w.run(user, args...)
	if r.code != 1 || !strings.Contains(r.stderr, want) {
		w.t.Fatalf("%s %v: exit %d, stderr %q; want exit 1 with %q", user, args, r.code, r.stderr, want)
	}
	if after := w.auditCount(); after != before {
		w.t.Fatalf("%s %v was refused but wrote %d audit entries", user, args, after-before)
	}
}

func (w *walk) auditCount() int {
	db, err := storage.Open(w.db)
	if err != nil {
		w.t.Fatal(err)
	}
	defer db.Close()
	es, err := db.AuditEntries(context.Background(), review.AuditFilter{})
	if err != nil {
		w.t.Fatal(err)
	}
	return len(es)
}

func (w *walk) status(id string) statusReport {
	w.t.Helper()
	var rep statusReport
	if err := json.Unmarshal([]byte(w.ok("", "review", "status", id, "--json")), &rep); err != nil {
		w.t.Fatal(err)
	}
	return rep
}

func (w *walk) importDoc(user, kind, title string) string {
	w.t.Helper()
	p := writeFile(w.t, w.dir, title+".txt", title+"\n\n第一条 为了规范管理，制定本办法。\n第二条 本办法自发布之日起施行。\n")
	return strings.TrimSpace(w.ok(user, "import", "--kind", kind, p))
}

func (w *walk) checklist(fail int) string {
	w.t.Helper()
	m := map[string]workflow.Check{}
	for i := 1; i <= 7; i++ {
		m[string(rune('0'+i))] = workflow.Check{Result: workflow.CheckPass, Note: "经审核符合规定"}
	}
	if fail > 0 {
		m[string(rune('0'+fail))] = workflow.Check{Result: workflow.CheckFail, Note: "未依法征求意见"}
	}
	b, _ := json.Marshal(m)
	return writeFile(w.t, w.dir, "checklist.json", string(b))
}

func TestCLI_ReviewWalk(t *testing.T) {
	w := newWalk(t)
	id := w.importDoc("clerk", "规章", "某某管理办法")

	// Submission.
	w.refused("只有经办人可以提交审查", "conf", "review", "submit", id)
	w.refused("必须经过合法性审核", "clerk", "review", "submit", id, "--no-legality")
	w.refused("不在保密审查环节", "conf", "review", "approve", id, "--stage", "confidentiality")
	w.ok("clerk", "review", "submit", id)
	w.refused("只有草稿或退回修改的文件可以提交审查", "clerk", "review", "submit", id)

	// 保密审查.
	w.refused("没有该角色", "legal", "review", "approve", id, "--stage", "confidentiality")
	w.refused("须写明理由", "conf", "review", "return", id, "--stage", "confidentiality")
	w.refused("须注明依据", "conf", "review", "withhold", id)
	w.refused("当前处于保密审查环节", "legal", "review", "approve", id, "--stage", "legality", "--checklist", w.checklist(0))
	t.Setenv(passphraseEnv, "不是这个口令")
	w.refused("口令不正确", "multi", "review", "approve", id, "--stage", "confidentiality")
	t.Setenv(passphraseEnv, walkPass)
	if st := w.status(id); st.Document.Status != review.StatusConfidentiality || len(st.Decisions) != 0 {
		t.Fatalf("after a wrong passphrase: %+v", st)
	}
	out := w.ok("multi", "review", "approve", id, "--stage", "confidentiality")
	if !strings.Contains(out, "待合法性审核") {
		t.Errorf("approve said %q", out)
	}

	// 合法性审核.
	w.refused("同一人对同一修订版只能承担一个审查环节", "multi", "review", "approve", id, "--stage", "legality", "--checklist", w.checklist(0))
	w.refused("须逐项填写七项审核内容", "legal", "review", "approve", id, "--stage", "legality")
	w.refused("不能出具“合法”意见", "legal", "review", "approve", id, "--stage", "legality", "--checklist", w.checklist(7))
	if st := w.status(id); st.Waiting != workflow.StageLegality || st.Due == "" || st.DueWhat != "合法性审核时限" {
		t.Errorf("legality status: waiting %q due %q (%s)", st.Waiting, st.Due, st.DueWhat)
	}
	w.ok("legal", "review", "approve", id, "--stage", "legality", "--checklist", w.checklist(0))

	// 签发.
	w.refused("没有该角色", "legal", "review", "approve", id, "--stage", "signoff")
	w.ok("boss", "review", "approve", id, "--stage", "signoff")
	st := w.status(id)
	if st.Document.Status != review.StatusApproved || len(st.Decisions) != 3 {
		t.Fatalf("after sign-off: %s, %d decisions", st.Document.Status, len(st.Decisions))
	}
	if st.Decisions[1].Checklist[0].Result != workflow.CheckPass || st.Decisions[2].Actor != "boss" {
		t.Errorf("decisions = %+v", st.Decisions)
	}
	out = w.ok("", "review", "verify", id)
	if n := strings.Count(out, "有效 "); n != 3 || strings.Contains(out, "无效") {
		t.Errorf("verify:\n%s", out)
	}

	// Edit after approval: a new revision, and review starts again at 保密审查.
	ws, err := storage.Open(w.db)
	if err != nil {
		t.Fatal(err)
	}
	rev, _ := ws.Revision(context.Background(), 1, 0)
	if _, err := ws.ReviseDocument(context.Background(), 1, rev.Meta, rev.Text+"第三条 新增条款。\n", "clerk", "补充第三条"); err != nil {
		t.Fatal(err)
	}
	ws.Close()
	if st := w.status(id); st.Document.Status != review.StatusDraft || st.Document.CurrentRevision != 2 {
		t.Fatalf("after an edit: %s rev %d", st.Document.Status, st.Document.CurrentRevision)
	}
	w.refused("不在签发环节", "boss", "review", "approve", id, "--stage", "signoff")
	w.ok("clerk", "review", "submit", id)
	// multi did 保密审查 on revision 1 only; on revision 2 it may do legality.
	w.ok("conf", "review", "approve", id, "--stage", "confidentiality")
	w.ok("multi", "review", "approve", id, "--stage", "legality", "--checklist", w.checklist(0))
	if out := w.ok("", "review", "verify", id); strings.Count(out, "有效 ") != 5 {
		t.Errorf("verify after the second round:\n%s", out)
	}
}

func TestCLI_AuthorCannotApproveOwnDraft(t *testing.T) {
	w := newWalk(t)
	id := w.importDoc("writer", "通知公告", "关于放假的通知")
	w.ok("writer", "review", "submit", id, "--no-legality")
	w.refused("不能审查或签发自己起草的文本", "writer", "review", "approve", id, "--stage", "confidentiality")
	w.ok("conf", "review", "approve", id, "--stage", "confidentiality")
	if st := w.status(id); st.Document.Status != review.StatusSignoff {
		t.Fatalf("--no-legality did not skip legality: %s", st.Document.Status)
	}
}

func TestCLI_ReturnAndWithhold(t *testing.T) {
	w := newWalk(t)
	tests := []struct {
		name   string
		kind   string
		steps  [][]string // user, then arguments
		status review.Status
		reason string
	}{
		{"confidentiality returns", "通知公告", [][]string{{"conf", "review", "return", "@", "--stage", "confidentiality", "--reason", "第二段含内部事务"}},
			review.StatusReturned, "第二段含内部事务"},
		{"confidentiality withholds with a ground", "通知公告", [][]string{{"conf", "review", "withhold", "@", "--ground", "16", "--reason", "过程性信息"}},
			review.StatusWithheld, "过程性信息"},
		{"legality opinion 不合法", "行政规范性文件", [][]string{
			{"conf", "review", "approve", "@", "--stage", "confidentiality", "--partial", "--ground", "15"},
			{"legal", "review", "return", "@", "--stage", "legality", "--opinion", "不合法", "--reason", "违法设定收费", "--checklist", "CHECKLIST"}},
			review.StatusReturned, "违法设定收费"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w.t = t
			id := w.importDoc("clerk", tt.kind, tt.name)
			w.ok("clerk", "review", "submit", id)
			for _, s := range tt.steps {
				args := append([]string(nil), s[1:]...)
				for i, a := range args {
					switch a {
					case "@":
						args[i] = id
					case "CHECKLIST":
						args[i] = w.checklist(4)
					}
				}
				w.ok(s[0], args...)
			}
			st := w.status(id)
			last := st.Decisions[len(st.Decisions)-1]
			if st.Document.Status != tt.status || last.Reason != tt.reason {
				t.Fatalf("status %s, last decision %+v", st.Document.Status, last)
			}
		})
	}
	// A returned revision cannot be resubmitted unchanged.
	w.t = t
	w.refused("请修改后形成新的修订版再提交", "clerk", "review", "submit", "1")
}

func TestCLI_VerifyFailsAfterTampering(t *testing.T) {
	w := newWalk(t)
	id := w.importDoc("clerk", "通知公告", "关于检查的通知")
	w.ok("clerk", "review", "submit", id)
	w.ok("conf", "review", "return", id, "--stage", "confidentiality", "--reason", "需删去个人信息")
	w.ok("", "review", "verify", id)

	// A clerk with the database file drops the trigger and turns the
	// return into an approval.
	raw, err := sql.Open("sqlite", w.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DROP TRIGGER decisions_no_update`,
		`UPDATE decisions SET outcome = '同意公开', reason = '' WHERE id = 1`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	raw.Close()
	r := w.run("", "review", "verify", id)
	if r.code != 1 || !strings.Contains(r.stdout, "无效") || !strings.Contains(r.stdout, "记录被改动") {
		t.Fatalf("verify after tampering: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestCLI_UserAdminAndKeys(t *testing.T) {
	w := newWalk(t)
	w.refused("不是管理员", "clerk", "user", "add", "eve", "--role", "签发人")
	w.refused("已存在", "admin", "user", "add", "conf", "--role", "签发人")
	if r := w.run("admin", "user", "add", "eve", "--role", "发布员"); r.code != 2 || !strings.Contains(r.stderr, "角色“发布员”无效") {
		t.Errorf("unknown role: %+v", r)
	}
	id := w.importDoc("clerk", "通知公告", "关于轮换的通知")
	w.ok("clerk", "review", "submit", id, "--no-legality")
	w.ok("conf", "review", "approve", id, "--stage", "confidentiality")

	t.Setenv(passphraseEnv, "别人的口令-xyz")
	w.refused("口令不正确", "", "user", "key", "conf")
	t.Setenv(passphraseEnv, walkPass)
	out := w.ok("", "user", "key", "conf")
	if !strings.Contains(out, "已为 conf 生成新签名密钥") {
		t.Errorf("user key: %q", out)
	}
	if out := w.ok("", "review", "verify", id); !strings.Contains(out, "有效") {
		t.Errorf("old decision after key rotation:\n%s", out)
	}
	list := w.ok("", "user", "list")
	if !strings.Contains(list, "admin\t管理员老王\t管理员\tSHA256:") {
		t.Errorf("user list:\n%s", list)
	}
}

func TestCLI_CalendarOverrides(t *testing.T) {
	w := newWalk(t)
	w.refused("不是管理员", "clerk", "calendar", "set", "2024-10-08", "--off")
	w.ok("admin", "calendar", "set", "2024-10-08", "--off", "--note", "防汛停工")
	out := w.ok("", "calendar", "list", "2024")
	if !strings.Contains(out, "2024-10-08 周二 休 防汛停工（管理员调整）") || !strings.Contains(out, "2024-10-12 周六 班") {
		t.Errorf("calendar list:\n%s", out)
	}
	w.ok("admin", "calendar", "unset", "2024-10-08")
	if out := w.ok("", "calendar", "list", "2024"); strings.Contains(out, "2024-10-08") {
		t.Errorf("override still listed:\n%s", out)
	}
}

// A clerk with the database file cannot forge a decision that survives
// `review verify --allowed-signers`: plain verify trusts the keys table, so a
// key inserted there for someone else passes it, but the office's exported
// allowed_signers does not list that key.
func TestCLI_VerifyAllowedSignersCatchesAKeyInsertedBehindTheApp(t *testing.T) {
	w := newWalk(t)
	id := w.importDoc("clerk", "通知公告", "关于值班安排的通知")
	w.ok("clerk", "review", "submit", id, "--no-legality")
	w.ok("conf", "review", "approve", id, "--stage", "confidentiality")
	// A rotation after the decision: the old key must still vouch for it.
	w.ok("", "user", "key", "conf")
	allowed := writeFile(t, w.dir, "allowed_signers", w.ok("", "keys", "allowed-signers"))
	if out := w.ok("", "review", "verify", id, "--allowed-signers", allowed); strings.Count(out, "有效 ") != 1 || !strings.Contains(out, "依据可信密钥清单") {
		t.Fatalf("verify against the office's file:\n%s", out)
	}

	// The forger makes a key of their own, records it as boss's and signs
	// boss's 签发 with it, all with SQL.
	priv, pub, err := sshsig.NewKey("boss@qianfa", []byte("forger-pass"), nil)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := sshsig.LoadSigner(priv, []byte("forger-pass"))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := storage.Open(w.db)
	if err != nil {
		t.Fatal(err)
	}
	docID, _ := strconv.ParseInt(id, 10, 64)
	doc, err := ws.Document(context.Background(), docID)
	if err != nil {
		t.Fatal(err)
	}
	rev, err := ws.Revision(context.Background(), docID, 0)
	if err != nil {
		t.Fatal(err)
	}
	ws.Close()
	forged := workflow.NewDecision(doc, rev, "boss", workflow.Proposal{Stage: workflow.StageSignoff, Outcome: workflow.OutcomeSign}, time.Now())
	if err := forged.Sign(signer); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", w.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO keys (user, public_key, fingerprint, private_key, valid_from) VALUES ('boss', ?, ?, ?, '2000-01-01T00:00:00Z')`,
			[]any{strings.TrimSpace(string(pub)), forged.KeyFP, priv}},
		{`INSERT INTO decisions (document_id, index_no, revision, revision_hash, stage, outcome, actor, at, statement, signature, key_fingerprint)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			[]any{forged.DocumentID, forged.IndexNo, forged.Revision, forged.RevisionHash, string(forged.Stage), string(forged.Outcome),
				forged.Actor, forged.At.Format(time.RFC3339Nano), string(forged.Statement), string(forged.Signature), forged.KeyFP}},
		{`UPDATE documents SET status = '已签发' WHERE id = ?`, []any{docID}},
	} {
		if _, err := raw.Exec(q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	raw.Close()

	if out := w.ok("", "review", "verify", id); strings.Count(out, "有效 ") != 2 || strings.Contains(out, "无效") {
		t.Fatalf("plain verify was expected to trust the inserted key (the gap --allowed-signers closes):\n%s", out)
	}
	r := w.run("", "review", "verify", id, "--allowed-signers", allowed)
	if r.code != 1 || strings.Count(r.stdout, "有效 ") != 1 || !strings.Contains(r.stdout, "无效 第 1 版 签发：签发，boss") ||
		!strings.Contains(r.stdout, "不在 allowed_signers 所列的可信密钥中") {
		t.Fatalf("verify --allowed-signers after a forged key: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// A missing or empty trust file is a clear refusal, not a pass.
	empty := writeFile(t, w.dir, "empty_signers", "# nothing\n")
	w.refused("没有任何签名人", "", "review", "verify", id, "--allowed-signers", empty)
	w.refused("无法读取可信密钥清单", "", "review", "verify", id, "--allowed-signers", filepath.Join(w.dir, "missing"))
}
