package storage

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"qianfa/review"
	"qianfa/review/pack"
	"qianfa/review/publish"
	"qianfa/review/screening"
	"qianfa/review/workflow"
)

// ruleText is a short normative document with chapters and articles, so
// the HTML rendering and the 修改对照表 have something to work on.
const ruleText = "第一章　总则\n第一条　为了规范举报奖励工作，制定本办法。\n第二条　本办法适用于本部门受理的举报。\n" +
	"第二章　奖励\n第三条　举报经查证属实的，给予奖励。\n第四条　奖励金额最高不超过十万元。\n"

// publishFixture is a workspace with one user per role and the workflow,
// screening and publication services over it. It takes testing.TB so the
// benchmark builds the same office.
type publishFixture struct {
	db  *DB
	now time.Time
	wf  *workflow.Service
	scr *screening.Service
	pub *publish.Service
}

func newPublishFixture(t testing.TB) *publishFixture { return newPublishFixtureOn(t, openTest(t)) }

// newPublishFixtureOn builds the office in db.
func newPublishFixtureOn(t testing.TB, db *DB) *publishFixture {
	t.Helper()
	cheapHashes.Do(func() { workflow.DefaultPassParams = workflow.PassParams{Memory: 1024, Time: 1, Threads: 1} })
	f := &publishFixture{db: db, now: time.Date(2024, 9, 30, 2, 0, 0, 0, time.UTC)}
	f.db.Now = func() time.Time { return f.now }
	f.wf = &workflow.Service{Store: f.db, Docs: f.db, Users: f.db, Now: f.db.Now}
	f.scr = &screening.Service{Store: f.db, Docs: f.db, Users: f.db, Now: f.db.Now}
	f.pub = &publish.Service{Store: f.db, Docs: f.db, Users: f.db, Workflow: f.db, Settings: f.db, Screening: f.scr, Now: f.db.Now}
	// The administrator first: only an administrator may create the others.
	for _, u := range []struct {
		name string
		role review.Role
	}{{"admin", review.RoleAdmin}, {"clerk", review.RoleClerk}, {"conf", review.RoleConfidentiality}, {"legal", review.RoleLegal}, {"boss", review.RoleSignoff}} {
		usr, k, err := workflow.NewUser(u.name, "", []review.Role{u.role}, testPass, f.now)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.db.CreateUserWithKey(ctx, usr, k, "admin"); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *publishFixture) tick() { f.now = f.now.Add(time.Minute) }

// draft creates a document; attachments maps names to content.
func (f *publishFixture) draft(t testing.TB, title string, kind review.Kind, text string, attachments map[string][]byte) *review.Document {
	t.Helper()
	f.tick()
	doc, err := f.db.CreateDocument(ctx, review.NewDocument{Meta: review.Metadata{Title: title, Kind: kind, Issuer: "某某部",
		Disclosure: review.DisclosureActive, WrittenOn: "2024-09-20"}, Text: text, Author: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range attachments {
		if err := f.db.AddAttachment(ctx, &publish.Attachment{DocumentID: doc.ID, Name: name}, bytes.NewReader(data), "clerk"); err != nil {
			t.Fatalf("attach %s: %v", name, err)
		}
	}
	return doc
}

// approve walks a draft through submission, screening (every finding
// dismissed), the review stages and sign-off.
func (f *publishFixture) approve(t testing.TB, id int64) *review.Document {
	t.Helper()
	doc, _ := f.db.Document(ctx, id)
	skip := !doc.Meta.Kind.NeedsLegality()
	f.tick()
	if _, err := f.wf.Submit(ctx, "clerk", id, skip); err != nil {
		t.Fatalf("submit: %v", err)
	}
	st, err := f.scr.State(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range st.Open() {
		f.tick()
		if _, err := f.scr.Decide(ctx, "conf", id, st.Hash, it.Fingerprint, screening.StatusDismissed, "本单位公开的咨询电话"); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		user string
		p    workflow.Proposal
	}{{"conf", workflow.Proposal{Stage: workflow.StageConfidentiality, Outcome: workflow.OutcomeDisclose}}}
	if !skip {
		steps = append(steps, struct {
			user string
			p    workflow.Proposal
		}{"legal", workflow.Proposal{Stage: workflow.StageLegality, Outcome: workflow.OutcomeLawful, Checklist: passAll()}})
	}
	steps = append(steps, struct {
		user string
		p    workflow.Proposal
	}{"boss", workflow.Proposal{Stage: workflow.StageSignoff, Outcome: workflow.OutcomeSign}})
	for _, s := range steps {
		f.tick()
		if _, doc, err = f.wf.Decide(ctx, s.user, id, "", s.p, testPass); err != nil {
			t.Fatalf("%s: %v", s.p.Stage, err)
		}
	}
	if doc.Status != review.StatusApproved {
		t.Fatalf("status after sign-off = %s", doc.Status)
	}
	return doc
}

// unzip extracts a package with archive/zip into dir and returns the bag's
// directory.
func unzip(t testing.TB, path, dir string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, e := range zr.File {
		dst := filepath.Join(dir, filepath.FromSlash(e.Name))
		if !strings.HasPrefix(dst, dir+string(filepath.Separator)) {
			t.Fatalf("entry %q escapes", e.Name)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		rc, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, strings.Split(zr.File[0].Name, "/")[0])
}

func needTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"sha256sum", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s 不可用（CI 安装 openssh-client 与 coreutils）：跳过与标准工具的互通测试", tool)
		}
	}
}

// sh runs a shell command in dir and reports whether it exited 0.
func sh(t *testing.T, dir, cmd string) (bool, string) {
	t.Helper()
	c := exec.Command("sh", "-c", cmd)
	c.Dir = dir
	out, err := c.CombinedOutput()
	return err == nil, string(out)
}

func flipByte(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 1
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestExport_StockToolsVerifyThePackageAndCatchAOneByteChange(t *testing.T) {
	needTools(t)
	f := newPublishFixture(t)
	doc := f.draft(t, "举报奖励办法", review.KindNormative, ruleText, map[string][]byte{
		"附件1-举报登记表.pdf": bytes.Repeat([]byte("%PDF-1.7 登记表 "), 5000),
		"附件2-说明.txt":    []byte("奖励标准说明。\n"),
	})
	f.approve(t, doc.ID)
	out := t.TempDir()
	f.tick()
	e, err := f.pub.Export(ctx, "clerk", doc.ID, testPass, out, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := publish.PackageName(doc.IndexNo, doc.CurrentHash) + ".zip"; filepath.Base(e.Path) != want {
		t.Errorf("package name = %s, want %s", filepath.Base(e.Path), want)
	}
	rep, err := publish.Verify(e.Path, pack.Options{SHA256: e.SHA256})
	if err != nil || !rep.OK {
		t.Fatalf("Verify: %v\n%v", err, rep.Checks)
	}

	bag := unzip(t, e.Path, t.TempDir())
	for _, name := range []string{"data/document.txt", "data/document.html", "data/metadata.json", "data/review/record.json",
		"data/review/attestations/confidentiality-conf.sig", "data/review/attestations/legality-legal.txt",
		"data/review/attestations/signoff-boss.sig", "data/attachments/附件1-举报登记表.pdf", "allowed_signers"} {
		if _, err := os.Stat(filepath.Join(bag, name)); err != nil {
			t.Errorf("package lacks %s", name)
		}
	}
	checks := []struct{ name, cmd string }{
		{"payload", "sha256sum -c manifest-sha256.txt"},
		{"tag files", "sha256sum -c tagmanifest-sha256.txt"},
		{"package signature", "ssh-keygen -Y verify -f allowed_signers -I clerk -n qianfa-package -s tagmanifest-sha256.txt.sig < tagmanifest-sha256.txt"},
		{"decision signature", "ssh-keygen -Y verify -f allowed_signers -I boss -n qianfa-decision -s data/review/attestations/signoff-boss.sig < data/review/attestations/signoff-boss.txt"},
	}
	for _, c := range checks {
		if ok, msg := sh(t, bag, c.cmd); !ok {
			t.Errorf("%s: `%s` failed:\n%s", c.name, c.cmd, msg)
		}
	}
	// A decision signature is not a package signature.
	if ok, _ := sh(t, bag, "ssh-keygen -Y verify -f allowed_signers -I boss -n qianfa-package -s data/review/attestations/signoff-boss.sig < data/review/attestations/signoff-boss.txt"); ok {
		t.Error("a decision signature passed in the package namespace")
	}

	flipByte(t, filepath.Join(bag, "data/document.txt"))
	if ok, _ := sh(t, bag, checks[0].cmd); ok {
		t.Error("sha256sum -c passed after a byte of document.txt changed")
	}
	flipByte(t, filepath.Join(bag, "tagmanifest-sha256.txt"))
	if ok, _ := sh(t, bag, checks[2].cmd); ok {
		t.Error("ssh-keygen -Y verify passed after a byte of tagmanifest-sha256.txt changed")
	}
}

func TestExport_SameInputsGiveTheSameBytes(t *testing.T) {
	f := newPublishFixture(t)
	doc := f.draft(t, "举报奖励办法", review.KindNormative, ruleText, map[string][]byte{"附件.png": bytes.Repeat([]byte{0x89, 'P'}, 1000)})
	f.approve(t, doc.ID)
	var a, b bytes.Buffer
	ra, _, err := f.pub.WritePackage(ctx, &a, "clerk", doc.ID, testPass)
	if err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(72 * time.Hour) // the clock must not reach the package
	rb, _, err := f.pub.WritePackage(ctx, &b, "clerk", doc.ID, testPass)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) || ra.SHA256 != rb.SHA256 {
		t.Fatalf("two exports differ: %s vs %s", ra.SHA256, rb.SHA256)
	}
}

func TestExport_Refuses(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, f *publishFixture) int64
		user  string
		pass  string
		want  string
	}{
		{"a draft that was never approved", func(t *testing.T, f *publishFixture) int64 {
			return f.draft(t, "草稿", review.KindNotice, "通知正文。", nil).ID
		}, "clerk", testPass, "只有已签发的文件可以导出"},
		{"a text edited after sign-off", func(t *testing.T, f *publishFixture) int64 {
			d := f.draft(t, "举报奖励办法", review.KindNormative, ruleText, nil)
			f.approve(t, d.ID)
			rev, _ := f.db.Revision(ctx, d.ID, 0)
			f.tick()
			if _, err := f.db.ReviseDocument(ctx, d.ID, rev.Meta, rev.Text+"第五条　本办法自发布之日起施行。\n", "clerk", "补充施行日期"); err != nil {
				t.Fatal(err)
			}
			return d.ID
		}, "clerk", testPass, "签发后文本已改动"},
		{"a confirmed finding still in the text", func(t *testing.T, f *publishFixture) int64 {
			d := f.draft(t, "表彰决定", review.KindNotice, honoursText, nil)
			f.approve(t, d.ID)
			st, _ := f.scr.State(ctx, d.ID)
			for _, it := range st.Items {
				if it.Text == "13801234567" {
					f.tick()
					if _, err := f.scr.Decide(ctx, "conf", d.ID, st.Hash, it.Fingerprint, screening.StatusConfirmed, ""); err != nil {
						t.Fatal(err)
					}
				}
			}
			return d.ID
		}, "clerk", testPass, "已确认须删除"},
		{"a decision changed behind the application", func(t *testing.T, f *publishFixture) int64 {
			d := f.draft(t, "举报奖励办法", review.KindNormative, ruleText, nil)
			f.approve(t, d.ID)
			for _, q := range []string{`DROP TRIGGER decisions_no_update`, `UPDATE decisions SET reason = '改过' WHERE stage = '合法性审核'`} {
				if _, err := f.db.db.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			return d.ID
		}, "clerk", testPass, "签发链无法核验"},
		{"a wrong passphrase", func(t *testing.T, f *publishFixture) int64 {
			d := f.draft(t, "举报奖励办法", review.KindNormative, ruleText, nil)
			f.approve(t, d.ID)
			return d.ID
		}, "clerk", "不是这个口令", "口令"},
		{"someone who is not a clerk", func(t *testing.T, f *publishFixture) int64 {
			d := f.draft(t, "举报奖励办法", review.KindNormative, ruleText, nil)
			f.approve(t, d.ID)
			return d.ID
		}, "conf", testPass, "只有经办人可以导出"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newPublishFixture(t)
			id := c.setup(t, f)
			out := t.TempDir()
			_, err := f.pub.Export(ctx, c.user, id, c.pass, out, nil)
			if err == nil || !strings.Contains(review.ErrorMessage(err), c.want) {
				t.Fatalf("Export = %v, want refusal saying %q", err, c.want)
			}
			if ents, _ := os.ReadDir(out); len(ents) != 0 {
				t.Errorf("refused export left %d files behind", len(ents))
			}
		})
	}
}

func TestExport_CarriesInterpretationAndComparisonWithThePreviousVersion(t *testing.T) {
	f := newPublishFixture(t)
	old := f.draft(t, "举报奖励办法", review.KindNormative, ruleText, nil)
	f.approve(t, old.ID)
	publishDoc(t, f, old.ID)
	newer := f.draft(t, "举报奖励办法（修订）", review.KindNormative, strings.Replace(ruleText, "十万元", "二十万元", 1), nil)
	interp := f.draft(t, "《举报奖励办法》解读", review.KindInterpretation, "一、修订背景\n奖励上限提高。\n", nil)
	f.tick()
	if err := f.db.LinkInterpretation(ctx, interp.ID, newer.ID, "clerk"); err != nil {
		t.Fatal(err)
	}
	f.approve(t, interp.ID)
	f.tick()
	if err := f.pub.MarkAmended(ctx, "clerk", old.ID, newer.ID); err != nil {
		t.Fatal(err)
	}
	f.approve(t, newer.ID)
	e, err := f.pub.Export(ctx, "clerk", newer.ID, testPass, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	files := readZip(t, e.Path)
	top := publish.PackageName(newer.IndexNo, mustDoc(t, f, newer.ID).CurrentHash) + "/data/"
	cmp := string(files[top+publish.ComparisonFile])
	if !strings.Contains(cmp, "修改对照表") || !strings.Contains(cmp, "<ins>") {
		t.Errorf("comparison.html missing or wrong: %.200q", cmp)
	}
	if !strings.Contains(string(files[top+publish.InterpretationText]), "奖励上限提高") {
		t.Error("interpretation.txt missing")
	}
	meta := string(files[top+publish.MetadataFile])
	for _, want := range []string{`"supersedes"`, old.IndexNo, `"interpretation"`, `"kind": "行政规范性文件"`} {
		if !strings.Contains(meta, want) {
			t.Errorf("metadata.json lacks %s:\n%s", want, meta)
		}
	}
	html := string(files[top+publish.DocumentHTML])
	if !strings.Contains(html, "FangSong") || !strings.Contains(html, `<p class="h">第一章　总则</p>`) {
		t.Errorf("document.html: %.300s", html)
	}
	rec := string(files[top+publish.RecordFile])
	if !strings.Contains(rec, "制定主体是否合法") || !strings.Contains(rec, `"outcome": "签发"`) {
		t.Errorf("record.json: %s", rec)
	}
}

func TestExport_StoresCompressedAttachmentsAndDeflatesText(t *testing.T) {
	f := newPublishFixture(t)
	doc := f.draft(t, "通知", review.KindNotice, "通知正文。", map[string][]byte{
		"a.pdf": bytes.Repeat([]byte("x"), 10000), "b.txt": bytes.Repeat([]byte("y"), 10000)})
	f.approve(t, doc.ID)
	e, err := f.pub.Export(ctx, "clerk", doc.ID, testPass, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(e.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, z := range zr.File {
		switch {
		case strings.HasSuffix(z.Name, "/a.pdf") && z.Method != zip.Store:
			t.Error("a.pdf was deflated")
		case strings.HasSuffix(z.Name, "/b.txt") && z.Method != zip.Deflate:
			t.Error("b.txt was stored")
		}
	}
}

func TestAttachment_ChangedBehindTheApplicationFailsTheExport(t *testing.T) {
	f := newPublishFixture(t)
	doc := f.draft(t, "通知", review.KindNotice, "通知正文。", map[string][]byte{"a.pdf": []byte("原始内容")})
	f.approve(t, doc.ID)
	if _, err := f.db.db.Exec(`UPDATE attachment_chunks SET data = ?`, []byte("篡改内容")); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := f.pub.Export(ctx, "clerk", doc.ID, testPass, out, nil); err == nil || !strings.Contains(review.ErrorMessage(err), "SHA-256 不符") {
		t.Fatalf("Export = %v, want the attachment refused", err)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("failed export left %d files", len(ents))
	}
}

// An attachment of several chunks reads back whole through small reads
// (each chunk is handed out from the driver's buffer across many Read
// calls), and one whose chunks no longer add up to the recorded size fails
// the export with the reason.
func TestAttachment_ChunksReadBackAndAMissingChunkFailsTheExport(t *testing.T) {
	f := newPublishFixture(t)
	data := make([]byte, 2*chunkSize+777)
	for i := range data {
		data[i] = byte(i*7 + i>>12)
	}
	doc := f.draft(t, "通知", review.KindNotice, "通知正文。", map[string][]byte{"scan.pdf": data})
	as, err := f.db.Attachments(ctx, doc.ID)
	if err != nil || len(as) != 1 {
		t.Fatalf("attachments = %+v, %v", as, err)
	}
	rc, err := f.db.OpenAttachment(ctx, as[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	_, err = io.CopyBuffer(&got, struct{ io.Reader }{rc}, make([]byte, 100_000))
	rc.Close()
	if err != nil || !bytes.Equal(got.Bytes(), data) {
		t.Fatalf("read back %d bytes (%v), want %d equal bytes", got.Len(), err, len(data))
	}

	f.approve(t, doc.ID)
	if _, err := f.db.db.Exec(`DELETE FROM attachment_chunks WHERE seq = 1`); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := f.pub.Export(ctx, "clerk", doc.ID, testPass, out, nil); err == nil || !strings.Contains(review.ErrorMessage(err), "大小与添加时记录的不符") {
		t.Fatalf("Export = %v, want the attachment refused", err)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("failed export left %d files", len(ents))
	}
}

func TestAttachments_OnlyWhileEditableAndAudited(t *testing.T) {
	f := newPublishFixture(t)
	doc := f.draft(t, "通知", review.KindNotice, "通知正文。", map[string][]byte{"附件1.pdf": []byte("pdf")})
	as, err := f.db.Attachments(ctx, doc.ID)
	if err != nil || len(as) != 1 || as[0].Size != 3 || as[0].MediaType != "application/pdf" || len(as[0].SHA256) != 64 {
		t.Fatalf("attachments = %+v, %v", as, err)
	}
	rc, _ := f.db.OpenAttachment(ctx, as[0].ID)
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || string(got) != "pdf" {
		t.Fatalf("content = %q, %v", got, err)
	}
	cases := []struct {
		name string
		a    publish.Attachment
		user string
		want string
	}{
		{"a duplicate name", publish.Attachment{DocumentID: doc.ID, Name: "附件1.pdf"}, "clerk", "已有名为"},
		{"a name with a slash", publish.Attachment{DocumentID: doc.ID, Name: "a/b.pdf"}, "clerk", "不能用作文件名"},
		{"a reviewer", publish.Attachment{DocumentID: doc.ID, Name: "x.pdf"}, "conf", "不是经办人"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := f.db.AddAttachment(ctx, &c.a, strings.NewReader("x"), c.user); err == nil || !strings.Contains(review.ErrorMessage(err), c.want) {
				t.Errorf("AddAttachment = %v, want %q", err, c.want)
			}
		})
	}
	f.approve(t, doc.ID)
	if err := f.db.RemoveAttachment(ctx, as[0].ID, "clerk"); err == nil || !strings.Contains(review.ErrorMessage(err), "只有草稿或退回修改") {
		t.Errorf("RemoveAttachment on an approved document = %v", err)
	}
	audit, _ := f.db.AuditEntries(ctx, review.AuditFilter{DocumentID: doc.ID})
	var found bool
	for _, e := range audit {
		found = found || (e.Action == review.ActionAttachment && strings.Contains(e.Detail, "附件1.pdf"))
	}
	if !found {
		t.Error("adding the attachment was not audited")
	}
}

func publishDoc(t *testing.T, f *publishFixture, id int64) *review.Document {
	t.Helper()
	f.tick()
	if _, err := f.pub.Export(ctx, "clerk", id, testPass, t.TempDir(), nil); err != nil {
		t.Fatal(err)
	}
	f.tick()
	d, err := f.pub.Publish(ctx, "clerk", id, "2024-10-08", "https://www.example.gov.cn/zwgk/2024/1008.html")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mustDoc(t *testing.T, f *publishFixture, id int64) *review.Document {
	t.Helper()
	d, err := f.db.Document(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func readZip(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, e := range zr.File {
		rc, _ := e.Open()
		out[e.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

func TestPublish_MovesToPublishedAndListsByStatus(t *testing.T) {
	f := newPublishFixture(t)
	doc := f.draft(t, "举报奖励办法", review.KindNormative, ruleText, nil)
	f.approve(t, doc.ID)
	if _, err := f.pub.Publish(ctx, "clerk", doc.ID, "2024-10-08", "https://www.example.gov.cn/a.html"); err == nil || !strings.Contains(review.ErrorMessage(err), "尚未导出") {
		t.Fatalf("publish before export = %v", err)
	}
	for _, bad := range []struct{ date, url, want string }{
		{"2024/10/08", "https://www.example.gov.cn/a.html", "发布日期"},
		{"2024-10-08", "www.example.gov.cn", "网址"},
	} {
		if _, err := f.pub.Publish(ctx, "clerk", doc.ID, bad.date, bad.url); err == nil || !strings.Contains(review.ErrorMessage(err), bad.want) {
			t.Errorf("Publish(%q, %q) = %v, want %q", bad.date, bad.url, err, bad.want)
		}
	}
	d := publishDoc(t, f, doc.ID)
	if d.Status != review.StatusPublished || d.PublishedOn != "2024-10-08" || d.PublishedURL == "" || d.Validity != review.ValidityInForce {
		t.Fatalf("published document = %+v", d)
	}
	hits, err := f.db.FindDocuments(ctx, review.DocumentFilter{Status: review.StatusPublished})
	if err != nil || len(hits) != 1 || hits[0].ID != doc.ID {
		t.Fatalf("published listing = %v, %v", hits, err)
	}
	if _, err := f.pub.Publish(ctx, "clerk", doc.ID, "2024-10-09", "https://www.example.gov.cn/b.html"); err == nil {
		t.Error("published twice")
	}
	audit, _ := f.db.AuditEntries(ctx, review.AuditFilter{DocumentID: doc.ID, Limit: 2})
	if audit[0].Action != review.ActionPublish || audit[1].Action != review.ActionExport {
		t.Errorf("audit = %+v", audit)
	}
}

func TestValidity_AmendedLinksBothWaysAndRepealedKeepsTheDate(t *testing.T) {
	f := newPublishFixture(t)
	old := f.draft(t, "旧办法", review.KindNormative, ruleText, nil)
	f.approve(t, old.ID)
	publishDoc(t, f, old.ID)
	succ := f.draft(t, "新办法", review.KindNormative, ruleText+"第五条　施行。\n", nil)
	other := f.draft(t, "另一办法", review.KindNormative, ruleText, nil)
	f.approve(t, other.ID)
	publishDoc(t, f, other.ID)

	if err := f.pub.MarkAmended(ctx, "clerk", succ.ID, old.ID); err == nil {
		t.Error("a draft was marked amended")
	}
	if err := f.pub.MarkAmended(ctx, "clerk", old.ID, succ.ID); err != nil {
		t.Fatal(err)
	}
	o, s := mustDoc(t, f, old.ID), mustDoc(t, f, succ.ID)
	if o.Validity != review.ValidityAmended || o.SupersededBy != succ.ID || s.Supersedes != old.ID {
		t.Fatalf("old = %s → %d, successor ← %d", o.Validity, o.SupersededBy, s.Supersedes)
	}
	if err := f.pub.MarkRepealed(ctx, "clerk", old.ID, "2025-01-01"); err == nil {
		t.Error("an amended document was repealed too")
	}
	if err := f.pub.MarkRepealed(ctx, "clerk", other.ID, "2024-01-01"); err == nil || !strings.Contains(review.ErrorMessage(err), "早于发布日期") {
		t.Errorf("repeal before publication = %v", err)
	}
	if err := f.pub.MarkRepealed(ctx, "clerk", other.ID, "2025-03-01"); err != nil {
		t.Fatal(err)
	}
	ch, err := f.db.ValidityChanges(ctx, other.ID)
	if err != nil || len(ch) != 1 || ch[0].Validity != review.ValidityRepealed || ch[0].Date != "2025-03-01" {
		t.Fatalf("validity changes = %+v, %v", ch, err)
	}
	hits, _ := f.db.FindDocuments(ctx, review.DocumentFilter{Status: review.StatusPublished, Validity: review.ValidityRepealed})
	if len(hits) != 1 || hits[0].ID != other.ID {
		t.Errorf("repealed listing = %v", hits)
	}
}

func TestOfficeAllowedSigners_ListsEveryKeyWithItsValidity(t *testing.T) {
	f := newPublishFixture(t)
	u, _ := f.db.User(ctx, "conf")
	f.tick()
	k, err := workflow.NewKey(u, testPass, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.AddKey(ctx, k, "conf"); err != nil {
		t.Fatal(err)
	}
	data, err := f.pub.OfficeAllowedSigners(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 6 { // the five users' keys and conf's new one
		t.Fatalf("allowed_signers has %d lines:\n%s", len(lines), data)
	}
	var closed int
	for _, l := range lines {
		if strings.Contains(l, "valid-before=") {
			closed++
			if !strings.HasPrefix(l, "conf ") {
				t.Errorf("wrong key closed: %s", l)
			}
		}
		if !strings.Contains(l, `namespaces="qianfa-decision,qianfa-package"`) || !strings.Contains(l, "valid-after=") {
			t.Errorf("line lacks namespaces or validity: %s", l)
		}
	}
	if closed != 1 {
		t.Errorf("%d closed keys, want 1", closed)
	}
}
