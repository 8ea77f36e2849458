package main

import (
	"flag"
	"fmt"
	"strings"

	"qianfa/review"
	"qianfa/review/calendar"
)

func init() {
	register(&command{name: "audit verify", usage: "", summary: "校验审计记录的哈希链；断裂时指出第一条", run: runAuditVerify})
	register(&command{name: "audit list", usage: "[--doc ID] [--limit N]", summary: "列出审计记录（新的在前）", run: runAuditList})
	register(&command{name: "backup", usage: "DEST", summary: "备份工作区（程序运行时也能得到一致的副本）", run: runBackup})
}

func runAuditVerify(c *cli, args []string) error {
	if len(args) > 0 {
		return usagef("audit verify 不带参数")
	}
	db, err := c.open()
	if err != nil {
		return err
	}
	b, err := db.VerifyAudit(c.ctx)
	if err != nil {
		return err
	}
	if b != nil {
		fmt.Fprintf(c.stdout, "审计链断裂：第 %d 条记录，%s。\n", b.Seq, b.Reason)
		return &exitError{code: 1}
	}
	fmt.Fprintln(c.stdout, "审计链完整。")
	return nil
}

func runAuditList(c *cli, args []string) error {
	fs := flag.NewFlagSet("audit list", flag.ContinueOnError)
	doc := fs.Int64("doc", 0, "只列此文件的记录")
	limit := fs.Int("limit", 50, "最多几条")
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("多余的参数：%s（只列某文件的记录请用 --doc ID）", strings.Join(rest, " "))
	}
	db, err := c.open()
	if err != nil {
		return err
	}
	entries, err := db.AuditEntries(c.ctx, review.AuditFilter{DocumentID: *doc, Limit: *limit})
	if err != nil {
		return err
	}
	for _, e := range entries {
		fmt.Fprintf(c.stdout, "%d\t%s\t%s\t%s\t%s\n", e.Seq, e.At.In(calendar.Location()).Format("2006-01-02 15:04:05"), e.Actor, e.Action.Label(), e.Detail)
	}
	return nil
}

func runBackup(c *cli, args []string) error {
	if len(args) != 1 {
		return usagef("请给出备份文件路径")
	}
	actor, db, err := c.actorAndDB()
	if err != nil {
		return err
	}
	if err := db.Backup(c.ctx, args[0], actor); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "已备份到 %s\n", args[0])
	return nil
}
