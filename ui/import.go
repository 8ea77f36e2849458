package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/dialog"
	fstorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
)

// importExts are the file types the importer reads.
var importExts = []string{".docx", ".txt", ".md"}

func importable(path string) bool {
	return slices.Contains(importExts, strings.ToLower(filepath.Ext(path)))
}

// Several files at once: Fyne's file dialog opens one file, so the import
// dialog gathers files from three places. 导入草稿… opens one file and the
// dialog's 添加文件… adds more; 导入文件夹… takes every .docx, .txt and .md
// in a folder; and files (or folders) dropped on the window come in together.
// The list in the dialog has a check box per file, so a folder's stray files
// can be left out.

// chooseImportFile opens the file dialog and then the import dialog.
func (a *App) chooseImportFile() {
	a.pickFile(func(path string) { a.importFiles([]string{path}) })
}

// pickFile shows Fyne's open dialog limited to importable files, starting
// where the last file came from.
func (a *App) pickFile(then func(path string)) {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			a.ShowError(err)
			return
		}
		if r == nil {
			return // cancelled
		}
		r.Close() // the importer opens the file itself, by path
		a.rememberDir(r.URI())
		then(r.URI().Path())
	}, a.win)
	fd.SetFilter(fstorage.NewExtensionFileFilter(importExts))
	fd.SetConfirmText("选择")
	fd.SetDismissText("取消")
	if a.lastDir != nil {
		fd.SetLocation(a.lastDir)
	}
	fd.Resize(fyne.NewSize(900, 600))
	fd.Show()
}

func (a *App) rememberDir(u fyne.URI) {
	if p, err := fstorage.Parent(u); err == nil {
		if l, err := fstorage.ListerForURI(p); err == nil {
			a.lastDir = l
		}
	}
}

// chooseImportFolder opens the folder dialog and imports what it holds.
func (a *App) chooseImportFolder() {
	fd := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
		if err != nil {
			a.ShowError(err)
			return
		}
		if l == nil {
			return
		}
		a.lastDir = l
		paths := importableIn(l.Path())
		if len(paths) == 0 {
			dialog.ShowInformation("导入文件夹", "该文件夹中没有可导入的文件（.docx、.txt、.md）。", a.win)
			return
		}
		a.importFiles(paths)
	}, a.win)
	fd.SetConfirmText("选择")
	fd.SetDismissText("取消")
	if a.lastDir != nil {
		fd.SetLocation(a.lastDir)
	}
	fd.Resize(fyne.NewSize(900, 600))
	fd.Show()
}

// importableIn lists a folder's importable files, sorted, not descending
// into subfolders: a drafts folder is flat, and a deep walk of a wrongly
// chosen home folder would offer hundreds of files. Hidden files and Word's
// "~$" lock files are left out.
func importableIn(dir string) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var paths []string
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "~$") || !importable(n) {
			continue
		}
		paths = append(paths, filepath.Join(dir, n))
	}
	return paths
}

// importURIs handles files dropped on the window. Folders are opened one
// level deep; other files are passed on whatever their type, so that the
// result list says why a dropped file was not imported.
func (a *App) importURIs(uris []fyne.URI) *importDialog {
	var paths []string
	for _, u := range uris {
		if u.Scheme() != "file" {
			continue
		}
		p := u.Path()
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			paths = append(paths, importableIn(p)...)
			continue
		}
		paths = append(paths, p)
	}
	if len(paths) == 0 {
		dialog.ShowInformation("导入草稿", "拖入的内容中没有可导入的文件（.docx、.txt、.md）。", a.win)
		return nil
	}
	return a.importFiles(paths)
}

// importResult is one file's outcome.
type importResult struct {
	path string
	doc  *review.Document // nil on failure
	err  error
}

// importDialog asks for 文种 (and a title for a single file), then imports
// the files one after another off the UI goroutine, listing each result. One
// file failing does not stop the others.
type importDialog struct {
	app   *App
	dlg   *dialog.CustomDialog
	paths []string // parallel to the check group's options

	files   *widget.CheckGroup
	kind    *widget.Select
	title   *widget.Entry
	problem *widget.Label // why 开始导入 did not start
	add     *widget.Button
	start   *widget.Button
	close   *widget.Button

	progress binding.Float
	status   *widget.Label
	list     *fyne.Container

	results []importResult
	cancel  context.CancelFunc
	done    bool
	stack   *fyne.Container
}

// importFiles opens the import dialog for the given files.
func (a *App) importFiles(paths []string) *importDialog {
	d := &importDialog{app: a, progress: binding.NewFloat()}
	d.files = widget.NewCheckGroup(nil, func([]string) { d.syncTitle() })
	for _, p := range paths {
		d.addFile(p)
	}
	d.kind = widget.NewSelect(kindStrings(), nil)
	d.kind.SetSelected(string(review.KindOther))
	d.title = widget.NewEntry()
	d.title.SetPlaceHolder("留空则取自文件")
	d.problem = widget.NewLabel("")
	d.problem.Importance = widget.DangerImportance
	d.problem.Wrapping = fyne.TextWrapWord
	d.syncTitle()

	d.add = widget.NewButton("添加文件…", func() { a.pickFile(func(p string) { d.addFile(p); d.syncTitle() }) })
	filesScroll := container.NewVScroll(d.files)
	filesScroll.SetMinSize(fyne.NewSize(0, 160))
	form := widget.NewForm(widget.NewFormItem("文种", d.kind), widget.NewFormItem("标题", d.title))
	choose := container.NewBorder(
		widget.NewLabel("将导入以下文件（可取消勾选）："),
		container.NewVBox(container.NewHBox(d.add), form, d.problem),
		nil, nil, filesScroll)

	d.status = widget.NewLabel("")
	d.status.Wrapping = fyne.TextWrapWord
	d.list = container.NewVBox()
	d.stack = container.NewStack(choose)

	d.close = widget.NewButton("取消", d.cancelOrClose)
	d.start = widget.NewButton("开始导入", d.run)
	d.start.Importance = widget.HighImportance
	d.dlg = dialog.NewCustomWithoutButtons("导入草稿", d.stack, a.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.close, d.start})
	d.dlg.Resize(fyne.NewSize(640, 520))
	d.dlg.Show()
	return d
}

// addFile adds a file to the list, checked. A file already listed is not
// added twice; two files of the same name from different folders show their
// full paths so the user can tell them apart.
func (d *importDialog) addFile(p string) {
	if slices.Contains(d.paths, p) {
		return
	}
	label := filepath.Base(p)
	if slices.Contains(d.files.Options, label) {
		label = p
	}
	d.paths = append(d.paths, p)
	d.files.Options = append(d.files.Options, label)
	d.files.Selected = append(d.files.Selected, label)
	d.files.Refresh()
}

// syncTitle enables the title only for a single file: one title for many
// files would give them all the same name.
func (d *importDialog) syncTitle() {
	if d.title == nil {
		return
	}
	if len(d.files.Selected) == 1 {
		d.title.Enable()
	} else {
		d.title.SetText("")
		d.title.Disable()
	}
}

// chosen returns the checked files in list order.
func (d *importDialog) chosen() []string {
	var out []string
	for i, o := range d.files.Options {
		if slices.Contains(d.files.Selected, o) {
			out = append(out, d.paths[i])
		}
	}
	return out
}

func (d *importDialog) cancelOrClose() {
	switch {
	case d.cancel != nil && !d.done:
		d.cancel()
		d.close.Disable() // until the file under way returns
		d.status.SetText("正在取消，当前文件处理完后停止……")
	default:
		d.dlg.Hide()
	}
}

// run starts the import. Files go one at a time: the workspace has one
// writer, and a clear order makes the result list easy to follow.
func (d *importDialog) run() {
	a := d.app
	files := d.chosen()
	user := a.CurrentUser()
	switch {
	case a.svc.Import == nil:
		d.problem.SetText("导入功能不可用。")
		return
	case user == nil:
		d.problem.SetText("请先在窗口右上角选择当前用户。")
		return
	case len(files) == 0:
		d.problem.SetText("请至少勾选一个文件。")
		return
	}
	opt := ImportOptions{Kind: review.Kind(d.kind.Selected), Author: user.Name}
	if len(files) == 1 {
		opt.Title = strings.TrimSpace(d.title.Text)
	}

	ctx, cancel := context.WithCancel(a.ctx)
	d.cancel = cancel
	d.start.Hide()
	d.close.SetText("取消")
	bar := widget.NewProgressBarWithData(d.progress)
	results := container.NewVScroll(d.list)
	d.stack.Objects = []fyne.CanvasObject{container.NewBorder(container.NewVBox(d.status, bar), nil, nil, nil, results)}
	d.stack.Refresh()

	n := len(files)
	a.pending.Add(1)
	go func() {
		defer a.pending.Done()
		defer cancel()
		for i, p := range files {
			name := filepath.Base(p)
			if ctx.Err() != nil {
				a.do(func() {
					d.record(importResult{path: p, err: review.Errorf(review.ECONFLICT, "已取消，未导入。")}, i+1, n)
				})
				continue
			}
			a.do(func() { d.status.SetText(fmt.Sprintf("正在导入（%d/%d）：%s", i+1, n, name)) })
			var r importResult
			r.path = p
			if !importable(p) {
				r.err = review.Errorf(review.EINVALID, "不支持的文件类型，仅能导入 .docx、.txt、.md 文件。")
			} else {
				r.doc, r.err = a.svc.Import(ctx, p, opt)
				if r.err != nil && ctx.Err() != nil {
					r.err = review.WrapError(review.ECONFLICT, r.err, "已取消，未导入。")
				}
			}
			a.do(func() { d.record(r, i+1, n) })
		}
		a.do(d.finish)
	}()
}

// record lists one file's result and advances the progress bar.
func (d *importDialog) record(r importResult, done, total int) {
	d.results = append(d.results, r)
	name := filepath.Base(r.path)
	var l *widget.Label
	if r.err != nil {
		fyne.LogError("import "+r.path, r.err)
		l = widget.NewLabel(fmt.Sprintf("失败　%s：%s", name, review.ErrorMessage(r.err)))
		l.Importance = widget.DangerImportance
	} else {
		l = widget.NewLabel(fmt.Sprintf("成功　%s：索引号 %s", name, r.doc.IndexNo))
		l.Importance = widget.SuccessImportance
	}
	l.Wrapping = fyne.TextWrapWord
	d.list.Add(l)
	d.progress.Set(float64(done) / float64(total))
}

// finish sums up, turns 取消 into 关闭 and refreshes the screens. A single
// imported file is opened in the detail pane, since that is what the clerk
// will look at next.
func (d *importDialog) finish() {
	d.done = true
	ok := 0
	var last *review.Document
	for _, r := range d.results {
		if r.err == nil {
			ok++
			last = r.doc
		}
	}
	d.status.SetText(fmt.Sprintf("导入完成：成功 %d 件，失败 %d 件。", ok, len(d.results)-ok))
	d.close.SetText("关闭")
	d.close.Enable()
	if ok == 0 {
		return
	}
	d.app.DocumentsChanged()
	if ok == 1 && len(d.results) == 1 {
		d.app.ShowDocument(last.ID)
	}
}
