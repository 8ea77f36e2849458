package workflow

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"qianfa/review"
	"qianfa/review/sshsig"
)

func TestMain(m *testing.M) {
	// Real cost parameters make each hash take a noticeable fraction of a
	// second on a shared machine; the format and the comparison are the
	// same at any cost.
	DefaultPassParams = PassParams{Memory: 1024, Time: 1, Threads: 1}
	os.Exit(m.Run())
}

var t0 = time.Date(2024, 9, 30, 2, 0, 0, 0, time.UTC)

func user(name string, roles ...review.Role) *review.User {
	return &review.User{Name: name, Roles: roles}
}

var (
	clerk   = user("clerk", review.RoleClerk)
	conf    = user("conf", review.RoleConfidentiality)
	legal   = user("legal", review.RoleLegal)
	signer  = user("boss", review.RoleSignoff)
	allHats = user("all", review.RoleClerk, review.RoleConfidentiality, review.RoleLegal, review.RoleSignoff)
)

func doc(kind review.Kind, st review.Status) (*review.Document, *review.Revision) {
	meta := review.Metadata{Title: "关于测试的通知", Kind: kind, Disclosure: review.DisclosureActive}
	rev := &review.Revision{DocumentID: 7, Number: 2, Meta: meta, Text: "正文", Author: "clerk"}
	rev.Hash = review.RevisionHash(meta, rev.Text)
	d := &review.Document{ID: 7, IndexNo: "000000000/2024-00007", Meta: meta, Status: st, CurrentRevision: 2, CurrentHash: rev.Hash}
	return d, rev
}

func fullChecklist(r CheckResult) Checklist {
	var c Checklist
	for i := range c {
		c[i] = Check{Result: r, Note: "已核"}
	}
	return c
}

func code(err error) string { return review.ErrorCode(err) }

func TestCheckSubmit(t *testing.T) {
	returned := Decision{Stage: StageConfidentiality, Outcome: OutcomeReturn, Reason: "改", Actor: "conf"}
	tests := []struct {
		name   string
		kind   review.Kind
		status review.Status
		actor  *review.User
		skip   bool
		prior  func(hash string) []Decision
		want   review.Status
		code   string
	}{
		{"clerk submits a draft", review.KindNotice, review.StatusDraft, clerk, false, nil, review.StatusConfidentiality, ""},
		{"clerk resubmits an edited returned draft", review.KindNotice, review.StatusReturned, clerk, false, nil, review.StatusConfidentiality, ""},
		{"other kinds may skip legality", review.KindNotice, review.StatusDraft, clerk, true, nil, review.StatusConfidentiality, ""},
		{"rules may not skip legality", review.KindRule, review.StatusDraft, clerk, true, nil, "", review.EINVALID},
		{"normative documents may not skip legality", review.KindNormative, review.StatusDraft, clerk, true, nil, "", review.EINVALID},
		{"only a clerk submits", review.KindNotice, review.StatusDraft, conf, false, nil, "", review.EFORBIDDEN},
		{"a document under review is not submitted twice", review.KindNotice, review.StatusConfidentiality, clerk, false, nil, "", review.ECONFLICT},
		{"an approved document is not resubmitted", review.KindNotice, review.StatusApproved, clerk, false, nil, "", review.ECONFLICT},
		{"a returned revision must be edited before resubmission", review.KindNotice, review.StatusReturned, clerk, false,
			func(h string) []Decision { d := returned; d.RevisionHash = h; return []Decision{d} }, "", review.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, rev := doc(tt.kind, tt.status)
			var prior []Decision
			if tt.prior != nil {
				prior = tt.prior(rev.Hash)
			}
			got, err := CheckSubmit(d, rev, prior, tt.actor, tt.skip)
			if code(err) != tt.code || got != tt.want {
				t.Fatalf("CheckSubmit = %q, %v; want %q, code %q", got, err, tt.want, tt.code)
			}
			if err != nil && !containsHan(review.ErrorMessage(err)) {
				t.Errorf("message %q is not Chinese", review.ErrorMessage(err))
			}
		})
	}
}

func containsHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func TestCheckDecision_Transitions(t *testing.T) {
	lawful := Proposal{Stage: StageLegality, Outcome: OutcomeLawful, Checklist: fullChecklist(CheckPass)}
	tests := []struct {
		name   string
		kind   review.Kind
		skip   bool
		status review.Status
		actor  *review.User
		p      Proposal
		want   review.Status
	}{
		{"confidentiality approval goes to legality", review.KindRule, false, review.StatusConfidentiality, conf,
			Proposal{Stage: StageConfidentiality, Outcome: OutcomeDisclose}, review.StatusLegality},
		{"partial disclosure with ground goes to legality", review.KindRule, false, review.StatusConfidentiality, conf,
			Proposal{Stage: StageConfidentiality, Outcome: OutcomePartial, Ground: GroundArt15, Reason: "遮盖个人信息"}, review.StatusLegality},
		{"skipped legality goes straight to sign-off", review.KindNotice, true, review.StatusConfidentiality, conf,
			Proposal{Stage: StageConfidentiality, Outcome: OutcomeDisclose}, review.StatusSignoff},
		{"a rule never skips legality even if flagged", review.KindRule, true, review.StatusConfidentiality, conf,
			Proposal{Stage: StageConfidentiality, Outcome: OutcomeDisclose}, review.StatusLegality},
		{"withholding ends in 不予公开", review.KindNotice, false, review.StatusConfidentiality, conf,
			Proposal{Stage: StageConfidentiality, Outcome: OutcomeWithhold, Ground: GroundArt14}, review.StatusWithheld},
		{"confidentiality return", review.KindNotice, false, review.StatusConfidentiality, conf,
			Proposal{Stage: StageConfidentiality, Outcome: OutcomeReturn, Reason: "第三段涉及内部事务"}, review.StatusReturned},
		{"lawful goes to sign-off", review.KindRule, false, review.StatusLegality, legal, lawful, review.StatusSignoff},
		{"unlawful sends it back", review.KindRule, false, review.StatusLegality, legal,
			Proposal{Stage: StageLegality, Outcome: OutcomeUnlawful, Reason: "超越职权", Checklist: fullChecklist(CheckNA)}, review.StatusReturned},
		{"应当予以修改 sends it back", review.KindRule, false, review.StatusLegality, legal,
			Proposal{Stage: StageLegality, Outcome: OutcomeAmend, Reason: "程序不全", Checklist: fullChecklist(CheckPass)}, review.StatusReturned},
		{"sign-off approves", review.KindRule, false, review.StatusSignoff, signer,
			Proposal{Stage: StageSignoff, Outcome: OutcomeSign}, review.StatusApproved},
		{"sign-off returns", review.KindRule, false, review.StatusSignoff, signer,
			Proposal{Stage: StageSignoff, Outcome: OutcomeReturn, Reason: "再斟酌"}, review.StatusReturned},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, rev := doc(tt.kind, tt.status)
			d.SkipLegality = tt.skip
			got, err := CheckDecision(d, rev, nil, tt.actor, tt.p)
			if err != nil || got != tt.want {
				t.Fatalf("CheckDecision = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestCheckDecision_Refusals(t *testing.T) {
	approve := Proposal{Stage: StageConfidentiality, Outcome: OutcomeDisclose}
	failing := fullChecklist(CheckPass)
	failing[3] = Check{Result: CheckFail, Note: "设定了收费"}
	noNote := fullChecklist(CheckPass)
	noNote[1] = Check{Result: CheckFail}
	partial := fullChecklist(CheckPass)
	partial[6] = Check{}
	tests := []struct {
		name   string
		status review.Status
		actor  *review.User
		prior  []Decision // RevisionHash filled with the revision's
		stale  bool       // the revision is not the current one
		p      Proposal
		code   string
	}{
		{"author cannot approve", review.StatusConfidentiality, user("clerk", review.RoleConfidentiality), nil, false, approve, review.EFORBIDDEN},
		{"wrong role", review.StatusConfidentiality, legal, nil, false, approve, review.EFORBIDDEN},
		{"disabled user holds no role", review.StatusConfidentiality, &review.User{Name: "x", Roles: []review.Role{review.RoleConfidentiality}, Disabled: true}, nil, false, approve, review.EFORBIDDEN},
		{"same person cannot do two stages", review.StatusLegality, allHats,
			[]Decision{{Stage: StageConfidentiality, Outcome: OutcomeDisclose, Actor: "all"}}, false,
			Proposal{Stage: StageLegality, Outcome: OutcomeLawful, Checklist: fullChecklist(CheckPass)}, review.EFORBIDDEN},
		{"same person cannot sign off after a review", review.StatusSignoff, allHats,
			[]Decision{{Stage: StageConfidentiality, Outcome: OutcomeDisclose, Actor: "all"}}, false,
			Proposal{Stage: StageSignoff, Outcome: OutcomeSign}, review.EFORBIDDEN},
		{"stage not current", review.StatusConfidentiality, signer, nil, false, Proposal{Stage: StageSignoff, Outcome: OutcomeSign}, review.ECONFLICT},
		{"draft cannot be decided", review.StatusDraft, conf, nil, false, approve, review.ECONFLICT},
		{"approved cannot be decided again", review.StatusApproved, signer, nil, false, Proposal{Stage: StageSignoff, Outcome: OutcomeSign}, review.ECONFLICT},
		{"stale revision", review.StatusConfidentiality, conf, nil, true, approve, review.ECONFLICT},
		{"outcome of another stage", review.StatusConfidentiality, conf, nil, false, Proposal{Stage: StageConfidentiality, Outcome: OutcomeSign}, review.EINVALID},
		{"return needs a reason", review.StatusConfidentiality, conf, nil, false, Proposal{Stage: StageConfidentiality, Outcome: OutcomeReturn, Reason: "  "}, review.EINVALID},
		{"withholding needs a ground", review.StatusConfidentiality, conf, nil, false, Proposal{Stage: StageConfidentiality, Outcome: OutcomeWithhold}, review.EINVALID},
		{"partial disclosure needs a ground", review.StatusConfidentiality, conf, nil, false, Proposal{Stage: StageConfidentiality, Outcome: OutcomePartial}, review.EINVALID},
		{"ground must be art. 14-16", review.StatusConfidentiality, conf, nil, false, Proposal{Stage: StageConfidentiality, Outcome: OutcomeWithhold, Ground: "第十七条"}, review.EINVALID},
		{"approval takes no ground", review.StatusConfidentiality, conf, nil, false, Proposal{Stage: StageConfidentiality, Outcome: OutcomeDisclose, Ground: GroundArt16}, review.EINVALID},
		{"checklist only for legality", review.StatusConfidentiality, conf, nil, false, Proposal{Stage: StageConfidentiality, Outcome: OutcomeDisclose, Checklist: fullChecklist(CheckPass)}, review.EINVALID},
		{"legality needs the checklist", review.StatusLegality, legal, nil, false, Proposal{Stage: StageLegality, Outcome: OutcomeLawful}, review.EINVALID},
		{"all seven checks filled", review.StatusLegality, legal, nil, false, Proposal{Stage: StageLegality, Outcome: OutcomeLawful, Checklist: partial}, review.EINVALID},
		{"a failed check needs a note", review.StatusLegality, legal, nil, false, Proposal{Stage: StageLegality, Outcome: OutcomeAmend, Reason: "改", Checklist: noNote}, review.EINVALID},
		{"lawful with a failed check", review.StatusLegality, legal, nil, false, Proposal{Stage: StageLegality, Outcome: OutcomeLawful, Checklist: failing}, review.EINVALID},
		{"unlawful needs a reason", review.StatusLegality, legal, nil, false, Proposal{Stage: StageLegality, Outcome: OutcomeUnlawful, Checklist: failing}, review.EINVALID},
		{"sign-off return needs a reason", review.StatusSignoff, signer, nil, false, Proposal{Stage: StageSignoff, Outcome: OutcomeReturn}, review.EINVALID},
		{"same person decides a stage once", review.StatusSignoff, signer,
			[]Decision{{Stage: StageSignoff, Outcome: OutcomeSign, Actor: "boss"}}, false, Proposal{Stage: StageSignoff, Outcome: OutcomeSign}, review.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, rev := doc(review.KindRule, tt.status)
			for i := range tt.prior {
				tt.prior[i].RevisionHash = rev.Hash
			}
			if tt.stale {
				d.CurrentRevision, d.CurrentHash = 3, strings.Repeat("0", 64)
			}
			got, err := CheckDecision(d, rev, tt.prior, tt.actor, tt.p)
			if code(err) != tt.code {
				t.Fatalf("CheckDecision = %q, %v; want code %q", got, err, tt.code)
			}
			if !containsHan(review.ErrorMessage(err)) {
				t.Errorf("message %q is not Chinese", review.ErrorMessage(err))
			}
		})
	}
}

func TestWorkflow_DecisionsOnAnOldRevisionDoNotBindTheNewOne(t *testing.T) {
	// After an edit the same reviewer may review again, and a person who
	// did another stage on the old text may take a different stage now.
	d, rev := doc(review.KindRule, review.StatusConfidentiality)
	old := []Decision{{Stage: StageLegality, Outcome: OutcomeAmend, Actor: "all", RevisionHash: strings.Repeat("a", 64)}}
	if _, err := CheckDecision(d, rev, old, allHats, Proposal{Stage: StageConfidentiality, Outcome: OutcomeDisclose}); err != nil {
		t.Fatalf("decision on a new revision refused: %v", err)
	}
}

func TestParsers(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"confidentiality", "保密审查"}, {"LEGALITY", "合法性审核"}, {"签发", "签发"},
	} {
		if s, err := ParseStage(tt.in); err != nil || string(s) != tt.want {
			t.Errorf("ParseStage(%q) = %q, %v", tt.in, s, err)
		}
	}
	if _, err := ParseStage("publish"); code(err) != review.EINVALID {
		t.Errorf("ParseStage(publish) err = %v", err)
	}
	for _, tt := range []struct {
		in   string
		want Ground
	}{{"14", GroundArt14}, {"art15", GroundArt15}, {"第十六条", GroundArt16}, {string(GroundArt14), GroundArt14}} {
		if g, err := ParseGround(tt.in); err != nil || g != tt.want {
			t.Errorf("ParseGround(%q) = %q, %v", tt.in, g, err)
		}
	}
	if _, err := ParseGround("17"); code(err) != review.EINVALID {
		t.Errorf("ParseGround(17) err = %v", err)
	}
}

func TestParseChecklist(t *testing.T) {
	good := `{"1":{"result":"通过","note":"主体合法"},"2":{"result":"通过","note":""},"3":{"result":"通过"},
		"4":{"result":"不适用","note":"未设许可"},"5":{"result":"通过"},"6":{"result":"通过"},"7":{"result":"不通过","note":"未征求意见"}}`
	c, err := ParseChecklist([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c[0].Note != "主体合法" || c[6].Result != CheckFail || len(c.Failed()) != 1 || c.Failed()[0] != 7 {
		t.Errorf("parsed %+v", c)
	}
	back, _ := c.MarshalJSON()
	again, err := ParseChecklist(back)
	if err != nil || again != c {
		t.Errorf("round trip = %+v, %v", again, err)
	}
	for _, bad := range []string{`[1,2]`, `{"8":{"result":"通过"}}`, `{"01":{"result":"通过"}}`, `{"x":{}}`} {
		if _, err := ParseChecklist([]byte(bad)); code(err) != review.EINVALID {
			t.Errorf("ParseChecklist(%s) err = %v", bad, err)
		}
	}
	bad := c
	bad[2].Result = "可以"
	if err := bad.Validate(); code(err) != review.EINVALID {
		t.Errorf("Validate with result 可以 = %v", err)
	}
	changed := c
	changed[0].Note = "主体合法。"
	if c.Digest() == changed.Digest() || (Checklist{}).Digest() != "" {
		t.Error("digest does not cover the notes or is not empty for an empty checklist")
	}
}

func TestPassphrase(t *testing.T) {
	h, err := HashPassphrase("正确的口令abc", DefaultPassParams, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("encoded hash %q", h)
	}
	h2, _ := HashPassphrase("正确的口令abc", DefaultPassParams, nil)
	if h == h2 {
		t.Error("two hashes of one passphrase are equal: the salt is not random")
	}
	tests := []struct {
		name, enc, pass, code string
	}{
		{"right passphrase", h, "正确的口令abc", ""},
		{"wrong passphrase", h, "正确的口令abd", review.EFORBIDDEN},
		{"empty passphrase", h, "", review.EFORBIDDEN},
		{"garbled record", "$argon2id$v=19$m=1024$x$y", "x", review.EINTERNAL},
		{"other algorithm", "$2a$10$abcdefghijklmnopqrstuv", "x", review.EINTERNAL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := CheckPassphrase(tt.enc, tt.pass); code(err) != tt.code {
				t.Errorf("CheckPassphrase = %v, want code %q", err, tt.code)
			}
		})
	}
	if err := CheckPassphraseStrength("short"); code(err) != review.EINVALID {
		t.Errorf("short passphrase accepted: %v", err)
	}
}

// signed makes a signed decision by a fresh user, returning the decision,
// the revision and the user's keys.
func signed(t *testing.T) (*Decision, *review.Revision, []review.Key) {
	t.Helper()
	u, k, err := NewUser("conf", "保密员", []review.Role{review.RoleConfidentiality}, "口令口令口令口令", t0.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	signer, err := Unlock(u, k, "口令口令口令口令")
	if err != nil {
		t.Fatal(err)
	}
	d, rev := doc(review.KindRule, review.StatusConfidentiality)
	dec := NewDecision(d, rev, "conf", Proposal{Stage: StageConfidentiality, Outcome: OutcomePartial, Ground: GroundArt15, Reason: "遮盖姓名"}, t0)
	if err := dec.Sign(signer); err != nil {
		t.Fatal(err)
	}
	return dec, rev, []review.Key{*k}
}

func TestDecision_VerifyDetectsTampering(t *testing.T) {
	dec, rev, keys := signed(t)
	if err := dec.Verify(rev, keys); err != nil {
		t.Fatalf("good decision fails: %v", err)
	}
	if !strings.Contains(string(dec.Statement), `outcome: "部分公开"`) || !strings.Contains(string(dec.Statement), "sha256: "+rev.Hash) {
		t.Errorf("statement lacks the outcome or hash:\n%s", dec.Statement)
	}
	other, _, otherKeys := signed(t) // another key for a user of the same name
	tests := []struct {
		name   string
		mutate func(d *Decision, rev *review.Revision, keys *[]review.Key)
	}{
		{"outcome changed", func(d *Decision, _ *review.Revision, _ *[]review.Key) { d.Outcome = OutcomeDisclose }},
		{"actor changed", func(d *Decision, _ *review.Revision, _ *[]review.Key) { d.Actor = "boss" }},
		{"moved to another revision", func(d *Decision, r *review.Revision, _ *[]review.Key) { d.Revision, r.Number = 3, 3 }},
		{"revision text changed", func(_ *Decision, r *review.Revision, _ *[]review.Key) { r.Text = "改过的正文" }},
		{"time moved", func(d *Decision, _ *review.Revision, _ *[]review.Key) { d.At = d.At.Add(time.Hour) }},
		{"reason changed", func(d *Decision, _ *review.Revision, _ *[]review.Key) { d.Reason = "" }},
		{"statement and fields rewritten together", func(d *Decision, _ *review.Revision, _ *[]review.Key) {
			d.Outcome = OutcomeDisclose
			d.Statement = d.ComputeStatement()
		}},
		{"signature from another key", func(d *Decision, _ *review.Revision, _ *[]review.Key) { d.Signature = other.Signature }},
		{"key not the actor's", func(_ *Decision, _ *review.Revision, k *[]review.Key) { *k = otherKeys }},
		{"key expired before the decision", func(_ *Decision, _ *review.Revision, k *[]review.Key) { (*k)[0].ValidTo = t0.Add(-time.Minute) }},
		{"key valid only after the decision", func(_ *Decision, _ *review.Revision, k *[]review.Key) { (*k)[0].ValidFrom = t0.Add(time.Minute) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := *dec
			r := *rev
			ks := append([]review.Key(nil), keys...)
			tt.mutate(&d, &r, &ks)
			err := d.Verify(&r, ks)
			if code(err) != review.EINVALID {
				t.Fatalf("Verify = %v, want EINVALID", err)
			}
		})
	}
}

func TestKeyRotation_OldDecisionsStayVerifiable(t *testing.T) {
	dec, rev, keys := signed(t)
	u := &review.User{Name: "conf", Roles: []review.Role{review.RoleConfidentiality}}
	u.PassHash, _ = HashPassphrase("口令口令口令口令", DefaultPassParams, nil)
	next, err := NewKey(u, "口令口令口令口令", t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	keys[0].ValidTo = next.ValidFrom
	keys = append(keys, *next)
	if err := dec.Verify(rev, keys); err != nil {
		t.Fatalf("decision signed before rotation fails after it: %v", err)
	}
	cur, err := CurrentKey(keys, "conf", t0.Add(2*time.Hour))
	if err != nil || cur.Fingerprint != next.Fingerprint {
		t.Fatalf("CurrentKey after rotation = %+v, %v", cur, err)
	}
	if _, err := NewKey(u, "别人的口令口令口令", t0); code(err) != review.EFORBIDDEN {
		t.Errorf("NewKey with a wrong passphrase = %v", err)
	}
}

func TestUnlock_WrongPassphraseIsForbidden(t *testing.T) {
	u, k, err := NewUser("legal", "", []review.Role{review.RoleLegal}, "口令口令口令口令", t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Unlock(u, k, "不对的口令口令口令"); code(err) != review.EFORBIDDEN {
		t.Errorf("Unlock with a wrong passphrase = %v", err)
	}
	var de *review.Error
	if _, _, err := NewUser("bad name", "", []review.Role{review.RoleLegal}, "口令口令口令口令", t0); !errors.As(err, &de) || de.Code != review.EINVALID {
		t.Errorf("NewUser with a bad name = %v", err)
	}
	if _, _, err := NewUser("x", "", []review.Role{review.RoleLegal}, "short", t0); code(err) != review.EINVALID {
		t.Errorf("NewUser with a short passphrase = %v", err)
	}
}

// A confidentiality reviewer who redacts a draft may decide confidentiality
// on the redacted revision, and nothing else; its drafter still decides
// nothing on it.
func TestWorkflow_RedactionIsPartOfConfidentialityReview(t *testing.T) {
	d, rev := doc(review.KindRule, review.StatusConfidentiality)
	red := *rev
	red.Number, red.Text, red.Author, red.Drafter, red.RedactedFrom = 3, "■■", "conf", "clerk", 2
	red.Hash = review.RevisionHash(red.Meta, red.Text)
	d.CurrentRevision, d.CurrentHash = 3, red.Hash
	partial := Proposal{Stage: StageConfidentiality, Outcome: OutcomePartial, Ground: GroundArt15}
	if _, err := CheckDecision(d, &red, nil, conf, partial); err != nil {
		t.Fatalf("redactor refused the confidentiality decision: %v", err)
	}
	if _, err := CheckDecision(d, &red, nil, user("clerk", review.RoleConfidentiality), partial); code(err) != review.EFORBIDDEN {
		t.Fatalf("drafter of the redacted text allowed: %v", err)
	}
	d.Status = review.StatusLegality
	both := user("conf", review.RoleConfidentiality, review.RoleLegal)
	if _, err := CheckDecision(d, &red, nil, both, Proposal{Stage: StageLegality, Outcome: OutcomeLawful, Checklist: fullChecklist(CheckPass)}); code(err) != review.EFORBIDDEN {
		t.Fatalf("redactor allowed a second stage: %v", err)
	}
	// An ordinary edit by a reviewer makes them its drafter.
	edit := red
	edit.RedactedFrom, edit.Drafter = 0, "conf"
	d.Status = review.StatusConfidentiality
	if _, err := CheckDecision(d, &edit, nil, conf, partial); code(err) != review.EFORBIDDEN {
		t.Fatalf("author of an edit allowed to review it: %v", err)
	}
}

// The office's allowed_signers file, not the workspace's keys table, is the
// trust anchor a forger with the database cannot reach: the key must be
// listed for the actor, for decisions, at the decision's time.
func TestDecision_VerifyAllowedChecksTheOfficeTrustFile(t *testing.T) {
	dec, rev, keys := signed(t)
	pub, _, err := sshsig.ParsePublicKey([]byte(keys[0].PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	line := func(edit func(*sshsig.AllowedSigner)) sshsig.AllowedSigners {
		s := sshsig.AllowedSigner{Principals: []string{"conf"}, Namespaces: []string{Namespace, "qianfa-package"}, Key: pub,
			ValidAfter: t0.Add(-time.Hour)}
		if edit != nil {
			edit(&s)
		}
		return sshsig.AllowedSigners{s}
	}
	if err := dec.VerifyAllowed(rev, line(nil)); err != nil {
		t.Fatalf("decision by a listed key fails: %v", err)
	}
	_, _, forged := signed(t) // a key of the same user name the office never listed
	forgedPub, _, _ := sshsig.ParsePublicKey([]byte(forged[0].PublicKey))
	tests := []struct {
		name    string
		allowed sshsig.AllowedSigners
		mutate  func(*Decision)
	}{
		{"key not listed", line(func(s *sshsig.AllowedSigner) { s.Key = forgedPub }), nil},
		{"key listed for another person", line(func(s *sshsig.AllowedSigner) { s.Principals = []string{"boss"} }), nil},
		{"key listed for packages only", line(func(s *sshsig.AllowedSigner) { s.Namespaces = []string{"qianfa-package"} }), nil},
		{"key not yet valid at the decision", line(func(s *sshsig.AllowedSigner) { s.ValidAfter = t0.Add(time.Minute) }), nil},
		{"key expired before the decision", line(func(s *sshsig.AllowedSigner) { s.ValidBefore = t0.Add(-time.Minute) }), nil},
		{"empty file", nil, nil},
		{"decision changed", line(nil), func(d *Decision) { d.Outcome = OutcomeDisclose }},
		{"actor changed to someone the key is not listed for", line(nil), func(d *Decision) {
			d.Actor = "boss"
			d.Statement = d.ComputeStatement()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := *dec
			if tt.mutate != nil {
				tt.mutate(&d)
			}
			if err := d.VerifyAllowed(rev, tt.allowed); code(err) != review.EINVALID || !containsHan(review.ErrorMessage(err)) {
				t.Fatalf("VerifyAllowed = %v, want EINVALID with a Chinese message", err)
			}
		})
	}
}

// A redaction of a redaction keeps both redactors on confidentiality review:
// the first one's work is still in the text.
func TestWorkflow_EveryRedactorInTheChainStaysOnConfidentiality(t *testing.T) {
	d, rev := doc(review.KindRule, review.StatusLegality)
	red := *rev
	red.Number, red.Text, red.Author, red.Drafter, red.RedactedFrom, red.Redactors = 4, "■■", "conf", "clerk", 3, []string{"conf", "first"}
	red.Hash = review.RevisionHash(red.Meta, red.Text)
	d.CurrentRevision, d.CurrentHash = 4, red.Hash
	lawful := Proposal{Stage: StageLegality, Outcome: OutcomeLawful, Checklist: fullChecklist(CheckPass)}
	if _, err := CheckDecision(d, &red, nil, user("first", review.RoleConfidentiality, review.RoleLegal), lawful); code(err) != review.EFORBIDDEN {
		t.Fatalf("the first redactor decided legality: %v", err)
	}
	if _, err := CheckDecision(d, &red, nil, legal, lawful); err != nil {
		t.Fatalf("an uninvolved legal reviewer refused: %v", err)
	}
	d.Status = review.StatusConfidentiality
	partial := Proposal{Stage: StageConfidentiality, Outcome: OutcomePartial, Ground: GroundArt15}
	if _, err := CheckDecision(d, &red, nil, user("first", review.RoleConfidentiality), partial); err != nil {
		t.Fatalf("the first redactor refused confidentiality: %v", err)
	}
}
