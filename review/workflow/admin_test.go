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
