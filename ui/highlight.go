package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
)

// highlightStyle marks where the query matched: bold and in the primary
// colour, so it stands out without relying on colour alone.
var highlightStyle = widget.RichTextStyle{
	Inline:    true,
	ColorName: theme.ColorNamePrimary,
	TextStyle: fyne.TextStyle{Bold: true},
}

// plainStyle is the rest of a snippet.
var plainStyle = widget.RichTextStyle{Inline: true, ColorName: theme.ColorNameForeground}

// snippetSegments splits a snippet into plain and highlighted segments. Spans
// count code points, as review.Snippet produces them; spans that overlap, run
// backwards or fall outside the text are ignored rather than trusted, since
// they come from the store.
func snippetSegments(snippet string, spans []review.Span) []widget.RichTextSegment {
	r := []rune(snippet)
	var segs []widget.RichTextSegment
	add := func(s string, st widget.RichTextStyle) {
		if s != "" {
			segs = append(segs, &widget.TextSegment{Text: s, Style: st})
		}
	}
	pos := 0
	for _, sp := range spans {
		if sp.Start < pos || sp.End <= sp.Start || sp.End > len(r) {
			continue
		}
		add(string(r[pos:sp.Start]), plainStyle)
		add(string(r[sp.Start:sp.End]), highlightStyle)
		pos = sp.End
	}
	add(string(r[pos:]), plainStyle)
	if len(segs) == 0 {
		// An empty RichText is shorter than one with text; a blank keeps
		// every list row the same height.
		segs = append(segs, &widget.TextSegment{Text: " ", Style: plainStyle})
	}
	return segs
}
