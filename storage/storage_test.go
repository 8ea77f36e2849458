package storage

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"qianfa/review"
)

var ctx = context.Background()

func openTest(t testing.TB) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "ws.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newDoc(title, text string) review.NewDocument {
	return review.NewDocument{
		Meta:   review.Metadata{Title: title, Kind: review.KindNotice, Disclosure: review.DisclosureActive},
		Text:   text,
		Author: "clerk",
	}
}

func mustCreate(t testing.TB, db *DB, title, text string) *review.Document {
	t.Helper()
	d, err := db.CreateDocument(ctx, newDoc(title, text))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestOpen_AppliesMigrationsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ws.db")
	for i := 0; i < 2; i++ {
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		names, err := db.Migrations(ctx)
		if err != nil || len(names) == 0 || names[0] != "0001_core.sql" {
			t.Fatalf("migrations = %v, %v", names, err)
		}
		var n int
		db.db.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n)
		if n != len(names) {
			t.Fatalf("recorded %d migrations, listed %d", n, len(names))
		}
		db.Close()
	}
}

func TestOpen_PathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "2025#1 档案?100%")
	path := filepath.Join(dir, "ws.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, db, "通知", "正文")
	db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("workspace not at %s: %v", path, err)
	}
}

func TestOpen_PragmasOnEveryConnection(t *testing.T) {
	db := openTest(t)
	db.db.SetMaxOpenConns(4)
	// Hold several connections at once so the pool must open new ones.
	var conns []*sql.Conn
	for i := 0; i < 3; i++ {
		c, err := db.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var fk, busy int
		var mode string
		c.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk)
		c.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busy)
		c.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode)
		if fk != 1 || busy < 1000 || mode != "wal" {
			t.Fatalf("connection %d: foreign_keys=%d busy_timeout=%d journal_mode=%s", i, fk, busy, mode)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

func TestRevisions_AreAppendOnly(t *testing.T) {
	db := openTest(t)
	d := mustCreate(t, db, "关于开展安全生产检查的通知", "各单位：请于月底前完成自查。")
	for _, q := range []string{
		`UPDATE revisions SET text = 'x' WHERE document_id = ` + strconv.FormatInt(d.ID, 10),
		`DELETE FROM revisions`,
		`UPDATE audit SET detail = 'x'`,
		`DELETE FROM audit`,
	} {
		if _, err := db.db.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: want refusal, got %v", q, err)
		}
	}
}

func TestReviseDocument_MakesNewRevisionAndKeepsOld(t *testing.T) {
	db := openTest(t)
	d := mustCreate(t, db, "关于开展安全生产检查的通知", "各单位：请于月底前完成自查。")
	m := d.Meta
	m.Title = "关于开展安全生产大检查的通知"
	rev, err := db.ReviseDocument(ctx, d.ID, m, "各单位：请于本月25日前完成自查。", "clerk", "按领导意见修改")
	if err != nil {
		t.Fatal(err)
	}
	if rev.Number != 2 || rev.Hash == d.CurrentHash {
		t.Fatalf("revision %d hash %s", rev.Number, rev.Hash)
	}
	old, err := db.Revision(ctx, d.ID, 1)
	if err != nil || old.Text != "各单位：请于月底前完成自查。" || old.Meta.Title != "关于开展安全生产检查的通知" {
		t.Fatalf("first revision changed: %+v %v", old, err)
	}
	cur, _ := db.Revision(ctx, d.ID, 0)
	if cur.Number != 2 || cur.Hash != review.RevisionHash(cur.Meta, cur.Text) {
		t.Fatalf("current revision %+v", cur)
	}
	if _, err := db.ReviseDocument(ctx, d.ID, m, "各单位：请于本月25日前完成自查。", "clerk", ""); review.ErrorCode(err) != review.EINVALID {
		t.Fatalf("identical revision accepted: %v", err)
	}
	revs, _ := db.Revisions(ctx, d.ID)
	if len(revs) != 2 {
		t.Fatalf("want 2 revisions, got %d", len(revs))
	}
}

func TestReviseDocument_UnderReviewGoesBackToDraft(t *testing.T) {
	db := openTest(t)
	d := mustCreate(t, db, "通知", "正文")
	if _, err := db.db.Exec(`UPDATE documents SET status = ? WHERE id = ?`, string(review.StatusSignoff), d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ReviseDocument(ctx, d.ID, d.Meta, "正文改", "clerk", ""); err != nil {
		t.Fatal(err)
	}
	got, _ := db.Document(ctx, d.ID)
	if got.Status != review.StatusDraft {
		t.Fatalf("status %s, want 草稿", got.Status)
	}
}

func TestCreateDocument_RejectsBadInputAndWritesNothing(t *testing.T) {
	db := openTest(t)
	for _, n := range []review.NewDocument{
		newDoc("", "正文"),
		newDoc("标题", "   "),
		{Meta: review.Metadata{Title: "标题", Kind: "公函"}, Text: "正文", Author: "clerk"},
	} {
		if _, err := db.CreateDocument(ctx, n); review.ErrorCode(err) != review.EINVALID {
			t.Errorf("%+v: want EINVALID, got %v", n, err)
		}
	}
	var docs, audits int
	db.db.QueryRow(`SELECT count(*) FROM documents`).Scan(&docs)
	db.db.QueryRow(`SELECT count(*) FROM audit`).Scan(&audits)
	if docs != 0 || audits != 0 {
		t.Fatalf("refused input wrote %d documents, %d audit entries", docs, audits)
	}
}

func TestIndexNumbers_FollowPatternAndAreNeverReused(t *testing.T) {
	db := openTest(t)
	db.Now = func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
	if err := db.SaveSettings(ctx, review.Settings{OrgCode: "000014349", IndexPattern: "{org}/{year}-{seq:5}"}, "admin"); err != nil {
		t.Fatal(err)
	}
	a := mustCreate(t, db, "甲", "正文甲")
	b := mustCreate(t, db, "乙", "正文乙")
	if a.IndexNo != "000014349/2026-00001" || b.IndexNo != "000014349/2026-00002" {
		t.Fatalf("index numbers %s, %s", a.IndexNo, b.IndexNo)
	}
	// A failed creation inside a transaction rolls back its number too, but a
	// number once committed is never handed out again.
	if _, err := db.CreateDocument(ctx, newDoc("", "x")); err == nil {
		t.Fatal("bad document accepted")
	}
	c := mustCreate(t, db, "丙", "正文丙")
	if c.IndexNo != "000014349/2026-00003" {
		t.Fatalf("third number %s", c.IndexNo)
	}
}

// Once a workspace has an administrator, only an administrator changes the
// office's settings; before, setting up needs nobody's leave.
func TestSaveSettings_AdministratorOnce(t *testing.T) {
	db := openTest(t)
	s := review.Settings{OrgCode: "000014349", IndexPattern: review.DefaultSettings.IndexPattern}
	if err := db.SaveSettings(ctx, s, "setup"); err != nil {
		t.Fatalf("setting up a new workspace: %v", err)
	}
	for _, u := range []*review.User{
		{Name: "zhao", Roles: []review.Role{review.RoleAdmin}, PassHash: "x"},
		{Name: "zhang", Roles: []review.Role{review.RoleClerk}, PassHash: "x"},
	} {
		if err := db.CreateUser(ctx, u, "zhao"); err != nil {
			t.Fatal(err)
		}
	}
	s.OrgCode = "000099999"
	if err := db.SaveSettings(ctx, s, "zhang"); review.ErrorCode(err) != review.EFORBIDDEN {
		t.Fatalf("a clerk changed the settings: %v", err)
	}
	if got, _ := db.Settings(ctx); got.OrgCode != "000014349" {
		t.Fatalf("refused change written: %+v", got)
	}
	if err := db.SaveSettings(ctx, s, "zhao"); err != nil {
		t.Fatalf("administrator refused: %v", err)
	}
}

func TestFindDocuments_SearchesChineseSubstrings(t *testing.T) {
	db := openTest(t)
	mustCreate(t, db, "关于做好汛期安全防范工作的通知", "各地应急管理部门要加强值班值守，落实防汛责任。")
	mustCreate(t, db, "2025年政府信息公开工作年度报告", "本报告由应急管理部编制，包括主动公开政府信息情况。")
	mustCreate(t, db, "安全生产许可证实施办法（征求意见稿）", "第一条 为了严格安全生产条件，制定本办法。")
	db.CreateDocument(ctx, review.NewDocument{Meta: review.Metadata{Title: "危险化学品管理规定", Kind: review.KindRule, Disclosure: review.DisclosureActive}, Text: "第一条 为加强危险化学品的安全管理，制定本规定。", Author: "clerk"})
	tests := []struct {
		query string
		kind  review.Kind
		want  []string
	}{
		{"防汛责任", "", []string{"关于做好汛期安全防范工作的通知"}},                                  // trigram, text only
		{"政府信息公开", "", []string{"2025年政府信息公开工作年度报告"}},                              // title
		{"安全", "", []string{"危险化学品管理规定", "安全生产许可证实施办法（征求意见稿）", "关于做好汛期安全防范工作的通知"}}, // short: LIKE
		{"汛", "", []string{"关于做好汛期安全防范工作的通知"}},                                     // one character
		{"安全", review.KindRule, []string{"危险化学品管理规定"}},
		{"不存在的词语", "", nil},
		{`"引号"`, "", nil}, // quotes must not break the FTS query
		{"100%", "", nil}, // nor LIKE wildcards
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			hits, err := db.FindDocuments(ctx, review.DocumentFilter{Query: tt.query, Kind: tt.kind})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range hits {
				got = append(got, h.Meta.Title)
				if len(h.Matches) == 0 {
					t.Errorf("%s: no highlight in snippet %q", h.Meta.Title, h.Snippet)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFindDocuments_SearchSeesOnlyTheCurrentRevision(t *testing.T) {
	db := openTest(t)
	d := mustCreate(t, db, "通知", "旧的措辞在这里")
	if _, err := db.ReviseDocument(ctx, d.ID, d.Meta, "新的表述在这里", "clerk", ""); err != nil {
		t.Fatal(err)
	}
	if hits, _ := db.FindDocuments(ctx, review.DocumentFilter{Query: "旧的措辞"}); len(hits) != 0 {
		t.Fatalf("old text still found")
	}
	if hits, _ := db.FindDocuments(ctx, review.DocumentFilter{Query: "新的表述"}); len(hits) != 1 {
		t.Fatalf("new text not found")
	}
}

func TestAudit_DetectsEntryAlteredBehindTheApplication(t *testing.T) {
	db := openTest(t)
	for i := 0; i < 5; i++ {
		mustCreate(t, db, fmt.Sprintf("文件%d", i), "正文")
	}
	if b, err := db.VerifyAudit(ctx); err != nil || b != nil {
		t.Fatalf("fresh chain: %+v %v", b, err)
	}
	// Someone with the database file drops the guard and edits an entry.
	for _, q := range []string{
		`DROP TRIGGER audit_no_update`,
		`UPDATE audit SET actor = 'someone-else' WHERE seq = 3`,
	} {
		if _, err := db.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	b, err := db.VerifyAudit(ctx)
	if err != nil || b == nil || b.Seq != 3 {
		t.Fatalf("want break at entry 3, got %+v %v", b, err)
	}
}

func TestAudit_DetectsDeletedEntry(t *testing.T) {
	db := openTest(t)
	for i := 0; i < 4; i++ {
		mustCreate(t, db, fmt.Sprintf("文件%d", i), "正文")
	}
	db.db.Exec(`DROP TRIGGER audit_no_delete`)
	if _, err := db.db.Exec(`DELETE FROM audit WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	if b, _ := db.VerifyAudit(ctx); b == nil || b.Seq != 3 {
		t.Fatalf("want break at 3, got %+v", b)
	}
}

func TestConcurrentWriters_AppAndCLIShareAWorkspace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ws.db")
	var handles []*DB
	for i := 0; i < 2; i++ { // two independent pools, as two processes have
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		handles = append(handles, db)
	}
	const each = 25
	var wg sync.WaitGroup
	errs := make(chan error, 2*each)
	for w, db := range handles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if _, err := db.CreateDocument(ctx, newDoc(fmt.Sprintf("写入者%d-%d", w, i), "正文内容")); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	hits, _ := handles[0].FindDocuments(ctx, review.DocumentFilter{Limit: 1000})
	if len(hits) != 2*each {
		t.Fatalf("want %d documents, got %d", 2*each, len(hits))
	}
	seen := map[string]bool{}
	for _, h := range hits {
		if seen[h.IndexNo] {
			t.Fatalf("index number %s handed out twice", h.IndexNo)
		}
		seen[h.IndexNo] = true
	}
	if b, err := handles[1].VerifyAudit(ctx); err != nil || b != nil {
		t.Fatalf("chain after concurrent writes: %+v %v", b, err)
	}
}

func TestBackup_IsAConsistentCopy(t *testing.T) {
	db := openTest(t)
	mustCreate(t, db, "通知", "正文")
	dest := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(ctx, dest, "admin"); err != nil {
		t.Fatal(err)
	}
	cp, err := Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if hits, _ := cp.FindDocuments(ctx, review.DocumentFilter{}); len(hits) != 1 {
		t.Fatalf("backup holds %d documents", len(hits))
	}
	if err := db.Backup(ctx, dest, "admin"); review.ErrorCode(err) != review.ECONFLICT {
		t.Fatalf("backup overwrote an existing file: %v", err)
	}
}

// TestKill9DuringImport kills a child process that imports in a loop and
// checks that every import it reported committed is there, whole, and that
// no half revision was left behind.
func TestKill9DuringImport(t *testing.T) {
	if os.Getenv("QIANFA_KILL_CHILD") != "" {
		t.Skip("child process")
	}
	path := filepath.Join(t.TempDir(), "ws.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$")
	cmd.Env = append(os.Environ(), "QIANFA_KILL_CHILD="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	committed := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if n, ok := strings.CutPrefix(sc.Text(), "committed "); ok {
			committed, _ = strconv.Atoi(n)
			if committed >= 30 {
				break
			}
		}
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no clean-up runs
		t.Fatal(err)
	}
	cmd.Wait()
	if committed < 30 {
		t.Fatalf("child reported only %d imports", committed)
	}

	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	db.db.QueryRow(`PRAGMA integrity_check`).Scan(&check)
	if check != "ok" {
		t.Fatalf("integrity_check: %s", check)
	}
	var docs, revs, orphans, fts int
	db.db.QueryRow(`SELECT count(*) FROM documents`).Scan(&docs)
	db.db.QueryRow(`SELECT count(*) FROM revisions`).Scan(&revs)
	db.db.QueryRow(`SELECT count(*) FROM documents d LEFT JOIN revisions r ON r.document_id = d.id AND r.number = d.current_rev WHERE r.hash IS NULL`).Scan(&orphans)
	db.db.QueryRow(`SELECT count(*) FROM documents_fts`).Scan(&fts)
	if docs < committed || docs != revs || orphans != 0 || fts != docs {
		t.Fatalf("after kill: %d reported, %d documents, %d revisions, %d without revision, %d indexed", committed, docs, revs, orphans, fts)
	}
	if b, err := db.VerifyAudit(ctx); err != nil || b != nil {
		t.Fatalf("audit chain after kill: %+v %v", b, err)
	}
	for i := 1; i <= docs; i++ {
		r, err := db.Revision(ctx, int64(i), 0)
		if err != nil || r.Hash != review.RevisionHash(r.Meta, r.Text) {
			t.Fatalf("document %d: %v", i, err)
		}
	}
}

// TestKillChild is the child of TestKill9DuringImport: it imports until it
// is killed, reporting each commit.
func TestKillChild(t *testing.T) {
	path := os.Getenv("QIANFA_KILL_CHILD")
	if path == "" {
		t.Skip("run only as the child of TestKill9DuringImport")
	}
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("第一条 为了规范政府信息公开工作，制定本办法。\n", 400)
	for i := 1; ; i++ {
		if _, err := db.CreateDocument(ctx, newDoc(fmt.Sprintf("导入%d", i), text)); err != nil {
			t.Fatal(err)
		}
		fmt.Printf("committed %d\n", i)
	}
}

func TestRedactDocument_KeepsStageAndDrafter(t *testing.T) {
	db := openTest(t)
	d := mustCreate(t, db, "表彰决定", "王建国，电话13801234567。")
	if _, err := db.db.Exec(`UPDATE documents SET status = ? WHERE id = ?`, string(review.StatusConfidentiality), d.ID); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*review.User{
		{Name: "admin", Roles: []review.Role{review.RoleAdmin}, PassHash: "x"}, // first: only an administrator creates users
		{Name: "lina", Roles: []review.Role{review.RoleConfidentiality}, PassHash: "x"},
		{Name: "clerk", Roles: []review.Role{review.RoleClerk}, PassHash: "x"},
	} {
		if err := db.CreateUser(ctx, u, "admin"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.RedactDocument(ctx, d.ID, "王建国，电话■■■■■■■■■■■。", "clerk", "遮盖", ""); review.ErrorCode(err) != review.EFORBIDDEN {
		t.Fatalf("a clerk redacted: %v", err)
	}
	if _, err := db.RedactDocument(ctx, d.ID, "王建国，电话13801234568。", "lina", "遮盖", ""); review.ErrorCode(err) != review.EINVALID {
		t.Fatalf("an edit passed as a redaction: %v", err)
	}
	rev, err := db.RedactDocument(ctx, d.ID, "王建国，电话■■■■■■■■■■■。", "lina", "保密审查遮盖处理", "遮盖已确认的筛查项 1 项（手机号码 1）")
	if err != nil {
		t.Fatal(err)
	}
	if rev.Number != 2 || rev.Author != "lina" || rev.Drafter != "clerk" || rev.RedactedFrom != 1 {
		t.Fatalf("redaction revision %+v", rev)
	}
	got, _ := db.Document(ctx, d.ID)
	stored, _ := db.Revision(ctx, d.ID, 0)
	if got.Status != review.StatusConfidentiality || got.CurrentRevision != 2 || stored.Drafter != "clerk" || stored.RedactedFrom != 1 {
		t.Fatalf("after redaction: status %s, current %d, stored %+v", got.Status, got.CurrentRevision, stored)
	}
	if _, err := db.db.Exec(`UPDATE documents SET status = ? WHERE id = ?`, string(review.StatusSignoff), d.ID); err != nil {
		t.Fatal(err)
	}
	audit, _ := db.AuditEntries(ctx, review.AuditFilter{DocumentID: d.ID, Limit: 1})
	if audit[0].Action != review.ActionRedact || audit[0].Actor != "lina" || !strings.Contains(audit[0].Detail, "手机号码 1") {
		t.Fatalf("redaction audit = %+v", audit[0])
	}
	if _, err := db.RedactDocument(ctx, d.ID, "王建国，电话■■■■■■■■■■■■", "lina", "", ""); review.ErrorCode(err) != review.ECONFLICT {
		t.Fatalf("redaction at sign-off accepted: %v", err)
	}
}
