package calendar

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"qianfa/review"
)

// shippedText is the holiday data as published by 国务院办公厅, kept as text
// so that the administrator reads the same lines the program uses.
//
//go:embed holidays.txt
var shippedText []byte

// shipped is parsed once: a bad embedded file is a build mistake, caught by
// the package's tests, and would otherwise surface as wrong deadlines.
var shipped = func() Data {
	d, err := ParseData(bytes.NewReader(shippedText))
	if err != nil {
		panic("calendar: holidays.txt: " + err.Error())
	}
	return d
}()

// Override marks one date as a day off or a working day, against the
// ordinary Monday-to-Friday week. The yearly notices are a list of them (the
// days off and the make-up working days), and so are the administrator's
// corrections, which are applied last and win.
type Override struct {
	Date Date
	Off  bool   // true: 休 (no work); false: 班 (a working day, e.g. 调休上班)
	Note string // e.g. 国庆节, 国庆节调休; shown to the user
}

// Validate reports an override that cannot be applied.
func (o Override) Validate() error {
	if o.Date.IsZero() {
		return review.Errorf(review.EINVALID, "请填写要调整的日期。")
	}
	if strings.ContainsAny(o.Note, "\r\n") {
		return review.Errorf(review.EINVALID, "备注只能写一行。")
	}
	return nil
}

// Notice records that a year's notice has been entered, and from where.
type Notice struct {
	Year   int
	Source string // the notice's title and number
}

// Data is the content of a holiday data file: the years whose notices are
// entered and their days. It is what the administrator's screen shows and
// edits.
type Data struct {
	Notices []Notice
	Days    []Override
}

// Shipped returns the holiday data that ships with the program (2019 on).
// The caller may change the copy it gets.
func Shipped() Data {
	return Data{Notices: slices.Clone(shipped.Notices), Days: slices.Clone(shipped.Days)}
}

// ShippedText returns the shipped data file as it is written, comments
// included, for the administrator to read or to start an edit from.
func ShippedText() []byte { return bytes.Clone(shippedText) }

// Merge returns d with the notices and days of admin added; where both name
// the same year or date, admin wins. The administrator uses it to enter a
// new year's notice (年度 2027 …) before a program update ships it.
func (d Data) Merge(admin Data) Data {
	out := Data{}
	years := map[int]bool{}
	for _, n := range admin.Notices {
		years[n.Year] = true
	}
	for _, n := range d.Notices {
		if !years[n.Year] {
			out.Notices = append(out.Notices, n)
		}
	}
	out.Notices = append(out.Notices, admin.Notices...)
	dates := map[Date]bool{}
	for _, o := range admin.Days {
		dates[o.Date] = true
	}
	for _, o := range d.Days {
		if !dates[o.Date] {
			out.Days = append(out.Days, o)
		}
	}
	out.Days = append(out.Days, admin.Days...)
	out.sort()
	return out
}

func (d *Data) sort() {
	slices.SortStableFunc(d.Notices, func(a, b Notice) int { return cmpInt(a.Year, b.Year) })
	slices.SortStableFunc(d.Days, func(a, b Override) int { return a.Date.Compare(b.Date) })
}

// Keywords of the data file. Chinese, because the administrator edits it.
const (
	kwYear = "年度"
	kwOff  = "休"
	kwWork = "班"
)

// ParseData reads a holiday data file. Each line is one of
//
//	年度 2024 国务院办公厅关于2024年部分节假日安排的通知
//	2024-10-01 休 国庆节
//	2024-10-12 班 国庆节调休
//
// Blank lines and lines starting with # are ignored. A bad line is reported
// with its number, in Chinese, for the administrator to fix.
func ParseData(r io.Reader) (Data, error) {
	var d Data
	seenYear := map[int]int{}
	seenDate := map[Date]int{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		first, rest := cutField(line)
		if first == kwYear {
			ys, source := cutField(rest)
			y, err := strconv.Atoi(ys)
			if err != nil || !digits(ys, 4, 4) {
				return Data{}, lineError(n, "“%s”后应写四位年份，例如：年度 2024 国务院办公厅关于2024年部分节假日安排的通知", kwYear)
			}
			if prev, ok := seenYear[y]; ok {
				return Data{}, lineError(n, "%d年度已在第 %d 行写过", y, prev)
			}
			seenYear[y] = n
			d.Notices = append(d.Notices, Notice{Year: y, Source: source})
			continue
		}
		date, err := Parse(first)
		if err != nil {
			return Data{}, lineError(n, "%s每行应以日期或“%s”开头，例如：2024-10-01 %s 国庆节", review.ErrorMessage(err), kwYear, kwOff)
		}
		kind, note := cutField(rest)
		var off bool
		switch kind {
		case kwOff:
			off = true
		case kwWork:
			off = false
		default:
			return Data{}, lineError(n, "日期后应写“%s”（放假）或“%s”（调休上班），而不是“%s”", kwOff, kwWork, kind)
		}
		if prev, ok := seenDate[date]; ok {
			return Data{}, lineError(n, "%s 已在第 %d 行写过", date, prev)
		}
		seenDate[date] = n
		d.Days = append(d.Days, Override{Date: date, Off: off, Note: note})
	}
	if err := sc.Err(); err != nil {
		return Data{}, review.WrapError(review.EINVALID, err, "节假日数据读取失败。")
	}
	d.sort()
	return d, nil
}

// cutField splits off the first space-separated field; the rest keeps its
// inner spaces, since notes and sources are free text.
func cutField(s string) (field, rest string) {
	s = strings.TrimSpace(s)
	i := strings.IndexAny(s, " \t\u3000")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

func lineError(n int, format string, args ...any) error {
	return review.Errorf(review.EINVALID, "节假日数据第 %d 行：%s。", n, fmt.Sprintf(format, args...))
}

// Format writes d in the data file format that ParseData reads: the
// notices first, then the days in date order. Where d names a year or a date
// twice the later entry is kept, as Calendar would apply it, and days
// without a date are left out, so that the output always parses.
func (d Data) Format() []byte {
	d = Data{Notices: slices.Clone(d.Notices), Days: slices.Clone(d.Days)}
	d.sort()
	var b bytes.Buffer
	b.WriteString("# 法定节假日与调休上班日。格式：年度 YYYY 来源 / YYYY-MM-DD 休|班 备注\n")
	for i, n := range d.Notices {
		if i+1 < len(d.Notices) && d.Notices[i+1].Year == n.Year {
			continue
		}
		fmt.Fprintf(&b, "%s %04d %s\n", kwYear, n.Year, oneLine(n.Source))
	}
	for i, o := range d.Days {
		if o.Date.IsZero() || i+1 < len(d.Days) && d.Days[i+1].Date == o.Date {
			continue
		}
		kind := kwWork
		if o.Off {
			kind = kwOff
		}
		fmt.Fprintf(&b, "%s %s %s\n", o.Date, kind, oneLine(o.Note))
	}
	// Trailing spaces of empty notes would only trouble a diff.
	return bytes.ReplaceAll(b.Bytes(), []byte(" \n"), []byte("\n"))
}

// oneLine keeps free text on its line, since a newline would start a new
// record.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
