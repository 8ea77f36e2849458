package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/comment"
)

func init() {
	register(&command{name: "comments open", usage: "ID --start 日期 --end 日期 [--market] [--channel 网站,电子邮件] [--kind 规章|行政规范性文件] [--reason 理由]",
		summary: "签发后的征求意见稿开启征求意见（期限按文种检查；短于法定期限须 --reason）", run: runCommentsOpen})
	register(&command{name: "comments extend", usage: "ID --end 日期 --reason 理由", summary: "延长征求意见期限（保留原期限记录）", run: runCommentsExtend})
	register(&command{name: "comments add", usage: "ID --text 意见 [--article 条] [--type 个人] [--name 提交者] [--time 时间] [--channel 渠道]",
		summary: "登记一条意见（截止后收到的标为逾期，照常登记）", run: runCommentsAdd})
	register(&command{name: "comments import", usage: "ID FILE.csv [--map text=意见内容,time=提交时间,type=提交者类型,article=条款] [--channel 网站]",
		summary: "从网站导出的 CSV 导入意见（UTF-8 或 GBK）；有误的行逐行报告，其余照常导入", run: runCommentsImport})
	register(&command{name: "comments dispose", usage: "ID 意见序号 --as 采纳|部分采纳|不采纳|不涉及 [--reason 理由]",
		summary: "处理意见；同组的相同或相近意见一并处理；采纳以外须写理由", run: runCommentsDispose})
	register(&command{name: "comments report", usage: "ID [--format html|json|text] [--out FILE]", summary: "生成意见采纳情况说明（对照征求意见稿与当前定稿）", run: runCommentsReport})
	register(&command{name: "comments feedback", usage: "ID", summary: "截止且全部意见处理后，把意见采纳情况说明存为新文件（其他文件），随后照常送审", run: runCommentsFeedback})
	register(&command{name: "comments list", usage: "[--json]", summary: "列出全部征求意见稿：状态、剩余天数、意见数", run: runCommentsList})
	register(&command{name: "comments show", usage: "ID [--json]", summary: "显示一件征求意见稿的期限、期限变更记录和全部意见", run: runCommentsShow})
}

func parseDateFlag(name, s string) (calendar.Date, error) {
	if s == "" {
		return calendar.Date{}, usagef("请用 --%s 给出日期，如 2025-03-01", name)
	}
	return calendar.Parse(s)
}

func today() calendar.Date { return calendar.FromTime(time.Now()) }

func runCommentsOpen(c *cli, args []string) error {
	fs := flag.NewFlagSet("comments open", flag.ContinueOnError)
	start := fs.String("start", "", "开始日期（第一天即可提交意见）")
	end := fs.String("end", "", "截止日期（含当日）")
	market := fs.Bool("market", false, "行政规范性文件涉及市场主体生产经营活动（不少于30日）")
	channel := fs.String("channel", string(comment.ChannelWebsite), "征求意见渠道，可多个：网站,电子邮件,信函")
	kind := fs.String("kind", "", "按哪个文种确定期限：规章、行政规范性文件或其他（默认为文件本身的文种）")
	reason := fs.String("reason", "", "期限短于一般要求的理由（如情况紧急）")
	id, err := oneDoc(fs, args, "")
	if err != nil {
		return err
	}
	spec := comment.WindowSpec{Kind: review.Kind(*kind), Market: *market, Reason: *reason}
	if spec.Start, err = parseDateFlag("start", *start); err != nil {
		return err
	}
	if spec.End, err = parseDateFlag("end", *end); err != nil {
		return err
	}
	if spec.Channels, err = comment.ParseChannels(*channel); err != nil {
		return err
	}
	actor, db, err := c.actorAndDB()
	if err != nil {
		return err
	}
	w, err := db.OpenCommentWindow(c.ctx, id, spec, actor)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "已开启征求意见：第 %d 版，%s至%s（%s），渠道：%s\n", w.Revision, w.Start.Chinese(), w.End.Chinese(),
		w.State(today()), comment.JoinChannels(w.Channels))
	return nil
}

func runCommentsExtend(c *cli, args []string) error {
	fs := flag.NewFlagSet("comments extend", flag.ContinueOnError)
	end := fs.String("end", "", "新的截止日期")
	reason := fs.String("reason", "", "延长的理由")
	id, err := oneDoc(fs, args, "")
	if err != nil {
		return err
	}
	e, err := parseDateFlag("end", *end)
	if err != nil {
		return err
	}
	actor, db, err := c.actorAndDB()
	if err != nil {
		return err
	}
	w, err := db.ExtendCommentWindow(c.ctx, id, e, *reason, actor)
	if err != nil {
		return err
	}
	prev := w.History[len(w.History)-2]
	fmt.Fprintf(c.stdout, "征求意见截止日期已由%s延长至%s\n", prev.End.Chinese(), w.End.Chinese())
	return nil
}

func runCommentsAdd(c *cli, args []string) error {
	fs := flag.NewFlagSet("comments add", flag.ContinueOnError)
	text := fs.String("text", "", "意见内容")
	article := fs.String("article", "", "针对的条款，如 12 或 第十二条；不填为针对全文")
	typ := fs.String("type", string(comment.SubmitterPerson), "提交者类型：个人、企业、社会组织、其他")
	name := fs.String("name", "", "提交者（可不填）")
	at := fs.String("time", "", "收到时间，如 2025-03-01 14:30（默认现在）")
	channel := fs.String("channel", string(comment.ChannelWebsite), "收到渠道：网站、电子邮件、信函")
	id, err := oneDoc(fs, args, "")
	if err != nil {
		return err
	}
	if strings.TrimSpace(*text) == "" {
		return usagef("请用 --text 给出意见内容")
	}
	n := comment.NewComment{SubmitterType: comment.SubmitterType(*typ), Submitter: *name, Channel: comment.Channel(*channel),
		Text: *text, Article: *article, ReceivedAt: time.Now()}
	if *at != "" {
		if n.ReceivedAt, err = comment.ParseTime(*at); err != nil {
			return err
		}
	}
	actor, db, err := c.actorAndDB()
	if err != nil {
		return err
	}
	added, err := db.AddComments(c.ctx, id, []comment.NewComment{n}, actor)
	if err != nil {
		return err
	}
	a := added[0]
	fmt.Fprintf(c.stdout, "已登记第 %d 条意见%s\n", a.No, commentNote(&a))
	return nil
}

// commentNote says what a clerk should know about a just-recorded comment.
func commentNote(a *comment.Comment) string {
	var s []string
	if a.Late {
		s = append(s, "逾期收到")
	}
	if a.GroupSize > 1 {
		g := fmt.Sprintf("与第 %d 条意见内容相同或相近，归为一组（共 %d 条）", a.GroupLead, a.GroupSize)
		if a.Disposition != "" {
			g += "，沿用该组的处理意见“" + string(a.Disposition) + "”"
		}
		s = append(s, g)
	}
	if len(s) == 0 {
		return ""
	}
	return "（" + strings.Join(s, "；") + "）"
}

func runCommentsImport(c *cli, args []string) error {
	fs := flag.NewFlagSet("comments import", flag.ContinueOnError)
	mapping := fs.String("map", "", "列映射，如 text=意见内容,time=提交时间,type=提交者类型,name=提交者,article=条款,channel=渠道（默认按列名猜测）")
	channel := fs.String("channel", string(comment.ChannelWebsite), "没有渠道列时记为此渠道")
	id, rest, err := docArg(fs, args, "和 CSV 文件")
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("请给出一个 CSV 文件")
	}
	def, err := comment.ParseChannel(*channel)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(rest[0])
	if err != nil {
		return review.WrapError(review.EINVALID, err, "无法读取 %s。", rest[0])
	}
	tab, err := comment.ReadTable(data)
	if err != nil {
		return err
	}
	m := comment.GuessMapping(tab.Headers)
	if *mapping != "" {
		given, err := comment.ParseMapping(*mapping)
		if err != nil {
			return err
		}
		for f, h := range given {
			m[f] = h
		}
	}
	actor, db, err := c.actorAndDB()
	if err != nil {
		return err
	}
	w, err := db.CommentWindow(c.ctx, id)
	if err != nil {
		return err
	}
	draft, err := db.Revision(c.ctx, id, w.Revision)
	if err != nil {
		return err
	}
	imp, err := tab.Comments(m, comment.ArticlesOf(draft.Text), filepath.Base(rest[0]), def)
	if err != nil {
		return err
	}
	for _, b := range imp.Bad {
		fmt.Fprintf(c.stderr, "第 %d 行未导入：%s\n", b.Line, b.Reason)
	}
	if len(imp.Comments) > 0 {
		added, err := db.AddComments(c.ctx, id, imp.Comments, actor)
		if err != nil {
			return err
		}
		late, grouped := 0, 0
		for _, a := range added {
			if a.Late {
				late++
			}
			if a.GroupSize > 1 {
				grouped++
			}
		}
		fmt.Fprintf(c.stdout, "已导入 %d 条意见（第 %d—%d 条，%s 编码），逾期 %d 条，与其他意见归为同组的 %d 条\n",
			len(added), added[0].No, added[len(added)-1].No, imp.Encoding, late, grouped)
	} else {
		fmt.Fprintln(c.stdout, "没有可导入的意见。")
	}
	if len(imp.Bad) > 0 {
		fmt.Fprintf(c.stderr, "错误：%d 行未导入，其余已导入。\n", len(imp.Bad))
		return &exitError{code: 1}
	}
	return nil
}

func runCommentsDispose(c *cli, args []string) error {
	fs := flag.NewFlagSet("comments dispose", flag.ContinueOnError)
	as := fs.String("as", "", "处理意见：采纳、部分采纳、不采纳、不涉及")
	reason := fs.String("reason", "", "理由（采纳以外必填）")
	id, rest, err := docArg(fs, args, "和意见序号")
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("请给出一个意见序号")
	}
	no, err := strconv.Atoi(rest[0])
	if err != nil || no <= 0 {
		return usagef("意见序号“%s”无效，应为正整数", rest[0])
	}
	if *as == "" {
		return usagef("请用 --as 给出处理意见：采纳、部分采纳、不采纳、不涉及")
	}
	d, err := comment.ParseDisposition(*as)
	if err != nil {
		return err
	}
	actor, db, err := c.actorAndDB()
	if err != nil {
		return err
	}
	group, err := db.DisposeComment(c.ctx, id, no, d, *reason, actor)
	if err != nil {
		return err
	}
	if len(group) > 1 {
		nos := make([]string, len(group))
		for i, g := range group {
			nos[i] = strconv.Itoa(g.No)
		}
		fmt.Fprintf(c.stdout, "已处理：第 %s 条意见（同组 %d 条）→ %s\n", strings.Join(nos, "、"), len(group), d)
		return nil
	}
	fmt.Fprintf(c.stdout, "已处理：第 %d 条意见 → %s\n", no, d)
	return nil
}

func runCommentsReport(c *cli, args []string) error {
	fs := flag.NewFlagSet("comments report", flag.ContinueOnError)
	format := fs.String("format", "text", "输出格式：html、json、text")
	out := fs.String("out", "", "写入文件（默认输出到标准输出）")
	id, err := oneDoc(fs, args, "")
	if err != nil {
		return err
	}
	switch *format {
	case "html", "json", "text":
	default:
		return usagef("--format 只能是 html、json 或 text")
	}
	db, err := c.open()
	if err != nil {
		return err
	}
	r, err := db.CommentReport(c.ctx, id)
	if err != nil {
		return err
	}
	if *out == "" {
		return r.Write(c.stdout, *format)
	}
	f, err := os.Create(*out)
	if err != nil {
		return review.WrapError(review.EINVALID, err, "无法写入 %s。", *out)
	}
	if err := r.Write(f, *format); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return review.WrapError(review.EINTERNAL, err, "写入 %s 失败。", *out)
	}
	fmt.Fprintf(c.stdout, "已写入 %s\n", *out)
	return nil
}

func runCommentsFeedback(c *cli, args []string) error {
	fs := flag.NewFlagSet("comments feedback", flag.ContinueOnError)
	id, err := oneDoc(fs, args, "")
	if err != nil {
		return err
	}
	actor, db, err := c.actorAndDB()
	if err != nil {
		return err
	}
	d, err := db.IssueCommentFeedback(c.ctx, id, actor)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%d\n", d.ID)
	fmt.Fprintf(c.stderr, "已生成《%s》（文件 %d，索引号 %s），请提交审查：qianfa-cli review submit %d\n", d.Meta.Title, d.ID, d.IndexNo, d.ID)
	return nil
}

// draftRow is one line of `comments list --json`.
type draftRow struct {
	comment.Draft
	State    comment.State `json:"state"`
	DaysLeft int           `json:"days_left"`
	Closing  bool          `json:"closing_soon"`
}

func runCommentsList(c *cli, args []string) error {
	fs := flag.NewFlagSet("comments list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "输出 JSON")
	if err := flagsOnly(fs, args); err != nil {
		return err
	}
	db, err := c.open()
	if err != nil {
		return err
	}
	ds, err := db.CommentDrafts(c.ctx)
	if err != nil {
		return err
	}
	now := today()
	rows := make([]draftRow, len(ds))
	for i, d := range ds {
		rows[i] = draftRow{Draft: d, State: d.Window.State(now), DaysLeft: d.Window.DaysLeft(now), Closing: d.Window.ClosingSoon(now)}
	}
	if *asJSON {
		return writeJSON(c, rows)
	}
	for _, r := range rows {
		left := "-"
		if r.State == comment.StateOpen || r.State == comment.StateNotStarted {
			left = fmt.Sprintf("剩 %d 天", r.DaysLeft)
			if r.Closing {
				left += "（即将截止）"
			}
		}
		fmt.Fprintf(c.stdout, "%d\t%s\t%s至%s\t%s\t意见 %d 条（逾期 %d，%d 组，待处理 %d 组）\t%s\n", r.Document.ID, r.State,
			r.Window.Start, r.Window.End, left, r.Comments, r.Late, r.Groups, r.Undisposed, r.Document.Meta.Title)
	}
	return nil
}

func runCommentsShow(c *cli, args []string) error {
	fs := flag.NewFlagSet("comments show", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "输出 JSON")
	id, err := oneDoc(fs, args, "")
	if err != nil {
		return err
	}
	db, err := c.open()
	if err != nil {
		return err
	}
	w, err := db.CommentWindow(c.ctx, id)
	if err != nil {
		return err
	}
	cs, err := db.Comments(c.ctx, id)
	if err != nil {
		return err
	}
	rec, err := db.PublicComment(c.ctx, id)
	if err != nil {
		return err
	}
	if *asJSON {
		if cs == nil {
			cs = []comment.Comment{}
		}
		return writeJSON(c, struct {
			Window   *comment.Window   `json:"window"`
			Record   comment.Record    `json:"record"`
			Comments []comment.Comment `json:"comments"`
		}{w, rec, cs})
	}
	now := today()
	out := c.stdout
	fmt.Fprintf(out, "征求意见：第 %d 版，%s至%s，%s，渠道 %s，按%s期限", w.Revision, w.Start.Chinese(), w.End.Chinese(),
		w.State(now), comment.JoinChannels(w.Channels), w.Kind)
	if w.Market {
		fmt.Fprint(out, "（涉及市场主体）")
	}
	fmt.Fprintln(out)
	for i, h := range w.History {
		what := "开启"
		if h.Extension {
			what = "延长"
		}
		fmt.Fprintf(out, "  %d. %s %s至%s，%s，%s", i+1, what, h.Start, h.End, h.Actor, h.At.In(calendar.Location()).Format("2006-01-02 15:04"))
		if h.Reason != "" {
			fmt.Fprintf(out, "，理由：%s", h.Reason)
		}
		fmt.Fprintln(out)
	}
	fmt.Fprintln(out, rec.Summary())
	for _, x := range cs {
		art := "全文"
		if x.Article != "" {
			art = "第" + x.Article + "条"
		}
		flags := ""
		if x.Late {
			flags += " 逾期"
		}
		if x.GroupSize > 1 {
			flags += fmt.Sprintf(" 同组%d条(首条 %d)", x.GroupSize, x.GroupLead)
		}
		disp := "待处理"
		if x.Disposition != "" {
			disp = string(x.Disposition)
			if x.Reason != "" {
				disp += "：" + x.Reason
			}
		}
		fmt.Fprintf(out, "%d\t%s\t%s\t%s\t%s%s\t%s\t%s\n", x.No, x.ReceivedAt.In(calendar.Location()).Format("2006-01-02 15:04"),
			x.SubmitterType, art, x.Channel, flags, disp, x.Text)
	}
	return nil
}
