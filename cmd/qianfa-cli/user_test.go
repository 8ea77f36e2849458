package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"qianfa/review"
)

// listedUser returns the user as `user list --json` shows them.
func (w *walk) listedUser(name string) userRow {
	w.t.Helper()
	var rows []userRow
	if err := json.Unmarshal([]byte(w.ok("", "user", "list", "--json")), &rows); err != nil {
		w.t.Fatal(err)
	}
	for _, r := range rows {
		if r.Name == name {
			return r
		}
	}
	w.t.Fatalf("no user %s in the list", name)
	return userRow{}
}

func TestCLI_UserRoles(t *testing.T) {
	w := newWalk(t)
	w.refused("不是管理员", "clerk", "user", "roles", "conf", "--role", "签发人")
	w.refused("没有用户“nobody”", "admin", "user", "roles", "nobody", "--role", "签发人")
	if r := w.run("admin", "user", "roles", "conf"); r.code != 2 || !strings.Contains(r.stderr, "至少一个角色") {
		t.Errorf("no role: %+v", r)
	}
	if r := w.run("admin", "user", "roles", "conf", "--role", "发布员"); r.code != 2 || !strings.Contains(r.stderr, "角色“发布员”无效") {
		t.Errorf("unknown role: %+v", r)
	}

	out := w.ok("admin", "user", "roles", "conf", "--role", "保密审查员,legal", "--role", "confidentiality")
	if out != "conf 的角色现为：保密审查员、法制审核员\n" {
		t.Errorf("user roles: %q", out)
	}
	if got := w.listedUser("conf").Roles; !slices.Equal(got, []review.Role{review.RoleConfidentiality, review.RoleLegal}) {
		t.Errorf("stored roles %v", got)
	}

	// The only administrator keeps the role until another one is appointed.
	w.refused("最后一位在用的管理员", "admin", "user", "roles", "admin", "--role", "clerk")
	w.ok("admin", "user", "roles", "boss", "--role", "signoff,admin")
	w.ok("boss", "user", "roles", "admin", "--role", "clerk")
	w.refused("不是管理员", "admin", "user", "roles", "clerk", "--role", "签发人")
}

func TestCLI_UserDisableEnable(t *testing.T) {
	w := newWalk(t)
	w.refused("不是管理员", "clerk", "user", "disable", "conf")
	w.refused("最后一位在用的管理员", "admin", "user", "disable", "admin")

	id := w.importDoc("clerk", "通知公告", "关于停用的通知")
	w.ok("clerk", "review", "submit", id, "--no-legality")
	w.ok("conf", "review", "approve", id, "--stage", "confidentiality")

	if out := w.ok("admin", "user", "disable", "conf"); !strings.Contains(out, "已停用用户 conf") {
		t.Errorf("user disable: %q", out)
	}
	if !w.listedUser("conf").Disabled {
		t.Error("user list --json does not show conf disabled")
	}
	for _, line := range strings.Split(w.ok("", "user", "list"), "\n") {
		if strings.HasPrefix(line, "conf\t") && !strings.HasSuffix(line, "\t已停用") {
			t.Errorf("user list line for conf: %q", line)
		}
	}
	// A disabled reviewer can no longer decide, but what they signed stays valid.
	id2 := w.importDoc("clerk", "通知公告", "关于停用之后的通知")
	w.ok("clerk", "review", "submit", id2, "--no-legality")
	w.refused("没有该角色", "conf", "review", "approve", id2, "--stage", "confidentiality")
	if out := w.ok("", "review", "verify", id); !strings.Contains(out, "有效") {
		t.Errorf("a disabled user's decision no longer verifies:\n%s", out)
	}

	if out := w.ok("admin", "user", "enable", "conf"); out != "已启用用户 conf\n" {
		t.Errorf("user enable: %q", out)
	}
	if w.listedUser("conf").Disabled {
		t.Error("conf still disabled")
	}
	w.ok("conf", "review", "approve", id2, "--stage", "confidentiality")
	if r := w.run("admin", "user", "disable"); r.code != 2 {
		t.Errorf("no name: %+v", r)
	}
}

// On a new workspace the first user must be an administrator, added by
// whoever runs the command; after that only an administrator adds users,
// and a command without --user is told how to name one.
func TestCLI_FirstUserMustBeAnAdministrator(t *testing.T) {
	cheapPassphrases()
	t.Setenv(passphraseEnv, walkPass)
	w := &walk{t: t, dir: t.TempDir()}
	w.db = filepath.Join(w.dir, "ws.db")
	w.ok("", "init")
	w.refused("还没有管理员", "", "user", "add", "clerk", "--role", "clerk")
	w.ok("", "user", "add", "wang", "--role", "admin")
	w.refused("请用 --user 指明管理员身份", "", "user", "add", "li", "--role", "admin")
	w.refused("请用 --user 指明管理员身份", "", "calendar", "set", "2024-10-08", "--off")
	w.ok("wang", "user", "add", "clerk", "--role", "clerk")
	w.refused("不是管理员", "clerk", "user", "add", "li", "--role", "admin")
	if got := w.listedUser("wang").Roles; !slices.Equal(got, []review.Role{review.RoleAdmin}) {
		t.Errorf("the first user's roles: %v", got)
	}
}

// A disabled user cannot make a new signing key, and is refused before
// being asked for the passphrase; enabled again, they can.
func TestCLI_DisabledUserCannotRotateTheirKey(t *testing.T) {
	w := newWalk(t)
	w.ok("admin", "user", "disable", "conf")
	before := w.listedUser("conf").Key
	w.refused("已停用", "", "user", "key", "conf")
	if after := w.listedUser("conf").Key; after != before {
		t.Errorf("key changed from %s to %s", before, after)
	}
	w.ok("admin", "user", "enable", "conf")
	w.ok("", "user", "key", "conf")
}
