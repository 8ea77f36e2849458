package review

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is a document's 文种. The kind decides which review stages apply: rules
// and normative documents need legality review (国办发〔2018〕115号).
type Kind string

// The kinds the office publishes.
const (
	KindRule           Kind = "规章"
	KindNormative      Kind = "行政规范性文件"
	KindOther          Kind = "其他文件"
	KindNotice         Kind = "通知公告"
	KindInterpretation Kind = "政策解读"
	KindCommentDraft   Kind = "征求意见稿"
	KindReport         Kind = "工作报告"
)

// Kinds lists every kind in the order menus show them.
var Kinds = []Kind{KindRule, KindNormative, KindOther, KindNotice, KindInterpretation, KindCommentDraft, KindReport}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if k == x {
			return true
		}
	}
	return false
}

// NeedsLegality reports whether legality review is mandatory for the kind.
func (k Kind) NeedsLegality() bool { return k == KindRule || k == KindNormative }

// Status is where a document stands in the review workflow.
type Status string

// The workflow states (DESIGN.md, "Review workflow").
const (
	StatusDraft           Status = "草稿"
	StatusConfidentiality Status = "待保密审查"
	StatusLegality        Status = "待合法性审核"
	StatusSignoff         Status = "待签发"
	StatusApproved        Status = "已签发"
	StatusPublished       Status = "已发布"
	StatusReturned        Status = "退回修改"
	StatusWithheld        Status = "不予公开"
)

// Statuses lists every status in workflow order, for filters.
var Statuses = []Status{StatusDraft, StatusConfidentiality, StatusLegality, StatusSignoff, StatusApproved, StatusPublished, StatusReturned, StatusWithheld}

// Editable reports whether the text may be revised in this status without
// withdrawing the document from review. Editing under review is allowed too,
// but it restarts the review (decisions bind to one revision hash).
func (s Status) Editable() bool { return s == StatusDraft || s == StatusReturned }

// Validity is a published document's 有效性, kept true in the catalogue.
type Validity string

// The validity values.
const (
	ValidityInForce  Validity = "有效"
	ValidityAmended  Validity = "已修订"
	ValidityRepealed Validity = "已废止"
	ValidityExpired  Validity = "失效"
)

// Validities lists every validity value.
var Validities = []Validity{ValidityInForce, ValidityAmended, ValidityRepealed, ValidityExpired}

// Disclosure is a document's 公开属性.
type Disclosure string

// The disclosure values.
const (
	DisclosureActive    Disclosure = "主动公开"
	DisclosureOnRequest Disclosure = "依申请公开"
	DisclosureNone      Disclosure = "不予公开"
)

// Disclosures lists every disclosure value.
var Disclosures = []Disclosure{DisclosureActive, DisclosureOnRequest, DisclosureNone}

// Metadata is the descriptive part of a revision. JSON keys are stable
// English words: they appear in publication packages.
type Metadata struct {
	Title            string     `json:"title"`
	Kind             Kind       `json:"kind"`
	Issuer           string     `json:"issuer,omitempty"`     // 发文机关
	DocNumber        string     `json:"doc_number,omitempty"` // 发文字号
	WrittenOn        string     `json:"written_on,omitempty"` // 成文日期, YYYY-MM-DD
	Subject          string     `json:"subject,omitempty"`    // 主题分类
	Disclosure       Disclosure `json:"disclosure"`
	DisclosureGround string     `json:"disclosure_ground,omitempty"`
}

// docNumberRe is GB/T 9704's 发文字号: 机关代字, the full year in six-sided
// brackets, a serial number without leading zeros, 号.
var docNumberRe = regexp.MustCompile(`^\p{Han}[\p{Han}A-Za-z]*〔(19|20)\d\d〕[1-9]\d*号$`)

// Validate checks the metadata and says in Chinese what is wrong.
func (m Metadata) Validate() error {
	switch {
	case strings.TrimSpace(m.Title) == "":
		return Errorf(EINVALID, "标题不能为空。")
	case utf8.RuneCountInString(m.Title) > 200:
		return Errorf(EINVALID, "标题过长（最多 200 字）。")
	case !m.Kind.Valid():
		return Errorf(EINVALID, "文种“%s”无效，可选：%s。", m.Kind, joinKinds())
	case m.DocNumber != "" && !docNumberRe.MatchString(m.DocNumber):
		return Errorf(EINVALID, "发文字号“%s”格式不符合 GB/T 9704，应如“国发〔2019〕12号”：年份用六角括号〔〕、写全四位，序号不编虚位。", m.DocNumber)
	case m.WrittenOn != "" && !validDate(m.WrittenOn):
		return Errorf(EINVALID, "成文日期“%s”无效，应为 YYYY-MM-DD。", m.WrittenOn)
	}
	switch m.Disclosure {
	case DisclosureActive, DisclosureOnRequest:
	case DisclosureNone:
		if strings.TrimSpace(m.DisclosureGround) == "" {
			return Errorf(EINVALID, "不予公开须注明依据（《政府信息公开条例》第十四条、第十五条或第十六条）。")
		}
	default:
		return Errorf(EINVALID, "公开属性“%s”无效，可选：主动公开、依申请公开、不予公开。", m.Disclosure)
	}
	return nil
}

func joinKinds() string {
	s := make([]string, len(Kinds))
	for i, k := range Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, "、")
}

func validDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// Revision is an immutable snapshot of a document's text and metadata. Every
// edit makes a new one; decisions, findings and signatures name its Hash.
type Revision struct {
	DocumentID int64    `json:"document_id"`
	Number     int      `json:"number"`
	Meta       Metadata `json:"metadata"`
	Text       string   `json:"text"`
	Hash       string   `json:"sha256"`
	Author     string   `json:"author"`
	// Drafter wrote the text's substance: the Author, except for a
	// redaction, which keeps the drafter of the revision it redacts.
	Drafter string `json:"drafter"`
	// RedactedFrom is the number of the revision this one redacts (only
	// RedactionMark replacing characters), or 0.
	RedactedFrom int `json:"redacted_from,omitempty"`
	// Redactors are the authors of this redaction and of the redactions it
	// builds on, back to the drafter's revision: each did confidentiality
	// review's work on this text. Stores fill it when they read a
	// redaction; empty otherwise.
	Redactors []string  `json:"redactors,omitempty"`
	Note      string    `json:"note,omitempty"`   // 修改说明
	Source    string    `json:"source,omitempty"` // imported file name, if any
	CreatedAt time.Time `json:"created_at"`
}

// RevisionHash is the SHA-256 (hex) of a revision's content: a versioned
// prefix, the metadata as JSON, and the text. Anyone holding metadata.json
// and document.txt from a package can recompute it.
func RevisionHash(meta Metadata, text string) string {
	h := sha256.New()
	b, _ := json.Marshal(meta) // a struct of strings cannot fail to marshal
	h.Write([]byte("qianfa-revision-v1\n"))
	h.Write(b)
	h.Write([]byte("\n"))
	h.Write([]byte(text))
	return hex.EncodeToString(h.Sum(nil))
}

// Document is a draft or publication as the catalogue sees it now: the
// current revision's metadata plus workflow and catalogue state, which change
// without a new revision.
type Document struct {
	ID               int64     `json:"id"`
	IndexNo          string    `json:"index_no"` // 索引号, never reused
	Meta             Metadata  `json:"metadata"`
	Status           Status    `json:"status"`
	Validity         Validity  `json:"validity"`
	CurrentRevision  int       `json:"current_revision"`
	CurrentHash      string    `json:"current_sha256"`
	SkipLegality     bool      `json:"skip_legality,omitempty"`
	StageSince       time.Time `json:"stage_since"` // when the current status began; deadlines count from here
	PublishedOn      string    `json:"published_on,omitempty"`
	PublishedURL     string    `json:"published_url,omitempty"`
	SupersededBy     int64     `json:"superseded_by,omitempty"`     // 修订后的文件
	Supersedes       int64     `json:"supersedes,omitempty"`        // 修订自
	InterpretationOf int64     `json:"interpretation_of,omitempty"` // 解读的文件
	CreatedBy        string    `json:"created_by"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// NewDocument is what a clerk supplies to create a document: its first
// revision's content.
type NewDocument struct {
	Meta   Metadata
	Text   string
	Author string
	Source string // file name it was imported from
	Note   string
}

// Validate checks a new document before anything is written.
func (n NewDocument) Validate() error {
	if err := n.Meta.Validate(); err != nil {
		return err
	}
	if strings.TrimSpace(n.Text) == "" {
		return Errorf(EINVALID, "正文为空。")
	}
	if !utf8.ValidString(n.Text) {
		return Errorf(EINVALID, "正文不是有效的 UTF-8 文本。")
	}
	if strings.TrimSpace(n.Author) == "" {
		return Errorf(EINVALID, "未指明经办人。")
	}
	return nil
}

// DocumentFilter narrows a document listing. Zero fields do not filter.
type DocumentFilter struct {
	Query    string // substring of title or text
	Kind     Kind
	Status   Status
	Validity Validity
	Offset   int
	Limit    int // 0 means a sensible default
}

// DocumentHit is one row of a listing: the document and, for a query, an
// excerpt of where it matched.
type DocumentHit struct {
	Document
	Snippet string `json:"snippet,omitempty"`
	Matches []Span `json:"matches,omitempty"` // where the query stands in Snippet
}

// Span is a half-open range [Start, End) in Unicode code points.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// RedactedBy returns who redacted the text of r: Redactors, or for a
// redaction whose store did not fill them, its Author.
func (r *Revision) RedactedBy() []string {
	switch {
	case len(r.Redactors) > 0:
		return r.Redactors
	case r.RedactedFrom != 0:
		return []string{r.Author}
	}
	return nil
}
