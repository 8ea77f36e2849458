package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// wholeTextLimit is the longest text (in characters) edited in one Entry.
// Measured here, Fyne's Entry takes 0.8 s to open 5,000 characters and 2.6 s
// for 10,000, growing faster than the text; a 30,000-character law would take
// minutes. Longer texts are edited a paragraph at a time.
const wholeTextLimit = 6000

// paragraphEditor edits a long text one paragraph at a time: the whole text
// in a fast read-only view above, the chosen paragraph in an Entry below.
// For a law, a paragraph is an article or a clause, which is the unit legal
// staff revise anyway.
type paragraphEditor struct {
	paras   []string
	cur     int // paragraph in the entry, -1 for none
	view    *textView
	label   *widget.Label
	entry   *widget.Entry
	content fyne.CanvasObject
}

func newParagraphEditor(text string) *paragraphEditor {
	p := &paragraphEditor{paras: strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n"), cur: -1}
	p.view = newTextView()
	p.view.SetText(text)
	p.view.OnParagraph = p.choose
	p.label = widget.NewLabel(fmt.Sprintf("正文较长（%d 字），请在上方点选要修改的段落。", len([]rune(text))))
	p.label.Wrapping = fyne.TextWrapWord
	p.entry = widget.NewMultiLineEntry()
	p.entry.Wrapping = fyne.TextWrapWord
	p.entry.Disable()
	applyBtn := widget.NewButton("应用本段修改", p.apply)
	bottom := container.NewBorder(p.label, nil, nil, applyBtn, p.entry)
	split := container.NewVSplit(p.view, bottom)
	split.Offset = 0.6
	p.content = split
	return p
}

// choose puts paragraph i in the entry, applying the one being edited first.
func (p *paragraphEditor) choose(i int) {
	p.apply()
	if i < 0 || i >= len(p.paras) {
		return
	}
	p.cur = i
	p.label.SetText(fmt.Sprintf("修改第 %d 段（共 %d 段）：改好后点“应用本段修改”，或直接点选下一段。", i+1, len(p.paras)))
	p.entry.Enable()
	p.entry.SetText(p.paras[i])
}

// apply writes the entry back into the text. A line break typed in the entry
// splits the paragraph; an emptied entry leaves an empty line.
func (p *paragraphEditor) apply() {
	if p.cur < 0 || p.entry.Text == p.paras[p.cur] {
		return
	}
	repl := strings.Split(p.entry.Text, "\n")
	p.paras = append(p.paras[:p.cur], append(repl, p.paras[p.cur+1:]...)...)
	p.view.SetText(p.text())
	p.view.list.ScrollTo(p.lineOf(p.cur))
	p.cur = -1
	p.entry.SetText("")
	p.entry.Disable()
}

// text is the edited text.
func (p *paragraphEditor) text() string { return strings.Join(p.paras, "\n") }

// lineOf finds the first visual line of paragraph i, to keep it in view.
func (p *paragraphEditor) lineOf(i int) int {
	for n, l := range p.view.lines {
		if l.para == i {
			return n
		}
	}
	return 0
}
