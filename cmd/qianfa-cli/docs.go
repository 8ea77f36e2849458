package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"qianfa/cmd/internal/sample"
	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/intake"
)

func init() {
	register(&command{name: "init", usage: "[--sample]", summary: "创建（或升级）工作区；--sample 在空工作区填入示例文件和用户", run: runInit})
	register(&command{name: "import", usage: "[--kind 文种] [--title T] FILE...", summary: "导入草稿（.docx .txt .md），每行输出一个新文件编号", run: runImport})
	register(&command{name: "list", usage: "[--query Q] [--kind 文种] [--status 状态] [--json]", summary: "列出或检索文件", run: runList})
	register(&command{name: "show", usage: "ID [--rev N] [--json]", summary: "显示文件的元数据与正文", run: runShow})
}

func runInit(c *cli, args []string) error {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	withSample := fs.Bool("sample", false, "填入示例文件和示例用户")
	if err := flagsOnly(fs, args); err != nil {
		return err
	}
	db, err := c.open()
	if err != nil {
		return err
	}
	if *withSample {
		if err := sample.Seed(c.ctx, db, sample.FindCorpus()); err != nil {
			return err
		}
	}
	fmt.Fprintf(c.stdout, "工作区已就绪：%s\n", db.Path())
	return nil
}

func runImport(c *cli, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	kind := fs.String("kind", string(review.KindOther), "文种")
	title := fs.String("title", "", "标题（仅单个文件）")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("请给出至少一个文件")
	}
	if *title != "" && len(files) > 1 {
		return usagef("--title 只能用于单个文件")
	}
	if !review.Kind(*kind).Valid() {
		return review.Errorf(review.EINVALID, "文种“%s”无效，可选：%s。", *kind, kindList())
	}
	author, err := c.actor()
	if err != nil {
		return err
	}
	db, err := c.open()
	if err != nil {
		return err
	}
	failed := 0
	for _, f := range files {
		d, err := intake.File(c.ctx, db, f, intake.Options{Kind: review.Kind(*kind), Title: *title, Author: author})
		if err != nil {
			// The rest of a multi-file import goes on.
			fmt.Fprintf(c.stderr, "错误：%s\n", review.ErrorMessage(err))
			failed++
			continue
		}
		fmt.Fprintln(c.stdout, d.ID)
	}
	if failed > 0 {
		return &exitError{code: 1}
	}
	return nil
}

func kindList() string {
	s := make([]string, len(review.Kinds))
	for i, k := range review.Kinds {
		s[i] = string(k)
	}
	return strings.Join(s, "、")
}

func runList(c *cli, args []string) error {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	query := fs.String("query", "", "检索词（标题或正文的任意片段）")
	kind := fs.String("kind", "", "文种")
	status := fs.String("status", "", "状态")
	validity := fs.String("validity", "", "有效性")
	limit := fs.Int("limit", 0, "最多列出几条")
	asJSON := fs.Bool("json", false, "输出 JSON")
	if err := flagsOnly(fs, args); err != nil {
		return err
	}
	db, err := c.open()
	if err != nil {
		return err
	}
	hits, err := db.FindDocuments(c.ctx, review.DocumentFilter{Query: *query, Kind: review.Kind(*kind),
		Status: review.Status(*status), Validity: review.Validity(*validity), Limit: *limit})
	if err != nil {
		return err
	}
	if *asJSON {
		if hits == nil {
			hits = []review.DocumentHit{}
		}
		return writeJSON(c, hits)
	}
	for _, h := range hits {
		fmt.Fprintf(c.stdout, "%d\t%s\t%s\t%s\t%s", h.ID, h.IndexNo, h.Meta.Kind, h.Status, h.Meta.Title)
		if h.Snippet != "" {
			fmt.Fprintf(c.stdout, "\t…%s…", h.Snippet)
		}
		fmt.Fprintln(c.stdout)
	}
	return nil
}

func runShow(c *cli, args []string) error {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	revN := fs.Int("rev", 0, "修订版号（默认当前版）")
	asJSON := fs.Bool("json", false, "输出 JSON")
	id, err := oneDoc(fs, args, "")
	if err != nil {
		return err
	}
	db, err := c.open()
	if err != nil {
		return err
	}
	d, err := db.Document(c.ctx, id)
	if err != nil {
		return err
	}
	rev, err := db.Revision(c.ctx, id, *revN)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(c, struct {
			Document *review.Document `json:"document"`
			Revision *review.Revision `json:"revision"`
		}{d, rev})
	}
	m := rev.Meta
	w := c.stdout
	fmt.Fprintf(w, "标题：%s\n文种：%s\n索引号：%s\n状态：%s\n有效性：%s\n", m.Title, m.Kind, d.IndexNo, d.Status, d.Validity)
	for _, kv := range [][2]string{{"发文机关", m.Issuer}, {"发文字号", m.DocNumber}, {"成文日期", m.WrittenOn}, {"主题分类", m.Subject}} {
		if kv[1] != "" {
			fmt.Fprintf(w, "%s：%s\n", kv[0], kv[1])
		}
	}
	fmt.Fprintf(w, "公开属性：%s\n修订版：第 %d 版（共 %d 版），%s，%s\nSHA-256：%s\n\n%s\n", m.Disclosure, rev.Number, d.CurrentRevision,
		rev.Author, rev.CreatedAt.In(calendar.Location()).Format("2006-01-02 15:04"), rev.Hash, rev.Text)
	return nil
}

// parseID reads a document ID argument.
func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("文件编号“%s”无效，应为正整数", s)
	}
	return id, nil
}

func writeJSON(c *cli, v any) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
