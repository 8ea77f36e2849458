package publish

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"qianfa/review"
	"qianfa/review/compare"
	"qianfa/review/pack"
	"qianfa/review/sshsig"
	"qianfa/review/workflow"
)

// Paths inside the bag's data/ directory.
const (
	DocumentText   = "document.txt"
	DocumentHTML   = "document.html"
	MetadataFile   = "metadata.json"
	RecordFile     = "review/record.json"
	ComparisonFile = "review/comparison.html"
	AttestationDir = "review/attestations/"
	AttachmentDir  = "attachments/"
	// InterpretationText and InterpretationHTML hold a linked 政策解读.
	InterpretationText = "interpretation.txt"
	InterpretationHTML = "interpretation.html"
)

// Bag-info labels beyond RFC 8493's own. They name what the signature
// vouches for, so the website team can read it without opening the payload.
const (
	InfoRevision     = "Qianfa-Revision"
	InfoRevisionHash = "Qianfa-Revision-SHA256"
	InfoSigner       = "Qianfa-Signer"
	InfoSignerKey    = "Qianfa-Signer-Key"
	InfoSigningTime  = "Qianfa-Signing-Time"
	InfoSignedOff    = "Qianfa-Signed-Off"
)

// Namespaces are the SSHSIG namespaces an office key may sign in. They go
// into every allowed_signers line, so a key listed for decisions and
// packages can vouch for nothing else.
var Namespaces = []string{workflow.Namespace, pack.Namespace}

// Linked is a document the package refers to, by its catalogue identity.
type Linked struct {
	IndexNo string `json:"index_no"`
	Title   string `json:"title"`
}

// Input is everything a package is made of. Assemble reads nothing else,
// in particular not the clock: the same Input gives the same bytes.
type Input struct {
	Org       string          // Source-Organization; empty falls back to the issuer
	Document  review.Document // as the catalogue has it now
	Revision  review.Revision // the signed-off revision
	Decisions []workflow.Decision
	// Users names people for record.json; Keys are the public keys of the
	// exporting clerk and of the reviewers, every one with its validity.
	Users map[string]review.User
	Keys  []review.Key

	Attachments []Attachment
	// Open streams an attachment's content.
	Open func(id int64) (io.ReadCloser, error)

	Interpretation *review.Revision // a linked, approved 政策解读, if any
	Previous       *review.Revision // the version this one amends, if any
	Links          map[string]Linked

	// PublicComment, if set, is the public comment's record (held, dates,
	// how many comments considered); never the comments themselves.
	PublicComment any

	Signer   ssh.Signer
	Exporter string
	SignedAt time.Time
	Progress func(done, total int64)
}

// PackageName is the package's file name without .zip: the 索引号 made safe
// for a file name and the revision hash's first 12 digits, so two revisions
// of one document never share a name.
func PackageName(indexNo, revisionHash string) string {
	short := revisionHash
	if len(short) > 12 {
		short = short[:12]
	}
	return pack.SafeName(indexNo) + "-" + short
}

// SignedOff returns the 签发 decision among ds, or nil.
func SignedOff(ds []workflow.Decision) *workflow.Decision {
	for i := len(ds) - 1; i >= 0; i-- {
		if ds[i].Stage == workflow.StageSignoff && ds[i].Outcome == workflow.OutcomeSign {
			return &ds[i]
		}
	}
	return nil
}

// Assemble builds the bag. It checks nothing about the approval (Service
// does that before asking for a passphrase); it only lays out the files.
func Assemble(in *Input) (*pack.Bag, error) {
	so := SignedOff(in.Decisions)
	if so == nil {
		return nil, review.Errorf(review.ECONFLICT, "《%s》没有签发决定，不能导出。", in.Document.Meta.Title)
	}
	doc, rev := &in.Document, &in.Revision
	b := &pack.Bag{
		Name:     PackageName(doc.IndexNo, rev.Hash),
		Signer:   in.Signer,
		Modified: so.At,
		Progress: in.Progress,
	}
	add := func(path string, data []byte) {
		b.Files = append(b.Files, pack.File{Path: path, Data: data})
	}
	add(DocumentText, []byte(rev.Text))
	add(DocumentHTML, renderHTML(rev.Meta, doc.IndexNo, rev.Text))
	meta, err := metadataJSON(in)
	if err != nil {
		return nil, err
	}
	add(MetadataFile, meta)
	if r := in.Interpretation; r != nil {
		add(InterpretationText, []byte(r.Text))
		add(InterpretationHTML, renderHTML(r.Meta, "", r.Text))
	}
	if p := in.Previous; p != nil {
		res, err := compare.Compare(p.Text, rev.Text, compare.Options{})
		if err != nil {
			return nil, fmt.Errorf("compare with previous version: %w", err)
		}
		var buf bytes.Buffer
		if err := res.WriteHTML(&buf); err != nil {
			return nil, err
		}
		add(ComparisonFile, buf.Bytes())
	}
	for _, a := range in.Attachments {
		if err := CheckAttachmentName(a.Name); err != nil {
			return nil, err
		}
		id := a.ID
		b.Files = append(b.Files, pack.File{Path: AttachmentDir + a.Name, Size: a.Size, Compressed: Compressed(a.Name),
			Open: func() (io.ReadCloser, error) { return in.Open(id) }})
	}
	names := attestationNames(in.Decisions)
	for i := range in.Decisions {
		d := &in.Decisions[i]
		add(AttestationDir+names[i]+".txt", d.Statement)
		add(AttestationDir+names[i]+".sig", d.Signature)
	}
	rec, err := recordJSON(in, names)
	if err != nil {
		return nil, err
	}
	add(RecordFile, rec)

	signers, err := AllowedSigners(in.Keys)
	if err != nil {
		return nil, err
	}
	b.Tags = []pack.TagFile{{Name: pack.AllowedSigners, Data: signers}}
	org := in.Org
	if org == "" {
		org = rev.Meta.Issuer
	}
	b.Info = []pack.Field{
		{Label: "Source-Organization", Value: org},
		{Label: "Bagging-Date", Value: so.At.In(chinaTime).Format("2006-01-02")},
		{Label: "External-Identifier", Value: doc.IndexNo},
		{Label: "External-Description", Value: rev.Meta.Title},
		{Label: InfoRevision, Value: fmt.Sprint(rev.Number)},
		{Label: InfoRevisionHash, Value: rev.Hash},
		{Label: InfoSignedOff, Value: so.At.UTC().Format(time.RFC3339)},
		{Label: InfoSigner, Value: in.Exporter},
		{Label: InfoSignerKey, Value: sshsig.Fingerprint(in.Signer.PublicKey())},
		{Label: InfoSigningTime, Value: in.SignedAt.UTC().Format(time.RFC3339)},
		{Label: "Bag-Software-Agent", Value: "qianfa"},
	}
	return b, nil
}

// chinaTime is the office's zone: Bagging-Date is the date there, not in
// UTC, or a sign-off before 08:00 would carry yesterday's date.
var chinaTime = time.FixedZone("CST", 8*3600)

var stageFile = map[workflow.Stage]string{
	workflow.StageConfidentiality: "confidentiality",
	workflow.StageLegality:        "legality",
	workflow.StageSignoff:         "signoff",
}

// attestationNames gives each decision its file name, <stage>-<actor>, in
// English so the website team can type it in a shell; a repeat (which the
// rules forbid, but a package must not silently overwrite) gets a suffix.
func attestationNames(ds []workflow.Decision) []string {
	out := make([]string, len(ds))
	seen := map[string]int{}
	for i, d := range ds {
		st, ok := stageFile[d.Stage]
		if !ok {
			st = "stage"
		}
		n := pack.SafeName(st + "-" + d.Actor)
		seen[n]++
		if seen[n] > 1 {
			n += fmt.Sprintf("-%d", seen[n])
		}
		out[i] = n
	}
	return out
}

// AllowedSigners writes keys as an allowed_signers file: one line per key,
// principal the user's login name, validity from the key's, sorted by user
// and start. Bounds are widened to whole seconds, the precision OpenSSH
// reads, so that nothing signed within a key's validity falls outside it.
func AllowedSigners(keys []review.Key) ([]byte, error) {
	ks := slices.Clone(keys)
	slices.SortStableFunc(ks, func(a, b review.Key) int {
		if c := strings.Compare(a.User, b.User); c != 0 {
			return c
		}
		return a.ValidFrom.Compare(b.ValidFrom)
	})
	var as sshsig.AllowedSigners
	seen := map[string]bool{}
	for _, k := range ks {
		if seen[k.Fingerprint] {
			continue
		}
		seen[k.Fingerprint] = true
		pub, _, err := sshsig.ParsePublicKey([]byte(k.PublicKey))
		if err != nil {
			return nil, review.WrapError(review.EINTERNAL, err, "“%s”的公钥无法读取。", k.User)
		}
		s := sshsig.AllowedSigner{Principals: []string{k.User}, Namespaces: Namespaces, Key: pub,
			ValidAfter: k.ValidFrom.UTC().Truncate(time.Second), Comment: k.User + "@qianfa"}
		if !k.ValidTo.IsZero() {
			to := k.ValidTo.UTC()
			if t := to.Truncate(time.Second); !t.Equal(to) {
				to = t.Add(time.Second)
			}
			s.ValidBefore = to
		}
		as = append(as, s)
	}
	return as.Marshal()
}

// metadata is data/metadata.json: DESIGN's document metadata under stable
// English keys, values as the office writes them.
type metadata struct {
	Title            string            `json:"title"`
	Kind             review.Kind       `json:"kind"`
	Issuer           string            `json:"issuer"`
	DocNumber        string            `json:"doc_number"`
	WrittenOn        string            `json:"written_on"`
	PublishedOn      string            `json:"published_on"`
	Subject          string            `json:"subject"`
	Disclosure       review.Disclosure `json:"disclosure"`
	DisclosureGround string            `json:"disclosure_ground,omitempty"`
	IndexNo          string            `json:"index_no"`
	Validity         review.Validity   `json:"validity"`
	Revision         int               `json:"revision"`
	RevisionSHA256   string            `json:"revision_sha256"`
	// RevisionMetadata is the metadata exactly as the revision hash covers
	// it: sha256("qianfa-revision-v1\n" + this object as compact JSON +
	// "\n" + document.txt) is revision_sha256.
	RevisionMetadata review.Metadata   `json:"revision_metadata"`
	Links            map[string]Linked `json:"links,omitempty"`
	Attachments      []attachmentEntry `json:"attachments"`
}

type attachmentEntry struct {
	Name      string `json:"name"`
	Path      string `json:"path"`
	MediaType string `json:"media_type"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
}

func metadataJSON(in *Input) ([]byte, error) {
	m, doc := in.Revision.Meta, &in.Document
	out := metadata{
		Title: m.Title, Kind: m.Kind, Issuer: m.Issuer, DocNumber: m.DocNumber, WrittenOn: m.WrittenOn,
		PublishedOn: doc.PublishedOn, Subject: m.Subject, Disclosure: m.Disclosure, DisclosureGround: m.DisclosureGround,
		IndexNo: doc.IndexNo, Validity: doc.Validity, Revision: in.Revision.Number, RevisionSHA256: in.Revision.Hash,
		RevisionMetadata: m, Links: in.Links, Attachments: []attachmentEntry{},
	}
	for _, a := range in.Attachments {
		out.Attachments = append(out.Attachments, attachmentEntry{Name: a.Name, Path: pack.PayloadDir + "/" + AttachmentDir + a.Name,
			MediaType: a.MediaType, Size: a.Size, SHA256: a.SHA256})
	}
	return marshal(out)
}

// record is data/review/record.json: who decided what on the revision that
// goes out, with the files that prove it. Screening findings are left out
// on purpose: their text is exactly what was redacted.
type record struct {
	Document      Linked           `json:"document"`
	Revision      revisionRecord   `json:"revision"`
	Decisions     []decisionRecord `json:"decisions"`
	PublicComment any              `json:"public_comment,omitempty"`
	Export        exportRecord     `json:"export"`
}

type revisionRecord struct {
	Number     int       `json:"number"`
	SHA256     string    `json:"sha256"`
	Author     string    `json:"author"`
	AuthorName string    `json:"author_name"`
	CreatedAt  time.Time `json:"created_at"`
	Note       string    `json:"note,omitempty"`
}

type decisionRecord struct {
	Stage          workflow.Stage   `json:"stage"`
	Outcome        workflow.Outcome `json:"outcome"`
	Actor          string           `json:"actor"`
	ActorName      string           `json:"actor_name"`
	At             time.Time        `json:"at"`
	Reason         string           `json:"reason,omitempty"`
	Ground         workflow.Ground  `json:"ground,omitempty"`
	Checklist      []checkRecord    `json:"checklist,omitempty"`
	KeyFingerprint string           `json:"key_fingerprint"`
	Statement      string           `json:"statement"`
	Signature      string           `json:"signature"`
}

type checkRecord struct {
	Item   string               `json:"item"`
	Result workflow.CheckResult `json:"result"`
	Note   string               `json:"note,omitempty"`
}

type exportRecord struct {
	Signer         string    `json:"signer"`
	SignerName     string    `json:"signer_name"`
	KeyFingerprint string    `json:"key_fingerprint"`
	SigningTime    time.Time `json:"signing_time"`
	Namespace      string    `json:"namespace"`
	DecisionNS     string    `json:"decision_namespace"`
}

func recordJSON(in *Input, names []string) ([]byte, error) {
	label := func(name string) string {
		if u, ok := in.Users[name]; ok {
			return u.Label()
		}
		return name
	}
	r := record{
		Document: Linked{IndexNo: in.Document.IndexNo, Title: in.Revision.Meta.Title},
		Revision: revisionRecord{Number: in.Revision.Number, SHA256: in.Revision.Hash, Author: in.Revision.Author,
			AuthorName: label(in.Revision.Author), CreatedAt: in.Revision.CreatedAt.UTC(), Note: in.Revision.Note},
		PublicComment: in.PublicComment,
		Export: exportRecord{Signer: in.Exporter, SignerName: label(in.Exporter), KeyFingerprint: sshsig.Fingerprint(in.Signer.PublicKey()),
			SigningTime: in.SignedAt.UTC(), Namespace: pack.Namespace, DecisionNS: workflow.Namespace},
	}
	for i, d := range in.Decisions {
		dr := decisionRecord{Stage: d.Stage, Outcome: d.Outcome, Actor: d.Actor, ActorName: label(d.Actor), At: d.At.UTC(),
			Reason: d.Reason, Ground: d.Ground, KeyFingerprint: d.KeyFP,
			Statement: pack.PayloadDir + "/" + AttestationDir + names[i] + ".txt",
			Signature: pack.PayloadDir + "/" + AttestationDir + names[i] + ".sig"}
		if !d.Checklist.IsZero() {
			for j, c := range d.Checklist {
				dr.Checklist = append(dr.Checklist, checkRecord{Item: workflow.LegalityChecks[j], Result: c.Result, Note: c.Note})
			}
		}
		r.Decisions = append(r.Decisions, dr)
	}
	return marshal(r)
}

// marshal writes indented JSON without HTML escaping, so a reader sees
// 《》 and & as written.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode json: %w", err)
	}
	return b.Bytes(), nil
}

// htmlStyle names the fonts official documents are set in (GB/T 9704:
// 小标宋 for the title, 仿宋 for the text) with common fallbacks, and A4
// margins close to the standard's, so the page prints like the original.
const htmlStyle = `@page{size:A4;margin:37mm 26mm 35mm 28mm}
body{font-family:"FangSong_GB2312","仿宋_GB2312","FangSong","仿宋","STFangsong","Noto Serif CJK SC","Source Han Serif SC",serif;font-size:16pt;line-height:1.75;max-width:40em;margin:2em auto;padding:0 1em;color:#000;background:#fff}
h1{font-family:"方正小标宋简体","FZXiaoBiaoSong-B05S","SimSun","宋体","Noto Serif CJK SC","Source Han Serif SC",serif;font-size:22pt;font-weight:normal;text-align:center;line-height:1.4;margin:0 0 .5em}
p{margin:0;text-indent:2em}
p.no{text-align:center;text-indent:0;margin-bottom:1em}
p.h{text-align:center;text-indent:0;font-family:"黑体","SimHei","Noto Sans CJK SC",sans-serif}
table.meta{border-collapse:collapse;font-size:11pt;margin:0 0 1.5em;width:100%}
table.meta th,table.meta td{border:1px solid #999;padding:.2em .5em;text-align:left}
table.meta th{width:6em;background:#f3f3f3}
@media print{body{margin:0;max-width:none;padding:0}table.meta th{background:none}}
`

// renderHTML is a self-contained, printable page: a catalogue table, the
// title, the 发文字号 and the text, one paragraph per line. Chapter and
// section headings are centred as in print. Everything is escaped.
func renderHTML(m review.Metadata, indexNo, text string) []byte {
	var b strings.Builder
	esc := html.EscapeString
	b.WriteString("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + esc(m.Title) + "</title>\n<style>\n" + htmlStyle + "</style>\n</head>\n<body>\n")
	b.WriteString("<table class=\"meta\">\n")
	row := func(k, v string) {
		if v != "" {
			b.WriteString("<tr><th>" + k + "</th><td>" + esc(v) + "</td></tr>\n")
		}
	}
	row("索引号", indexNo)
	row("发文机关", m.Issuer)
	row("文种", string(m.Kind))
	row("主题分类", m.Subject)
	row("成文日期", m.WrittenOn)
	row("发文字号", m.DocNumber)
	b.WriteString("</table>\n<h1>" + esc(m.Title) + "</h1>\n")
	if m.DocNumber != "" {
		b.WriteString("<p class=\"no\">" + esc(m.DocNumber) + "</p>\n")
	}
	for line := range strings.SplitSeq(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case isHeading(line):
			b.WriteString("<p class=\"h\">" + esc(line) + "</p>\n")
		default:
			b.WriteString("<p>" + esc(line) + "</p>\n")
		}
	}
	b.WriteString("</body>\n</html>\n")
	return []byte(b.String())
}

// isHeading tells a 章/节/编 heading ("第一章　总则") from an article, which
// starts the same way but says 条.
func isHeading(line string) bool {
	if !strings.HasPrefix(line, "第") {
		return false
	}
	head, _, _ := strings.Cut(strings.ReplaceAll(line, "　", " "), " ")
	return strings.HasSuffix(head, "章") || strings.HasSuffix(head, "节") || strings.HasSuffix(head, "编")
}
