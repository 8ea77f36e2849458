package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/comment"
	"qianfa/review/sshsig"
	"qianfa/review/workflow"
)

func init() {
	register(&command{name: "review submit", usage: "ID [--no-legality]",
		summary: "经办人提交审查（--no-legality 仅限规章、行政规范性文件以外的文种）", run: runReviewSubmit})
	register(&command{name: "review approve", usage: "ID --stage confidentiality|legality|signoff [--partial --ground 条] [--reason 说明] [--checklist FILE.json]",
		summary: "同意：保密审查“同意公开”（--partial 为“部分公开”，须 --ground）、合法性审核“合法”（须 --checklist）、签发", run: runReviewApprove})
	register(&command{name: "review return", usage: "ID --stage confidentiality|legality|signoff --reason 理由 [--opinion 不合法] [--checklist FILE.json]",
		summary: "退回修改（合法性审核默认意见“应当予以修改”，--opinion 不合法 可改）", run: runReviewReturn})
	register(&command{name: "review withhold", usage: "ID --ground 14|15|16 [--reason 说明] [--stage confidentiality]",
		summary: "保密审查决定不予公开，须注明《政府信息公开条例》第十四、十五或十六条", run: runReviewWithhold})
	register(&command{name: "review status", usage: "ID [--json]", summary: "显示文件的审查状态、时限和各环节决定", run: runReviewStatus})
	register(&command{name: "review verify", usage: "ID [--allowed-signers FILE]",
		summary: "验证文件全部审查决定的签名；全部有效退出码为 0，否则为 1。不加选项时以工作区内登记的密钥核对，只能发现决定被改动；" +
			"加 --allowed-signers（keys allowed-signers 导出、保存在工作区以外的可信密钥清单）时，签名密钥须在清单中登记为决定人本人、" +
			"用途含 qianfa-decision 且在决定时有效，可发现有人在数据库中为他人私加密钥冒签", run: runReviewVerify})
}

// service is the workflow over the workspace.
func (c *cli) service() (*workflow.Service, error) {
	s, err := c.services()
	if err != nil {
		return nil, err
	}
	return s.Review, nil
}

// reviewer is the --user a review command acts as; reviews are personal, so
// unlike import there is no fallback to the operating-system user.
func (c *cli) reviewer() (string, error) {
	if c.user == "" {
		return "", usagef("请用 --user 指明以哪个用户的身份办理")
	}
	return c.actor()
}

func runReviewSubmit(c *cli, args []string) error {
	fs := flag.NewFlagSet("review submit", flag.ContinueOnError)
	noLegality := fs.Bool("no-legality", false, "不经合法性审核（规章、行政规范性文件不可）")
	id, err := oneDoc(fs, args, "")
	if err != nil {
		return err
	}
	user, err := c.reviewer()
	if err != nil {
		return err
	}
	svc, err := c.service()
	if err != nil {
		return err
	}
	d, err := svc.Submit(c.ctx, user, id, *noLegality)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "已提交：《%s》第 %d 版，状态：%s\n", d.Meta.Title, d.CurrentRevision, d.Status)
	return nil
}

// decisionFlags are the flags every deciding command shares.
type decisionFlags struct {
	fs        *flag.FlagSet
	stage     *string
	reason    *string
	ground    *string
	checklist *string
}

func newDecisionFlags(name string) *decisionFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	return &decisionFlags{
		fs:        fs,
		stage:     fs.String("stage", "", "审查环节：confidentiality（保密审查）、legality（合法性审核）、signoff（签发）"),
		reason:    fs.String("reason", "", "理由或说明"),
		ground:    fs.String("ground", "", "不予公开或部分公开的依据：14、15、16（《政府信息公开条例》条文）"),
		checklist: fs.String("checklist", "", "合法性审核表 JSON 文件，键为 \"1\"…\"7\""),
	}
}

// parse reads the flags and returns the document ID and a proposal with
// stage, reason, ground and checklist filled; the caller sets the outcome.
func (f *decisionFlags) parse(args []string, stageRequired bool) (int64, workflow.Proposal, error) {
	var p workflow.Proposal
	pos, err := parseFlags(f.fs, args)
	if err != nil {
		return 0, p, err
	}
	if len(pos) != 1 {
		return 0, p, usagef("请给出一个文件编号")
	}
	id, err := parseID(pos[0])
	if err != nil {
		return 0, p, err
	}
	switch {
	case *f.stage != "":
		if p.Stage, err = workflow.ParseStage(*f.stage); err != nil {
			return 0, p, err
		}
	case stageRequired:
		return 0, p, usagef("请用 --stage 指明审查环节：confidentiality、legality 或 signoff")
	}
	p.Reason = *f.reason
	if *f.ground != "" {
		if p.Ground, err = workflow.ParseGround(*f.ground); err != nil {
			return 0, p, err
		}
	}
	if *f.checklist != "" {
		data, err := os.ReadFile(*f.checklist)
		if err != nil {
			return 0, p, review.WrapError(review.EINVALID, err, "无法读取合法性审核表 %s。", *f.checklist)
		}
		if p.Checklist, err = workflow.ParseChecklist(data); err != nil {
			return 0, p, err
		}
	}
	return id, p, nil
}

func runReviewApprove(c *cli, args []string) error {
	f := newDecisionFlags("review approve")
	partial := f.fs.Bool("partial", false, "保密审查：部分公开（遮盖后公开），须 --ground")
	id, p, err := f.parse(args, true)
	if err != nil {
		return err
	}
	switch p.Stage {
	case workflow.StageConfidentiality:
		p.Outcome = workflow.OutcomeDisclose
		if *partial {
			p.Outcome = workflow.OutcomePartial
		}
	case workflow.StageLegality:
		p.Outcome = workflow.OutcomeLawful
	case workflow.StageSignoff:
		p.Outcome = workflow.OutcomeSign
	}
	if *partial && p.Stage != workflow.StageConfidentiality {
		return usagef("--partial 只用于保密审查")
	}
	return c.decide(id, p)
}

func runReviewReturn(c *cli, args []string) error {
	f := newDecisionFlags("review return")
	opinion := f.fs.String("opinion", "", "合法性审核意见：应当予以修改（默认）或 不合法")
	id, p, err := f.parse(args, true)
	if err != nil {
		return err
	}
	p.Outcome = workflow.OutcomeReturn
	if p.Stage == workflow.StageLegality {
		p.Outcome = workflow.OutcomeAmend
		switch *opinion {
		case "", string(workflow.OutcomeAmend), "amend":
		case string(workflow.OutcomeUnlawful), "unlawful":
			p.Outcome = workflow.OutcomeUnlawful
		default:
			return usagef("--opinion 只能是“应当予以修改”或“不合法”")
		}
	} else if *opinion != "" {
		return usagef("--opinion 只用于合法性审核")
	}
	return c.decide(id, p)
}

func runReviewWithhold(c *cli, args []string) error {
	f := newDecisionFlags("review withhold")
	id, p, err := f.parse(args, false)
	if err != nil {
		return err
	}
	if p.Stage == "" {
		p.Stage = workflow.StageConfidentiality
	}
	if p.Stage != workflow.StageConfidentiality {
		return usagef("不予公开只能在保密审查环节决定")
	}
	p.Outcome = workflow.OutcomeWithhold
	return c.decide(id, p)
}

// decide checks the proposal first, so nobody types a passphrase for a
// decision the rules refuse, then asks for it, signs and records.
func (c *cli) decide(id int64, p workflow.Proposal) error {
	user, err := c.reviewer()
	if err != nil {
		return err
	}
	svc, err := c.service()
	if err != nil {
		return err
	}
	doc, rev, err := svc.Check(c.ctx, user, id, p)
	if err != nil {
		return err
	}
	pass, err := c.passphrase(fmt.Sprintf("%s：《%s》第 %d 版 → %s。请输入“%s”的口令以签名：", p.Stage, doc.Meta.Title, rev.Number, p.Outcome, user), false)
	if err != nil {
		return err
	}
	d, doc, err := svc.Decide(c.ctx, user, id, rev.Hash, p, pass)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "已签署：%s %s（《%s》第 %d 版，密钥 %s），文件状态：%s\n",
		d.Stage, d.Outcome, doc.Meta.Title, d.Revision, d.KeyFP, doc.Status)
	return nil
}

// statusReport is `review status --json`.
type statusReport struct {
	Document  review.Document     `json:"document"`
	Author    string              `json:"current_revision_author"`
	Waiting   workflow.Stage      `json:"waiting_for,omitempty"`
	Due       string              `json:"due,omitempty"`
	DueWhat   string              `json:"due_what,omitempty"`
	Urgency   string              `json:"urgency,omitempty"`
	Decisions []workflow.Decision `json:"decisions"` // all revisions, oldest first
	// PublicComment is what legality review must see of the 征求意见
	// (国办发〔2018〕115号 §五): whether it was held, the window, the count of
	// comments considered.
	PublicComment comment.Record `json:"public_comment"`
}

func runReviewStatus(c *cli, args []string) error {
	fs := flag.NewFlagSet("review status", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "输出 JSON")
	id, err := oneDoc(fs, args, "")
	if err != nil {
		return err
	}
	svc, err := c.service()
	if err != nil {
		return err
	}
	sum, err := svc.Summary(c.ctx, id)
	if err != nil {
		return err
	}
	all, err := svc.Store.Decisions(c.ctx, id)
	if err != nil {
		return err
	}
	rep := statusReport{Document: sum.Document, Author: sum.Revision.Author, Decisions: all}
	if rep.Decisions == nil {
		rep.Decisions = []workflow.Decision{}
	}
	db, err := c.open()
	if err != nil {
		return err
	}
	if rep.PublicComment, err = db.PublicComment(c.ctx, id); err != nil {
		return err
	}
	rep.Waiting, _ = workflow.StageOf(sum.Document.Status)
	if item, err := deadline(c, svc, &sum.Document, rep.Waiting); err != nil {
		return err
	} else if !item.Due.IsZero() {
		rep.Due, rep.DueWhat, rep.Urgency = item.Due.String(), item.DueWhat, item.Urgency.String()
	}
	if *asJSON {
		return writeJSON(c, rep)
	}
	d := &rep.Document
	fmt.Fprintf(c.stdout, "《%s》 索引号 %s\n", d.Meta.Title, d.IndexNo)
	fmt.Fprintf(c.stdout, "状态：%s（自 %s）\n", d.Status, d.StageSince.In(calendar.Location()).Format("2006-01-02 15:04"))
	fmt.Fprintf(c.stdout, "当前版本：第 %d 版 sha256:%s，起草人 %s\n", d.CurrentRevision, d.CurrentHash, rep.Author)
	switch {
	case d.Meta.Kind.NeedsLegality():
		fmt.Fprintf(c.stdout, "合法性审核：%s必须经过\n", d.Meta.Kind)
	case d.SkipLegality:
		fmt.Fprintln(c.stdout, "合法性审核：经办人提交时选择不经过")
	}
	if rep.Due != "" {
		fmt.Fprintf(c.stdout, "时限：%s（%s，%s）\n", rep.Due, rep.DueWhat, rep.Urgency)
	}
	if d.Meta.Kind.NeedsLegality() || rep.PublicComment.Held {
		fmt.Fprintf(c.stdout, "公开征求意见：%s\n", rep.PublicComment.Summary())
	}
	if len(all) == 0 {
		fmt.Fprintln(c.stdout, "审查决定：无")
		return nil
	}
	fmt.Fprintln(c.stdout, "审查决定：")
	for _, x := range all {
		fmt.Fprintf(c.stdout, "  %s\n", decisionLine(&x))
	}
	return nil
}

// deadline works out the time limit of a document as the inbox would show
// it to the holder of the waiting stage.
func deadline(c *cli, svc *workflow.Service, d *review.Document, stage workflow.Stage) (workflow.InboxItem, error) {
	cal, err := svc.Calendar(c.ctx)
	if err != nil {
		return workflow.InboxItem{}, err
	}
	return workflow.Deadline(cal, *d, stage, calendar.FromTime(time.Now())), nil
}

func decisionLine(d *workflow.Decision) string {
	s := fmt.Sprintf("第 %d 版 %s：%s，%s，%s", d.Revision, d.Stage, d.Outcome, d.Actor,
		d.At.In(calendar.Location()).Format("2006-01-02 15:04"))
	if d.Ground != "" {
		s += "，依据" + string(d.Ground)
	}
	if d.Reason != "" {
		s += "，理由：" + d.Reason
	}
	return s
}

func runReviewVerify(c *cli, args []string) error {
	fs := flag.NewFlagSet("review verify", flag.ContinueOnError)
	allowedFile := fs.String("allowed-signers", "", "可信密钥清单（keys allowed-signers 导出的 allowed_signers 文件）；给出时以它而不是工作区内的密钥核对签名人")
	id, err := oneDoc(fs, args, "")
	if err != nil {
		return err
	}
	var allowed sshsig.AllowedSigners
	if *allowedFile != "" {
		if allowed, err = readAllowedSigners(*allowedFile); err != nil {
			return err
		}
	}
	svc, err := c.service()
	if err != nil {
		return err
	}
	var res []workflow.Verification
	if *allowedFile != "" {
		res, err = svc.VerifyAllowed(c.ctx, id, allowed)
	} else {
		res, err = svc.Verify(c.ctx, id)
	}
	if err != nil {
		return err
	}
	if len(res) == 0 {
		fmt.Fprintln(c.stdout, "该文件尚无审查决定。")
		return nil
	}
	by := "工作区登记的密钥"
	if *allowedFile != "" {
		by = "可信密钥清单 " + *allowedFile + " "
	}
	bad := 0
	for _, r := range res {
		if r.Err != nil {
			bad++
			fmt.Fprintf(c.stdout, "无效 %s —— %s\n", decisionLine(&r.Decision), review.ErrorMessage(r.Err))
			continue
		}
		fmt.Fprintf(c.stdout, "有效 %s（密钥 %s）\n", decisionLine(&r.Decision), r.Decision.KeyFP)
	}
	if bad > 0 {
		fmt.Fprintf(c.stderr, "错误：%d 个决定的签名无效（依据%s核对）。\n", bad, by)
		return &exitError{code: 1}
	}
	fmt.Fprintf(c.stdout, "全部 %d 个决定的签名有效（依据%s核对）。\n", len(res), by)
	return nil
}

// readAllowedSigners reads the office's allowed_signers file. An empty file
// is refused: it would make every decision fail for a reason that has
// nothing to do with the decisions.
func readAllowedSigners(path string) (sshsig.AllowedSigners, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, review.WrapError(review.EINVALID, err, "无法读取可信密钥清单 %s。", path)
	}
	allowed, err := sshsig.ParseAllowedSigners(data)
	if err != nil {
		return nil, review.WrapError(review.EINVALID, err, "可信密钥清单 %s 无法读取：%s", path, review.ErrorMessage(err))
	}
	if len(allowed) == 0 {
		return nil, review.Errorf(review.EINVALID, "可信密钥清单 %s 中没有任何签名人；请用 qianfa-cli keys allowed-signers 导出。", path)
	}
	return allowed, nil
}
