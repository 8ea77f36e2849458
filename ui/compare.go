package ui

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	"qianfa/review/compare"
	"qianfa/review/docimport"
)

// The comparison's three views, as the mode switch names them.
const (
	viewSideBySide = "并排对照"
	viewInline     = "修订标记"
	viewTable      = "修改对照表"
)

// Views ShowCompare accepts, as cmd/qianfa's --view flag spells them.
const (
	CompareViewSideBySide = "compare" // 并排对照
	CompareViewInline     = "inline"  // 修订标记
	CompareViewTable      = "duizhao" // 修改对照表
)

// compareVersion is one text the comparison can pick: a revision, or a file.
type compareVersion struct {
	label string // in the pickers
	short string // in column headers
	text  string
}

// compareView compares two of a list of versions: side by side with the
// scrolls in step, inline as one redlined text, or as the 修改对照表 by
// article. Every option change recomputes off the UI goroutine.
type compareView struct {
	app      *App
	versions []compareVersion

	oldSel, newSel                          *widget.Select
	mode                                    *widget.RadioGroup
	ignoreSpace, ignoreWidth, hideUnchanged *widget.Check
	changedOnly                             *widget.Check
	exportHTML, exportCSV                   *widget.Button
	summary                                 *widget.Label
	progress                                *widget.ProgressBarInfinite
	oldHead, newHead                        *widget.Label

	meas                *runeMeasurer
	side, inline, table *diffGrid
	views               map[string]fyne.CanvasObject
	body                *fyne.Container

	gen int // bumped per computation; a stale answer is dropped
	// busy is true while a computation runs; tests and exports wait on it.
	busy bool
	td   *compare.TextDiff
	res  *compare.Result
	opt  compare.Options // the options td and res were computed with

	content fyne.CanvasObject
}

// newCompareView builds the comparison of versions[oldIdx] with
// versions[newIdx] and starts computing it.
func newCompareView(a *App, versions []compareVersion, oldIdx, newIdx int, view string) *compareView {
	v := &compareView{app: a, versions: versions, meas: newRuneMeasurer(), views: map[string]fyne.CanvasObject{}}
	labels := make([]string, len(versions))
	for i, ver := range versions {
		labels[i] = ver.label
	}
	v.oldSel = widget.NewSelect(labels, func(string) { v.recompute() })
	v.newSel = widget.NewSelect(labels, func(string) { v.recompute() })
	v.oldSel.SetSelectedIndex(oldIdx)
	v.newSel.SetSelectedIndex(newIdx)

	v.ignoreSpace = widget.NewCheck("忽略空白", func(bool) { v.recompute() })
	v.ignoreWidth = widget.NewCheck("全角半角视为相同", func(bool) { v.recompute() })
	v.hideUnchanged = widget.NewCheck("隐藏未修改", func(bool) { v.recompute() })
	v.changedOnly = widget.NewCheck("只看有改动的条", func(bool) { v.showTable() })
	v.exportHTML = widget.NewButtonWithIcon("导出 HTML…", theme.Icon(theme.IconNameDocumentSave), func() { v.chooseExport(compare.FormatHTML) })
	v.exportCSV = widget.NewButtonWithIcon("导出 CSV…", theme.Icon(theme.IconNameDocumentSave), func() { v.chooseExport(compare.FormatCSV) })
	v.summary = widget.NewLabel("")
	v.summary.Wrapping = fyne.TextWrapWord
	v.progress = widget.NewProgressBarInfinite()
	v.progress.Hide()

	v.side = newDiffGrid(v.meas, 2)
	v.side.syncScroll()
	v.inline = newDiffGrid(v.meas, 1)
	v.table = newDiffGrid(v.meas, 3)
	v.table.syncScroll()

	v.oldHead = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.newHead = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.oldHead.Truncation = fyne.TextTruncateEllipsis
	v.newHead.Truncation = fyne.TextTruncateEllipsis
	half := weightedColumns{weights: []float32{1, 1}}
	v.views[viewSideBySide] = container.NewBorder(
		container.New(half, v.oldHead, v.newHead), nil, nil, nil,
		container.New(half, v.side.cols[0].scroll, v.side.cols[1].scroll))
	v.views[viewInline] = v.inline.cols[0].scroll
	tableCols := weightedColumns{weights: []float32{44, 44, 12}}
	head := func(s string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	v.views[viewTable] = container.NewBorder(
		container.New(tableCols, head("原条文"), head("新条文"), head("修改情况")), nil, nil, nil,
		container.New(tableCols, v.table.cols[0].scroll, v.table.cols[1].scroll, v.table.cols[2].scroll))
	v.body = container.NewStack()

	v.mode = widget.NewRadioGroup([]string{viewSideBySide, viewInline, viewTable}, func(string) { v.showMode() })
	v.mode.Horizontal = true
	v.mode.Required = true

	pickers := container.New(weightedColumns{weights: []float32{1, 1}},
		labelled("旧版本", v.oldSel), labelled("新版本", v.newSel))
	tools := container.NewHBox(v.mode, widget.NewSeparator(), v.ignoreSpace, v.ignoreWidth, v.hideUnchanged, v.changedOnly,
		layout.NewSpacer(), v.exportHTML, v.exportCSV)
	status := container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(160, v.progress.MinSize().Height), v.progress), v.summary)
	v.content = container.NewBorder(container.NewVBox(pickers, tools, status, widget.NewSeparator()), nil, nil, nil, v.body)

	switch view {
	case CompareViewTable, viewTable:
		v.mode.SetSelected(viewTable)
	case CompareViewInline, viewInline:
		v.mode.SetSelected(viewInline)
	default:
		v.mode.SetSelected(viewSideBySide)
	}
	v.recompute()
	return v
}

// options reads the option checks.
func (v *compareView) options() compare.Options {
	return compare.Options{IgnoreSpace: v.ignoreSpace.Checked, IgnoreWidth: v.ignoreWidth.Checked, HideUnchanged: v.hideUnchanged.Checked}
}

// recompute runs both comparisons off the UI goroutine: a 1.5 MB pair takes
// a noticeable fraction of a second, and the window must stay responsive.
// Both are computed at once so that switching views is instant.
func (v *compareView) recompute() {
	if v.mode == nil { // still being built
		return
	}
	o, n := v.oldSel.SelectedIndex(), v.newSel.SelectedIndex()
	if o < 0 || n < 0 {
		return
	}
	oldText, newText, opt := v.versions[o].text, v.versions[n].text, v.options()
	v.oldHead.SetText("旧：" + v.versions[o].short)
	v.newHead.SetText("新：" + v.versions[n].short)
	v.gen++
	gen := v.gen
	v.busy = true
	v.progress.Show()
	v.progress.Start()
	v.summary.SetText("正在比较…")
	var (
		td  *compare.TextDiff
		res *compare.Result
	)
	v.app.Background(func(context.Context) (err error) {
		if td, err = compare.DiffText(oldText, newText, opt); err != nil {
			return err
		}
		res, err = compare.Compare(oldText, newText, opt)
		return err
	}, func(err error) {
		if gen != v.gen {
			return
		}
		v.busy = false
		v.progress.Stop()
		v.progress.Hide()
		if err != nil {
			v.summary.SetText("比较失败：" + review.ErrorMessage(err))
			v.app.ShowError(err)
			return
		}
		v.td, v.res, v.opt = td, res, opt
		v.showSide()
		v.showInline()
		v.showTable()
		v.showSummary()
	})
}

// showMode switches the body to the selected view.
func (v *compareView) showMode() {
	m := v.mode.Selected
	if m == "" {
		return
	}
	if m == viewTable {
		v.changedOnly.Show()
	} else {
		v.changedOnly.Hide()
	}
	v.body.Objects = []fyne.CanvasObject{v.views[m]}
	v.body.Refresh()
	v.showSummary()
}

// showSummary writes the line under the tools: counts per label for the
// 对照表, changed lines for the text views, and any warning from the engine.
func (v *compareView) showSummary() {
	if v.td == nil || v.res == nil || v.busy {
		return
	}
	var s string
	var warns []string
	if v.mode.Selected == viewTable {
		s = "修改对照表：" + v.res.Summary.String()
		warns = v.res.Warnings
	} else {
		n := 0
		for _, p := range v.td.Lines {
			if p.Changed {
				n++
			}
		}
		if n == 0 {
			s = "两个版本的文字相同。"
		} else {
			s = fmt.Sprintf("共 %d 行，其中 %d 行有改动。删除的文字标红并划线，新增的文字标绿加粗。", len(v.td.Lines), n)
		}
		warns = v.td.Warnings
	}
	for _, w := range warns {
		s += "\n注意：" + w
	}
	v.summary.SetText(s)
}

// showSide fills the side-by-side view: one line pair per row, each side
// numbered; with 隐藏未修改 only changed pairs, a rule marking each gap.
func (v *compareView) showSide() {
	td, hide := v.td, v.opt.HideUnchanged
	m := v.meas
	v.side.setBuild(func(w []float32) [][]visLine {
		cols := make([][]visLine, 2)
		last := -1
		for i, p := range td.Lines {
			if hide && !p.Changed {
				continue
			}
			rule := hide && last >= 0 && i != last+1
			last = i
			start := len(cols[0])
			cols[0] = m.wrapped(cols[0], [][]run{numbered(p.OldLine, p.Old, sideOld)}, w[0], rule)
			cols[1] = m.wrapped(cols[1], [][]run{numbered(p.NewLine, p.New, sideNew)}, w[1], rule)
			padTo(cols, start)
		}
		return cols
	})
}

// numbered is one side of a line pair with its line number, or nothing when
// the side has no line here.
func numbered(n int, segs []compare.Segment, side diffSide) []run {
	if n == 0 {
		return nil
	}
	return append([]run{lineNumber(n)}, segmentLines(segs, side)[0]...)
}

// showInline fills the redline view: the whole text once, deletions and
// insertions marked in place.
func (v *compareView) showInline() {
	lines := segmentLines(v.td.Segments, sideInline)
	hide := v.opt.HideUnchanged
	m := v.meas
	v.inline.setBuild(func(w []float32) [][]visLine {
		var col []visLine
		last := -1
		for i, l := range lines {
			if hide && !hasEdit(l) {
				continue
			}
			col = m.wrapped(col, [][]run{l}, w[0], hide && last >= 0 && i != last+1)
			last = i
		}
		return [][]visLine{col}
	})
}

func hasEdit(l []run) bool {
	for _, r := range l {
		if r.kind == runDeleted || r.kind == runInserted {
			return true
		}
	}
	return false
}

// tableRows are the 对照表 rows shown: the preamble first, then the
// articles; with 只看有改动的条 only rows whose text or number changed, and
// moved articles.
func (v *compareView) tableRows() []compare.Row {
	var rows []compare.Row
	if p := v.res.Preamble; p != nil && !(v.opt.HideUnchanged && p.Label == compare.Unchanged) {
		rows = append(rows, *p)
	}
	rows = append(rows, v.res.Rows...)
	if !v.changedOnly.Checked {
		return rows
	}
	kept := rows[:0]
	for _, r := range rows {
		if r.Changed || r.Label == compare.Moved {
			kept = append(kept, r)
		}
	}
	return kept
}

// showTable fills the 修改对照表: old article | new article | label and
// numbers, a rule above each row.
func (v *compareView) showTable() {
	if v.res == nil {
		return
	}
	rows := v.tableRows()
	m := v.meas
	v.table.setBuild(func(w []float32) [][]visLine {
		cols := make([][]visLine, 3)
		for _, r := range rows {
			start := len(cols[0])
			cols[0] = m.wrapped(cols[0], segmentLines(r.Old, sideOld), w[0], true)
			cols[1] = m.wrapped(cols[1], segmentLines(r.New, sideNew), w[1], true)
			cols[2] = m.wrapped(cols[2], [][]run{{{string(r.Label), runLabel}}, {{articleNos(r), runMuted}}}, w[2], true)
			padTo(cols, start)
		}
		return cols
	})
}

// articleNos names a row's articles: "第5条→第6条", "新增第7条", "标题及前言".
func articleNos(r compare.Row) string {
	side := func(no string) string { return "第" + strings.ReplaceAll(no, ";", "、") + "条" }
	switch {
	case r.OldNo == "" && r.NewNo == "":
		return "标题及前言"
	case r.OldNo == "":
		return "→" + side(r.NewNo)
	case r.NewNo == "":
		return side(r.OldNo) + "→"
	case r.OldNo == r.NewNo:
		return side(r.OldNo)
	}
	return side(r.OldNo) + "→" + side(r.NewNo)
}

// export writes the 对照表 as shown (options and the changed-only filter
// applied) in format, with the engine's writers.
func (v *compareView) export(w io.Writer, format string) error {
	if v.res == nil {
		return review.Errorf(review.EINVALID, "比较尚未完成，请稍候再导出。")
	}
	return v.shownTable().Write(w, format)
}

// shownTable is the 对照表 as shown. tableRows already puts the preamble
// first when it is shown, so the result carries it in its rows.
func (v *compareView) shownTable() *compare.Result {
	shown := *v.res
	shown.Preamble = nil
	shown.Rows = v.tableRows()
	return &shown
}

// chooseExport asks where to save the 对照表 and writes it there.
func (v *compareView) chooseExport(format string) {
	if v.res == nil || v.busy {
		dialog.ShowInformation("请稍候", "比较尚未完成，完成后再导出。", v.window())
		return
	}
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			v.app.ShowError(err)
			return
		}
		if wc == nil {
			return // cancelled
		}
		// The table is taken as shown now; writing it (megabytes of HTML
		// for a long law, perhaps to a network drive) happens off the UI
		// goroutine.
		shown := v.shownTable()
		v.app.Background(func(context.Context) error {
			err := shown.Write(wc, format)
			if cerr := wc.Close(); err == nil && cerr != nil {
				err = review.WrapError(review.EINTERNAL, cerr, "保存文件“%s”失败，请检查磁盘空间或权限。", wc.URI().Name())
			}
			return err
		}, func(err error) {
			if err != nil {
				v.app.ShowError(err)
				return
			}
			v.summary.SetText(v.summary.Text + "\n已导出：" + wc.URI().Path())
		})
	}, v.window())
	d.SetFileName("修改对照表." + format)
	d.SetConfirmText("保存")
	d.SetDismissText("取消")
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// window is the window the view is shown in, the parent for its dialogs.
func (v *compareView) window() fyne.Window {
	if c := fyne.CurrentApp().Driver().CanvasForObject(v.content); c != nil {
		for _, w := range fyne.CurrentApp().Driver().AllWindows() {
			if w.Canvas() == c {
				return w
			}
		}
	}
	return v.app.win
}

// openCompareWindow shows a comparison in its own window, so the main
// window stays at hand and two wide columns have room.
func (a *App) openCompareWindow(title string, versions []compareVersion, oldIdx, newIdx int, view string) *compareView {
	v := newCompareView(a, versions, oldIdx, newIdx, view)
	w := a.fyneApp.NewWindow("比较 — " + title)
	w.SetContent(v.content)
	w.Resize(fyne.NewSize(1280, 800))
	w.Show()
	return v
}

// ShowCompare opens the comparison of a document's revisions in view
// (CompareViewSideBySide, CompareViewInline or CompareViewTable): the
// previous revision against the current one.
func (a *App) ShowCompare(id int64, view string) {
	var (
		doc  *review.Document
		revs []review.Revision
	)
	a.Background(func(ctx context.Context) (err error) {
		if doc, err = a.svc.Docs.Document(ctx, id); err != nil {
			return err
		}
		revs, err = a.svc.Docs.Revisions(ctx, id)
		return err
	}, func(err error) {
		if err != nil {
			a.ShowError(err)
			return
		}
		a.compareRevisions(doc, revs, view)
	})
}

// compareRevisions opens the comparison of revs, the previous revision
// against the newest.
func (a *App) compareRevisions(doc *review.Document, revs []review.Revision, view string) *compareView {
	if len(revs) < 2 {
		dialog.ShowInformation("无可比较的版本", "《"+doc.Meta.Title+"》只有一个版本。修改正文保存后会产生新版本，届时可比较。", a.win)
		return nil
	}
	versions := make([]compareVersion, len(revs))
	for i, r := range revs {
		note := revisionNote(&r)
		label := fmt.Sprintf("第 %d 版 · %s · %s", r.Number, a.userLabel(r.Author), beijing(r.CreatedAt))
		if note != "" {
			label += " · " + note
		}
		versions[i] = compareVersion{label: label, short: fmt.Sprintf("第 %d 版（%s）", r.Number, beijing(r.CreatedAt)), text: r.Text}
	}
	return a.openCompareWindow("《"+doc.Meta.Title+"》", versions, len(revs)-2, len(revs)-1, view)
}

// compareFiles (文件 › 比较两个文件…) asks for two files, the older first,
// and compares them, for versions that are not in the workspace, such as
// a law's old and new text. The files are read as import reads them
// (.docx, .txt, .md; GB18030 too).
func (a *App) compareFiles() {
	a.pickFile(func(oldPath string) {
		// The second chooser opens once the note is read: shown together,
		// the chooser would cover the note that says what it is for.
		next := dialog.NewInformation("选择新版本", "已选旧版本：“"+filepath.Base(oldPath)+"”。\n接下来请选择新版本文件。", a.win)
		next.SetOnClosed(func() {
			a.pickFile(func(newPath string) { a.compareFilePaths(oldPath, newPath) })
		})
		next.Show()
	})
}

// compareFilePaths reads two files off the UI goroutine and compares them.
func (a *App) compareFilePaths(oldPath, newPath string) {
	var docs [2]*docimport.Doc
	a.Background(func(context.Context) (err error) {
		for i, p := range []string{oldPath, newPath} {
			if docs[i], err = docimport.ReadFile(p); err != nil {
				return err
			}
		}
		return nil
	}, func(err error) {
		if err != nil {
			a.ShowError(err)
			return
		}
		on, nn := filepath.Base(oldPath), filepath.Base(newPath)
		a.openCompareWindow(on+" ↔ "+nn, []compareVersion{
			{label: "旧：" + oldPath, short: on, text: docs[0].Text},
			{label: "新：" + newPath, short: nn, text: docs[1].Text},
		}, 0, 1, CompareViewSideBySide)
	})
}
