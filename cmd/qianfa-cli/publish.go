package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"qianfa/review"
	"qianfa/review/publish"
)

func init() {
	register(&command{name: "publish", usage: "ID --date YYYY-MM-DD --url URL",
		summary: "经办人登记发布：已导出的已签发文件改为已发布，记下发布日期和网址", run: runPublish})
	register(&command{name: "attach", usage: "ID FILE...", summary: "经办人为草稿添加附件（每个文件一行输出附件编号）", run: runAttach})
	register(&command{name: "validity", usage: "ID --amended-by ID2 | --repealed YYYY-MM-DD",
		summary: "经办人将已发布文件标记为已修订（关联修订后的文件）或已废止", run: runValidity})
}

func runPublish(c *cli, args []string) error {
	fs := flag.NewFlagSet("publish", flag.ContinueOnError)
	date := fs.String("date", "", "发布日期 YYYY-MM-DD")
	link := fs.String("url", "", "发布网址")
	id, err := oneDoc(fs, args, "以及 --date 和 --url")
	if err != nil {
		return err
	}
	if *date == "" || *link == "" {
		return usagef("请用 --date 和 --url 给出发布日期和网址")
	}
	user, err := c.reviewer()
	if err != nil {
		return err
	}
	svc, err := c.publisher()
	if err != nil {
		return err
	}
	doc, err := svc.Publish(c.ctx, user, id, *date, *link)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "已登记发布：《%s》（%s），发布日期 %s，%s\n", doc.Meta.Title, doc.IndexNo, doc.PublishedOn, doc.PublishedURL)
	return nil
}

func runAttach(c *cli, args []string) error {
	fs := flag.NewFlagSet("attach", flag.ContinueOnError)
	id, files, err := docArg(fs, args, "和至少一个附件")
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("请给出至少一个附件")
	}
	user, err := c.reviewer()
	if err != nil {
		return err
	}
	db, err := c.open()
	if err != nil {
		return err
	}
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			return review.WrapError(review.ENOTFOUND, err, "无法打开附件 %s。", path)
		}
		a := &publish.Attachment{DocumentID: id, Name: filepath.Base(path)}
		err = db.AddAttachment(c.ctx, a, f, user)
		f.Close()
		if err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%d\t%s\t%s\n", a.ID, a.Name, publish.FormatSize(a.Size))
	}
	return nil
}

func runValidity(c *cli, args []string) error {
	fs := flag.NewFlagSet("validity", flag.ContinueOnError)
	amended := fs.String("amended-by", "", "修订后的文件编号")
	repealed := fs.String("repealed", "", "废止日期 YYYY-MM-DD")
	id, err := oneDoc(fs, args, "，以及 --amended-by 或 --repealed 二者之一")
	if err != nil {
		return err
	}
	if (*amended == "") == (*repealed == "") {
		return usagef("请给出 --amended-by 或 --repealed 二者之一")
	}
	user, err := c.reviewer()
	if err != nil {
		return err
	}
	svc, err := c.publisher()
	if err != nil {
		return err
	}
	if *amended != "" {
		succ, err := parseID(*amended)
		if err != nil {
			return err
		}
		if err := svc.MarkAmended(c.ctx, user, id, succ); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "已标记为已修订，修订后的文件编号 %d\n", succ)
		return nil
	}
	if err := svc.MarkRepealed(c.ctx, user, id, *repealed); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "已标记为已废止，废止日期 %s\n", *repealed)
	return nil
}
