package compare

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"

	"qianfa/review"
)

// Formats accepted by Result.Write and TextDiff.Write.
const (
	FormatText = "text"
	FormatHTML = "html"
	FormatCSV  = "csv" // Result only: the 对照表 is a table, a text diff is not
	FormatJSON = "json"
)

// CSVHeader is the exact header line of the CSV export.
var CSVHeader = []string{"old_no", "new_no", "label", "old_text", "new_text"}

// Write exports the 对照表 in format ("text", "html", "csv" or "json").
func (r *Result) Write(w io.Writer, format string) error {
	switch format {
	case FormatText, "":
		return r.WriteText(w)
	case FormatHTML:
		return r.WriteHTML(w)
	case FormatCSV:
		return r.WriteCSV(w)
	case FormatJSON:
		return r.WriteJSON(w)
	}
	return review.Errorf(review.EINVALID, "不支持的输出格式“%s”，可选 text、html、csv、json。", format)
}

// tableRows returns the preamble row (when present and, under
// HideUnchanged, changed) followed by the article rows.
func (r *Result) tableRows() []Row {
	var rows []Row
	if p := r.Preamble; p != nil && !(r.Options.HideUnchanged && p.Label == Unchanged) {
		rows = append(rows, *p)
	}
	return append(rows, r.Rows...)
}

// WriteCSV writes the header old_no,new_no,label,old_text,new_text and one
// record per row. The preamble, when shown, is the first record with both
// numbers empty; a deleted article has new_no empty and an added one old_no.
func (r *Result) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, row := range r.tableRows() {
		if err := cw.Write([]string{row.OldNo, row.NewNo, string(row.Label), row.OldText, row.NewText}); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// jsonResult is the JSON shape: rows plus the summary with every label
// present, so consumers need not guess at missing keys.
type jsonResult struct {
	Preamble *Row          `json:"preamble,omitempty"`
	Rows     []Row         `json:"rows"`
	Summary  map[Label]int `json:"summary"`
	Coarse   bool          `json:"coarse"`
	Warnings []string      `json:"warnings,omitempty"`
}

// WriteJSON writes {"preamble":…, "rows":[…], "summary":{"未修改":n,…},
// "coarse":false, "warnings":[…]}; each row carries old_no, new_no, label,
// old_text, new_text, old_segments, new_segments and changed.
func (r *Result) WriteJSON(w io.Writer) error {
	sum := map[Label]int{}
	for _, l := range Labels {
		sum[l] = r.Summary[l]
	}
	rows := r.Rows
	if rows == nil {
		rows = []Row{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(jsonResult{Preamble: r.Preamble, Rows: rows, Summary: sum, Coarse: r.Coarse, Warnings: r.Warnings}); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// Redline renders segments inline: deletions as [-…-], insertions as {+…+},
// ignored differences in their new form without marks.
func Redline(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		switch {
		case s.Op == Equal:
			b.WriteString(s.Text)
		case s.Ignored && s.Op == Insert:
			b.WriteString(s.Text)
		case s.Ignored:
		case s.Op == Delete:
			b.WriteString("[-" + s.Text + "-]")
		default:
			b.WriteString("{+" + s.Text + "+}")
		}
	}
	return b.String()
}

// WriteText writes the summary line, then each row as a header
// ("【修改】第5条 → 第6条") followed by its inline redline.
func (r *Result) WriteText(w io.Writer) error {
	var b strings.Builder
	b.WriteString("修改对照表：" + r.Summary.String() + "\n")
	for _, warn := range r.Warnings {
		b.WriteString("注意：" + warn + "\n")
	}
	for _, row := range r.tableRows() {
		b.WriteString("\n【" + string(row.Label) + "】" + rowTitle(row) + "\n")
		b.WriteString(Redline(row.Inline))
		b.WriteString("\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write text: %w", err)
	}
	return nil
}

// rowTitle names a row's articles for headers: "第5条 → 第6条".
func rowTitle(row Row) string {
	if row.OldArticles == nil && row.NewArticles == nil && row.OldNo == "" && row.NewNo == "" {
		return "标题及前言"
	}
	side := func(no string) string {
		if no == "" {
			return "（无）"
		}
		return "第" + strings.ReplaceAll(no, ";", "、") + "条"
	}
	return side(row.OldNo) + " → " + side(row.NewNo)
}

// htmlStyle keeps the HTML export self-contained and printable: CJK fonts
// named explicitly (Windows and Linux desks differ), highlights that survive
// black-and-white printing (strike-through and underline, not colour only),
// rows that do not break across pages.
const htmlStyle = `body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em;color:#111;line-height:1.6}
h1{font-size:1.4em;margin:0 0 .3em}
p.summary{margin:.2em 0 1em;font-weight:bold}
p.warn{color:#8a4b00}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{border:1px solid #999;padding:.4em .6em;vertical-align:top;text-align:left;white-space:pre-wrap;word-break:break-all}
th{background:#eee}
col.no{width:4.5em}col.label{width:6.5em}
tr{page-break-inside:avoid;break-inside:avoid}
del{background:#fdd;color:#a00;text-decoration:line-through}
ins{background:#dfd;color:#060;text-decoration:underline}
td.label{font-weight:bold;white-space:nowrap}
tr.未修改 td.label{color:#666}
@media print{body{margin:0}th{background:none}del,ins{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
`

// WriteHTML writes a self-contained, printable HTML page: title, summary
// line, then the 对照表 with highlights. All text is escaped.
func (r *Result) WriteHTML(w io.Writer) error {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>修改对照表</title>\n<style>\n")
	b.WriteString(htmlStyle)
	b.WriteString("</style>\n</head>\n<body>\n<h1>修改对照表</h1>\n")
	b.WriteString("<p class=\"summary\">" + html.EscapeString(r.Summary.String()) + "</p>\n")
	for _, warn := range r.Warnings {
		b.WriteString("<p class=\"warn\">注意：" + html.EscapeString(warn) + "</p>\n")
	}
	b.WriteString("<table>\n<colgroup><col class=\"no\"><col><col class=\"no\"><col><col class=\"label\"></colgroup>\n")
	b.WriteString("<thead><tr><th>原条号</th><th>原条文</th><th>新条号</th><th>新条文</th><th>修改情况</th></tr></thead>\n<tbody>\n")
	for _, row := range r.tableRows() {
		fmt.Fprintf(&b, "<tr class=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class=\"label\">%s</td></tr>\n",
			html.EscapeString(string(row.Label)),
			html.EscapeString(row.OldNo), htmlSegments(row.Old),
			html.EscapeString(row.NewNo), htmlSegments(row.New),
			html.EscapeString(string(row.Label)))
	}
	b.WriteString("</tbody>\n</table>\n</body>\n</html>\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write html: %w", err)
	}
	return nil
}

// htmlSegments renders one side's segments with <del>/<ins> highlights.
func htmlSegments(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		t := html.EscapeString(s.Text)
		switch {
		case s.Op == Equal || s.Ignored:
			b.WriteString(t)
		case s.Op == Delete:
			b.WriteString("<del>" + t + "</del>")
		default:
			b.WriteString("<ins>" + t + "</ins>")
		}
	}
	return b.String()
}

// Write exports the text diff as "text" (inline redline), "html" (a
// self-contained side-by-side page) or "json" (segments and line pairs).
func (d *TextDiff) Write(w io.Writer, format string) error {
	var err error
	switch format {
	case FormatText, "":
		_, err = io.WriteString(w, Redline(d.Segments))
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		err = enc.Encode(d)
	case FormatHTML:
		err = d.writeHTML(w)
	default:
		return review.Errorf(review.EINVALID, "不支持的输出格式“%s”，全文比较可选 text、html、json；csv 需配合对照表使用。", format)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", format, err)
	}
	return nil
}

func (d *TextDiff) writeHTML(w io.Writer) error {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>文本比较</title>\n<style>\n")
	b.WriteString(htmlStyle)
	b.WriteString("td.ln{width:3em;color:#666;text-align:right}\n</style>\n</head>\n<body>\n<h1>文本比较</h1>\n")
	for _, warn := range d.Warnings {
		b.WriteString("<p class=\"warn\">注意：" + html.EscapeString(warn) + "</p>\n")
	}
	b.WriteString("<table>\n<colgroup><col class=\"no\"><col><col class=\"no\"><col></colgroup>\n<tbody>\n")
	ln := func(n int) string {
		if n == 0 {
			return ""
		}
		return fmt.Sprint(n)
	}
	for _, p := range d.Lines {
		fmt.Fprintf(&b, "<tr><td class=\"ln\">%s</td><td>%s</td><td class=\"ln\">%s</td><td>%s</td></tr>\n",
			ln(p.OldLine), htmlSegments(p.Old), ln(p.NewLine), htmlSegments(p.New))
	}
	b.WriteString("</tbody>\n</table>\n</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
