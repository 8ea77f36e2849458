package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	"qianfa/review/comment"
	"qianfa/review/compare"
	"qianfa/review/screening"
	"qianfa/review/workflow"
)

// reviewPane shows the selected inbox item: the summary an approving
// official reads before 签发 (metadata, both reviews, screening findings,
// changes since the last approved revision) and the actions the user may
// take on it.
type reviewPane struct {
	widget.BaseWidget
	app    *App
	onDone func() // after a submission or decision, to reload the inbox

	item    workflow.InboxItem
	summary *workflow.Summary
	extras  summaryExtras
	gen     int

	heading *widget.Label
	actions *fyne.Container
	content *fyne.Container // the summary's sections
	stack   *fyne.Container
	empty   fyne.CanvasObject
	body    fyne.CanvasObject
}

func newReviewPane(a *App, onDone func()) *reviewPane {
	p := &reviewPane{app: a, onDone: onDone}
	p.ExtendBaseWidget(p)
	p.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.heading.SizeName = theme.SizeNameSubHeadingText
	p.heading.Wrapping = fyne.TextWrapWord
	p.actions = container.NewHBox()
	p.content = container.NewVBox()
	p.body = container.NewBorder(container.NewVBox(p.heading, p.actions, widget.NewSeparator()), nil, nil, nil,
		container.NewVScroll(p.content))
	p.empty = placeholder("办理", "在左侧选择一件待办，查看审查摘要并办理。")
	p.stack = container.NewStack(p.empty)
	return p
}

// CreateRenderer implements fyne.Widget.
func (p *reviewPane) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(p.stack)
}

func (p *reviewPane) clear() {
	p.gen++
	p.summary = nil
	p.stack.Objects = []fyne.CanvasObject{p.empty}
	p.stack.Refresh()
}

// load fetches the item's summary and shows it with its actions.
func (p *reviewPane) load(it workflow.InboxItem) {
	p.gen++
	gen := p.gen
	var m *workflow.Summary
	var x summaryExtras
	p.app.Background(func(ctx context.Context) (err error) {
		if m, err = p.app.svc.Review.Summary(ctx, it.Document.ID); err != nil {
			return err
		}
		x, err = p.app.loadExtras(ctx, m)
		return err
	}, func(err error) {
		if gen != p.gen {
			return
		}
		if err != nil {
			p.app.ShowError(err)
			return
		}
		p.item, p.summary, p.extras = it, m, x
		p.show()
	})
}

func (p *reviewPane) show() {
	m := p.summary
	title := m.Document.Meta.Title
	if p.item.Stage == workflow.StageSignoff {
		title = "签发：" + title
	}
	p.heading.SetText(title)
	p.actions.Objects = p.actionButtons()
	p.actions.Refresh()
	p.content.Objects = summarySections(m, p.extras, p.item, p.app.userLabel)
	p.content.Refresh()
	p.stack.Objects = []fyne.CanvasObject{p.body}
	p.stack.Refresh()
}

// actionButtons offers what the item's user may do: submit for a clerk,
// the stage's decisions for a reviewer.
func (p *reviewPane) actionButtons() []fyne.CanvasObject {
	doc, hash := p.summary.Document, p.summary.Revision.Hash
	done := func() {
		p.app.DocumentsChanged()
		p.onDone()
	}
	switch p.item.Stage {
	case "":
		b := widget.NewButtonWithIcon("提交审查…", theme.Icon(theme.IconNameMailSend), func() { p.app.showSubmit(doc, done) })
		b.Importance = widget.HighImportance
		return []fyne.CanvasObject{b}
	case workflow.StageSignoff:
		sign := widget.NewButtonWithIcon("签发…", theme.Icon(theme.IconNameConfirm), func() {
			p.app.showDecision(doc, hash, workflow.StageSignoff, workflow.OutcomeSign, done)
		})
		sign.Importance = widget.HighImportance
		back := widget.NewButtonWithIcon("退回修改…", theme.Icon(theme.IconNameMailReply), func() {
			p.app.showDecision(doc, hash, workflow.StageSignoff, workflow.OutcomeReturn, done)
		})
		return []fyne.CanvasObject{sign, back}
	}
	stage := p.item.Stage
	b := widget.NewButtonWithIcon(string(stage)+"…", theme.Icon(theme.IconNameDocumentCreate), func() {
		p.app.showDecision(doc, hash, stage, "", done)
	})
	b.Importance = widget.HighImportance
	return []fyne.CanvasObject{b}
}

// summaryExtras are what the other parts of review know about the revision
// on the summary page; each is nil where that part is not configured.
type summaryExtras struct {
	screening *screening.State // findings on the revision
	changes   *compare.Result  // the revision against the last one signed off
	comment   *comment.Record  // public comment, for legality review
}

// loadExtras gathers the summary's screening findings, the comparison with
// the last signed-off revision and the public-comment record. It runs off
// the UI goroutine.
func (a *App) loadExtras(ctx context.Context, m *workflow.Summary) (summaryExtras, error) {
	var x summaryExtras
	var err error
	if a.svc.Screening != nil {
		if x.screening, err = a.svc.Screening.State(ctx, m.Document.ID); err != nil {
			return x, err
		}
	}
	if m.LastApproved > 0 {
		old, err := a.svc.Docs.Revision(ctx, m.Document.ID, m.LastApproved)
		if err != nil {
			return x, err
		}
		if x.changes, err = compare.Compare(old.Text, m.Revision.Text, compare.Options{}); err != nil {
			return x, err
		}
	}
	if cs := a.svc.Comments; cs != nil {
		rec, err := cs.PublicComment(ctx, m.Document.ID)
		if err != nil {
			return x, err
		}
		x.comment = &rec
	}
	return x, nil
}

// summarySections are the parts of the 签发 summary page, in the order an
// official reads them.
func summarySections(m *workflow.Summary, x summaryExtras, it workflow.InboxItem, label func(string) string) []fyne.CanvasObject {
	d, rev := &m.Document, &m.Revision
	// Two columns of short fields, so the reviews stay in view on an
	// ordinary screen.
	left, right := widget.NewForm(), widget.NewForm()
	row := func(f *widget.Form, k, v string) {
		if v == "" {
			v = "—"
		}
		l := widget.NewLabel(v)
		l.Wrapping = fyne.TextWrapWord
		f.Append(k, l)
	}
	row(left, "文种", string(d.Meta.Kind))
	row(right, "索引号", d.IndexNo)
	row(left, "发文机关", d.Meta.Issuer)
	row(right, "发文字号", d.Meta.DocNumber)
	row(left, "成文日期", d.Meta.WrittenOn)
	row(right, "公开属性", string(d.Meta.Disclosure))
	full := widget.NewForm()
	row(full, "送审版本", fmt.Sprintf("第 %d 版（SHA-256 %s…），起草人 %s", rev.Number, rev.Hash[:16], label(rev.Author)))
	if !it.Due.IsZero() {
		due := widget.NewLabel(dueText(it))
		due.Importance = urgencyImportance(it.Urgency)
		full.Append("办理时限", due)
	}
	meta := container.NewVBox(container.NewGridWithColumns(2, left, right), full)

	out := []fyne.CanvasObject{section("基本信息"), meta}
	out = append(out, section("保密审查"))
	out = append(out, decisionBlock(m.Decision(workflow.StageConfidentiality), label, "尚未作出保密审查决定。")...)
	out = append(out, section("合法性审核"))
	switch {
	case m.Decision(workflow.StageLegality) != nil:
		out = append(out, decisionBlock(m.Decision(workflow.StageLegality), label, "")...)
	case d.SkipLegality && !d.Meta.Kind.NeedsLegality():
		out = append(out, note("经办人提交时选择不经合法性审核（该文种不强制）。"))
	default:
		out = append(out, note("尚未作出合法性审核意见。"))
	}
	if x.comment != nil && (x.comment.Held || d.Meta.Kind.NeedsLegality()) {
		out = append(out, section("公开征求意见"), wrapLabel(x.comment.Summary()))
	}
	if x.screening != nil {
		out = append(out, section("保密筛查"), wrapLabel(x.screening.Summary()))
		for _, st := range []screening.Status{screening.StatusOpen, screening.StatusDismissed} {
			for _, item := range x.screening.With(st) {
				line := fmt.Sprintf("%s　%s：%s", item.Status, item.Kind.Label(), item.Text)
				if item.Decision != nil && item.Decision.Reason != "" {
					line += "（排除理由：" + item.Decision.Reason + "）"
				}
				l := wrapLabel(line)
				if st == screening.StatusOpen {
					l.Importance = widget.DangerImportance
				}
				out = append(out, l)
			}
		}
	}
	out = append(out, section("与上次签发版本的差异"))
	switch {
	case m.LastApproved == 0:
		out = append(out, note("此前没有签发过的版本，本版为首次送签。"))
	case x.changes != nil:
		out = append(out, wrapLabel(fmt.Sprintf("与第 %d 版（上次签发）比较：%s。", m.LastApproved, x.changes.Summary)))
		for _, r := range x.changes.Rows {
			if r.Label == compare.Unchanged || r.Label == compare.Renumbered {
				continue
			}
			out = append(out, wrapLabel(fmt.Sprintf("%s　%s → %s", r.Label, articleNo(r.OldNo), articleNo(r.NewNo))))
		}
	}
	return out
}

// articleNo names an article number from the comparison for a reader.
func articleNo(no string) string {
	if no == "" {
		return "—"
	}
	return "第 " + no + " 条"
}

func section(title string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewVBox(widget.NewSeparator(), l)
}

func note(s string) fyne.CanvasObject {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.LowImportance
	return l
}

// decisionBlock shows one decision: outcome, who and when, ground, reason
// and, for legality, the seven checks.
func decisionBlock(d *workflow.Decision, label func(string) string, none string) []fyne.CanvasObject {
	if d == nil {
		return []fyne.CanvasObject{note(none)}
	}
	head := widget.NewLabel(fmt.Sprintf("%s　%s　%s　（已签名，密钥 %s）", d.Outcome, label(d.Actor),
		beijing(d.At), shortFP(d.KeyFP)))
	head.Wrapping = fyne.TextWrapWord
	if d.Outcome.Returns() || d.Outcome == workflow.OutcomeWithhold {
		head.Importance = widget.DangerImportance
	} else {
		head.Importance = widget.SuccessImportance
	}
	out := []fyne.CanvasObject{head}
	if d.Ground != "" {
		out = append(out, wrapLabel("依据："+string(d.Ground)))
	}
	if d.Reason != "" {
		out = append(out, wrapLabel("理由："+d.Reason))
	}
	if !d.Checklist.IsZero() {
		var b strings.Builder
		for i, c := range d.Checklist {
			fmt.Fprintf(&b, "（%d）%s：%s", i+1, workflow.LegalityChecks[i], c.Result)
			if c.Note != "" {
				fmt.Fprintf(&b, "（%s）", c.Note)
			}
			if i < len(d.Checklist)-1 {
				b.WriteByte('\n')
			}
		}
		out = append(out, wrapLabel(b.String()))
	}
	return out
}

func wrapLabel(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func shortFP(fp string) string {
	if len(fp) > 19 {
		return fp[:19] + "…"
	}
	return fp
}

// showSubmit asks a clerk to confirm submission and whether to skip the
// legality review, which only kinds other than 规章 and 行政规范性文件 may.
func (a *App) showSubmit(doc review.Document, done func()) {
	skip := widget.NewCheck("不经合法性审核", nil)
	why := "该文种可由经办人决定是否送合法性审核。"
	if doc.Meta.Kind.NeedsLegality() {
		skip.Disable()
		why = string(doc.Meta.Kind) + "必须经过合法性审核（国办发〔2018〕115号）。"
	}
	body := container.NewVBox(wrapLabel(fmt.Sprintf("将《%s》第 %d 版提交保密审查。", doc.Meta.Title, doc.CurrentRevision)), skip, note(why))
	d := dialog.NewCustomConfirm("提交审查", "提交", "取消", body, func(ok bool) {
		if !ok {
			return
		}
		user := a.CurrentUser()
		if user == nil {
			a.ShowError(review.Errorf(review.EFORBIDDEN, "请先登录。"))
			return
		}
		skipLegality := skip.Checked // widgets are read on the UI goroutine only
		a.Background(func(ctx context.Context) error {
			_, err := a.svc.Review.Submit(ctx, user.Name, doc.ID, skipLegality)
			return err
		}, func(err error) {
			if err != nil {
				a.ShowError(err)
				return
			}
			done()
		})
	}, a.win)
	d.Resize(fyne.NewSize(460, 0))
	d.Show()
}
