package ui

import (
	"image/color"
	"sort"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	scr "qianfa/review/screen"
	"qianfa/review/screening"
)

// kindColors give each detector a stable background colour, light enough to
// read black text on. The finding list repeats the colour next to the kind's
// name, so colour is never the only cue.
var kindColors = map[scr.Kind]color.NRGBA{
	scr.KindClassification: {R: 0xef, G: 0x9a, B: 0x9a, A: 0xff}, // red
	scr.KindWorkSecret:     {R: 0xff, G: 0xcc, B: 0x80, A: 0xff}, // orange
	scr.KindIDCard:         {R: 0xf4, G: 0x8f, B: 0xb1, A: 0xff}, // pink
	scr.KindMobile:         {R: 0x90, G: 0xca, B: 0xf9, A: 0xff}, // blue
	scr.KindLandline:       {R: 0x80, G: 0xde, B: 0xea, A: 0xff}, // cyan
	scr.KindBankCard:       {R: 0xce, G: 0x93, B: 0xd8, A: 0xff}, // purple
	scr.KindEmail:          {R: 0xa5, G: 0xd6, B: 0xa7, A: 0xff}, // green
	scr.KindCreditCode:     {R: 0xbc, G: 0xaa, B: 0xa4, A: 0xff}, // brown
	scr.KindKeyword:        {R: 0xff, G: 0xf5, B: 0x9d, A: 0xff}, // yellow
}

// kindColor is the colour of a finding in a given status: dismissed ones
// fade, since they need no more attention but must stay visible.
func kindColor(k scr.Kind, st screening.Status) color.NRGBA {
	c, ok := kindColors[k]
	if !ok {
		c = color.NRGBA{R: 0xe0, G: 0xe0, B: 0xe0, A: 0xff}
	}
	if st == screening.StatusDismissed {
		c.A = 0x55
	}
	return c
}

// findingText shows a text with every finding highlighted in its kind's
// colour, wrapped to the width and drawn through a List so that only the
// lines on screen exist (as textView does; a RichText with thousands of
// segments lays out the whole law on every refresh). The selected finding
// gets an outline, and Select scrolls it into view.
type findingText struct {
	widget.BaseWidget

	text     string
	items    []screening.Item // sorted by Start
	selected int              // index into items; -1 for none

	paras  []para
	lines  []findLine
	width  float32
	list   *widget.List
	widths map[rune]float32
}

// para is one line of the text as stored, with the code-point offset it
// starts at.
type para struct {
	start int
	text  string
}

// findLine is one visual line: the code points [start, end) of the text.
type findLine struct {
	start, end int
	text       string
}

// lineSeg is a run of a visual line covered by one finding (item >= 0) or
// none (item == -1).
type lineSeg struct {
	text string
	item int
}

func newFindingText() *findingText {
	v := &findingText{selected: -1, widths: map[rune]float32{}}
	v.ExtendBaseWidget(v)
	v.list = widget.NewList(
		func() int { return len(v.lines) },
		func() fyne.CanvasObject { return &fyne.Container{Layout: segLayout{}} },
		func(i widget.ListItemID, o fyne.CanvasObject) { v.fillLine(i, o.(*fyne.Container)) })
	v.list.HideSeparators = true
	v.list.OnSelected = func(i widget.ListItemID) { v.list.Unselect(i) }
	return v
}

// Set replaces the text and findings. items must be in text order, as
// screening.State holds them.
func (v *findingText) Set(text string, items []screening.Item) {
	v.text, v.items, v.selected = text, items, -1
	v.paras = v.paras[:0]
	off := 0
	for _, p := range strings.Split(text, "\n") {
		v.paras = append(v.paras, para{start: off, text: p})
		off += utf8.RuneCountInString(p) + 1
	}
	v.rewrap()
	v.list.ScrollToTop()
}

// Select outlines item i and scrolls the line where it starts into view.
func (v *findingText) Select(i int) {
	if i < 0 || i >= len(v.items) {
		return
	}
	v.selected = i
	if l := v.lineOf(v.items[i].Start); l >= 0 {
		v.list.ScrollTo(l)
	}
	v.list.Refresh()
}

// lineOf returns the visual line holding code point off.
func (v *findingText) lineOf(off int) int {
	l := sort.Search(len(v.lines), func(i int) bool { return v.lines[i].end > off })
	if l == len(v.lines) {
		return len(v.lines) - 1
	}
	return l
}

// segments splits visual line l at finding boundaries. Where findings
// overlap, the one starting first wins: every code point belongs to one
// segment.
func (v *findingText) segments(l int) []lineSeg {
	ln := v.lines[l]
	runes := []rune(ln.text)
	cover := make([]int, len(runes))
	for i := range cover {
		cover[i] = -1
	}
	// Only the lines on screen are filled and a text has few findings, so
	// a linear pass is enough; items are sorted by Start, so the pass stops
	// at the first one beyond the line.
	for i, it := range v.items {
		if it.Start >= ln.end {
			break
		}
		if it.End <= ln.start {
			continue
		}
		for p := max(it.Start, ln.start); p < min(it.End, ln.end); p++ {
			if cover[p-ln.start] == -1 {
				cover[p-ln.start] = i
			}
		}
	}
	var segs []lineSeg
	for s := 0; s < len(runes); {
		e := s
		for e < len(runes) && cover[e] == cover[s] {
			e++
		}
		segs = append(segs, lineSeg{text: string(runes[s:e]), item: cover[s]})
		s = e
	}
	return segs
}

// fillLine makes row o show line i: a background and a text per segment.
func (v *findingText) fillLine(i int, o *fyne.Container) {
	if i < 0 || i >= len(v.lines) {
		return
	}
	segs := v.segments(i)
	objs := make([]fyne.CanvasObject, 0, 2*len(segs)+1)
	size := theme.TextSize()
	fg := theme.Color(theme.ColorNameForeground)
	for _, s := range segs {
		bg := canvas.NewRectangle(color.Transparent)
		t := canvas.NewText(s.text, fg)
		t.TextSize = size
		if s.item >= 0 {
			it := v.items[s.item]
			bg.FillColor = kindColor(it.Kind, it.Status)
			bg.CornerRadius = 2
			switch it.Status {
			case screening.StatusDismissed:
				t.Color = theme.Color(theme.ColorNameForeground)
			case screening.StatusConfirmed:
				// To be redacted: dark red and bold, so confirmed and open
				// findings of one kind differ by more than the list says.
				t.Color = color.NRGBA{R: 0x8b, A: 0xff}
				t.TextStyle.Bold = true
			default:
				t.Color = color.Black // on a light highlight in either theme variant
			}
			if s.item == v.selected {
				bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
				bg.StrokeWidth = 2
				t.TextStyle.Bold = true
			}
		}
		objs = append(objs, bg, t)
	}
	if len(objs) == 0 {
		// An empty line keeps a text's height.
		t := canvas.NewText(" ", fg)
		t.TextSize = size
		objs = append(objs, canvas.NewRectangle(color.Transparent), t)
	}
	o.Objects = objs
	o.Refresh()
}

// rewrap breaks paragraphs into visual lines that fit the width.
func (v *findingText) rewrap() {
	size := theme.TextSize()
	avail := v.width - 2*theme.Padding() - theme.ScrollBarSize() - size // a rune of slack, as in textView
	v.lines = v.lines[:0]
	for _, p := range v.paras {
		if p.text == "" {
			v.lines = append(v.lines, findLine{start: p.start, end: p.start + 1})
			continue
		}
		startByte, startRune, n, w := 0, p.start, 0, float32(0)
		for i, r := range p.text {
			rw, ok := v.widths[r]
			if !ok {
				rw = fyne.MeasureText(string(r), size, fyne.TextStyle{Bold: true}).Width
				v.widths[r] = rw
			}
			if avail > 0 && w+rw > avail && i > startByte {
				v.lines = append(v.lines, findLine{start: startRune, end: p.start + n, text: p.text[startByte:i]})
				startByte, startRune, w = i, p.start+n, 0
			}
			w += rw
			n++
		}
		// The line end counts the newline, so that lineOf maps it here.
		v.lines = append(v.lines, findLine{start: startRune, end: p.start + n + 1, text: p.text[startByte:]})
	}
	v.list.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (v *findingText) CreateRenderer() fyne.WidgetRenderer { return &findingTextRenderer{v: v} }

type findingTextRenderer struct{ v *findingText }

// Layout rewraps when the width changes.
func (r *findingTextRenderer) Layout(s fyne.Size) {
	if s.Width != r.v.width {
		r.v.width = s.Width
		r.v.rewrap()
	}
	r.v.list.Resize(s)
}

func (r *findingTextRenderer) MinSize() fyne.Size           { return r.v.list.MinSize() }
func (r *findingTextRenderer) Refresh()                     { r.v.list.Refresh() }
func (r *findingTextRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.v.list} }
func (r *findingTextRenderer) Destroy()                     {}

// segLayout places (background, text) pairs left to right, each background
// exactly under its text, with half a line of leading as textView has.
type segLayout struct{}

func (segLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := theme.Padding()
	pad := lineLeading()
	for i := 0; i+1 < len(objs); i += 2 {
		t := objs[i+1]
		ts := t.MinSize()
		objs[i].Move(fyne.NewPos(x-1, pad-1))
		objs[i].Resize(fyne.NewSize(ts.Width+2, ts.Height+2))
		t.Move(fyne.NewPos(x, pad))
		t.Resize(ts)
		x += ts.Width
	}
}

func (segLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w, h := 2*theme.Padding(), float32(0)
	for i := 1; i < len(objs); i += 2 {
		s := objs[i].MinSize()
		w += s.Width
		h = max(h, s.Height)
	}
	if h == 0 {
		h = fyne.MeasureText("国", theme.TextSize(), fyne.TextStyle{}).Height
	}
	return fyne.NewSize(w, h+2*lineLeading())
}

// lineLeading is the space above and below a line of body text.
func lineLeading() float32 {
	return fyne.MeasureText("国", theme.TextSize(), fyne.TextStyle{}).Height / 4
}
