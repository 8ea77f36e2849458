package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"qianfa/review"
	"qianfa/review/workflow"
)

func init() {
	register(&command{name: "user add", usage: "NAME --role 角色 [--role 角色…] [--display 显示名]",
		summary: "新建用户并生成其签名密钥（口令从终端输入或取自 QIANFA_PASSPHRASE；须由管理员操作）", run: runUserAdd})
	register(&command{name: "user key", usage: "NAME", summary: "为用户生成新签名密钥，旧密钥即时停用但仍可验证旧决定（须输入该用户口令）", run: runUserKey})
	register(&command{name: "user list", usage: "[--json]", summary: "列出用户、角色和当前密钥指纹", run: runUserList})
	register(&command{name: "user roles", usage: "NAME --role 角色 [--role 角色…]", summary: "管理员重新设定用户的角色（不能撤销最后一位管理员）", run: runUserRoles})
	register(&command{name: "user disable", usage: "NAME", summary: "管理员停用用户：不能再登录或审查，已签署的决定仍可验证", run: runUserDisable})
	register(&command{name: "user enable", usage: "NAME", summary: "管理员重新启用已停用的用户", run: runUserEnable})
}

// passphraseEnv lets scripts supply the passphrase; a terminal is asked
// without echo; anything else (a pipe) gives one line on standard input.
const passphraseEnv = "QIANFA_PASSPHRASE"

// passphrase reads a passphrase for prompt. confirm asks twice on a
// terminal, for a new passphrase, since a typo would lock the key away.
func (c *cli) passphrase(prompt string, confirm bool) (string, error) {
	if p, ok := os.LookupEnv(passphraseEnv); ok {
		return p, nil
	}
	if f, ok := c.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		read := func(p string) (string, error) {
			fmt.Fprint(c.stderr, p)
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(c.stderr)
			if err != nil {
				return "", review.WrapError(review.EINVALID, err, "无法从终端读取口令。")
			}
			return string(b), nil
		}
		p, err := read(prompt)
		if err != nil || !confirm {
			return p, err
		}
		again, err := read("再输入一次：")
		if err != nil {
			return "", err
		}
		if again != p {
			return "", review.Errorf(review.EINVALID, "两次输入的口令不一致。")
		}
		return p, nil
	}
	line, err := bufio.NewReader(c.stdin).ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		return "", review.Errorf(review.EINVALID, "没有口令：请在终端运行，或通过环境变量 %s 或标准输入提供。", passphraseEnv)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// admin returns the workflow service and the actor of an administrator's
// command: the --user, or without it the operating system's user name, as
// the audit log records it (enough for the first administrator, whom nobody
// can yet name). Whether the actor may act is for the service and, inside
// its write transaction, the store to say; the CLI keeps no rule of its own.
func (c *cli) admin() (*workflow.Service, string, error) {
	svc, err := c.service()
	if err != nil {
		return nil, "", err
	}
	actor, err := c.actor()
	if err != nil {
		return nil, "", err
	}
	return svc, actor, nil
}

// withUserHint adds to a refusal of an administrator's command run without
// --user, on a workspace that has an administrator, how to name oneself:
// the actor was then the operating system's user name, which no workspace
// user need bear. Other errors pass unchanged.
func (c *cli) withUserHint(svc *workflow.Service, err error) error {
	if c.user != "" || review.ErrorCode(err) != review.EFORBIDDEN {
		return err
	}
	if users, uerr := svc.Users.Users(c.ctx); uerr != nil || !workflow.HasAdmin(users) {
		return err
	}
	return review.WrapError(review.EFORBIDDEN, err, "%s请用 --user 指明管理员身份。", review.ErrorMessage(err))
}

// roleFlag collects --role, repeatable and comma-separated.
type roleFlag []review.Role

func (r *roleFlag) String() string { return fmt.Sprint(*r) }

func (r *roleFlag) Set(s string) error {
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		role, err := review.ParseRole(p)
		if err != nil {
			return fmt.Errorf("%s", review.ErrorMessage(err))
		}
		*r = append(*r, role)
	}
	return nil
}

// userAndRoles parses a command that names one user and sets roles, the
// roles having been bound to fs.
func userAndRoles(fs *flag.FlagSet, args []string, roles *roleFlag) ([]string, error) {
	pos, err := parseFlags(fs, args)
	switch {
	case err != nil:
		return nil, err
	case len(pos) != 1:
		return nil, usagef("请给出一个用户名")
	case len(*roles) == 0:
		return nil, usagef("请用 --role 给出至少一个角色：经办人、保密审查员、法制审核员、签发人、管理员")
	}
	return pos, nil
}

func runUserAdd(c *cli, args []string) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	var roles roleFlag
	fs.Var(&roles, "role", "角色（可重复，或用逗号分隔）")
	display := fs.String("display", "", "显示名（如姓名）")
	pos, err := userAndRoles(fs, args, &roles)
	if err != nil {
		return err
	}
	svc, actor, err := c.admin()
	if err != nil {
		return err
	}
	// Asked before the passphrase, so nobody types one for a user who
	// would be refused; CreateUser asks again, and the store once more.
	if err := svc.CheckCreateUser(c.ctx, actor, pos[0], roles); err != nil {
		return c.withUserHint(svc, err)
	}
	pass, err := c.passphrase(fmt.Sprintf("为“%s”设置口令（至少 %d 个字符，用于登录并保护签名密钥）：", pos[0], workflow.MinPassphrase), true)
	if err != nil {
		return err
	}
	u, k, err := svc.CreateUser(c.ctx, actor, pos[0], *display, roles, pass)
	if err != nil {
		return c.withUserHint(svc, err)
	}
	fmt.Fprintf(c.stdout, "已新建用户 %s（%s），签名密钥 %s\n", u.Name, joinRoleNames(u.Roles), k.Fingerprint)
	return nil
}

func runUserKey(c *cli, args []string) error {
	fs := flag.NewFlagSet("user key", flag.ContinueOnError)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("请给出一个用户名")
	}
	svc, err := c.service()
	if err != nil {
		return err
	}
	// A disabled user is refused before being asked for the passphrase.
	u, err := svc.CheckRotateKey(c.ctx, pos[0])
	if err != nil {
		return err
	}
	pass, err := c.passphrase(fmt.Sprintf("请输入“%s”的口令：", u.Name), false)
	if err != nil {
		return err
	}
	k, err := svc.RotateKey(c.ctx, u.Name, pass)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "已为 %s 生成新签名密钥 %s；旧密钥已停用，其签署的决定仍可验证\n", u.Name, k.Fingerprint)
	return nil
}

func runUserRoles(c *cli, args []string) error {
	fs := flag.NewFlagSet("user roles", flag.ContinueOnError)
	var roles roleFlag
	fs.Var(&roles, "role", "角色（可重复，或用逗号分隔）；取代用户现有的全部角色")
	pos, err := userAndRoles(fs, args, &roles)
	if err != nil {
		return err
	}
	svc, actor, err := c.admin()
	if err != nil {
		return err
	}
	if err := svc.SetRoles(c.ctx, actor, pos[0], roles); err != nil {
		return c.withUserHint(svc, err)
	}
	// The roles as stored, which the service has de-duplicated ("--role
	// 经办人,clerk" is one role).
	u, err := svc.Users.User(c.ctx, pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s 的角色现为：%s\n", u.Name, joinRoleNames(u.Roles))
	return nil
}

func runUserDisable(c *cli, args []string) error { return setDisabled(c, "user disable", args, true) }

func runUserEnable(c *cli, args []string) error { return setDisabled(c, "user enable", args, false) }

// setDisabled is user disable and user enable, which differ only in the
// state they set.
func setDisabled(c *cli, name string, args []string, disabled bool) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("请给出一个用户名")
	}
	svc, actor, err := c.admin()
	if err != nil {
		return err
	}
	if err := svc.SetDisabled(c.ctx, actor, pos[0], disabled); err != nil {
		return c.withUserHint(svc, err)
	}
	if disabled {
		fmt.Fprintf(c.stdout, "已停用用户 %s；其签名密钥保留，已签署的决定仍可验证\n", pos[0])
	} else {
		fmt.Fprintf(c.stdout, "已启用用户 %s\n", pos[0])
	}
	return nil
}

// userRow is one line of `user list --json`.
type userRow struct {
	review.User
	Key string `json:"key_fingerprint,omitempty"`
}

func runUserList(c *cli, args []string) error {
	fs := flag.NewFlagSet("user list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "输出 JSON")
	if rest, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(rest) > 0 {
		return usagef("多余的参数：%s", strings.Join(rest, " "))
	}
	db, err := c.open()
	if err != nil {
		return err
	}
	users, err := db.Users(c.ctx)
	if err != nil {
		return err
	}
	rows := make([]userRow, len(users))
	for i, u := range users {
		rows[i].User = u
		keys, err := db.Keys(c.ctx, u.Name)
		if err != nil {
			return err
		}
		if k, err := workflow.CurrentKey(keys, u.Name, time.Now()); err == nil {
			rows[i].Key = k.Fingerprint
		}
	}
	if *asJSON {
		return writeJSON(c, rows)
	}
	for _, r := range rows {
		key := r.Key
		if key == "" {
			key = "（无有效密钥）"
		}
		state := ""
		if r.Disabled {
			state = "\t已停用"
		}
		fmt.Fprintf(c.stdout, "%s\t%s\t%s\t%s%s\n", r.Name, r.Label(), joinRoleNames(r.Roles), key, state)
	}
	return nil
}

func joinRoleNames(rs []review.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, "、")
}
