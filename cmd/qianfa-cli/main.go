// Command qianfa-cli does what the Qianfa desktop app does, headless, for
// scripts and for machines without a display. It is pure Go and builds with
// CGO_ENABLED=0.
//
// Exit codes: 0 ok, 1 failure (the reason on stderr, in Chinese), 2 usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"regexp"
	"sort"
	"strings"

	"qianfa/cmd/internal/services"
	"qianfa/cmd/internal/workspace"
	"qianfa/review"
	"qianfa/storage"
)

// command is one sub-command. Each lives in its own file and registers
// itself from init, so adding a command touches no shared list.
type command struct {
	name    string // as typed; may be two words, e.g. "audit verify"
	usage   string // arguments after the name
	summary string // one line, Chinese
	run     func(c *cli, args []string) error
}

var commands = map[string]*command{}

func register(cmd *command) { commands[cmd.name] = cmd }

// cli is the state one invocation shares among commands.
type cli struct {
	dbPath string
	user   string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	ctx    context.Context
	db     *storage.DB
	svc    *services.Set
}

// usageError makes the process exit 2. help marks a request for the
// command's help (-h, --help), which is printed with flags' descriptions
// and exits 0.
type usageError struct {
	msg   string
	help  bool
	flags *flag.FlagSet
}

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitError carries a chosen exit code and a message already printed, such
// as a failed verification whose report went to stdout.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one invocation and returns its exit code. Tests call it in
// process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr, ctx: ctx}
	global := flag.NewFlagSet("qianfa-cli", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	global.StringVar(&c.dbPath, "db", workspace.DefaultPath(), "工作区文件")
	global.StringVar(&c.user, "user", os.Getenv("QIANFA_USER"), "以哪个用户的身份操作")
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printHelp(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "用法错误：%v\n", flagError(global, err))
		printHelp(stderr)
		return 2
	}
	rest := global.Args()
	if len(rest) == 0 || rest[0] == "help" || rest[0] == "-h" || rest[0] == "--help" {
		printHelp(stdout)
		if len(rest) == 0 {
			return 2
		}
		return 0
	}
	cmd, cmdArgs := lookup(rest)
	if cmd == nil {
		fmt.Fprintf(stderr, "用法错误：未知命令“%s”。\n", strings.Join(rest, " "))
		printHelp(stderr)
		return 2
	}
	defer func() {
		if c.db != nil {
			c.db.Close()
		}
	}()
	err := cmd.run(c, cmdArgs)
	var ue *usageError
	var ee *exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue) && ue.help:
		fmt.Fprintf(stdout, "用法：qianfa-cli [--db PATH] [--user NAME] %s %s\n%s\n", cmd.name, cmd.usage, cmd.summary)
		if ue.flags != nil {
			fmt.Fprintln(stdout, "\n选项：")
			ue.flags.SetOutput(stdout)
			ue.flags.PrintDefaults()
		}
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "用法错误：%s\n", ue.msg)
		fmt.Fprintf(stderr, "用法：qianfa-cli [--db PATH] [--user NAME] %s %s\n", cmd.name, cmd.usage)
		return 2
	}
	if review.ErrorCode(err) == review.EINTERNAL {
		log.New(stderr, "", 0).Printf("详情：%v", err)
	}
	fmt.Fprintf(stderr, "错误：%s\n", review.ErrorMessage(err))
	return 1
}

// lookup finds the longest registered name that prefixes args.
func lookup(args []string) (*command, []string) {
	if len(args) >= 2 {
		if cmd, ok := commands[args[0]+" "+args[1]]; ok {
			return cmd, args[2:]
		}
	}
	if cmd, ok := commands[args[0]]; ok {
		return cmd, args[1:]
	}
	return nil, nil
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "qianfa-cli — 签发：政府信息公开发布审查（命令行）")
	fmt.Fprintln(w, "用法：qianfa-cli [--db PATH] [--user NAME] 命令 [参数]")
	fmt.Fprintln(w, "工作区默认与桌面程序相同；环境变量 QIANFA_DB 可覆盖。")
	fmt.Fprintln(w, "\n命令：")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-40s %s\n", n+" "+commands[n].usage, commands[n].summary)
	}
}

// open opens the workspace on first use.
func (c *cli) open() (*storage.DB, error) {
	if c.db == nil {
		db, err := storage.Open(c.dbPath)
		if err != nil {
			return nil, err
		}
		c.db = db
	}
	return c.db, nil
}

// actorAndDB is actor and open together, as most writing commands need.
func (c *cli) actorAndDB() (string, *storage.DB, error) {
	actor, err := c.actor()
	if err != nil {
		return "", nil, err
	}
	db, err := c.open()
	return actor, db, err
}

// services wires the domain services over the workspace on first use.
func (c *cli) services() (*services.Set, error) {
	if c.svc == nil {
		db, err := c.open()
		if err != nil {
			return nil, err
		}
		c.svc = services.New(db)
	}
	return c.svc, nil
}

// actor is the name recorded as the one acting: --user if given (it must
// exist), else the operating-system user, for workspaces without accounts.
func (c *cli) actor() (string, error) {
	if c.user == "" {
		if u := os.Getenv("USER"); u != "" {
			return u, nil
		}
		return "cli", nil
	}
	db, err := c.open()
	if err != nil {
		return "", err
	}
	if _, err := db.User(c.ctx, c.user); err != nil {
		return "", err
	}
	return c.user, nil
}

// flagsOnly parses fs from args for commands that take no positional
// argument.
func flagsOnly(fs *flag.FlagSet, args []string) error {
	rest, err := parseFlags(fs, args)
	if err == nil && len(rest) > 0 {
		err = usagef("多余的参数：%s", strings.Join(rest, " "))
	}
	return err
}

// docArg parses fs from args and reads the document ID that must come first
// among the positional arguments; it returns the others. what names what
// else the command needs, for the usage message ("" when nothing).
func docArg(fs *flag.FlagSet, args []string, what string) (int64, []string, error) {
	pos, err := parseFlags(fs, args)
	if err != nil {
		return 0, nil, err
	}
	if len(pos) == 0 {
		return 0, nil, usagef("请给出一个文件编号%s", what)
	}
	id, err := parseID(pos[0])
	return id, pos[1:], err
}

// oneDoc is docArg for commands that take the document ID and no other
// positional argument.
func oneDoc(fs *flag.FlagSet, args []string, what string) (int64, error) {
	id, rest, err := docArg(fs, args, what)
	if err == nil && len(rest) > 0 {
		err = usagef("多余的参数：%s", strings.Join(rest, " "))
	}
	return id, err
}

// parseFlags parses fs allowing flags after positional arguments
// (`show 12 --json`), which the flag package alone does not.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError(fs, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

var flagValueRe = regexp.MustCompile(`^invalid (?:boolean )?value (".*") for (?:flag )?(-\S+): (.*)$`)

// flagError says in Chinese what the flag package reports in English, and
// turns -h and --help into a request for the command's help.
func flagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	if errors.Is(err, flag.ErrHelp) {
		return &usageError{help: true, flags: fs}
	}
	if m := flagValueRe.FindStringSubmatch(msg); m != nil {
		switch m[3] {
		case "parse error":
			m[3] = "格式不正确"
		case "value out of range":
			m[3] = "超出范围"
		}
		return usagef("选项 %s 的值 %s 无效：%s", m[2], m[1], m[3])
	}
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return usagef("未知选项 %s", name)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return usagef("选项 %s 需要一个值", name)
	}
	return usagef("%s", msg)
}
