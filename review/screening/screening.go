// Package screening is the confidentiality reviewer's side of screening: the
// findings of a document's current revision (from package screen) merged with
// the reviewer's decisions on them, the rules for deciding, redacting and
// approving, and the check export runs before anything leaves the office.
//
// A decision names a finding by its fingerprint, not its offset, so a
// dismissal made on one revision still holds on the next: the same number in
// the same words is not asked about again, but stays visible as dismissed.
// Decisions are append-only; the latest one for a fingerprint counts.
package screening

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"qianfa/review"
	"qianfa/review/screen"
)

// Status is where a finding stands with the reviewer. The values are the
// office's words; they are stored with decisions and never change.
type Status string

// The statuses of a finding.
const (
	StatusOpen      Status = "待处理" // nobody has decided yet
	StatusConfirmed Status = "已确认" // may not be published: redact it
	StatusDismissed Status = "已排除" // may be published, for the reason given
)

// Statuses lists every status in the order the finding list sorts them.
var Statuses = []Status{StatusOpen, StatusConfirmed, StatusDismissed}

// ParseStatus accepts a decision as the CLI or a script writes it: the
// Chinese word or confirm / dismiss.
func ParseStatus(s string) (Status, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case string(StatusConfirmed), "confirm", "confirmed", "确认":
		return StatusConfirmed, nil
	case string(StatusDismissed), "dismiss", "dismissed", "排除":
		return StatusDismissed, nil
	}
	return "", review.Errorf(review.EINVALID, "筛查决定“%s”无效，可选：确认（confirm）或排除（dismiss）。", s)
}

// RedactionNote is the 修改说明 of a revision made by redaction; the
// revision list and the audit log show it.
const RedactionNote = "保密审查遮盖处理"

// MaxReasonRunes bounds a dismissal's justification: long enough for a
// paragraph, short enough for a list row and an audit entry.
const MaxReasonRunes = 500

// Decision is a confidentiality reviewer's call on one finding. Kind and
// Text are kept with it so that export can look for a confirmed text after
// the revision it was found in is long superseded.
type Decision struct {
	ID          int64       `json:"id"`
	DocumentID  int64       `json:"document_id"`
	Fingerprint string      `json:"fingerprint"`
	Status      Status      `json:"status"` // StatusConfirmed or StatusDismissed
	Reason      string      `json:"reason,omitempty"`
	Actor       string      `json:"actor"`
	At          time.Time   `json:"at"`
	Revision    int         `json:"revision"` // the revision it was made on
	Kind        screen.Kind `json:"kind"`
	Text        string      `json:"text"`
}

// Validate checks a decision before it is stored and says in Chinese what is
// wrong. A dismissal needs a justification: it lets information out that a
// detector held back, and someone may later ask why.
func (d *Decision) Validate() error {
	switch {
	case d.DocumentID <= 0:
		return review.Errorf(review.EINVALID, "筛查决定未指明文件。")
	case d.Fingerprint == "":
		return review.Errorf(review.EINVALID, "筛查决定未指明筛查项。")
	case d.Status != StatusConfirmed && d.Status != StatusDismissed:
		return review.Errorf(review.EINVALID, "筛查决定“%s”无效，可选：已确认、已排除。", d.Status)
	case d.Status == StatusDismissed && strings.TrimSpace(d.Reason) == "":
		return review.Errorf(review.EINVALID, "排除筛查项须写明理由（例如：系本单位公开的办公电话）。")
	case utf8.RuneCountInString(d.Reason) > MaxReasonRunes:
		return review.Errorf(review.EINVALID, "理由过长（最多 %d 字）。", MaxReasonRunes)
	case strings.TrimSpace(d.Actor) == "":
		return review.Errorf(review.EINVALID, "筛查决定未指明审查人。")
	case d.Revision <= 0:
		return review.Errorf(review.EINVALID, "筛查决定未指明修订版。")
	}
	return nil
}

// Item is one finding of the current revision with where it stands.
type Item struct {
	screen.Finding
	Status Status `json:"status"`
	// Decision is the decision that set Status; nil while open.
	Decision *Decision `json:"decision,omitempty"`
}

// State is the screening of a document's current revision.
type State struct {
	DocumentID int64
	Revision   int
	Hash       string // the revision hash the findings were made on
	Text       string
	Items      []Item // in text order
}

// Latest returns, per fingerprint, the decision that counts: the last one.
// decisions must be oldest first, as stores list them.
func Latest(decisions []Decision) map[string]*Decision {
	out := make(map[string]*Decision, len(decisions))
	for i := range decisions {
		out[decisions[i].Fingerprint] = &decisions[i]
	}
	return out
}

// Evaluate scans rev with sc and gives each finding the status of the latest
// decision on its fingerprint, whichever revision it was made on.
func Evaluate(sc *screen.Screener, rev *review.Revision, decisions []Decision) *State {
	latest := Latest(decisions)
	found := sc.Scan(rev.Text)
	st := &State{DocumentID: rev.DocumentID, Revision: rev.Number, Hash: rev.Hash, Text: rev.Text, Items: make([]Item, len(found))}
	for i, f := range found {
		it := Item{Finding: f, Status: StatusOpen}
		if d, ok := latest[f.Fingerprint]; ok {
			it.Status, it.Decision = d.Status, d
		}
		st.Items[i] = it
	}
	return st
}

// With returns the items of the given status, in text order.
func (s *State) With(status Status) []Item {
	var out []Item
	for _, it := range s.Items {
		if it.Status == status {
			out = append(out, it)
		}
	}
	return out
}

// Open returns the findings nobody has decided yet.
func (s *State) Open() []Item { return s.With(StatusOpen) }

// Count returns how many items have the given status.
func (s *State) Count(status Status) int {
	n := 0
	for _, it := range s.Items {
		if it.Status == status {
			n++
		}
	}
	return n
}

// Find returns the item with the given fingerprint (its first occurrence).
func (s *State) Find(fingerprint string) (*Item, bool) {
	for i := range s.Items {
		if s.Items[i].Fingerprint == fingerprint {
			return &s.Items[i], true
		}
	}
	return nil, false
}

// Summary says in one Chinese line how the screening stands, for a status
// bar and the CLI.
func (s *State) Summary() string {
	if len(s.Items) == 0 {
		return fmt.Sprintf("第 %d 版未发现须保密审查的内容。", s.Revision)
	}
	return fmt.Sprintf("第 %d 版共 %d 项筛查结果：待处理 %d，已确认 %d，已排除 %d。", s.Revision, len(s.Items),
		s.Count(StatusOpen), s.Count(StatusConfirmed), s.Count(StatusDismissed))
}

// CheckDecide tells whether u may decide status on the finding with the
// given fingerprint in st, and returns the decision to store. Only a
// 保密审查员 decides: the decision is part of the confidentiality review.
func CheckDecide(u *review.User, st *State, fingerprint string, status Status, reason string, now time.Time) (*Decision, error) {
	if !u.Has(review.RoleConfidentiality) {
		return nil, review.Errorf(review.EFORBIDDEN, "只有保密审查员可以处理筛查结果，“%s”没有该角色。", userName(u))
	}
	it, ok := st.Find(fingerprint)
	if !ok {
		return nil, review.Errorf(review.ENOTFOUND, "第 %d 版中没有指纹为 %s 的筛查项（文本可能已修改，请重新筛查）。", st.Revision, fingerprint)
	}
	d := &Decision{DocumentID: st.DocumentID, Fingerprint: fingerprint, Status: status, Reason: strings.TrimSpace(reason),
		Actor: u.Name, At: now, Revision: st.Revision, Kind: it.Kind, Text: it.Text}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if it.Decision != nil && it.Decision.Status == status && it.Decision.Reason == d.Reason {
		return nil, review.Errorf(review.ECONFLICT, "该筛查项已是“%s”，无需重复处理。", status)
	}
	return d, nil
}

// CheckApproval refuses a confidentiality approval (同意公开, 部分公开) of
// the revision st describes while any finding is open, or while a confirmed
// finding is still in the text: the reviewer must have looked at every item
// (实施条例 art. 42, 逐项审查) and what they confirmed must be redacted before
// the text can go further.
func CheckApproval(st *State) error {
	if open := st.Open(); len(open) > 0 {
		return review.Errorf(review.ECONFLICT, "第 %d 版还有 %d 项筛查结果待处理（%s），须逐项确认或排除后才能同意公开。",
			st.Revision, len(open), describe(open))
	}
	if c := st.With(StatusConfirmed); len(c) > 0 {
		return review.Errorf(review.ECONFLICT, "第 %d 版中仍有 %d 项已确认的内容（%s）未遮盖，请先作遮盖处理。",
			st.Revision, len(c), describe(c))
	}
	return nil
}

// describe names up to three items by kind and text, for messages.
func describe(items []Item) string {
	const shown = 3
	var parts []string
	for i, it := range items {
		if i == shown {
			parts = append(parts, fmt.Sprintf("等 %d 项", len(items)))
			break
		}
		parts = append(parts, fmt.Sprintf("%s“%s”", it.Kind.Label(), it.Text))
	}
	return strings.Join(parts, "、")
}

// Redaction returns st's text with every confirmed finding blacked out, and
// the items redacted. It refuses when nothing is confirmed, and checks the
// result with screen.CheckClean, the check export runs, so a redaction that
// export would refuse is never offered.
func Redaction(st *State) (string, []Item, error) {
	confirmed := st.With(StatusConfirmed)
	if len(confirmed) == 0 {
		return "", nil, review.Errorf(review.EINVALID, "第 %d 版没有已确认的筛查项，无需遮盖。", st.Revision)
	}
	fs := findings(confirmed)
	text := screen.Redact(st.Text, fs)
	if err := screen.CheckClean(text, fs); err != nil {
		return "", nil, review.WrapError(review.EINTERNAL, err, "遮盖后的文本仍含已确认的内容，未生成新修订版。")
	}
	return text, confirmed, nil
}

func findings(items []Item) []screen.Finding {
	out := make([]screen.Finding, len(items))
	for i, it := range items {
		out[i] = it.Finding
	}
	return out
}

// RedactionDetail describes a redaction for the audit log and the preview:
// how many items of which kinds.
func RedactionDetail(items []Item) string {
	counts := map[screen.Kind]int{}
	for _, it := range items {
		counts[it.Kind]++
	}
	var parts []string
	for _, k := range screen.Kinds() {
		if n := counts[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", k.Label(), n))
		}
	}
	return fmt.Sprintf("遮盖已确认的筛查项 %d 项（%s）", len(items), strings.Join(parts, "、"))
}

// Confirmed returns, from a document's decisions (oldest first), the
// findings whose latest decision is a confirmation, as screen.CheckClean
// takes them.
func Confirmed(decisions []Decision) []screen.Finding {
	latest := Latest(decisions)
	var out []screen.Finding
	for i := range decisions {
		d := &decisions[i]
		if latest[d.Fingerprint] != d || d.Status != StatusConfirmed {
			continue
		}
		// No offsets: the finding may come from an older revision.
		out = append(out, screen.Finding{Kind: d.Kind, Text: d.Text, Fingerprint: d.Fingerprint, Start: -1, End: -1})
	}
	return out
}

// CheckExport is the check export runs on the text it packages: it refuses
// if the text still holds, however spaced or written in full-width
// characters, any text a reviewer confirmed on any revision of the document
// and did not later dismiss. sc re-scans the text so that a confirmed
// finding is caught by its fingerprint too.
func CheckExport(sc *screen.Screener, text string, decisions []Decision) error {
	confirmed := Confirmed(decisions)
	if err := screen.CheckClean(text, confirmed); err != nil {
		return err
	}
	latest := Latest(decisions)
	var still []Item
	for _, f := range sc.Scan(text) {
		if d, ok := latest[f.Fingerprint]; ok && d.Status == StatusConfirmed {
			still = append(still, Item{Finding: f, Status: StatusConfirmed, Decision: d})
		}
	}
	if len(still) > 0 {
		return review.Errorf(review.EINVALID, "文本中仍有已确认须删除的内容：%s。请先完成遮盖处理，再导出。", describe(still))
	}
	return nil
}

// IsRedactionOf reports whether after is before with some code points, and
// nothing else, replaced by ■ (see review.IsRedaction).
func IsRedactionOf(before, after string) bool { return review.IsRedaction(before, after) }

// SortedItems returns st's items ordered for the finding list: open first,
// then confirmed, then dismissed, each in text order.
func SortedItems(st *State) []Item {
	out := slices.Clone(st.Items)
	rank := map[Status]int{StatusOpen: 0, StatusConfirmed: 1, StatusDismissed: 2}
	slices.SortStableFunc(out, func(a, b Item) int { return rank[a.Status] - rank[b.Status] })
	return out
}

func userName(u *review.User) string {
	if u == nil {
		return ""
	}
	return u.Label()
}
