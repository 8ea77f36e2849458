package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// textView shows a long text, wrapped to its width, for reading. Fyne's
// Label and Entry lay out every line of a text on each refresh, which for a
// law of 95 KB took over ten seconds per refresh here. textView wraps the
// text itself, once per width, and shows it through a List, which only makes
// objects for the lines on screen: opening the longest law is instant.
type textView struct {
	widget.BaseWidget

	text  string
	paras []string   // text split at line ends
	lines []viewLine // wrapped lines for width
	width float32
	list  *widget.List
	// OnParagraph, when set, is called with the index of the paragraph
	// whose line was tapped; the editor uses it to pick a paragraph.
	OnParagraph func(p int)

	widths map[rune]float32 // measured rune widths; CJK text has few distinct runes
}

// viewLine is one visual line: a slice of paragraph para.
type viewLine struct {
	para int
	text string
}

func newTextView() *textView {
	v := &textView{widths: map[rune]float32{}}
	v.ExtendBaseWidget(v)
	v.list = widget.NewList(
		func() int { return len(v.lines) },
		func() fyne.CanvasObject {
			t := canvas.NewText("", theme.Color(theme.ColorNameForeground))
			t.TextSize = theme.TextSize()
			// Half a line of leading: body text set solid is hard to read.
			pad := t.MinSize().Height / 4
			return container.New(layout.NewCustomPaddedLayout(pad, pad, theme.Padding(), theme.Padding()), t)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			t := o.(*fyne.Container).Objects[0].(*canvas.Text)
			t.Text = v.lines[i].text
			t.Color = theme.Color(theme.ColorNameForeground)
			t.Refresh()
		})
	v.list.HideSeparators = true
	v.list.OnSelected = func(i widget.ListItemID) {
		v.list.Unselect(i) // reading, not choosing: no lasting highlight
		if v.OnParagraph != nil && i >= 0 && i < len(v.lines) {
			v.OnParagraph(v.lines[i].para)
		}
	}
	return v
}

// SetText replaces the text and scrolls to its top.
func (v *textView) SetText(s string) {
	v.text = s
	v.paras = strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	v.rewrap()
	v.list.ScrollToTop()
}

// Text returns the text shown.
func (v *textView) Text() string { return v.text }

// CreateRenderer implements fyne.Widget.
func (v *textView) CreateRenderer() fyne.WidgetRenderer { return &textViewRenderer{v: v} }

type textViewRenderer struct{ v *textView }

// Layout rewraps when the width changes, then lays out the list.
func (r *textViewRenderer) Layout(s fyne.Size) {
	if s.Width != r.v.width {
		r.v.width = s.Width
		r.v.rewrap()
	}
	r.v.list.Resize(s)
}

func (r *textViewRenderer) MinSize() fyne.Size           { return r.v.list.MinSize() }
func (r *textViewRenderer) Refresh()                     { r.v.list.Refresh() }
func (r *textViewRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.v.list} }
func (r *textViewRenderer) Destroy()                     {}

// rewrap breaks paragraphs into lines that fit the width. Breaks fall
// anywhere, as Chinese text has no spaces to break at; a rune is measured
// alone, which ignores kerning, so a rune's width of slack is left.
func (v *textView) rewrap() {
	size := theme.TextSize()
	avail := v.width - 2*theme.Padding() - theme.ScrollBarSize()
	slack := size
	v.lines = v.lines[:0]
	for pi, p := range v.paras {
		if p == "" {
			v.lines = append(v.lines, viewLine{para: pi})
			continue
		}
		start, w := 0, float32(0)
		for i, r := range p {
			rw, ok := v.widths[r]
			if !ok {
				rw = fyne.MeasureText(string(r), size, fyne.TextStyle{}).Width
				v.widths[r] = rw
			}
			if avail > 0 && w+rw > avail-slack && i > start {
				v.lines = append(v.lines, viewLine{para: pi, text: p[start:i]})
				start, w = i, 0
			}
			w += rw
		}
		v.lines = append(v.lines, viewLine{para: pi, text: p[start:]})
	}
	v.list.Refresh()
}
