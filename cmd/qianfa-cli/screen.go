package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"qianfa/review"
	"qianfa/review/docimport"
	"qianfa/review/screen"
	"qianfa/review/screening"
)

func init() {
	register(&command{name: "screen", usage: "FILE|ID [--json]",
		summary: "保密筛查：每行一项（起止位置、类别、内容、依据、指纹；文件编号另附处理状态），或 --json 输出数组", run: runScreen})
	register(&command{name: "screen confirm", usage: "ID FINGERPRINT",
		summary: "保密审查员确认筛查项（将被遮盖）", run: func(c *cli, args []string) error { return runScreenDecide(c, args, screening.StatusConfirmed) }})
	register(&command{name: "screen dismiss", usage: "ID FINGERPRINT --reason 理由",
		summary: "保密审查员排除筛查项（须写明理由；同一内容在后续修订版中不再询问）", run: func(c *cli, args []string) error { return runScreenDecide(c, args, screening.StatusDismissed) }})
	register(&command{name: "redact", usage: "ID [--preview]",
		summary: "将已确认的筛查项遮盖为■，生成新修订版并输出其版本号；--preview 只显示遮盖结果", run: runRedact})
	register(&command{name: "keywords import", usage: "NAME --ground 14|15|16 FILE",
		summary: "管理员导入关键词表（每行一词，# 开头为注释），同名表被替换", run: runKeywordsImport})
	register(&command{name: "keywords list", usage: "[--json]", summary: "列出关键词表及其依据、词条数", run: runKeywordsList})
	register(&command{name: "keywords delete", usage: "NAME", summary: "管理员删除关键词表", run: runKeywordsDelete})
	register(&command{name: "allow add", usage: "TERM", summary: "管理员将词条加入白名单（如本单位公开的咨询电话）", run: runAllowAdd})
	register(&command{name: "allow remove", usage: "TERM", summary: "管理员将词条移出白名单", run: runAllowRemove})
	register(&command{name: "allow list", usage: "", summary: "列出白名单", run: runAllowList})
}

// screening is the screening service over the workspace.
func (c *cli) screening() (*screening.Service, error) {
	s, err := c.services()
	if err != nil {
		return nil, err
	}
	return s.Screening, nil
}

// namedUser is the --user a screening decision or an administration command
// acts as: both are personal and checked against the user's roles, so there
// is no fallback to the operating-system user.
func (c *cli) namedUser() (string, error) {
	if c.user == "" {
		return "", usagef("请用 --user 指明以哪个用户的身份办理")
	}
	return c.actor()
}

// findingJSON is one finding as `screen --json` prints it. Offsets count
// Unicode code points of the text as imported (or as stored, for an ID).
type findingJSON struct {
	Kind        screen.Kind `json:"kind"`
	KindLabel   string      `json:"kind_label"`
	Start       int         `json:"start"`
	End         int         `json:"end"`
	Text        string      `json:"text"`
	Context     string      `json:"context"`
	Ground      int         `json:"ground"`
	GroundLabel string      `json:"ground_label"`
	List        string      `json:"list,omitempty"`
	Fingerprint string      `json:"fingerprint"`
	Status      string      `json:"status,omitempty"`
	Reason      string      `json:"reason,omitempty"`
	DecidedBy   string      `json:"decided_by,omitempty"`
	DecidedAt   *time.Time  `json:"decided_at,omitempty"`
	DecidedOn   int         `json:"decided_on_revision,omitempty"`
}

func toJSON(f screen.Finding) findingJSON {
	return findingJSON{Kind: f.Kind, KindLabel: f.Kind.Label(), Start: f.Start, End: f.End, Text: f.Text, Context: f.Context,
		Ground: int(f.Ground), GroundLabel: f.Ground.String(), List: f.List, Fingerprint: f.Fingerprint}
}

func runScreen(c *cli, args []string) error {
	fset := flag.NewFlagSet("screen", flag.ContinueOnError)
	asJSON := fset.Bool("json", false, "输出 JSON 数组")
	pos, err := parseFlags(fset, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("请给出一个文件路径或文件编号")
	}
	// A path that exists is a file, even if its name is a number.
	if _, statErr := os.Stat(pos[0]); statErr == nil {
		return screenFile(c, pos[0], *asJSON)
	}
	if id, err := strconv.ParseInt(pos[0], 10, 64); err == nil && id > 0 {
		return screenDocument(c, id, *asJSON)
	}
	return review.Errorf(review.ENOTFOUND, "找不到文件“%s”，它也不是文件编号。", pos[0])
}

// screenFile screens a draft on disk as import would read it, with the
// workspace's keyword lists when a workspace exists; it creates none.
func screenFile(c *cli, path string, asJSON bool) error {
	d, err := docimport.ReadFile(path)
	if err != nil {
		return err
	}
	sc := screen.New(screen.Config{})
	if _, err := os.Stat(c.dbPath); err == nil {
		svc, err := c.screening()
		if err != nil {
			return err
		}
		if sc, err = svc.Screener(c.ctx); err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return review.WrapError(review.EINTERNAL, err, "无法读取工作区 %s。", c.dbPath)
	}
	found := sc.Scan(d.Text)
	if asJSON {
		out := make([]findingJSON, len(found))
		for i, f := range found {
			out[i] = toJSON(f)
		}
		return writeJSON(c, out)
	}
	for _, f := range found {
		fmt.Fprintln(c.stdout, findingLine(f))
	}
	return nil
}

func screenDocument(c *cli, id int64, asJSON bool) error {
	svc, err := c.screening()
	if err != nil {
		return err
	}
	st, err := svc.State(c.ctx, id)
	if err != nil {
		return err
	}
	if asJSON {
		out := make([]findingJSON, len(st.Items))
		for i, it := range st.Items {
			out[i] = toJSON(it.Finding)
			out[i].Status = string(it.Status)
			if d := it.Decision; d != nil {
				at := d.At
				out[i].Reason, out[i].DecidedBy, out[i].DecidedAt, out[i].DecidedOn = d.Reason, d.Actor, &at, d.Revision
			}
		}
		return writeJSON(c, out)
	}
	for _, it := range st.Items {
		line := findingLine(it.Finding) + "\t" + string(it.Status)
		if d := it.Decision; d != nil && d.Reason != "" {
			line += "（" + d.Reason + "）"
		}
		fmt.Fprintln(c.stdout, line)
	}
	return nil
}

// findingLine is one finding as a tab-separated line: offsets, kind,
// matched text, ground, fingerprint. The text is the last free-form field
// but one, and holds no tab (detectors match no tabs).
func findingLine(f screen.Finding) string {
	kind := f.Kind.Label()
	if f.List != "" {
		kind += "（" + f.List + "）"
	}
	return fmt.Sprintf("%d-%d\t%s\t%s\t%s\t%s", f.Start, f.End, kind, f.Text, f.Ground, f.Fingerprint)
}

func runScreenDecide(c *cli, args []string, status screening.Status) error {
	fset := flag.NewFlagSet("screen "+string(status), flag.ContinueOnError)
	reason := fset.String("reason", "", "理由（排除时必填）")
	pos, err := parseFlags(fset, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("请给出文件编号和筛查项指纹（见 qianfa-cli screen ID）")
	}
	id, err := parseID(pos[0])
	if err != nil {
		return err
	}
	if status == screening.StatusDismissed && strings.TrimSpace(*reason) == "" {
		return usagef("排除筛查项须用 --reason 写明理由")
	}
	user, err := c.namedUser()
	if err != nil {
		return err
	}
	svc, err := c.screening()
	if err != nil {
		return err
	}
	d, err := svc.Decide(c.ctx, user, id, "", pos[1], status, *reason)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s：%s“%s”（第 %d 版）\n", d.Status, d.Kind.Label(), d.Text, d.Revision)
	return nil
}

func runRedact(c *cli, args []string) error {
	fset := flag.NewFlagSet("redact", flag.ContinueOnError)
	preview := fset.Bool("preview", false, "只显示遮盖后的正文，不生成新修订版")
	id, err := oneDoc(fset, args, "")
	if err != nil {
		return err
	}
	svc, err := c.screening()
	if err != nil {
		return err
	}
	if *preview {
		p, err := svc.Preview(c.ctx, id)
		if err != nil {
			return err
		}
		fmt.Fprint(c.stdout, p.Text)
		return nil
	}
	user, err := c.namedUser()
	if err != nil {
		return err
	}
	rev, err := svc.Redact(c.ctx, user, id, "")
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, rev.Number)
	return nil
}

func runKeywordsImport(c *cli, args []string) error {
	fset := flag.NewFlagSet("keywords import", flag.ContinueOnError)
	groundArg := fset.String("ground", "", "依据：14、15 或 16（《政府信息公开条例》条文）")
	pos, err := parseFlags(fset, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("请给出关键词表名称和文件")
	}
	ground, ok := screen.ParseGround(*groundArg)
	if !ok {
		return usagef("请用 --ground 指明依据：14、15 或 16")
	}
	user, err := c.namedUser()
	if err != nil {
		return err
	}
	f, err := os.Open(pos[1])
	if err != nil {
		return review.WrapError(review.ENOTFOUND, err, "无法打开关键词表文件 %s。", pos[1])
	}
	defer f.Close()
	svc, err := c.screening()
	if err != nil {
		return err
	}
	l, err := svc.ImportKeywordList(c.ctx, user, pos[0], ground, f)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "已导入关键词表“%s”：%d 个词条，依据%s\n", l.Name, len(l.Terms), l.Ground)
	return nil
}

func runKeywordsList(c *cli, args []string) error {
	fset := flag.NewFlagSet("keywords list", flag.ContinueOnError)
	asJSON := fset.Bool("json", false, "输出 JSON（含词条）")
	if err := flagsOnly(fset, args); err != nil {
		return err
	}
	db, err := c.open()
	if err != nil {
		return err
	}
	lists, err := db.KeywordLists(c.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		type listJSON struct {
			Name   string   `json:"name"`
			Ground int      `json:"ground"`
			Terms  []string `json:"terms"`
		}
		out := make([]listJSON, len(lists))
		for i, l := range lists {
			out[i] = listJSON{l.Name, int(l.Ground), l.Terms}
		}
		return writeJSON(c, out)
	}
	for _, l := range lists {
		fmt.Fprintf(c.stdout, "%s\t%s\t%d 个词条\n", l.Name, l.Ground.Label(), len(l.Terms))
	}
	return nil
}

func runKeywordsDelete(c *cli, args []string) error {
	return adminTerm(c, args, "请给出关键词表名称", func(svc *screening.Service, user, name string) (string, error) {
		return "已删除关键词表“" + name + "”", svc.DeleteKeywordList(c.ctx, user, name)
	})
}

func runAllowAdd(c *cli, args []string) error {
	return adminTerm(c, args, "请给出一个白名单词条", func(svc *screening.Service, user, term string) (string, error) {
		return "已加入白名单：" + term, svc.AddAllowTerm(c.ctx, user, term)
	})
}

func runAllowRemove(c *cli, args []string) error {
	return adminTerm(c, args, "请给出一个白名单词条", func(svc *screening.Service, user, term string) (string, error) {
		return "已移出白名单：" + term, svc.RemoveAllowTerm(c.ctx, user, term)
	})
}

// adminTerm runs an administrator's command that takes one argument.
func adminTerm(c *cli, args []string, missing string, do func(svc *screening.Service, user, arg string) (string, error)) error {
	if len(args) != 1 {
		return usagef("%s", missing)
	}
	user, err := c.namedUser()
	if err != nil {
		return err
	}
	svc, err := c.screening()
	if err != nil {
		return err
	}
	msg, err := do(svc, user, args[0])
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, msg)
	return nil
}

func runAllowList(c *cli, args []string) error {
	if len(args) > 0 {
		return usagef("多余的参数：%s", strings.Join(args, " "))
	}
	db, err := c.open()
	if err != nil {
		return err
	}
	terms, err := db.AllowList(c.ctx)
	if err != nil {
		return err
	}
	for _, t := range terms {
		fmt.Fprintln(c.stdout, t)
	}
	return nil
}
