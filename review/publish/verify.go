package publish

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"qianfa/review"
	"qianfa/review/pack"
	"qianfa/review/sshsig"
	"qianfa/review/workflow"
)

// Check names Verify adds to pack's.
const (
	CheckRevision     = "修订版哈希"
	CheckAttestations = "审查签名"
	CheckSigner       = "署名"
)

// maxContent bounds what Verify reads back into memory after pack.Verify
// has passed: the text, the metadata and the statements, never attachments.
const maxContent = 64 << 20

// Verify checks the package at path: everything pack.Verify checks, then
// that document.txt and metadata.json hash to the revision the reviewers
// signed, and that every attestation is a valid decision signature by its
// actor, with 保密审查 and 签发 among them.
//
// Unless opt.Now is set, keys are checked at the package's own signing time
// (bag-info Qianfa-Signing-Time, which the signature covers), not today: a
// clerk's key rotated since must not make the packages it signed fail. A
// signing time in the future is not believed; today is used instead.
func Verify(path string, opt pack.Options) (*pack.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, review.WrapError(review.ENOTFOUND, err, "无法打开发布包 %s。", path)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat package: %w", err)
	}
	size := fi.Size()
	if opt.Now.IsZero() {
		if t, ok := signingTime(f, size); ok && t.Before(time.Now()) {
			opt.Now = t
		}
	}
	rep := pack.Verify(f, size, opt)
	if !rep.OK {
		rep.Checks = append(rep.Checks, pack.Check{Name: CheckAttestations, OK: false, Detail: "未核验：发布包未通过以上检查，其内容不可信"})
		return rep, nil
	}
	zr, err := zip.NewReader(f, size)
	if err != nil { // pack.Verify read it a moment ago
		return nil, fmt.Errorf("reopen package: %w", err)
	}
	c := &contentCheck{rep: rep, files: map[string]*zip.File{}, prefix: rep.Bag + "/" + pack.PayloadDir + "/"}
	c.signer()
	for _, e := range zr.File {
		c.files[e.Name] = e
	}
	allowed := opt.AllowedSigners
	if allowed == nil {
		data, err := c.read(rep.Bag + "/" + pack.AllowedSigners)
		if err == nil {
			allowed, err = sshsig.ParseAllowedSigners(data)
		}
		if err != nil {
			c.add(CheckAttestations, false, "无法读取 allowed_signers：%s", review.ErrorMessage(err))
			return rep, nil
		}
	}
	hash := c.revision()
	if hash != "" {
		c.attestations(hash, allowed)
	}
	return rep, nil
}

// signer checks that bag-info's Qianfa-Signer, the name a reader sees, is
// one the signature's key is listed for: otherwise a package signed by one
// clerk could claim another.
func (c *contentCheck) signer() {
	var named string
	for _, f := range c.rep.Info {
		if f.Label == InfoSigner {
			named = f.Value
		}
	}
	if c.rep.Signer == nil {
		return // pack.Verify has said why there is no signer
	}
	if named == "" || !slices.Contains(c.rep.Signer.Principals, named) {
		c.add(CheckSigner, false, "bag-info.txt 署名为“%s”，但签名密钥登记的是 %s", named, strings.Join(c.rep.Signer.Principals, "、"))
		return
	}
	c.add(CheckSigner, true, "bag-info.txt 署名 %s 与签名密钥一致", named)
}

// signingTime reads Qianfa-Signing-Time from bag-info.txt without
// trusting anything else; pack.Verify then checks the file it came from.
func signingTime(r io.ReaderAt, size int64) (time.Time, bool) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return time.Time{}, false
	}
	for _, f := range zr.File {
		if strings.Count(f.Name, "/") != 1 || !strings.HasSuffix(f.Name, "/"+pack.BagInfoFile) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return time.Time{}, false
		}
		data, _ := io.ReadAll(io.LimitReader(rc, 64<<10))
		rc.Close()
		for line := range strings.SplitSeq(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, InfoSigningTime+":"); ok {
				t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
				return t, err == nil
			}
		}
	}
	return time.Time{}, false
}

type contentCheck struct {
	rep    *pack.Report
	files  map[string]*zip.File
	prefix string
}

func (c *contentCheck) add(name string, ok bool, format string, args ...any) {
	c.rep.Checks = append(c.rep.Checks, pack.Check{Name: name, OK: ok, Detail: fmt.Sprintf(format, args...)})
	if !ok {
		c.rep.OK = false
	}
}

func (c *contentCheck) read(name string) ([]byte, error) {
	f, ok := c.files[name]
	if !ok {
		return nil, review.Errorf(review.ENOTFOUND, "缺少 %s", strings.TrimPrefix(name, c.rep.Bag+"/"))
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxContent+1))
	if err == nil && len(data) > maxContent {
		err = review.Errorf(review.EINVALID, "%s 过大", name)
	}
	return data, err
}

// revision recomputes the revision hash from the text and metadata and
// returns it when it matches both metadata.json and bag-info; "" otherwise.
func (c *contentCheck) revision() string {
	meta, err := c.read(c.prefix + MetadataFile)
	if err != nil {
		c.add(CheckRevision, false, "%s", review.ErrorMessage(err))
		return ""
	}
	text, err := c.read(c.prefix + DocumentText)
	if err != nil {
		c.add(CheckRevision, false, "%s", review.ErrorMessage(err))
		return ""
	}
	var m metadata
	if err := json.Unmarshal(meta, &m); err != nil {
		c.add(CheckRevision, false, "data/%s 不是有效的 JSON：%v", MetadataFile, err)
		return ""
	}
	got := review.RevisionHash(m.RevisionMetadata, string(text))
	var info string
	for _, f := range c.rep.Info {
		if f.Label == InfoRevisionHash {
			info = f.Value
		}
	}
	switch {
	case got != m.RevisionSHA256:
		c.add(CheckRevision, false, "data/%s 与 data/%s 算出的修订版哈希 %s，与 metadata.json 所记 %s 不符", DocumentText, MetadataFile, got, m.RevisionSHA256)
		return ""
	case info != got:
		c.add(CheckRevision, false, "bag-info.txt 所记修订版哈希 %s 与正文算出的 %s 不符", info, got)
		return ""
	}
	c.add(CheckRevision, true, "正文与元数据算出第 %d 版哈希 %s，与 metadata.json、bag-info.txt 一致", m.Revision, got)
	return got
}

// attestations checks each decision signature: the statement names the
// revision, its signature is by the statement's actor with a key valid at
// the statement's time, in the decision namespace.
func (c *contentCheck) attestations(hash string, allowed sshsig.AllowedSigners) {
	dir := c.prefix + AttestationDir
	var sigs []string
	for name := range c.files {
		if strings.HasPrefix(name, dir) && strings.HasSuffix(name, ".sig") {
			sigs = append(sigs, name)
		}
	}
	slices.Sort(sigs)
	if len(sigs) == 0 {
		c.add(CheckAttestations, false, "data/%s 中没有审查签名", AttestationDir)
		return
	}
	ok := true
	// The latest valid statement of each stage decides it, as in
	// Service.checkChain: a package must prove approval, not merely that
	// the reviewers looked at the revision (a 退回修改 or 不予公开 is signed
	// too).
	stages := map[workflow.Stage]*Statement{}
	var names []string
	for _, sigName := range sigs {
		short := strings.TrimPrefix(sigName, c.rep.Bag+"/")
		stmtName := strings.TrimSuffix(sigName, ".sig") + ".txt"
		sig, err1 := c.read(sigName)
		stmt, err2 := c.read(stmtName)
		if err1 != nil || err2 != nil {
			c.add(CheckAttestations, false, "“%s”：缺少签名或其声明文件", short)
			ok = false
			continue
		}
		st, err := ParseStatement(stmt)
		if err != nil {
			c.add(CheckAttestations, false, "“%s”：%s", strings.TrimPrefix(stmtName, c.rep.Bag+"/"), review.ErrorMessage(err))
			ok = false
			continue
		}
		if st.RevisionHash != hash {
			c.add(CheckAttestations, false, "“%s”：签的是修订版 %s，不是包中正文的 %s", short, st.RevisionHash, hash)
			ok = false
			continue
		}
		if _, err := sshsig.Verify(sig, stmt, workflow.Namespace, allowed, st.Actor, st.At); err != nil {
			c.add(CheckAttestations, false, "“%s”：%s", short, review.ErrorMessage(err))
			ok = false
			continue
		}
		if prev := stages[st.Stage]; prev == nil || !st.At.Before(prev.At) {
			stages[st.Stage] = st
		}
		names = append(names, fmt.Sprintf("%s %s（%s）", st.Stage, st.Outcome, st.Actor))
	}
	approves := map[workflow.Stage][]workflow.Outcome{
		workflow.StageConfidentiality: {workflow.OutcomeDisclose, workflow.OutcomePartial},
		workflow.StageLegality:        {workflow.OutcomeLawful},
		workflow.StageSignoff:         {workflow.OutcomeSign},
	}
	for _, stage := range []workflow.Stage{workflow.StageConfidentiality, workflow.StageLegality, workflow.StageSignoff} {
		st := stages[stage]
		switch {
		case st == nil && stage == workflow.StageLegality:
			// Not every kind of document needs it; where it was held,
			// it must have found the text lawful.
		case st == nil:
			c.add(CheckAttestations, false, "缺少有效的%s签名", stage)
			ok = false
		case !slices.Contains(approves[stage], st.Outcome):
			c.add(CheckAttestations, false, "%s的最终决定是“%s”（%s），不是同意，该文件未获批准发布", stage, st.Outcome, st.Actor)
			ok = false
		}
	}
	// Four eyes (DESIGN): nobody performs two different stages on one
	// revision.
	by := map[string]workflow.Stage{}
	for _, stage := range []workflow.Stage{workflow.StageConfidentiality, workflow.StageLegality, workflow.StageSignoff} {
		st := stages[stage]
		if st == nil {
			continue
		}
		if other, dup := by[st.Actor]; dup {
			c.add(CheckAttestations, false, "“%s”既作%s又作%s，违反同一修订版不得由一人办理两个环节的规定", st.Actor, other, stage)
			ok = false
		}
		by[st.Actor] = stage
	}
	if ok {
		c.add(CheckAttestations, true, "%d 个审查决定签名有效（命名空间 %s）：%s", len(names), workflow.Namespace, strings.Join(names, "；"))
	}
}

// Statement is what a package reader learns from a decision statement.
type Statement struct {
	IndexNo      string
	Revision     int
	RevisionHash string
	Stage        workflow.Stage
	Outcome      workflow.Outcome
	Actor        string
	At           time.Time
}

// ParseStatement reads a decision statement as workflow writes it
// (qianfa-decision-v1): one "name: value" line per field, free text
// quoted.
func ParseStatement(b []byte) (*Statement, error) {
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) == 0 || lines[0] != "qianfa-decision-v1" {
		return nil, review.Errorf(review.EINVALID, "不是 qianfa-decision-v1 格式的决定声明")
	}
	fields := map[string]string{}
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, ": ")
		if !ok {
			return nil, review.Errorf(review.EINVALID, "决定声明中有无法识别的行")
		}
		if strings.HasPrefix(v, `"`) {
			u, err := strconv.Unquote(v)
			if err != nil {
				return nil, review.Errorf(review.EINVALID, "决定声明的“%s”字段格式不正确", k)
			}
			v = u
		}
		fields[k] = v
	}
	s := &Statement{IndexNo: fields["index"], RevisionHash: fields["sha256"], Stage: workflow.Stage(fields["stage"]),
		Outcome: workflow.Outcome(fields["outcome"]), Actor: fields["actor"]}
	var err error
	if s.Revision, err = strconv.Atoi(fields["revision"]); err != nil {
		return nil, review.Errorf(review.EINVALID, "决定声明缺少修订版号")
	}
	if s.At, err = time.Parse(time.RFC3339Nano, fields["time"]); err != nil {
		return nil, review.Errorf(review.EINVALID, "决定声明缺少时间")
	}
	if s.Actor == "" || len(s.RevisionHash) != 64 || bytes.ContainsAny([]byte(s.Actor), " ,\"") {
		return nil, review.Errorf(review.EINVALID, "决定声明缺少签名人或修订版哈希")
	}
	return s, nil
}
