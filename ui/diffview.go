package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review/compare"
)

// runKind is how a piece of compared text is shown.
type runKind uint8

const (
	runPlain    runKind = iota
	runDeleted          // old text that is gone: red, struck through
	runInserted         // new text: green and bold
	runMuted            // line numbers and article numbers
	runLabel            // the change label in the 对照表
)

// run is a piece of text in one style.
type run struct {
	text string
	kind runKind
}

// visLine is one visual line of a diff column, already wrapped to the
// column's width.
type visLine struct {
	runs []run
	// rule draws a thin line above: the first line of a 对照表 row, or the
	// first line after unchanged lines that were left out.
	rule bool
}

// Diff styles. Deletions and insertions differ by more than colour (struck
// through vs bold), for colour-blind readers and for grey-scale screens.
var diffStyles = [...]widget.RichTextStyle{
	runPlain:    {Inline: true, ColorName: theme.ColorNameForeground},
	runDeleted:  {Inline: true, ColorName: theme.ColorNameError},
	runInserted: {Inline: true, ColorName: theme.ColorNameSuccess, TextStyle: fyne.TextStyle{Bold: true}},
	runMuted:    {Inline: true, ColorName: theme.ColorNamePlaceHolder},
	runLabel:    {Inline: true, ColorName: theme.ColorNamePrimary, TextStyle: fyne.TextStyle{Bold: true}},
}

// diffSide says which parts of a diff a view shows.
type diffSide uint8

const (
	sideOld    diffSide = iota // Equal and Delete: the old column
	sideNew                    // Equal and Insert: the new column
	sideInline                 // everything in reading order: the redline
)

// segmentLines cuts segments into lines of runs for one side. Differences
// the options ignore are shown as plain text, and in the inline view only in
// their new form, as compare.Segment documents.
func segmentLines(segs []compare.Segment, side diffSide) [][]run {
	lines := [][]run{nil}
	for _, s := range segs {
		kind := runPlain
		switch {
		case s.Op == compare.Delete && side == sideNew, s.Op == compare.Insert && side == sideOld:
			continue
		case s.Op == compare.Delete && s.Ignored && side == sideInline:
			continue
		case s.Op == compare.Delete && !s.Ignored:
			kind = runDeleted
		case s.Op == compare.Insert && !s.Ignored:
			kind = runInserted
		}
		for i, part := range strings.Split(s.Text, "\n") {
			if i > 0 {
				lines = append(lines, nil)
			}
			if part != "" {
				lines[len(lines)-1] = append(lines[len(lines)-1], run{part, kind})
			}
		}
	}
	// A text ending in a newline has no line after it.
	if n := len(lines); n > 1 && lines[n-1] == nil {
		lines = lines[:n-1]
	}
	return lines
}

// runeMeasurer measures runes once per style; Chinese text uses few distinct
// runes, so wrapping a whole law costs little after the first lines.
type runeMeasurer struct {
	size   float32
	widths map[runeKey]float32
}

type runeKey struct {
	r    rune
	bold bool
}

func newRuneMeasurer() *runeMeasurer {
	return &runeMeasurer{size: theme.TextSize(), widths: map[runeKey]float32{}}
}

func (m *runeMeasurer) width(r rune, kind runKind) float32 {
	k := runeKey{r, diffStyles[kind].TextStyle.Bold}
	w, ok := m.widths[k]
	if !ok {
		w = fyne.MeasureText(string(r), m.size, diffStyles[kind].TextStyle).Width
		m.widths[k] = w
	}
	return w
}

// wrap breaks a line of runs into visual lines no wider than avail. Breaks
// fall between any two runes, as Chinese has no spaces to break at.
func (m *runeMeasurer) wrap(line []run, avail float32) [][]run {
	if len(line) == 0 {
		return [][]run{nil}
	}
	var out [][]run
	var cur []run
	w := float32(0)
	for _, rn := range line {
		start := 0
		for i, r := range rn.text {
			rw := m.width(r, rn.kind)
			// Closing punctuation never starts a line (a rule of Chinese
			// typesetting); it may overhang into the rune of slack the
			// caller leaves.
			if w+rw > avail && (i > start || len(cur) > 0) && !(noLineStart(r) && w+rw <= avail+m.size) {
				if i > start {
					cur = append(cur, run{rn.text[start:i], rn.kind})
				}
				out = append(out, cur)
				cur, w, start = nil, 0, i
			}
			w += rw
		}
		if start < len(rn.text) {
			cur = append(cur, run{rn.text[start:], rn.kind})
		}
	}
	return append(out, cur)
}

// noLineStart reports punctuation that must not begin a line.
func noLineStart(r rune) bool {
	return strings.ContainsRune("，。、；：？！）》」』〉】”’…,.;:?!)", r)
}

// wrapped wraps lines and appends them to dst, marking the first with rule.
func (m *runeMeasurer) wrapped(dst []visLine, lines [][]run, avail float32, rule bool) []visLine {
	for _, l := range lines {
		for _, v := range m.wrap(l, avail) {
			dst = append(dst, visLine{runs: v, rule: rule})
			rule = false
		}
	}
	return dst
}

// padTo appends blank lines until every column has as many lines as the
// longest, so that facing lines stay level.
func padTo(cols [][]visLine, from int) {
	n := 0
	for _, c := range cols {
		n = max(n, len(c)-from)
	}
	for i := range cols {
		for len(cols[i])-from < n {
			cols[i] = append(cols[i], visLine{})
		}
	}
}

// lineNumber is the muted prefix of a numbered line.
func lineNumber(n int) run { return run{strconv.Itoa(n) + "  ", runMuted} }

// diffColumn shows visual lines in a scroll container, making widgets only
// for the lines on screen: a law of a few thousand lines in RichText widgets
// would take seconds to lay out on every resize. All lines have one height,
// so facing columns with the same line count scroll in step.
type diffColumn struct {
	widget.BaseWidget

	lines  []visLine
	gen    int // bumped when lines change, so cached rows are redrawn
	width  float32
	rowH   float32
	scroll *container.Scroll // the scroll showing this column
	// onWidth is called when the column's width changes, for the owner to
	// rewrap every column it keeps level.
	onWidth func()
	meas    *runeMeasurer
}

func newDiffColumn(m *runeMeasurer) *diffColumn {
	c := &diffColumn{meas: m}
	c.ExtendBaseWidget(c)
	// A line of body text with a little leading.
	c.rowH = fyne.MeasureText("国", theme.TextSize(), fyne.TextStyle{}).Height + theme.LineSpacing()*2
	c.scroll = container.NewVScroll(c)
	return c
}

// setLines replaces the lines and lets the scroll learn the new height.
func (c *diffColumn) setLines(lines []visLine) {
	c.lines = lines
	c.gen++
	// Fewer lines than before may leave the offset past the end.
	if end := max(0, float32(len(lines))*c.rowH-c.scroll.Size().Height); c.scroll.Offset.Y > end {
		c.scroll.Offset.Y = end
	}
	c.scroll.Refresh()
	c.Refresh()
}

// MinSize is the height of all lines; the width is the scroll's to choose.
func (c *diffColumn) MinSize() fyne.Size {
	return fyne.NewSize(60, float32(len(c.lines))*c.rowH)
}

// CreateRenderer implements fyne.Widget.
func (c *diffColumn) CreateRenderer() fyne.WidgetRenderer { return &diffColumnRenderer{c: c} }

// textRow is a pooled RichText and the line it shows.
type textRow struct {
	rt       *widget.RichText
	line     int
	gen      int
	strikes  []*canvas.Line
	nStrikes int
}

type diffColumnRenderer struct {
	c       *diffColumn
	placing bool // place is running; RichText refreshes can re-enter it
	rows    []*textRow
	rules   []*canvas.Rectangle
	objects []fyne.CanvasObject
}

func (r *diffColumnRenderer) Layout(size fyne.Size) {
	if size.Width != r.c.width {
		r.c.width = size.Width
		if r.c.onWidth != nil {
			r.c.onWidth()
		}
	}
	r.place()
}

func (r *diffColumnRenderer) MinSize() fyne.Size           { return r.c.MinSize() }
func (r *diffColumnRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *diffColumnRenderer) Destroy()                     {}
func (r *diffColumnRenderer) Refresh()                     { r.place(); canvas.Refresh(r.c) }

// place shows the lines inside the scroll's viewport, reusing RichTexts.
func (r *diffColumnRenderer) place() {
	if r.placing {
		return
	}
	r.placing = true
	defer func() { r.placing = false }()
	c := r.c
	lines := c.lines
	top, view := c.scroll.Offset.Y, c.scroll.Size().Height
	if view <= 0 {
		view = c.Size().Height
	}
	first := max(0, int(top/c.rowH))
	last := min(len(lines), int((top+view)/c.rowH)+1)
	pad := theme.InnerPadding()
	textH := fyne.MeasureText("国", theme.TextSize(), fyne.TextStyle{}).Height
	r.objects = r.objects[:0]
	nRules := 0
	for k, i := 0, first; i < last; k, i = k+1, i+1 {
		if k == len(r.rows) {
			rt := widget.NewRichText()
			rt.Wrapping = fyne.TextWrapOff
			r.rows = append(r.rows, &textRow{rt: rt, line: -1})
		}
		tr := r.rows[k]
		line := lines[i]
		if tr.line != i || tr.gen != c.gen {
			tr.line, tr.gen = i, c.gen
			segs := make([]widget.RichTextSegment, 0, len(line.runs))
			for _, rn := range line.runs {
				segs = append(segs, &widget.TextSegment{Text: rn.text, Style: diffStyles[rn.kind]})
			}
			tr.rt.Segments = segs
			tr.rt.Refresh()
		}
		y := float32(i) * c.rowH
		// The RichText keeps its own inner padding; centre its text on the
		// row instead of letting the padding space the lines apart.
		rtH := textH + 2*pad
		tr.rt.Move(fyne.NewPos(0, y+(c.rowH-rtH)/2))
		tr.rt.Resize(fyne.NewSize(c.width, rtH))
		r.objects = append(r.objects, tr.rt)

		// Strike-through for deletions: Fyne's text styles have none, and
		// red alone is lost on a grey-scale screen or to colour-blind eyes.
		tr.nStrikes = 0
		x := pad
		for _, rn := range line.runs {
			w := float32(0)
			for _, ch := range rn.text {
				w += c.meas.width(ch, rn.kind)
			}
			if rn.kind == runDeleted {
				if tr.nStrikes == len(tr.strikes) {
					tr.strikes = append(tr.strikes, canvas.NewLine(theme.Color(theme.ColorNameError)))
				}
				s := tr.strikes[tr.nStrikes]
				tr.nStrikes++
				s.StrokeColor = theme.Color(theme.ColorNameError)
				s.StrokeWidth = 1.5
				mid := y + c.rowH/2 + 1
				s.Position1 = fyne.NewPos(x, mid)
				s.Position2 = fyne.NewPos(x+w, mid)
				r.objects = append(r.objects, s)
			}
			x += w
		}
		if line.rule {
			if nRules == len(r.rules) {
				r.rules = append(r.rules, canvas.NewRectangle(theme.Color(theme.ColorNameSeparator)))
			}
			rule := r.rules[nRules]
			nRules++
			rule.FillColor = theme.Color(theme.ColorNameSeparator)
			rule.Move(fyne.NewPos(0, y))
			rule.Resize(fyne.NewSize(c.width, 1))
			r.objects = append(r.objects, rule)
		}
	}
	// Rows scrolled away forget their line so they are redrawn on return.
	for k := last - first; k < len(r.rows); k++ {
		if k >= 0 {
			r.rows[k].line = -1
		}
	}
}

// diffGrid keeps several columns level: it rewraps all of them whenever one
// changes width, padding each logical line to the same number of visual
// lines.
type diffGrid struct {
	cols []*diffColumn
	busy bool // rewrap is running; setting lines lays the columns out again
	// build makes each column's lines for the given text widths.
	build func(widths []float32) [][]visLine
}

func newDiffGrid(m *runeMeasurer, n int) *diffGrid {
	g := &diffGrid{}
	for range n {
		c := newDiffColumn(m)
		c.onWidth = g.rewrap
		g.cols = append(g.cols, c)
	}
	return g
}

// rewrap rebuilds every column's lines at the current widths. Until every
// column has been laid out once there is nothing to fit to.
func (g *diffGrid) rewrap() {
	if g.build == nil || g.busy {
		return
	}
	g.busy = true
	defer func() { g.busy = false }()
	// Setting lines lays the columns out again, which can change a width
	// (a scroll bar appearing); wrap again until the widths hold still.
	for range 3 {
		used := make([]float32, len(g.cols))
		widths := make([]float32, len(g.cols))
		for i, c := range g.cols {
			used[i] = c.width
			// Inner padding on both sides, a scroll bar, and a rune of
			// slack for measuring runes alone (kerning, punctuation that
			// may not start a line).
			widths[i] = c.width - 2*theme.InnerPadding() - theme.TextSize() - theme.ScrollBarSize()
			if c.width <= 0 || widths[i] <= theme.TextSize() {
				return
			}
		}
		lines := g.build(widths)
		for i, c := range g.cols {
			c.setLines(lines[i])
		}
		same := true
		for i, c := range g.cols {
			same = same && c.width == used[i]
		}
		if same {
			return
		}
	}
}

// setBuild installs a new build function and rewraps.
func (g *diffGrid) setBuild(build func(widths []float32) [][]visLine) {
	g.build = build
	g.rewrap()
}

// syncScroll makes the scrolls of the grid's columns follow each other: a
// scroll on one moves the others to the same offset. The columns have the
// same line count and line height, so the same offset shows facing lines.
func (g *diffGrid) syncScroll() {
	for _, c := range g.cols {
		c := c
		c.scroll.OnScrolled = func(p fyne.Position) {
			for _, o := range g.cols {
				if o != c {
					// ScrollToOffset does not call OnScrolled, so this
					// cannot bounce back and forth.
					o.scroll.ScrollToOffset(fyne.NewPos(o.scroll.Offset.X, p.Y))
				}
				o.Refresh()
			}
		}
	}
}

// weightedColumns lays objects out side by side with widths in proportion
// to weights, the full height each.
type weightedColumns struct{ weights []float32 }

func (l weightedColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	total := float32(0)
	for _, w := range l.weights {
		total += w
	}
	gap := theme.Padding()
	avail := size.Width - gap*float32(len(objs)-1)
	x := float32(0)
	for i, o := range objs {
		w := avail * l.weights[i] / total
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w + gap
	}
}

func (l weightedColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width += m.Width
		s.Height = max(s.Height, m.Height)
	}
	return s.AddWidthHeight(theme.Padding()*float32(len(objs)-1), 0)
}
