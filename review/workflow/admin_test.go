package workflow

import (
	"strings"
	"testing"

	"qianfa/review"
)

func TestCheckAdminsRemain(t *testing.T) {
	admin := *user("admin", review.RoleAdmin)
	second := *user("second", review.RoleAdmin, review.RoleClerk)
	clerk := *user("clerk", review.RoleClerk)
	off := *user("off", review.RoleAdmin)
	off.Disabled = true
	demote := func(u review.User) review.User { u.Roles = []review.Role{review.RoleClerk}; return u }
	disable := func(u review.User) review.User { u.Disabled = true; return u }
	tests := []struct {
		name    string
		users   []review.User
		changed review.User
		refused bool
	}{
		{"last admin demoted", []review.User{admin, clerk}, demote(admin), true},
		{"last admin disabled", []review.User{admin, clerk}, disable(admin), true},
		{"a disabled admin does not count", []review.User{admin, off}, demote(admin), true},
		{"one of two admins demoted", []review.User{admin, second, clerk}, demote(admin), false},
		{"one of two admins disabled", []review.User{admin, second}, disable(second), false},
		{"a clerk changed", []review.User{admin, clerk}, disable(clerk), false},
		{"no administrator yet", []review.User{clerk}, disable(clerk), false},
		{"the disabled admin restored", []review.User{off, clerk}, func(u review.User) review.User { u.Disabled = false; return u }(off), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckAdminsRemain(tt.users, tt.changed)
			if tt.refused {
				if code(err) != review.ECONFLICT || !strings.Contains(review.ErrorMessage(err), "最后一位在用的管理员") {
					t.Fatalf("want a refusal naming the last administrator, got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
		})
	}
}

func TestCheckRoles(t *testing.T) {
	if err := CheckRoles("eve", nil); code(err) != review.EINVALID {
		t.Errorf("no roles: %v", err)
	}
	if err := CheckRoles("eve", []review.Role{review.RoleClerk, "发布员"}); code(err) != review.EINVALID || !strings.Contains(review.ErrorMessage(err), "发布员") {
		t.Errorf("unknown role: %v", err)
	}
	if err := CheckRoles("eve", []review.Role{review.RoleClerk, review.RoleLegal}); err != nil {
		t.Errorf("good roles: %v", err)
	}
}

func TestCheckAdmin(t *testing.T) {
	off := user("off", review.RoleAdmin)
	off.Disabled = true
	tests := []struct {
		name  string
		actor *review.User
		want  string // "" when allowed, else a part of the refusal
	}{
		{"an active administrator", user("admin", review.RoleAdmin, review.RoleClerk), ""},
		{"no such user", nil, "不是本工作区的用户"},
		{"a clerk", user("clerk", review.RoleClerk), "不是管理员"},
		{"a disabled administrator", off, "已停用"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckAdmin(tt.actor, "who", TaskCalendar)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if code(err) != review.EFORBIDDEN || !strings.Contains(review.ErrorMessage(err), tt.want) || !strings.Contains(review.ErrorMessage(err), TaskCalendar) {
				t.Fatalf("want EFORBIDDEN with %q, got %v", tt.want, err)
			}
		})
	}
}

// The bootstrap rule: while no active administrator exists, anyone may
// create a user, but only an administrator; afterwards only an active
// administrator may create anyone.
func TestCheckCreateUser(t *testing.T) {
	admin := *user("admin", review.RoleAdmin)
	clerk := *user("clerk", review.RoleClerk)
	off := *user("off", review.RoleAdmin)
	off.Disabled = true
	newAdmin, newClerk := user("eve", review.RoleAdmin), user("eve", review.RoleClerk)
	tests := []struct {
		name  string
		users []review.User
		actor string
		u     *review.User
		want  string
	}{
		{"first administrator on a new workspace, by anyone", nil, "root", newAdmin, ""},
		{"first user not an administrator", nil, "root", newClerk, "还没有管理员"},
		{"users but no administrator: an administrator mends it", []review.User{clerk}, "clerk", newAdmin, ""},
		{"users but no administrator: no one else", []review.User{clerk}, "clerk", newClerk, "还没有管理员"},
		{"only a disabled administrator counts as none", []review.User{off, clerk}, "off", newAdmin, ""},
		{"an administrator creates a clerk", []review.User{admin, clerk}, "admin", newClerk, ""},
		{"an administrator creates another", []review.User{admin}, "admin", newAdmin, ""},
		{"a clerk once an administrator exists", []review.User{admin, clerk}, "clerk", newClerk, "不是管理员"},
		{"a stranger once an administrator exists", []review.User{admin}, "root", newAdmin, "不是本工作区的用户"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckCreateUser(tt.users, tt.actor, tt.u)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if code(err) != review.EFORBIDDEN || !strings.Contains(review.ErrorMessage(err), tt.want) {
				t.Fatalf("want EFORBIDDEN with %q, got %v", tt.want, err)
			}
		})
	}
}
