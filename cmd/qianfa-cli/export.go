package main

import (
	"flag"
	"fmt"
	"strings"

	"qianfa/review/publish"
)

func init() {
	register(&command{name: "export", usage: "ID --out DIR",
		summary: "经办人导出已签发文件的发布包（须输入口令签名），输出包的路径；SHA-256 指纹写到标准错误", run: runExport})
}

// publisher is the publication service over the workspace.
func (c *cli) publisher() (*publish.Service, error) {
	s, err := c.services()
	if err != nil {
		return nil, err
	}
	return s.Publish, nil
}

func runExport(c *cli, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	out := fs.String("out", "", "输出目录")
	id, err := oneDoc(fs, args, "和 --out 输出目录")
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("请用 --out 给出输出目录")
	}
	user, err := c.reviewer()
	if err != nil {
		return err
	}
	svc, err := c.publisher()
	if err != nil {
		return err
	}
	// Every refusal comes before the passphrase: nobody types it for a
	// package that will not be written.
	plan, err := svc.Prepare(c.ctx, id)
	if err != nil {
		return err
	}
	pass, err := c.passphrase(fmt.Sprintf("导出《%s》第 %d 版的发布包。请输入“%s”的口令以签名：", plan.Document.Meta.Title, plan.Revision.Number, user), false)
	if err != nil {
		return err
	}
	e, err := svc.Export(c.ctx, user, id, pass, *out, nil)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, e.Path)
	fmt.Fprintf(c.stderr, "SHA-256 指纹：%s\n", groupFingerprint(e.SHA256))
	return nil
}

// groupFingerprint writes a hex digest in blocks of four, the way it is
// read out over the phone.
func groupFingerprint(hex string) string {
	var b strings.Builder
	for i := 0; i < len(hex); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(hex[i:min(i+4, len(hex))])
	}
	return b.String()
}
