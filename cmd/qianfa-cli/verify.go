package main

import (
	"flag"
	"fmt"
	"os"

	"qianfa/review"
	"qianfa/review/pack"
	"qianfa/review/publish"
	"qianfa/review/sshsig"
)

func init() {
	register(&command{name: "verify", usage: "PKG.zip [--allowed-signers FILE] [--signer NAME] [--sha256 HEX]",
		summary: "核验发布包：每项检查一行，全部通过退出码为 0，否则为 1（不需要工作区）", run: runVerify})
}

func runVerify(c *cli, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	signersFile := fs.String("allowed-signers", "", "发布单位另行提供的 allowed_signers；不给则用包内的（只证明完整，不证明来源）")
	signer := fs.String("signer", "", "包必须由该签名人签名（ssh-keygen 的 -I）")
	sum := fs.String("sha256", "", "导出时读出的整包 SHA-256 指纹（可含空格）")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("请给出一个发布包文件")
	}
	opt := pack.Options{Principal: *signer, SHA256: stripSpaces(*sum)}
	if *signersFile != "" {
		data, err := os.ReadFile(*signersFile)
		if err != nil {
			return review.WrapError(review.ENOTFOUND, err, "无法读取 %s。", *signersFile)
		}
		if opt.AllowedSigners, err = sshsig.ParseAllowedSigners(data); err != nil {
			return err
		}
		// An empty list would vouch for nobody; refuse it outright rather
		// than let a wrong or truncated file pass for the office's.
		if len(opt.AllowedSigners) == 0 {
			return review.Errorf(review.EINVALID, "%s 中没有任何签名人，不能用来核验发布包。", *signersFile)
		}
	}
	rep, err := publish.Verify(pos[0], opt)
	if err != nil {
		return err
	}
	for _, ch := range rep.Checks {
		fmt.Fprintln(c.stdout, ch.String())
	}
	if !rep.OK {
		fmt.Fprintln(c.stdout, "结论：发布包未通过核验，请勿发布。")
		return &exitError{code: 1}
	}
	if rep.SignersFromBag {
		fmt.Fprintln(c.stdout, "结论：发布包完整、签名有效；签名人身份请用发布单位另行提供的 allowed_signers 核验（--allowed-signers）。")
	} else {
		fmt.Fprintln(c.stdout, "结论：发布包完整，签名人身份已核验。")
	}
	return nil
}

func stripSpaces(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' {
			out = append(out, s[i])
		}
	}
	return string(out)
}
