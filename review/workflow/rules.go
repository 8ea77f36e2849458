package workflow

import (
	"slices"
	"strconv"
	"strings"

	"qianfa/review"
)

// CheckSubmit decides whether actor may submit rev, the current revision of
// doc, for review, and returns the status it enters (待保密审查). prior are
// the decisions already made on rev. skipLegality is the clerk's choice to
// skip legality review, allowed only for kinds that do not require it.
func CheckSubmit(doc *review.Document, rev *review.Revision, prior []Decision, actor *review.User, skipLegality bool) (review.Status, error) {
	if err := checkCurrent(doc, rev); err != nil {
		return "", err
	}
	if !actor.Has(review.RoleClerk) {
		return "", review.Errorf(review.EFORBIDDEN, "只有经办人可以提交审查，“%s”不是经办人。", userName(actor))
	}
	if !doc.Status.Editable() {
		return "", review.Errorf(review.ECONFLICT, "《%s》当前状态为“%s”，只有草稿或退回修改的文件可以提交审查。", doc.Meta.Title, doc.Status)
	}
	for _, d := range prior {
		if d.RevisionHash == rev.Hash && d.Outcome.Returns() {
			// Resubmitting the very text that was sent back would ask the
			// reviewers to decide again on what they already refused.
			return "", review.Errorf(review.ECONFLICT, "第 %d 版已被%s退回修改，请修改后形成新的修订版再提交。", rev.Number, d.Stage)
		}
	}
	if skipLegality && doc.Meta.Kind.NeedsLegality() {
		return "", review.Errorf(review.EINVALID, "%s必须经过合法性审核，不能跳过（国办发〔2018〕115号）。", doc.Meta.Kind)
	}
	return review.StatusConfidentiality, nil
}

// CheckDecision decides whether actor may make proposal p on rev, the
// current revision of doc, given prior, the decisions already made on that
// revision, and returns the status the document enters. It enforces, in
// order: the revision is current; the document waits for this stage; actor
// holds the stage's role; actor did not write the revision; actor performed
// no other stage on it; the outcome, reason, ground and checklist fit the
// stage.
func CheckDecision(doc *review.Document, rev *review.Revision, prior []Decision, actor *review.User, p Proposal) (review.Status, error) {
	if err := checkCurrent(doc, rev); err != nil {
		return "", err
	}
	role := p.Stage.Role()
	if role == "" {
		return "", review.Errorf(review.EINVALID, "审查环节“%s”无效。", p.Stage)
	}
	if doc.Status != p.Stage.Status() {
		if st, ok := StageOf(doc.Status); ok {
			return "", review.Errorf(review.ECONFLICT, "《%s》当前处于%s环节，不能作%s决定。", doc.Meta.Title, st, p.Stage)
		}
		return "", review.Errorf(review.ECONFLICT, "《%s》当前状态为“%s”，不在%s环节。", doc.Meta.Title, doc.Status, p.Stage)
	}
	if !actor.Has(role) {
		return "", review.Errorf(review.EFORBIDDEN, "%s须由%s作出，“%s”没有该角色。", p.Stage, role, userName(actor))
	}
	if err := checkPeople(rev, prior, actor, p.Stage); err != nil {
		return "", err
	}
	if err := checkProposal(p); err != nil {
		return "", err
	}
	return nextStatus(doc, p.Stage, p.Outcome), nil
}

// checkProposal checks the outcome, reason, ground and checklist against
// the stage, before anyone is asked for a passphrase.
func checkProposal(p Proposal) error {
	if !p.Stage.Allows(p.Outcome) {
		var opts []string
		for _, o := range p.Stage.Outcomes() {
			opts = append(opts, string(o))
		}
		return review.Errorf(review.EINVALID, "%s的决定“%s”无效，可选：%s。", p.Stage, p.Outcome, strings.Join(opts, "、"))
	}
	if p.Outcome.Returns() && strings.TrimSpace(p.Reason) == "" {
		return review.Errorf(review.EINVALID, "“%s”须写明理由，以便经办人修改。", p.Outcome)
	}
	switch {
	case p.Outcome.NeedsGround() && p.Ground == "":
		return review.Errorf(review.EINVALID, "“%s”须注明依据：《政府信息公开条例》第十四条、第十五条或第十六条。", p.Outcome)
	case p.Outcome.NeedsGround():
		if _, err := ParseGround(string(p.Ground)); err != nil {
			return err
		}
	case p.Ground != "":
		return review.Errorf(review.EINVALID, "只有不予公开或部分公开需要注明依据，“%s”不需要。", p.Outcome)
	}
	if p.Stage != StageLegality {
		if !p.Checklist.IsZero() {
			return review.Errorf(review.EINVALID, "合法性审核表只用于合法性审核，%s不需要。", p.Stage)
		}
		return nil
	}
	if p.Checklist.IsZero() {
		return review.Errorf(review.EINVALID, "合法性审核须逐项填写七项审核内容（国办发〔2018〕115号第六条）。")
	}
	if err := p.Checklist.Validate(); err != nil {
		return err
	}
	if failed := p.Checklist.Failed(); p.Outcome == OutcomeLawful && len(failed) > 0 {
		return review.Errorf(review.EINVALID, "第 %s 项审核不通过，不能出具“合法”意见；应为“不合法”或“应当予以修改”。", joinInts(failed))
	}
	return nil
}

// nextStatus is the transition table of DESIGN.md.
func nextStatus(doc *review.Document, s Stage, o Outcome) review.Status {
	switch {
	case o.Returns():
		return review.StatusReturned
	case o == OutcomeWithhold:
		return review.StatusWithheld
	case s == StageConfidentiality && doc.SkipLegality && !doc.Meta.Kind.NeedsLegality():
		return review.StatusSignoff
	case s == StageConfidentiality:
		return review.StatusLegality
	case s == StageLegality:
		return review.StatusSignoff
	default: // 签发
		return review.StatusApproved
	}
}

// checkCurrent refuses a decision on anything but the document's current
// revision: decisions bind to one revision hash, and an edit since the
// reviewer opened the draft means they read another text.
func checkCurrent(doc *review.Document, rev *review.Revision) error {
	if rev.DocumentID != doc.ID || rev.Number != doc.CurrentRevision || rev.Hash != doc.CurrentHash {
		return review.Errorf(review.ECONFLICT, "《%s》已有新的修订版（第 %d 版），请针对当前版本办理。", doc.Meta.Title, doc.CurrentRevision)
	}
	return nil
}

func userName(u *review.User) string {
	if u == nil {
		return ""
	}
	return u.Label()
}

func joinInts(n []int) string {
	s := make([]string, len(n))
	for i, v := range n {
		s[i] = strconv.Itoa(v)
	}
	return strings.Join(s, "、")
}

// checkPeople is separation of duties: the drafter reviews nothing of their
// own text, and one person performs at most one stage on a revision. A
// redaction is confidentiality review's own work on the drafter's text, so
// whoever redacted it, in this revision or in an earlier redaction it
// builds on, may go on to decide that stage, and no other.
func checkPeople(rev *review.Revision, prior []Decision, actor *review.User, stage Stage) error {
	redacted := slices.Contains(rev.RedactedBy(), actor.Name)
	switch {
	case actor.Name == rev.Drafter || (actor.Name == rev.Author && !redacted):
		return review.Errorf(review.EFORBIDDEN, "“%s”是第 %d 版的起草人，不能审查或签发自己起草的文本。", userName(actor), rev.Number)
	case redacted && stage != StageConfidentiality:
		return review.Errorf(review.EFORBIDDEN, "“%s”对第 %d 版的文本作了遮盖处理（属保密审查），同一人对同一修订版只能承担一个审查环节。", userName(actor), rev.Number)
	}
	for _, d := range prior {
		if d.RevisionHash != rev.Hash || d.Actor != actor.Name {
			continue
		}
		if d.Stage != stage {
			return review.Errorf(review.EFORBIDDEN, "“%s”已在第 %d 版上作出%s决定，同一人对同一修订版只能承担一个审查环节。", userName(actor), rev.Number, d.Stage)
		}
		return review.Errorf(review.ECONFLICT, "“%s”已在第 %d 版上作出%s决定，不能重复决定。", userName(actor), rev.Number, d.Stage)
	}
	return nil
}
