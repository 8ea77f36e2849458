package comment

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"qianfa/review"
	"qianfa/review/calendar"
)

// Field is a comment field a CSV column can be mapped to.
type Field string

// The mappable fields. Text and Time are required: a comment without its
// arrival time cannot be judged late or on time.
const (
	FieldText      Field = "text"
	FieldType      Field = "type"
	FieldSubmitter Field = "name"
	FieldTime      Field = "time"
	FieldArticle   Field = "article"
	FieldChannel   Field = "channel"
)

// Fields lists the mappable fields in dialog order.
var Fields = []Field{FieldText, FieldTime, FieldType, FieldSubmitter, FieldArticle, FieldChannel}

// Label returns the field's Chinese name.
func (f Field) Label() string {
	switch f {
	case FieldText:
		return "意见内容"
	case FieldType:
		return "提交者类型"
	case FieldSubmitter:
		return "提交者"
	case FieldTime:
		return "提交时间"
	case FieldArticle:
		return "条款"
	case FieldChannel:
		return "渠道"
	}
	return string(f)
}

// Required reports whether the field must be mapped.
func (f Field) Required() bool { return f == FieldText || f == FieldTime }

// Mapping maps fields to CSV column headers.
type Mapping map[Field]string

// ParseMapping reads the CLI's --map, "text=意见内容,type=提交者类型,...";
// fields may also be named in Chinese (意见内容=内容).
func ParseMapping(s string) (Mapping, error) {
	m := Mapping{}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' }) {
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return nil, review.Errorf(review.EINVALID, "列映射“%s”格式不正确，应写作 text=意见内容。", part)
		}
		f, found := Field(""), false
		for _, x := range Fields {
			if k == string(x) || k == x.Label() {
				f, found = x, true
			}
		}
		if !found {
			return nil, review.Errorf(review.EINVALID, "列映射中的字段“%s”无效，可选：text、time、type、name、article、channel。", k)
		}
		m[f] = v
	}
	return m, nil
}

// headerGuesses are the column names the website's exports have used for
// each field, best first.
var headerGuesses = map[Field][]string{
	FieldText:      {"意见内容", "意见", "内容", "意见建议", "留言内容", "建议内容"},
	FieldTime:      {"提交时间", "时间", "留言时间", "日期", "提交日期", "收到时间"},
	FieldType:      {"提交者类型", "类型", "身份", "提交人类型", "主体类型"},
	FieldSubmitter: {"提交者", "姓名", "提交人", "名称", "单位名称", "留言人"},
	FieldArticle:   {"条款", "条文", "涉及条款", "针对条款", "条目"},
	FieldChannel:   {"渠道", "来源", "提交渠道"},
}

// GuessMapping proposes a mapping from a CSV's headers, for the dialog to
// preselect; fields without a likely column are left out.
func GuessMapping(headers []string) Mapping {
	m := Mapping{}
	used := map[string]bool{}
	for _, f := range Fields {
		for _, g := range headerGuesses[f] {
			for _, h := range headers {
				if strings.TrimSpace(h) == g && !used[h] {
					m[f], used[h] = h, true
					break
				}
			}
			if m[f] != "" {
				break
			}
		}
	}
	return m
}

// String writes the mapping as ParseMapping reads it.
func (m Mapping) String() string {
	var parts []string
	for _, f := range Fields {
		if m[f] != "" {
			parts = append(parts, string(f)+"="+m[f])
		}
	}
	return strings.Join(parts, ",")
}

// Table is a decoded CSV file: its header row and records, each with the
// line it starts on.
type Table struct {
	Encoding string // "UTF-8" or "GB18030" (which covers GBK)
	Headers  []string
	Rows     [][]string
	Lines    []int
	// Bad holds the lines that could not be read as CSV at all (a quote
	// that is never closed); Comments reports them with the rows it leaves
	// out.
	Bad []BadRow
}

// MaxCSVSize bounds an import; the largest real export seen is a few MB.
const MaxCSVSize = 64 << 20

// ReadTable decodes a CSV exported by the website's comment system: UTF-8
// (with or without a byte-order mark, as Excel writes it) or GBK/GB18030
// (as the older export and Excel on Chinese Windows write it).
func ReadTable(data []byte) (*Table, error) {
	if len(data) > MaxCSVSize {
		return nil, review.Errorf(review.EINVALID, "CSV 文件过大（超过 %d MB）。", MaxCSVSize>>20)
	}
	t := &Table{Encoding: "UTF-8"}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	if !utf8.Valid(data) {
		// GBK text is almost never valid UTF-8, so validity decides; the
		// decoder below replaces malformed bytes rather than failing, which
		// the check afterwards catches.
		out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
			return nil, review.Errorf(review.EINVALID, "CSV 文件既不是 UTF-8 编码，也不是 GBK/GB18030 编码，无法识别其中的文字。")
		}
		data, t.Encoding = out, "GB18030"
	}
	// Quotes are read strictly: with lazy quotes, one comment that opens
	// with a quote it never closes swallows every row after it into its
	// text, and those rows vanish without a report. A strict reader refuses
	// that row, and reading starts again on the line after it; a stray quote
	// inside an unquoted cell (我认为"第三条"应删除) is harmless, and that
	// one line is read again leniently.
	src := bytes.SplitAfter(data, []byte("\n"))
	base := 0 // lines of data before what r reads
	r := newCSVReader(data)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var line int
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe) && t.Headers != nil:
			line = base + pe.StartLine
			if rec, err = lenientLine(src, line, pe); err != nil {
				t.Bad = append(t.Bad, BadRow{line, "引号不配对（英文双引号没有成对出现），本行未能读取。"})
				if pe.Line > pe.StartLine {
					off := 0
					for _, l := range src[:line] {
						off += len(l)
					}
					base, r = line, newCSVReader(data[off:])
				}
				continue
			}
		case err == nil:
			line, _ = r.FieldPos(0)
			line += base
		case errors.As(err, &pe):
			return nil, review.WrapError(review.EINVALID, err, "CSV 文件第 %d 行（表头）格式错误，无法读取。", pe.StartLine)
		default:
			return nil, review.WrapError(review.EINVALID, err, "CSV 文件无法读取。")
		}
		if t.Headers == nil {
			t.Headers = rec
			for i := range t.Headers {
				t.Headers[i] = strings.TrimSpace(t.Headers[i])
			}
			continue
		}
		if blankRecord(rec) {
			continue
		}
		t.Rows = append(t.Rows, rec)
		t.Lines = append(t.Lines, line)
	}
	if t.Headers == nil {
		return nil, review.Errorf(review.EINVALID, "CSV 文件是空的。")
	}
	return t, nil
}

func newCSVReader(data []byte) *csv.Reader {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // short rows are reported per line, not fatal
	return r
}

// lenientLine reads line (1-based) of src again with lazy quotes, when the
// strict reader refused it for nothing worse than a bare quote in an
// unquoted cell.
func lenientLine(src [][]byte, line int, pe *csv.ParseError) ([]string, error) {
	if !errors.Is(pe.Err, csv.ErrBareQuote) || pe.StartLine != pe.Line || line > len(src) {
		return nil, pe
	}
	r := newCSVReader(src[line-1])
	r.LazyQuotes = true
	return r.Read()
}

func blankRecord(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// BadRow is a CSV row that was not imported, and why, in Chinese.
type BadRow struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// Import is the outcome of reading a CSV with a mapping: the comments to
// record and the rows left out.
type Import struct {
	Encoding string       `json:"encoding"`
	Comments []NewComment `json:"-"`
	Bad      []BadRow     `json:"bad_rows"`
}

// Comments reads the table's rows with m. A row that cannot be read is
// reported by line and left out; the good rows are kept. source names the
// file in each comment's Source. An error means the mapping itself is
// wrong, and then nothing is imported.
func (t *Table) Comments(m Mapping, arts *Articles, source string, def Channel) (*Import, error) {
	col := map[Field]int{}
	for _, f := range Fields {
		h := strings.TrimSpace(m[f])
		if h == "" {
			if f.Required() {
				return nil, review.Errorf(review.EINVALID, "请指定“%s”所在的列。", f.Label())
			}
			continue
		}
		idx := -1
		for i, x := range t.Headers {
			if x == h {
				idx = i
				break
			}
		}
		if idx < 0 {
			return nil, review.Errorf(review.EINVALID, "CSV 文件没有名为“%s”的列（映射给%s）；文件的列有：%s。", h, f.Label(), strings.Join(t.Headers, "、"))
		}
		col[f] = idx
	}
	if def == "" {
		def = ChannelWebsite
	}
	out := &Import{Encoding: t.Encoding, Bad: slices.Clone(t.Bad)}
	for i, rec := range t.Rows {
		line := t.Lines[i]
		get := func(f Field) string {
			if j, ok := col[f]; ok && j < len(rec) {
				return strings.TrimSpace(rec[j])
			}
			return ""
		}
		if j := col[FieldText]; j >= len(rec) {
			out.Bad = append(out.Bad, BadRow{line, fmt.Sprintf("本行只有 %d 列，缺少“%s”列。", len(rec), t.Headers[j])})
			continue
		}
		n := NewComment{
			SubmitterType: SubmitterType(get(FieldType)),
			Submitter:     get(FieldSubmitter),
			Channel:       def,
			Text:          get(FieldText),
			Article:       get(FieldArticle),
			Source:        fmt.Sprintf("%s 第 %d 行", source, line),
			Line:          line,
		}
		if c := get(FieldChannel); c != "" {
			n.Channel = Channel(c)
		}
		at, err := ParseTime(get(FieldTime))
		if err != nil {
			out.Bad = append(out.Bad, BadRow{line, review.ErrorMessage(err)})
			continue
		}
		n.ReceivedAt = at
		if err := n.Validate(arts); err != nil {
			out.Bad = append(out.Bad, BadRow{line, review.ErrorMessage(err)})
			continue
		}
		out.Comments = append(out.Comments, n)
	}
	slices.SortStableFunc(out.Bad, func(a, b BadRow) int { return a.Line - b.Line })
	return out, nil
}

// timeLayouts are the ways the website's exports and clerks write times.
var timeLayouts = []string{
	"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-1-2 15:04:05", "2006-1-2 15:04",
	"2006/01/02 15:04:05", "2006/01/02 15:04", "2006/1/2 15:04:05", "2006/1/2 15:04",
	"2006年1月2日 15:04:05", "2006年1月2日 15:04", "2006年1月2日15:04", "2006年1月2日15时04分",
	"2006-01-02T15:04:05",
}

// ParseTime reads when a comment arrived, in the office's time zone unless
// it carries its own. A date alone means noon, so that it falls on that day
// in any zone and never looks late by a time-of-day accident.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, review.Errorf(review.EINVALID, "提交时间为空。")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, calendar.Location()); err == nil {
			return t, nil
		}
	}
	if d, err := calendar.Parse(strings.ReplaceAll(s, "/", "-")); err == nil {
		return d.Time().Add(12 * time.Hour), nil
	}
	return time.Time{}, review.Errorf(review.EINVALID, "提交时间“%s”无法识别，应写作 2025-03-01 14:30 或 2025年3月1日。", s)
}
