package publish

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"qianfa/review"
	"qianfa/review/pack"
	"qianfa/review/sshsig"
	"qianfa/review/workflow"
)

// ExportChecker is the screening check export runs on the text it is about
// to package; screening.Service implements it. It refuses when a text a
// reviewer confirmed (and so had redacted) is still present.
type ExportChecker interface {
	CheckExport(ctx context.Context, docID int64, text string) error
}

// Service is export and publication as the CLI and the desktop app use
// them. It holds no state of its own.
type Service struct {
	Store    Store
	Docs     review.DocumentStore
	Users    review.UserStore
	Workflow workflow.Store       // decisions and keys
	Settings review.SettingsStore // for Source-Organization; nil: the issuer
	// Screening is the export check of DESIGN ("Export re-scans and
	// refuses if a confirmed finding's text is present"). cmd wires
	// screening.Service; nil skips the check, for tests of other rules.
	Screening ExportChecker
	// PublicComment, if set, returns the public-comment record that goes
	// into record.json (nil, nil when none was held).
	PublicComment func(ctx context.Context, docID int64) (any, error)
	Now           review.Clock // nil means time.Now
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// Plan is what an export will contain, worked out and checked before the
// clerk is asked for a passphrase.
type Plan struct {
	Document       review.Document
	Revision       review.Revision
	SignedOff      workflow.Decision
	Decisions      []workflow.Decision // on Revision, oldest first
	Attachments    []Attachment
	Interpretation *review.Document // linked, approved 政策解读
	Previous       *review.Document // the version this one amends
	FileName       string           // <索引号>-<hash>.zip

	interpRev, prevRev *review.Revision
	links              map[string]Linked
	comment            any
}

// Contents lists, in the clerk's words, what goes into the package: the
// export dialog shows it before anything is written.
func (p *Plan) Contents() []string {
	out := []string{
		fmt.Sprintf("正文（第 %d 版，文本与可打印网页）", p.Revision.Number),
		"元数据（标题、文种、发文机关、发文字号、索引号、有效性等）",
	}
	var size int64
	for _, a := range p.Attachments {
		size += a.Size
	}
	if len(p.Attachments) > 0 {
		out = append(out, fmt.Sprintf("附件 %d 个（%s）", len(p.Attachments), FormatSize(size)))
	} else {
		out = append(out, "附件：无")
	}
	if p.Interpretation != nil {
		out = append(out, "政策解读："+p.Interpretation.Meta.Title)
	}
	var stages []string
	for _, d := range p.Decisions {
		stages = append(stages, fmt.Sprintf("%s %s（%s）", d.Stage, d.Outcome, d.Actor))
	}
	out = append(out, "审查记录及各环节签名："+strings.Join(stages, "；"))
	if p.Previous != nil {
		out = append(out, "修改对照表：与上一发布版本《"+p.Previous.Meta.Title+"》对照")
	}
	out = append(out, "签名人名单 allowed_signers 与经办人对整个包的签名")
	return out
}

// FormatSize writes a byte count the way the office reads it.
func FormatSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", n)
}

// Prepare checks that document docID may be exported and gathers what the
// package holds. It refuses, in this order: a text changed after sign-off;
// a document that is not 已签发 (or 已发布, for a re-export); a revision
// whose content no longer matches its hash; a sign-off chain that does not
// verify or is incomplete; a confirmed screening finding still in the text.
func (s *Service) Prepare(ctx context.Context, docID int64) (*Plan, error) {
	doc, err := s.Docs.Document(ctx, docID)
	if err != nil {
		return nil, err
	}
	rev, err := s.Docs.Revision(ctx, docID, doc.CurrentRevision)
	if err != nil {
		return nil, err
	}
	all, err := s.Workflow.Decisions(ctx, docID)
	if err != nil {
		return nil, err
	}
	title := doc.Meta.Title
	if so := SignedOff(all); so != nil && so.RevisionHash != rev.Hash {
		return nil, review.Errorf(review.ECONFLICT, "《%s》签发后文本已改动：签发的是第 %d 版，当前为第 %d 版。改动后的文本须重新审查、签发才能导出。", title, so.Revision, rev.Number)
	}
	if doc.Status != review.StatusApproved && doc.Status != review.StatusPublished {
		return nil, review.Errorf(review.ECONFLICT, "《%s》当前状态为“%s”，只有已签发的文件可以导出发布包。", title, doc.Status)
	}
	if review.RevisionHash(rev.Meta, rev.Text) != rev.Hash {
		return nil, review.Errorf(review.EINVALID, "《%s》第 %d 版的内容与其哈希不符，工作区中的文本可能被改动，不能导出。", title, rev.Number)
	}
	on := workflow.OnRevision(all, rev.Hash)
	if err := s.checkChain(ctx, doc, rev, on); err != nil {
		return nil, err
	}
	if s.Screening != nil {
		if err := s.Screening.CheckExport(ctx, docID, rev.Text); err != nil {
			return nil, review.WrapError(review.ECONFLICT, err, "不能导出：%s", review.ErrorMessage(err))
		}
	}
	p := &Plan{Document: *doc, Revision: *rev, SignedOff: *SignedOff(on), Decisions: on,
		FileName: PackageName(doc.IndexNo, rev.Hash) + ".zip", links: map[string]Linked{}}
	if p.Attachments, err = s.Store.Attachments(ctx, docID); err != nil {
		return nil, err
	}
	if err := s.linked(ctx, p); err != nil {
		return nil, err
	}
	if s.PublicComment != nil {
		if p.comment, err = s.PublicComment(ctx, docID); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// checkChain verifies every decision on the revision and that together
// they make a complete approval: 保密审查 agreeing to disclose, 合法性审核
// 合法 where it applies, and 签发.
func (s *Service) checkChain(ctx context.Context, doc *review.Document, rev *review.Revision, on []workflow.Decision) error {
	title := doc.Meta.Title
	keys := map[string][]review.Key{}
	last := map[workflow.Stage]*workflow.Decision{}
	for i := range on {
		d := &on[i]
		ks, ok := keys[d.Actor]
		if !ok {
			var err error
			if ks, err = s.Workflow.Keys(ctx, d.Actor); err != nil && review.ErrorCode(err) != review.ENOTFOUND {
				return err
			}
			keys[d.Actor] = ks
		}
		if err := d.Verify(rev, ks); err != nil {
			return review.WrapError(review.EINVALID, err, "《%s》的签发链无法核验：%s（%s）的%s决定：%s", title, d.Actor, d.At.In(chinaTime).Format("2006-01-02 15:04"), d.Stage, review.ErrorMessage(err))
		}
		last[d.Stage] = d
	}
	need := []struct {
		stage workflow.Stage
		ok    func(workflow.Outcome) bool
	}{
		{workflow.StageConfidentiality, func(o workflow.Outcome) bool {
			return o == workflow.OutcomeDisclose || o == workflow.OutcomePartial
		}},
		{workflow.StageSignoff, func(o workflow.Outcome) bool { return o == workflow.OutcomeSign }},
	}
	if doc.Meta.Kind.NeedsLegality() || !doc.SkipLegality {
		need = append(need, struct {
			stage workflow.Stage
			ok    func(workflow.Outcome) bool
		}{workflow.StageLegality, func(o workflow.Outcome) bool { return o == workflow.OutcomeLawful }})
	}
	for _, n := range need {
		d := last[n.stage]
		if d == nil || !n.ok(d.Outcome) {
			return review.Errorf(review.EINVALID, "《%s》的签发链不完整：第 %d 版缺少%s的同意决定，不能导出。", title, rev.Number, n.stage)
		}
	}
	return nil
}

// linked finds the 政策解读 that interprets the document and the version it
// amends, with their texts.
func (s *Service) linked(ctx context.Context, p *Plan) error {
	doc := &p.Document
	interps, err := s.Store.Interpretations(ctx, doc.ID)
	if err != nil {
		return err
	}
	for i := range interps {
		it := &interps[i]
		// Only an approved interpretation may go out with the document:
		// it passes review like any other publication.
		if it.Status != review.StatusApproved && it.Status != review.StatusPublished {
			continue
		}
		r, err := s.Docs.Revision(ctx, it.ID, it.CurrentRevision)
		if err != nil {
			return err
		}
		p.Interpretation, p.interpRev = it, r
		p.links["interpretation"] = Linked{IndexNo: it.IndexNo, Title: it.Meta.Title}
		break
	}
	if doc.Supersedes != 0 {
		prev, err := s.Docs.Document(ctx, doc.Supersedes)
		if err != nil {
			return err
		}
		r, err := s.publishedRevision(ctx, prev)
		if err != nil {
			return err
		}
		p.Previous, p.prevRev = prev, r
		p.links["supersedes"] = Linked{IndexNo: prev.IndexNo, Title: prev.Meta.Title}
	}
	for rel, id := range map[string]int64{"superseded_by": doc.SupersededBy, "interpretation_of": doc.InterpretationOf} {
		if id == 0 {
			continue
		}
		o, err := s.Docs.Document(ctx, id)
		if err != nil {
			return err
		}
		p.links[rel] = Linked{IndexNo: o.IndexNo, Title: o.Meta.Title}
	}
	return nil
}

// publishedRevision is the revision of prev that was signed off last, the
// text the public has; its current revision if none was.
func (s *Service) publishedRevision(ctx context.Context, prev *review.Document) (*review.Revision, error) {
	all, err := s.Workflow.Decisions(ctx, prev.ID)
	if err != nil {
		return nil, err
	}
	n := prev.CurrentRevision
	if so := SignedOff(all); so != nil {
		n = so.Revision
	}
	return s.Docs.Revision(ctx, prev.ID, n)
}

// Export checks, signs and writes the package of document docID into dir
// as user, whose passphrase unlocks their key, and records the export. The
// zip is written under a temporary name and renamed when complete, so a
// refusal or failure leaves nothing behind.
func (s *Service) Export(ctx context.Context, user string, docID int64, passphrase, dir string, progress func(done, total int64)) (*Export, error) {
	p, err := s.Prepare(ctx, docID)
	if err != nil {
		return nil, err
	}
	in, err := s.input(ctx, user, p, passphrase)
	if err != nil {
		return nil, err
	}
	in.Progress = progress
	bag, err := Assemble(in)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, review.WrapError(review.EINVALID, err, "无法创建输出目录 %s。", dir)
	}
	final := filepath.Join(dir, p.FileName)
	tmp, err := os.CreateTemp(dir, ".qianfa-export-*.zip")
	if err != nil {
		return nil, review.WrapError(review.EINVALID, err, "无法在 %s 中写入文件。", dir)
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	sf := newSyncingFile(tmp)
	res, err := pack.Write(ctx, sf, bag)
	if serr := sf.stop(); err == nil {
		err = serr
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return nil, review.WrapError(review.ErrorCode(err), err, "写入发布包失败：%s", chainMessage(err))
	}
	if err := checkAttachments(tmp.Name(), bag.Name, p.Attachments); err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return nil, fmt.Errorf("chmod package: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return nil, review.WrapError(review.EINTERNAL, err, "无法保存发布包 %s。", final)
	}
	abs, err := filepath.Abs(final)
	if err != nil {
		abs = final
	}
	e := &Export{DocumentID: docID, Revision: p.Revision.Number, RevisionHash: p.Revision.Hash, Path: abs,
		SHA256: res.SHA256, Size: res.Size, Actor: user, At: s.now()}
	if err := s.Store.RecordExport(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// syncEvery is how much of the package is written between two early
// syncs: a few per package, so that the disk has work all along, and few
// enough that the journal commit each costs does not add up.
const syncEvery = 32 << 20

// syncingFile writes to f and, every syncEvery bytes, has a goroutine
// fsync what has been written so far. The disk thus works while the rest
// of the package is still being read, hashed and written, and the final
// Sync only waits for the tail; otherwise the whole package would sit in
// the page cache until that last Sync and the clerk would wait for all of
// it at the end.
type syncingFile struct {
	f       *os.File
	unsyncd int64
	kick    chan struct{} // holds at most one request: kicks while a sync runs merge
	done    chan struct{}
	err     error // the first early sync's error; read after done is closed
}

func newSyncingFile(f *os.File) *syncingFile {
	s := &syncingFile{f: f, kick: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for range s.kick {
			// An error is kept, not retried: Linux reports a failed
			// writeback to one fsync only, and the final Sync may no
			// longer see it.
			if err := s.f.Sync(); err != nil && s.err == nil {
				s.err = err
			}
		}
	}()
	return s
}

func (s *syncingFile) Write(p []byte) (int, error) {
	n, err := s.f.Write(p)
	s.unsyncd += int64(n)
	if s.unsyncd >= syncEvery {
		s.unsyncd = 0
		select {
		case s.kick <- struct{}{}:
		default: // a sync is already due
		}
	}
	return n, err
}

// stop waits for the early syncs and returns the first one's error.
func (s *syncingFile) stop() error {
	close(s.kick)
	<-s.done
	return s.err
}

// checkAttachments compares the manifest just written with the hashes
// recorded when the attachments were added: export hashes every byte once,
// for the manifest, and this is where an attachment changed in the
// workspace behind the application's back is caught.
func checkAttachments(zipPath, bagName string, atts []Attachment) error {
	if len(atts) == 0 {
		return nil
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return fmt.Errorf("reopen package: %w", err)
	}
	defer zr.Close()
	rc, err := zr.Open(bagName + "/" + pack.ManifestFile)
	if err != nil {
		return fmt.Errorf("read manifest: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(rc, 16<<20))
	rc.Close()
	if err != nil {
		return fmt.Errorf("read manifest: %w", err)
	}
	got := map[string]string{}
	for line := range strings.SplitSeq(string(data), "\n") {
		if sum, name, ok := strings.Cut(line, "  "); ok {
			got[name] = sum
		}
	}
	for _, a := range atts {
		if got[pack.PayloadDir+"/"+AttachmentDir+a.Name] != a.SHA256 {
			return review.Errorf(review.EINVALID, "附件“%s”的内容与添加时记录的 SHA-256 不符，工作区中的附件可能被改动，不能导出。", a.Name)
		}
	}
	return nil
}

// chainMessage joins the messages of every domain error in err's chain:
// pack says which file it could not read, the store says why, and the
// clerk needs both.
func chainMessage(err error) string {
	var parts []string
	for e := err; e != nil; e = errors.Unwrap(e) {
		if de, ok := e.(*review.Error); ok && de.Message != "" {
			parts = append(parts, strings.TrimSuffix(de.Message, "。"))
		}
	}
	if len(parts) == 0 {
		return review.ErrorMessage(err)
	}
	return strings.Join(parts, "：") + "。"
}

// WritePackage is Export without the file and the record: it writes the
// package to w. Tests and benchmarks use it; so could a future upload.
func (s *Service) WritePackage(ctx context.Context, w io.Writer, user string, docID int64, passphrase string) (*pack.Result, *Plan, error) {
	p, err := s.Prepare(ctx, docID)
	if err != nil {
		return nil, nil, err
	}
	in, err := s.input(ctx, user, p, passphrase)
	if err != nil {
		return nil, nil, err
	}
	bag, err := Assemble(in)
	if err != nil {
		return nil, nil, err
	}
	res, err := pack.Write(ctx, w, bag)
	return res, p, err
}

// input unlocks user's key and gathers the people and keys the package
// names. The signing time is the sign-off's, or the start of the clerk's
// key if that is later: it comes from the workspace, not the clock, so
// exporting twice gives the same bytes, and the key was valid at it.
func (s *Service) input(ctx context.Context, user string, p *Plan, passphrase string) (*Input, error) {
	u, err := s.Users.User(ctx, user)
	if err != nil {
		return nil, err
	}
	if !u.Has(review.RoleClerk) {
		return nil, review.Errorf(review.EFORBIDDEN, "只有经办人可以导出发布包，“%s”不是经办人。", u.Label())
	}
	keys, err := s.Workflow.Keys(ctx, u.Name)
	if err != nil {
		return nil, err
	}
	key, err := workflow.CurrentKey(keys, u.Name, s.now())
	if err != nil {
		return nil, err
	}
	// The passphrase is checked now, so a wrong one is refused before
	// anything is written; the key itself is decrypted (bcrypt_pbkdf, a
	// third of a second) while the payload is written, since only the
	// very last step signs.
	if err := workflow.CheckPassphrase(u.PassHash, passphrase); err != nil {
		return nil, err
	}
	signer, err := unlockLater(key, passphrase)
	if err != nil {
		return nil, err
	}
	at := p.SignedOff.At
	if key.ValidFrom.After(at) {
		at = key.ValidFrom
	}
	at = at.UTC().Truncate(time.Second)

	in := &Input{Document: p.Document, Revision: p.Revision, Decisions: p.Decisions, Attachments: p.Attachments,
		Interpretation: p.interpRev, Previous: p.prevRev, Links: p.links, PublicComment: p.comment,
		Signer: signer, Exporter: u.Name, SignedAt: at, Users: map[string]review.User{u.Name: *u}, Keys: slices.Clone(keys),
		Open: func(id int64) (io.ReadCloser, error) { return s.Store.OpenAttachment(ctx, id) }}
	if s.Settings != nil {
		st, err := s.Settings.Settings(ctx)
		if err != nil {
			return nil, err
		}
		in.Org = st.OrgName
	}
	for _, d := range p.Decisions {
		if _, ok := in.Users[d.Actor]; ok {
			continue
		}
		du, err := s.Users.User(ctx, d.Actor)
		if err != nil {
			return nil, err
		}
		in.Users[d.Actor] = *du
		ks, err := s.Workflow.Keys(ctx, d.Actor)
		if err != nil {
			return nil, err
		}
		in.Keys = append(in.Keys, ks...)
	}
	return in, nil
}

// Publish records that document docID went out on date at link.
func (s *Service) Publish(ctx context.Context, user string, docID int64, date, link string) (*review.Document, error) {
	if err := s.clerk(ctx, user); err != nil {
		return nil, err
	}
	doc, err := s.Docs.Document(ctx, docID)
	if err != nil {
		return nil, err
	}
	exports, err := s.Store.Exports(ctx, docID)
	if err != nil {
		return nil, err
	}
	if err := CheckPublish(doc, exports, date, link); err != nil {
		return nil, err
	}
	return s.Store.RecordPublication(ctx, docID, date, strings.TrimSpace(link), user)
}

// MarkAmended marks published document docID 已修订 by successor.
func (s *Service) MarkAmended(ctx context.Context, user string, docID, successor int64) error {
	if err := s.clerk(ctx, user); err != nil {
		return err
	}
	return s.Store.MarkAmended(ctx, docID, successor, user)
}

// MarkRepealed marks published document docID 已废止 on date.
func (s *Service) MarkRepealed(ctx context.Context, user string, docID int64, date string) error {
	if err := s.clerk(ctx, user); err != nil {
		return err
	}
	return s.Store.MarkRepealed(ctx, docID, date, user)
}

func (s *Service) clerk(ctx context.Context, user string) error {
	u, err := s.Users.User(ctx, user)
	if err != nil {
		return err
	}
	if !u.Has(review.RoleClerk) {
		return review.Errorf(review.EFORBIDDEN, "只有经办人可以登记发布和有效性，“%s”不是经办人。", u.Label())
	}
	return nil
}

// OfficeAllowedSigners is the office's allowed_signers: every key of every
// user, current and rotated, with its validity, for the website team to
// keep and verify packages against.
func (s *Service) OfficeAllowedSigners(ctx context.Context) ([]byte, error) {
	users, err := s.Users.Users(ctx)
	if err != nil {
		return nil, err
	}
	var keys []review.Key
	for _, u := range users {
		ks, err := s.Workflow.Keys(ctx, u.Name)
		if err != nil && review.ErrorCode(err) != review.ENOTFOUND {
			return nil, err
		}
		keys = append(keys, ks...)
	}
	if len(keys) == 0 {
		return nil, review.Errorf(review.ENOTFOUND, "工作区中还没有任何签名密钥。")
	}
	return AllowedSigners(keys)
}

// lazySigner is a signer whose private key is still being decrypted: its
// public key is known at once (pack checks it against allowed_signers
// before writing), and Sign waits for the decryption.
type lazySigner struct {
	pub  ssh.PublicKey
	done chan struct{}
	s    ssh.Signer
	err  error
}

func unlockLater(key *review.Key, passphrase string) (*lazySigner, error) {
	pub, _, err := sshsig.ParsePublicKey([]byte(key.PublicKey))
	if err != nil {
		return nil, review.WrapError(review.EINTERNAL, err, "“%s”的公钥无法读取。", key.User)
	}
	l := &lazySigner{pub: pub, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		l.s, l.err = sshsig.LoadSigner(key.PrivateKey, []byte(passphrase))
		if l.err == nil && !bytes.Equal(l.s.PublicKey().Marshal(), pub.Marshal()) {
			l.err = review.Errorf(review.EINTERNAL, "“%s”的私钥与登记的公钥不符。", key.User)
		}
	}()
	return l, nil
}

func (l *lazySigner) PublicKey() ssh.PublicKey { return l.pub }

func (l *lazySigner) Sign(r io.Reader, data []byte) (*ssh.Signature, error) {
	<-l.done
	if l.err != nil {
		return nil, l.err
	}
	return l.s.Sign(r, data)
}
