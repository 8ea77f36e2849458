package workflow

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"

	"qianfa/review"
)

// Stage is one step of the review. Values are the office's own words; they
// appear in signed statements, so they never change.
type Stage string

// The stages, in the order a draft passes them.
const (
	StageConfidentiality Stage = "保密审查"
	StageLegality        Stage = "合法性审核"
	StageSignoff         Stage = "签发"
)

// Stages lists every stage in workflow order.
var Stages = []Stage{StageConfidentiality, StageLegality, StageSignoff}

var stageWords = map[string]Stage{
	"confidentiality": StageConfidentiality, "legality": StageLegality, "signoff": StageSignoff,
}

// ParseStage accepts a stage's Chinese name or the English word the CLI uses
// (confidentiality, legality, signoff).
func ParseStage(s string) (Stage, error) {
	s = strings.TrimSpace(s)
	for _, st := range Stages {
		if s == string(st) {
			return st, nil
		}
	}
	if st, ok := stageWords[strings.ToLower(s)]; ok {
		return st, nil
	}
	return "", review.Errorf(review.EINVALID, "审查环节“%s”无效，可选：保密审查、合法性审核、签发（或 confidentiality、legality、signoff）。", s)
}

// Role is the role whose holder decides the stage.
func (s Stage) Role() review.Role {
	switch s {
	case StageConfidentiality:
		return review.RoleConfidentiality
	case StageLegality:
		return review.RoleLegal
	case StageSignoff:
		return review.RoleSignoff
	}
	return ""
}

// Status is the document status in which the stage waits for a decision.
func (s Stage) Status() review.Status {
	switch s {
	case StageConfidentiality:
		return review.StatusConfidentiality
	case StageLegality:
		return review.StatusLegality
	case StageSignoff:
		return review.StatusSignoff
	}
	return ""
}

// StageOf returns the stage waiting in status st, if any.
func StageOf(st review.Status) (Stage, bool) {
	for _, s := range Stages {
		if s.Status() == st {
			return s, true
		}
	}
	return "", false
}

// Outcome is what a stage decides. Values are the office's words and appear
// in signed statements.
type Outcome string

// The outcomes. 退回修改 is shared by every stage.
const (
	OutcomeDisclose Outcome = "同意公开"
	OutcomePartial  Outcome = "部分公开"
	OutcomeWithhold Outcome = "不予公开"
	OutcomeReturn   Outcome = "退回修改"
	OutcomeLawful   Outcome = "合法"
	OutcomeUnlawful Outcome = "不合法"
	OutcomeAmend    Outcome = "应当予以修改"
	OutcomeSign     Outcome = "签发"
)

// Outcomes lists what stage s may decide, in the order dialogs offer them.
func (s Stage) Outcomes() []Outcome {
	switch s {
	case StageConfidentiality:
		return []Outcome{OutcomeDisclose, OutcomePartial, OutcomeWithhold, OutcomeReturn}
	case StageLegality:
		return []Outcome{OutcomeLawful, OutcomeUnlawful, OutcomeAmend}
	case StageSignoff:
		return []Outcome{OutcomeSign, OutcomeReturn}
	}
	return nil
}

// Allows reports whether stage s may decide o.
func (s Stage) Allows(o Outcome) bool {
	for _, x := range s.Outcomes() {
		if x == o {
			return true
		}
	}
	return false
}

// Returns reports whether the outcome sends the draft back to the clerk:
// 退回修改 itself, and the legality opinions 不合法 and 应当予以修改.
func (o Outcome) Returns() bool {
	return o == OutcomeReturn || o == OutcomeUnlawful || o == OutcomeAmend
}

// NeedsGround reports whether the outcome withholds something and so must
// name its legal ground: 不予公开, and 部分公开 for the part it withholds
// (条例第三十七条).
func (o Outcome) NeedsGround() bool { return o == OutcomeWithhold || o == OutcomePartial }

// Ground is the legal ground for withholding: an article of
// 《中华人民共和国政府信息公开条例》(2019).
type Ground string

// The grounds the 条例 gives.
const (
	GroundArt14 Ground = "《政府信息公开条例》第十四条"
	GroundArt15 Ground = "《政府信息公开条例》第十五条"
	GroundArt16 Ground = "《政府信息公开条例》第十六条"
)

// Grounds lists every ground, for menus.
var Grounds = []Ground{GroundArt14, GroundArt15, GroundArt16}

// GroundSummary says in a few words what each article covers, for the
// decision dialog.
var GroundSummary = map[Ground]string{
	GroundArt14: "国家秘密、法律行政法规禁止公开、危及国家安全公共安全经济安全社会稳定",
	GroundArt15: "商业秘密、个人隐私（第三方不同意且不影响公共利益）",
	GroundArt16: "内部事务信息、过程性信息、行政执法案卷",
}

// ParseGround accepts a ground as the article number (14, 15, 16), its
// Chinese form (第十四条) or the full citation.
func ParseGround(s string) (Ground, error) {
	s = strings.TrimSpace(s)
	for _, g := range Grounds {
		short := strings.TrimPrefix(string(g), "《政府信息公开条例》")
		if s == string(g) || s == short {
			return g, nil
		}
	}
	switch strings.TrimPrefix(strings.ToLower(s), "art") {
	case "14":
		return GroundArt14, nil
	case "15":
		return GroundArt15, nil
	case "16":
		return GroundArt16, nil
	}
	return "", review.Errorf(review.EINVALID, "不予公开的依据“%s”无效，应为《政府信息公开条例》第十四条、第十五条或第十六条（可写 14、15、16）。", s)
}

// CheckResult is the result of one legality check.
type CheckResult string

// The results of a legality check.
const (
	CheckPass CheckResult = "通过"
	CheckFail CheckResult = "不通过"
	CheckNA   CheckResult = "不适用"
)

// CheckResults lists the results in the order forms offer them.
var CheckResults = []CheckResult{CheckPass, CheckFail, CheckNA}

// LegalityChecks are the seven points of 国办发〔2018〕115号 §六, in order.
// A Checklist's entries follow this order.
var LegalityChecks = [7]string{
	"制定主体是否合法",
	"是否超越法定职权",
	"内容是否符合宪法、法律、法规、规章和国家政策",
	"是否违法设立行政许可、行政处罚、行政强制、行政征收、行政收费等事项",
	"是否存在没有法律、法规依据减损公民、法人和其他组织合法权益或者增加其义务的情形",
	"是否存在没有法律、法规依据增加本单位权力或者减少本单位法定职责的情形",
	"是否违反规范性文件制定程序（含依法应当征求意见的是否已征求意见）",
}

// Check is one point of the legality review.
type Check struct {
	Result CheckResult `json:"result"`
	Note   string      `json:"note"`
}

// Checklist is the legality reviewer's seven checks, in LegalityChecks
// order. Its JSON form is an object keyed "1" to "7", which is what the CLI
// reads from --checklist.
type Checklist [7]Check

// IsZero reports whether no check has been filled: stages other than
// legality carry an empty checklist.
func (c Checklist) IsZero() bool { return c == Checklist{} }

// MarshalJSON writes the object keyed "1" to "7".
func (c Checklist) MarshalJSON() ([]byte, error) {
	m := make(map[string]Check, len(c))
	for i, ch := range c {
		m[strconv.Itoa(i+1)] = ch
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads the object keyed "1" to "7"; see ParseChecklist for
// the checks made on content.
func (c *Checklist) UnmarshalJSON(b []byte) error {
	var m map[string]Check
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	var out Checklist
	for k, v := range m {
		i, err := strconv.Atoi(k)
		if err != nil || i < 1 || i > 7 || strconv.Itoa(i) != k {
			return review.Errorf(review.EINVALID, "合法性审核表的键“%s”无效，应为 \"1\" 至 \"7\"。", k)
		}
		out[i-1] = v
	}
	*c = out
	return nil
}

// ParseChecklist reads a checklist file: a JSON object keyed "1" to "7",
// each {"result": "通过"|"不通过"|"不适用", "note": "…"}. It checks the
// form only; Validate checks that it is complete.
func ParseChecklist(data []byte) (Checklist, error) {
	var c Checklist
	if err := json.Unmarshal(data, &c); err != nil {
		var de *review.Error
		if asDomain(err, &de) {
			return c, de
		}
		return c, review.WrapError(review.EINVALID, err, "合法性审核表不是有效的 JSON：应为以 \"1\" 至 \"7\" 为键的对象，每项形如 {\"result\": \"通过\", \"note\": \"…\"}。")
	}
	return c, nil
}

// Validate checks that all seven points have a result and that every failed
// point says why: a bare 不通过 gives the drafter nothing to fix.
func (c Checklist) Validate() error {
	for i, ch := range c {
		switch ch.Result {
		case CheckPass, CheckNA:
		case CheckFail:
			if strings.TrimSpace(ch.Note) == "" {
				return review.Errorf(review.EINVALID, "合法性审核第 %d 项（%s）不通过，须写明理由。", i+1, LegalityChecks[i])
			}
		case "":
			return review.Errorf(review.EINVALID, "合法性审核第 %d 项（%s）未填写结果，七项均须填写。", i+1, LegalityChecks[i])
		default:
			return review.Errorf(review.EINVALID, "合法性审核第 %d 项的结果“%s”无效，可选：通过、不通过、不适用。", i+1, ch.Result)
		}
	}
	return nil
}

// Failed returns the 1-based numbers of the points that did not pass.
func (c Checklist) Failed() []int {
	var out []int
	for i, ch := range c {
		if ch.Result == CheckFail {
			out = append(out, i+1)
		}
	}
	return out
}

// Digest is the SHA-256 (hex) of the checklist in a canonical form, so the
// signed statement covers every result and note without carrying them all;
// "" for an empty checklist.
func (c Checklist) Digest() string {
	if c.IsZero() {
		return ""
	}
	var b strings.Builder
	b.WriteString("qianfa-checklist-v1\n")
	for i, ch := range c {
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(string(ch.Result)))
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(ch.Note))
		b.WriteByte('\n')
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}
