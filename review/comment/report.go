package comment

import (
	"cmp"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/compare"
)

// Input is what the feedback report is built from.
type Input struct {
	Document review.Document
	Window   Window
	Comments []Comment
	// DraftText is the text of the revision put out for comment
	// (Window.Revision); FinalText that of FinalRevision, the current one.
	DraftText     string
	FinalText     string
	FinalRevision int
	Now           time.Time
}

// Report is the feedback document, 意见采纳情况说明.
type Report struct {
	Title           string        `json:"title"` // the draft's title
	IndexNo         string        `json:"index_no"`
	Kind            review.Kind   `json:"kind"`
	Start           calendar.Date `json:"start"`
	End             calendar.Date `json:"end"`
	Channels        []Channel     `json:"channels"`
	Extended        bool          `json:"extended"`
	CommentRevision int           `json:"comment_revision"`
	FinalRevision   int           `json:"final_revision"`
	GeneratedAt     time.Time     `json:"generated_at"`

	Total      int `json:"total"`
	Late       int `json:"late"`
	Groups     int `json:"groups"`
	Undisposed int `json:"undisposed"` // comments whose group has no answer yet
	// ByType counts comments per submitter type and disposition ("" for not
	// yet answered); ByDisposition totals the dispositions.
	ByType        []TypeCount         `json:"by_type"`
	ByDisposition map[Disposition]int `json:"by_disposition"`

	// Articles are the draft's articles that drew comments, in reading
	// order; General holds comments on the draft as a whole.
	Articles []ArticleFeedback `json:"articles"`
	General  []Item            `json:"general"`
	// Changes lists every article the final revision changed against the
	// comment draft, commented on or not.
	Changes  []Change `json:"changes"`
	Summary  string   `json:"change_summary"`
	Warnings []string `json:"warnings,omitempty"`
}

// TypeCount is one row of the count table.
type TypeCount struct {
	Type          SubmitterType       `json:"type"`
	Total         int                 `json:"total"`
	ByDisposition map[Disposition]int `json:"by_disposition"`
}

// Item is one answer: a group of like comments on one article.
type Item struct {
	Group       int64       `json:"group"`
	Nos         []int       `json:"comment_nos"`
	Count       int         `json:"count"`
	Late        int         `json:"late"`
	Excerpt     string      `json:"excerpt"`
	Disposition Disposition `json:"disposition,omitempty"`
	Reason      string      `json:"reason,omitempty"`
}

// ArticleFeedback gathers the answers on one article and what became of it.
type ArticleFeedback struct {
	No       string  `json:"no"`
	Label    string  `json:"label"` // 第十二条
	Comments int     `json:"comments"`
	Items    []Item  `json:"items"`
	Change   *Change `json:"change,omitempty"`
}

// Change is one article's fate between the comment draft and the final text.
type Change struct {
	Label   compare.Label `json:"label"`
	OldNo   string        `json:"old_no"`
	NewNo   string        `json:"new_no"`
	OldText string        `json:"old_text"`
	NewText string        `json:"new_text"`
}

// excerptRunes bounds the excerpt of a comment quoted in the report.
const excerptRunes = 120

// Build assembles the report.
func Build(in Input) (*Report, error) {
	w := in.Window
	r := &Report{
		Title: in.Document.Meta.Title, IndexNo: in.Document.IndexNo, Kind: w.Kind,
		Start: w.Start, End: w.End, Channels: w.Channels, Extended: w.Extended(),
		CommentRevision: w.Revision, FinalRevision: in.FinalRevision, GeneratedAt: in.Now,
		ByDisposition: map[Disposition]int{},
	}
	byType := map[SubmitterType]*TypeCount{}
	for _, t := range SubmitterTypes {
		byType[t] = &TypeCount{Type: t, ByDisposition: map[Disposition]int{}}
	}
	type key struct {
		article string
		group   int64
	}
	items := map[key]*Item{}
	var keys []key
	groups := map[int64]bool{}
	perArticle := map[string]int{}
	for i := range in.Comments {
		c := &in.Comments[i]
		r.Total++
		if c.Late {
			r.Late++
		}
		groups[c.Group] = true
		tc := byType[c.SubmitterType]
		if tc == nil {
			tc = byType[SubmitterOther]
		}
		tc.Total++
		tc.ByDisposition[c.Disposition]++
		if c.Disposition == "" {
			r.Undisposed++
		} else {
			r.ByDisposition[c.Disposition]++
		}
		perArticle[c.Article]++
		k := key{c.Article, c.Group}
		it := items[k]
		if it == nil {
			it = &Item{Group: c.Group, Excerpt: excerpt(c.Text), Disposition: c.Disposition, Reason: c.Reason}
			items[k] = it
			keys = append(keys, k)
		}
		it.Nos = append(it.Nos, c.No)
		it.Count++
		if c.Late {
			it.Late++
		}
	}
	r.Groups = len(groups)
	for _, t := range SubmitterTypes {
		r.ByType = append(r.ByType, *byType[t])
	}

	arts := ArticlesOf(in.DraftText)
	res, err := compare.Compare(in.DraftText, in.FinalText, compare.Options{IgnoreSpace: true, IgnoreWidth: true})
	if err != nil {
		return nil, fmt.Errorf("compare comment draft with final text: %w", err)
	}
	r.Summary = res.Summary.String()
	r.Warnings = res.Warnings
	byOld := map[string]*Change{}
	for _, row := range res.Rows {
		ch := Change{Label: row.Label, OldNo: row.OldNo, NewNo: row.NewNo, OldText: row.OldText, NewText: row.NewText}
		if row.Label != compare.Unchanged {
			r.Changes = append(r.Changes, ch)
		}
		for _, no := range strings.Split(row.OldNo, ";") {
			if no != "" {
				c := ch
				byOld[no] = &c
			}
		}
	}

	order := map[string]int{}
	for i, no := range arts.Numbers() {
		order[no] = i
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		if c := cmp.Compare(order[a.article], order[b.article]); c != 0 {
			return c
		}
		return cmp.Compare(items[a].Nos[0], items[b].Nos[0])
	})
	for _, k := range keys {
		it := *items[k]
		if k.article == "" {
			r.General = append(r.General, it)
			continue
		}
		n := len(r.Articles)
		if n == 0 || r.Articles[n-1].No != k.article {
			r.Articles = append(r.Articles, ArticleFeedback{No: k.article, Label: articleLabel(arts, k.article),
				Comments: perArticle[k.article], Change: byOld[k.article]})
			n++
		}
		r.Articles[n-1].Items = append(r.Articles[n-1].Items, it)
	}
	return r, nil
}

func articleLabel(a *Articles, no string) string {
	if l := a.Label(no); l != "" {
		return l
	}
	return "第" + no + "条"
}

func excerpt(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	rs := []rune(s)
	if len(rs) > excerptRunes {
		return string(rs[:excerptRunes]) + "……"
	}
	return s
}

// FeedbackTitle is the title of the feedback document for a draft.
func FeedbackTitle(draftTitle string) string {
	t := strings.TrimSpace(draftTitle)
	t = strings.TrimSuffix(t, "（征求意见稿）")
	return "关于《" + t + "》征求意见采纳情况的说明"
}

// Write renders the report as "html", "json" or "text".
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case "html":
		return r.WriteHTML(w)
	case "json":
		return r.WriteJSON(w)
	case "text", "txt":
		_, err := io.WriteString(w, r.Text())
		return err
	}
	return review.Errorf(review.EINVALID, "输出格式“%s”无效，可选：html、json、text。", format)
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// Intro is the report's opening paragraph.
func (r *Report) Intro() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s至%s，我们通过%s就《%s》（征求意见稿）向社会公开征求意见",
		r.Start.Chinese(), r.End.Chinese(), JoinChannels(r.Channels), strings.TrimSuffix(r.Title, "（征求意见稿）"))
	if r.Extended {
		b.WriteString("（期间延长了征求意见期限）")
	}
	if r.Total == 0 {
		b.WriteString("，未收到意见。")
		return b.String()
	}
	fmt.Fprintf(&b, "，共收到意见 %d 条", r.Total)
	var parts []string
	for _, t := range r.ByType {
		if t.Total > 0 {
			parts = append(parts, fmt.Sprintf("%s %d 条", t.Type, t.Total))
		}
	}
	fmt.Fprintf(&b, "（%s）", strings.Join(parts, "，"))
	if r.Late > 0 {
		fmt.Fprintf(&b, "，其中 %d 条在截止日期后收到，一并予以研究", r.Late)
	}
	if r.Groups < r.Total {
		fmt.Fprintf(&b, "；内容相同或相近的意见合并处理后为 %d 组", r.Groups)
	}
	b.WriteString("。经认真研究，")
	var ds []string
	for _, d := range Dispositions {
		if n := r.ByDisposition[d]; n > 0 {
			ds = append(ds, fmt.Sprintf("%s %d 条", dispositionVerb(d), n))
		}
	}
	if len(ds) > 0 {
		b.WriteString(strings.Join(ds, "，"))
	}
	if r.Undisposed > 0 {
		if len(ds) > 0 {
			b.WriteString("，")
		}
		fmt.Fprintf(&b, "尚有 %d 条正在研究", r.Undisposed)
	}
	b.WriteString("。具体情况说明如下。")
	return b.String()
}

func dispositionVerb(d Disposition) string {
	if d == NotRelated {
		return "不涉及本文件内容的"
	}
	return string(d)
}

func itemLine(it Item) string {
	s := "意见：" + it.Excerpt
	if it.Count > 1 {
		s += fmt.Sprintf("（同类意见 %d 条）", it.Count)
	}
	return s
}

func answerLine(it Item) string {
	if it.Disposition == "" {
		return "处理情况：尚在研究。"
	}
	s := "处理情况：" + string(it.Disposition)
	if it.Reason != "" {
		s += "。理由：" + strings.TrimRight(it.Reason, "。") + "。"
	} else {
		s += "。"
	}
	return s
}

// Text renders the report as plain text that imports as a document of its
// own (文种 其他文件) and then goes through review like any publication.
func (r *Report) Text() string {
	var b strings.Builder
	b.WriteString(FeedbackTitle(r.Title) + "\n\n")
	b.WriteString(r.Intro() + "\n\n")
	sec := 0
	heading := func(s string) {
		sec++
		fmt.Fprintf(&b, "%s、%s\n", cnNumber(sec), s)
	}
	heading("意见处理情况")
	if r.Total == 0 {
		b.WriteString("征求意见期间未收到意见。\n")
	}
	writeItems := func(items []Item) {
		for i, it := range items {
			fmt.Fprintf(&b, "（%s）%s\n%s\n", cnNumber(i+1), itemLine(it), answerLine(it))
		}
	}
	for _, a := range r.Articles {
		fmt.Fprintf(&b, "关于%s（%d 条意见）：\n", a.Label, a.Comments)
		writeItems(a.Items)
		if a.Change != nil {
			fmt.Fprintf(&b, "修改情况：%s\n", changeLine(a.Change))
		}
	}
	if len(r.General) > 0 {
		b.WriteString("关于文件整体及其他方面：\n")
		writeItems(r.General)
	}
	b.WriteString("\n")
	heading("条文修改情况")
	if len(r.Changes) == 0 {
		b.WriteString("与征求意见稿相比，条文未作修改。\n")
	}
	for _, c := range r.Changes {
		fmt.Fprintf(&b, "%s\n", changeLine(&c))
	}
	fmt.Fprintf(&b, "\n特此说明。\n")
	return b.String()
}

// changeLine says in one line what became of an article.
func changeLine(c *Change) string {
	body := func(t string) string { return strings.ReplaceAll(strings.TrimSpace(t), "\n", " ") }
	switch c.Label {
	case compare.Unchanged:
		return "未修改。"
	case compare.Deleted:
		return fmt.Sprintf("删除原%s。", articleNames(c.OldNo))
	case compare.Added:
		return fmt.Sprintf("新增%s：%s", articleNames(c.NewNo), body(c.NewText))
	case compare.Renumbered:
		return fmt.Sprintf("原%s内容未变，序号调整为%s。", articleNames(c.OldNo), articleNames(c.NewNo))
	case compare.Modified:
		if c.OldNo == c.NewNo {
			return fmt.Sprintf("%s修改为：%s", articleNames(c.NewNo), body(c.NewText))
		}
	}
	return fmt.Sprintf("原%s%s为%s：%s", articleNames(c.OldNo), c.Label, articleNames(c.NewNo), body(c.NewText))
}

// articleNames writes article numbers as compare gives them ("3;4",
// "10-1") the way legal texts do: 第三条、第四条, 第十条之一.
func articleNames(nos string) string {
	parts := strings.Split(nos, ";")
	for i, p := range parts {
		main, sub, ok := strings.Cut(p, "-")
		n, err := strconv.Atoi(main)
		if err != nil {
			parts[i] = "第" + p + "条"
			continue
		}
		s := "第" + cnNumber(n) + "条"
		if m, err := strconv.Atoi(sub); ok && err == nil {
			s += "之" + cnNumber(m)
		}
		parts[i] = s
	}
	return strings.Join(parts, "、")
}

// cnNumber writes 0..9999 in Chinese numerals as legal texts number
// articles and sections: 十, 十二, 一百零三, 一千零五.
func cnNumber(n int) string {
	digits := []rune("零一二三四五六七八九")
	if n < 0 || n > 9999 {
		return strconv.Itoa(n)
	}
	if n < 10 {
		return string(digits[n])
	}
	if n < 20 {
		s := "十"
		if n%10 != 0 {
			s += string(digits[n%10])
		}
		return s
	}
	units := []string{"千", "百", "十", ""}
	div := []int{1000, 100, 10, 1}
	var b strings.Builder
	zero := false
	for i, d := range div {
		v := n / d % 10
		switch {
		case v == 0:
			if b.Len() > 0 {
				zero = true
			}
		default:
			if zero {
				b.WriteRune('零')
				zero = false
			}
			b.WriteRune(digits[v])
			b.WriteString(units[i])
		}
	}
	return b.String()
}

// WriteHTML writes the report as one self-contained HTML page: styles
// inline, no scripts, fonts named for Chinese on every common system.
func (r *Report) WriteHTML(w io.Writer) error {
	return reportTemplate.Execute(w, r)
}

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"title":      FeedbackTitle,
	"count":      func(m map[Disposition]int, d string) int { return m[Disposition(d)] },
	"dispos":     func() []Disposition { return Dispositions },
	"change":     changeLine,
	"answer":     answerLine,
	"cn":         cnNumber,
	"inc":        func(i int) int { return i + 1 },
	"lines":      func(s string) []string { return strings.Split(strings.TrimSpace(s), "\n") },
	"generated":  func(t time.Time) string { return t.In(calendar.Location()).Format("2006年1月2日 15:04") },
	"hasUnknown": func(r *Report) bool { return r.Undisposed > 0 },
}).Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{title .Title}}</title>
<style>
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimSun", sans-serif; max-width: 56em; margin: 2em auto; padding: 0 1em; line-height: 1.8; color: #222; }
h1 { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "Songti SC", serif; font-size: 1.6em; text-align: center; }
h2 { font-size: 1.2em; border-bottom: 1px solid #ccc; margin-top: 1.6em; }
h3 { font-size: 1.05em; margin-bottom: .3em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #999; padding: .3em .7em; text-align: center; }
th { background: #f0f0f0; }
.meta { color: #555; font-size: .9em; text-align: center; }
.item { margin: .4em 0 .8em 1em; }
.answer { color: #0b4f8a; }
.change { background: #f7f7f2; border-left: 3px solid #b58900; padding: .3em .8em; margin: .4em 0 1em; }
.late { color: #a15c00; font-size: .9em; }
</style>
</head>
<body>
<h1>{{title .Title}}</h1>
<p class="meta">索引号 {{.IndexNo}} · 征求意见稿第 {{.CommentRevision}} 版 · 定稿第 {{.FinalRevision}} 版 · 生成于 {{generated .GeneratedAt}}</p>
<p>{{.Intro}}</p>
<h2>一、意见统计</h2>
<table>
<tr><th>提交者类型</th><th>意见数</th>{{range dispos}}<th>{{.}}</th>{{end}}{{if hasUnknown $}}<th>尚未处理</th>{{end}}</tr>
{{range .ByType}}<tr><td>{{.Type}}</td><td>{{.Total}}</td>{{$m := .ByDisposition}}{{range dispos}}<td>{{count $m (print .)}}</td>{{end}}{{if hasUnknown $}}<td>{{count $m ""}}</td>{{end}}</tr>
{{end}}<tr><th>合计</th><th>{{.Total}}</th>{{$m := .ByDisposition}}{{range dispos}}<th>{{count $m (print .)}}</th>{{end}}{{if hasUnknown $}}<th>{{.Undisposed}}</th>{{end}}</tr>
</table>
<p>逾期收到 {{.Late}} 条（已一并研究）；合并同类意见后共 {{.Groups}} 组。</p>
<h2>二、意见处理情况</h2>
{{if not .Total}}<p>征求意见期间未收到意见。</p>{{end}}
{{range .Articles}}<h3>关于{{.Label}}（{{.Comments}} 条意见）</h3>
{{range $i, $it := .Items}}<div class="item"><div>（{{cn (inc $i)}}）{{$it.Excerpt}}{{if gt $it.Count 1}}（同类意见 {{$it.Count}} 条）{{end}}{{if $it.Late}} <span class="late">含逾期 {{$it.Late}} 条</span>{{end}}</div>
<div class="answer">{{answer $it}}</div></div>
{{end}}{{with .Change}}<div class="change">修改情况：{{change .}}</div>{{end}}
{{end}}{{if .General}}<h3>关于文件整体及其他方面</h3>
{{range $i, $it := .General}}<div class="item"><div>（{{cn (inc $i)}}）{{$it.Excerpt}}{{if gt $it.Count 1}}（同类意见 {{$it.Count}} 条）{{end}}</div>
<div class="answer">{{answer $it}}</div></div>
{{end}}{{end}}
<h2>三、条文修改情况</h2>
<p>与征求意见稿相比：{{.Summary}}。</p>
{{if not .Changes}}<p>条文未作修改。</p>{{end}}
{{range .Changes}}<div class="change"><strong>{{.Label}}</strong> {{change .}}</div>
{{end}}
</body>
</html>
`))
