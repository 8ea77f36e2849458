package workflow

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/sshsig"
)

// Namespace is the SSHSIG namespace of decision signatures, so a signature
// over a decision can never pass for a package signature or the reverse.
const Namespace = "qianfa-decision"

// statementVersion opens every signed statement; a new format gets a new
// version and the old one stays verifiable.
const statementVersion = "qianfa-decision-v1"

// Proposal is what a reviewer decides, before it is signed.
type Proposal struct {
	Stage     Stage
	Outcome   Outcome
	Reason    string    // required when the outcome returns the draft; optional otherwise
	Ground    Ground    // required for 不予公开 and 部分公开
	Checklist Checklist // the seven checks; legality only
}

// Decision is one signed decision on one revision. Everything the statement
// names is stored beside it, so verification recomputes the statement from
// the stored fields and a changed field breaks the signature.
type Decision struct {
	ID           int64     `json:"id"`
	DocumentID   int64     `json:"document_id"`
	IndexNo      string    `json:"index_no"`
	Revision     int       `json:"revision"`
	RevisionHash string    `json:"revision_sha256"`
	Stage        Stage     `json:"stage"`
	Outcome      Outcome   `json:"outcome"`
	Reason       string    `json:"reason,omitempty"`
	Ground       Ground    `json:"ground,omitempty"`
	Checklist    Checklist `json:"checklist,omitzero"`
	Actor        string    `json:"actor"`
	At           time.Time `json:"at"`
	Statement    []byte    `json:"statement"` // the exact bytes signed
	Signature    []byte    `json:"signature"` // armored SSHSIG
	KeyFP        string    `json:"key_fingerprint"`
}

// NewDecision fills a decision on rev of doc by actor at the given time. It
// does not check the rules (see CheckDecision) and does not sign (see Sign).
func NewDecision(doc *review.Document, rev *review.Revision, actor string, p Proposal, at time.Time) *Decision {
	return &Decision{
		DocumentID: doc.ID, IndexNo: doc.IndexNo, Revision: rev.Number, RevisionHash: rev.Hash,
		Stage: p.Stage, Outcome: p.Outcome, Reason: strings.TrimSpace(p.Reason), Ground: p.Ground,
		Checklist: p.Checklist, Actor: actor, At: at.UTC(),
	}
}

// Proposal returns what the decision decided, for re-checking the rules.
func (d *Decision) Proposal() Proposal {
	return Proposal{Stage: d.Stage, Outcome: d.Outcome, Reason: d.Reason, Ground: d.Ground, Checklist: d.Checklist}
}

// ComputeStatement returns the canonical statement the decision's signer
// signs: one "name: value" line per field, values of free text quoted so
// that no reason can forge a line. The time is RFC 3339 in UTC with the
// fractional seconds storage keeps, so that a decision made in the same
// second as a key rotation still falls on one side of it.
func (d *Decision) ComputeStatement() []byte {
	var b bytes.Buffer
	line := func(name, value string) {
		b.WriteString(name)
		b.WriteString(": ")
		b.WriteString(value)
		b.WriteByte('\n')
	}
	b.WriteString(statementVersion + "\n")
	line("document", strconv.FormatInt(d.DocumentID, 10))
	line("index", strconv.Quote(d.IndexNo))
	line("revision", strconv.Itoa(d.Revision))
	line("sha256", d.RevisionHash)
	line("stage", strconv.Quote(string(d.Stage)))
	line("outcome", strconv.Quote(string(d.Outcome)))
	line("reason", strconv.Quote(d.Reason))
	line("ground", strconv.Quote(string(d.Ground)))
	line("checklist", d.Checklist.Digest())
	line("actor", strconv.Quote(d.Actor))
	line("time", d.At.UTC().Format(time.RFC3339Nano))
	return b.Bytes()
}

// Sign computes the statement and signs it with signer, the actor's
// unlocked key.
func (d *Decision) Sign(signer ssh.Signer) error {
	d.Statement = d.ComputeStatement()
	sig, err := sshsig.Sign(signer, Namespace, d.Statement)
	if err != nil {
		return err
	}
	d.Signature = sig
	d.KeyFP = sshsig.Fingerprint(signer.PublicKey())
	return nil
}

// Verify checks the decision against rev, the revision it names, and keys,
// the actor's keys: the stored statement must be the one recomputed from
// the stored fields, the revision's content must still hash to the hash
// signed, and the signature must be good and made by one of the actor's keys
// that was valid at the decision's time. Any failure is an EINVALID domain
// error saying what does not hold.
//
// keys usually come from the workspace itself, so Verify proves a decision
// unchanged but not that its key is the actor's: whoever can write the
// database can add a key row for anyone. VerifyAllowed checks against the
// office's exported allowed_signers instead.
func (d *Decision) Verify(rev *review.Revision, keys []review.Key) error {
	sig, err := d.checkSigned(rev)
	if err != nil {
		return err
	}
	fp := sshsig.Fingerprint(sig.PublicKey)
	var known bool
	for i := range keys {
		k := &keys[i]
		if k.User != d.Actor || k.Fingerprint != fp {
			continue
		}
		known = true
		pub, _, err := sshsig.ParsePublicKey([]byte(k.PublicKey))
		if err != nil || sshsig.Fingerprint(pub) != fp {
			continue
		}
		if k.ValidAt(d.At) {
			return nil
		}
	}
	if known {
		return review.Errorf(review.EINVALID, "签名所用密钥 %s 在决定时间 %s 不在有效期内。", fp, d.At.In(calendar.Location()).Format("2006-01-02 15:04"))
	}
	return review.Errorf(review.EINVALID, "签名所用密钥 %s 不是“%s”的密钥。", fp, d.Actor)
}

// VerifyAllowed is Verify against the office's allowed_signers file, the
// trust anchor kept outside the database (qianfa-cli keys allowed-signers):
// the signing key must be listed for the actor as principal, for namespace
// qianfa-decision, and be valid at the decision's time. A key someone
// inserted into the workspace behind the application's back is not in that
// file, so a decision signed with it fails here while Verify accepts it.
// Any failure is an EINVALID domain error saying what does not hold.
func (d *Decision) VerifyAllowed(rev *review.Revision, allowed sshsig.AllowedSigners) error {
	sig, err := d.checkSigned(rev)
	if err != nil {
		return err
	}
	if _, err := allowed.Authorize(sig.PublicKey, d.Actor, Namespace, d.At); err != nil {
		return review.WrapError(review.EINVALID, err, "%s", review.ErrorMessage(err))
	}
	return nil
}

// checkSigned is what Verify and VerifyAllowed share: the statement is the
// one the stored fields give, the revision is the one named and unchanged,
// the signature is a good signature over the statement in the decision
// namespace, and the recorded fingerprint is the signing key's. It returns
// the parsed signature; whose key signed it is the caller's question.
func (d *Decision) checkSigned(rev *review.Revision) (*sshsig.Signature, error) {
	if !bytes.Equal(d.Statement, d.ComputeStatement()) {
		return nil, review.Errorf(review.EINVALID, "签名声明与记录的决定内容不一致（记录被改动）。")
	}
	if rev == nil || rev.DocumentID != d.DocumentID || rev.Number != d.Revision {
		return nil, review.Errorf(review.EINVALID, "找不到决定所指的修订版。")
	}
	if review.RevisionHash(rev.Meta, rev.Text) != rev.Hash {
		return nil, review.Errorf(review.EINVALID, "第 %d 版的内容与其哈希不符（修订版被改动）。", rev.Number)
	}
	if rev.Hash != d.RevisionHash {
		return nil, review.Errorf(review.EINVALID, "决定所签的修订版哈希与第 %d 版不符。", rev.Number)
	}
	sig, err := sshsig.ParseSignature(d.Signature)
	if err != nil {
		return nil, err
	}
	if err := sig.Check(d.Statement, Namespace); err != nil {
		return nil, err
	}
	if d.KeyFP != sshsig.Fingerprint(sig.PublicKey) {
		return nil, review.Errorf(review.EINVALID, "记录的密钥指纹与签名所用密钥不符。")
	}
	return sig, nil
}

func asDomain(err error, target **review.Error) bool { return errors.As(err, target) }
