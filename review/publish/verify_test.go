package publish

import (
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"qianfa/review"
	"qianfa/review/pack"
	"qianfa/review/sshsig"
	"qianfa/review/workflow"
)

// person is a test user with a deterministic Ed25519 key.
type person struct {
	name   string
	signer ssh.Signer
}

func newPerson(t *testing.T, name string, seed byte) person {
	t.Helper()
	b := make([]byte, ed25519.SeedSize)
	b[0] = seed
	s, err := ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(b))
	if err != nil {
		t.Fatal(err)
	}
	return person{name, s}
}

func (p person) key() review.Key {
	pub := strings.TrimSpace(string(sshsig.MarshalPublicKey(p.signer.PublicKey(), p.name)))
	return review.Key{User: p.name, PublicKey: pub, Fingerprint: sshsig.Fingerprint(p.signer.PublicKey()),
		ValidFrom: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
}

type step struct {
	who     person
	stage   workflow.Stage
	outcome workflow.Outcome
}

// packageWith writes a package whose attestations are exactly steps, each
// genuinely signed by its person, and returns its path and the office's
// allowed_signers.
func packageWith(t *testing.T, clerk person, steps ...step) (string, sshsig.AllowedSigners) {
	t.Helper()
	return packageNamed(t, clerk, clerk.name, steps...)
}

// packageNamed is packageWith with bag-info naming exporter as the signer,
// whoever's key signs.
func packageNamed(t *testing.T, clerk person, exporter string, steps ...step) (string, sshsig.AllowedSigners) {
	t.Helper()
	meta := review.Metadata{Title: "某某管理办法", Kind: review.Kind("行政规范性文件"), Disclosure: review.Disclosure("主动公开")}
	text := "第一条　为了测试，制定本办法。\n"
	rev := review.Revision{DocumentID: 7, Number: 1, Meta: meta, Text: text, Hash: review.RevisionHash(meta, text)}
	doc := review.Document{ID: 7, IndexNo: "000014349/2026-00012", Meta: meta, Status: review.StatusApproved, CurrentRevision: 1, CurrentHash: rev.Hash}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	keys := []review.Key{clerk.key()}
	var ds []workflow.Decision
	for i, s := range steps {
		d := workflow.NewDecision(&doc, &rev, s.who.name, workflow.Proposal{Stage: s.stage, Outcome: s.outcome}, at.Add(time.Duration(i)*time.Hour))
		if err := d.Sign(s.who.signer); err != nil {
			t.Fatal(err)
		}
		ds = append(ds, *d)
		keys = append(keys, s.who.key())
	}
	bag, err := Assemble(&Input{Document: doc, Revision: rev, Decisions: ds, Keys: keys, Signer: clerk.signer,
		Exporter: exporter, SignedAt: at.Add(24 * time.Hour), Users: map[string]review.User{}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "pkg.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pack.Write(context.Background(), f, bag); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := AllowedSigners(keys)
	if err != nil {
		t.Fatal(err)
	}
	allowed, err := sshsig.ParseAllowedSigners(data)
	if err != nil {
		t.Fatal(err)
	}
	return path, allowed
}

func attestationFailure(rep *pack.Report) string {
	for _, c := range rep.Checks {
		if c.Name == CheckAttestations && !c.OK {
			return c.Detail
		}
	}
	return ""
}

// The package must prove approval: genuine signatures on a withheld,
// returned or unlawful decision, or two stages by one person, are not it.
func TestVerify_AttestationsMustApprove(t *testing.T) {
	clerk, conf, legal, boss := newPerson(t, "clerk", 1), newPerson(t, "conf", 2), newPerson(t, "legal", 3), newPerson(t, "boss", 4)
	good := []step{{conf, workflow.StageConfidentiality, workflow.OutcomeDisclose}, {legal, workflow.StageLegality, workflow.OutcomeLawful}, {boss, workflow.StageSignoff, workflow.OutcomeSign}}
	tests := []struct {
		name  string
		steps []step
		says  string // "" means the package verifies
	}{
		{"approved", good, ""},
		{"approved without legality", []step{good[0], good[2]}, ""},
		{"confidentiality withheld", []step{{conf, workflow.StageConfidentiality, workflow.OutcomeWithhold}, good[1], good[2]}, "不予公开"},
		{"legality unlawful", []step{good[0], {legal, workflow.StageLegality, workflow.OutcomeUnlawful}, good[2]}, "不合法"},
		{"signed off, then returned", []step{good[0], good[1], good[2], {boss, workflow.StageSignoff, workflow.OutcomeReturn}}, "退回修改"},
		{"one person, two stages", []step{{boss, workflow.StageConfidentiality, workflow.OutcomeDisclose}, good[1], good[2]}, "boss"},
		{"no sign-off statement but confidentiality", []step{good[0], {conf, workflow.StageSignoff, workflow.OutcomeSign}}, "conf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, allowed := packageWith(t, clerk, tt.steps...)
			rep, err := Verify(path, pack.Options{AllowedSigners: allowed})
			if err != nil {
				t.Fatal(err)
			}
			got := attestationFailure(rep)
			if tt.says == "" {
				if !rep.OK {
					t.Fatalf("refused: %s\n%+v", got, rep.Checks)
				}
				return
			}
			if rep.OK || !strings.Contains(got, tt.says) {
				t.Fatalf("OK=%v, attestation failure %q, want one mentioning %q", rep.OK, got, tt.says)
			}
		})
	}
}

// bag-info's Qianfa-Signer must be a name the signing key is listed for.
func TestVerify_SignerNameMustMatchTheKey(t *testing.T) {
	clerk, conf, boss := newPerson(t, "zhang", 1), newPerson(t, "li", 2), newPerson(t, "chen", 3)
	steps := []step{{conf, workflow.StageConfidentiality, workflow.OutcomeDisclose}, {boss, workflow.StageSignoff, workflow.OutcomeSign}}
	for _, tt := range []struct {
		exporter string
		ok       bool
	}{{"zhang", true}, {"chen", false}} {
		path, allowed := packageNamed(t, clerk, tt.exporter, steps...)
		rep, err := Verify(path, pack.Options{AllowedSigners: allowed})
		if err != nil {
			t.Fatal(err)
		}
		var got *pack.Check
		for i := range rep.Checks {
			if rep.Checks[i].Name == CheckSigner {
				got = &rep.Checks[i]
			}
		}
		if got == nil || got.OK != tt.ok || rep.OK != tt.ok {
			t.Errorf("signer named %s: check %+v, report ok %v", tt.exporter, got, rep.OK)
		}
	}
}
