package main

func init() {
	register(&command{name: "keys allowed-signers", usage: "",
		summary: "输出本单位全部签名密钥的 allowed_signers（签名人、公钥、有效期），交网站核验发布包", run: runKeysAllowedSigners})
}

func runKeysAllowedSigners(c *cli, args []string) error {
	if len(args) != 0 {
		return usagef("此命令没有参数，请重定向输出：keys allowed-signers > allowed_signers")
	}
	svc, err := c.publisher()
	if err != nil {
		return err
	}
	data, err := svc.OfficeAllowedSigners(c.ctx)
	if err != nil {
		return err
	}
	_, err = c.stdout.Write(data)
	return err
}
