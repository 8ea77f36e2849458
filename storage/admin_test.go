package storage

import (
	"slices"
	"strings"
	"testing"

	"qianfa/review"
)

// lastAudit returns the newest audit entry.
func lastAudit(t *testing.T, db *DB) review.AuditEntry {
	t.Helper()
	es, err := db.AuditEntries(ctx, review.AuditFilter{})
	if err != nil || len(es) == 0 {
		t.Fatalf("audit: %v (%d entries)", err, len(es))
	}
	return es[0]
}

func TestSetRoles_StoresRolesAndAudits(t *testing.T) {
	f := newReviewFixture(t)
	f.addUser(t, "admin", review.RoleAdmin)
	roles := []review.Role{review.RoleConfidentiality, review.RoleLegal}
	if err := f.db.SetRoles(ctx, "conf", roles, "admin"); err != nil {
		t.Fatal(err)
	}
	u, err := f.db.User(ctx, "conf")
	if err != nil || !slices.Equal(u.Roles, roles) {
		t.Fatalf("roles = %v, %v", u.Roles, err)
	}
	e := lastAudit(t, f.db)
	if e.Actor != "admin" || e.Action != review.ActionUser || e.Detail != "修改用户 conf 的角色：保密审查员 → 保密审查员,法制审核员" {
		t.Errorf("audit entry %+v", e)
	}
	// The same roles again change nothing and log nothing.
	n := auditLen(t, f.db)
	if err := f.db.SetRoles(ctx, "conf", roles, "admin"); err != nil || auditLen(t, f.db) != n {
		t.Errorf("unchanged roles: %v, %d new entries", err, auditLen(t, f.db)-n)
	}
	if brk, err := f.db.VerifyAudit(ctx); err != nil || brk != nil {
		t.Errorf("audit chain: %v %+v", err, brk)
	}
}

func TestSetRoles_RefusesBadRolesAndUnknownUsers(t *testing.T) {
	f := newReviewFixture(t)
	n := auditLen(t, f.db)
	for _, tt := range []struct {
		name, user string
		roles      []review.Role
		code       string
	}{
		{"no role", "conf", nil, review.EINVALID},
		{"unknown role", "conf", []review.Role{"发布员"}, review.EINVALID},
		{"unknown user", "nobody", []review.Role{review.RoleClerk}, review.ENOTFOUND},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := f.db.SetRoles(ctx, tt.user, tt.roles, "admin"); review.ErrorCode(err) != tt.code {
				t.Errorf("err = %v, want %s", err, tt.code)
			}
		})
	}
	if auditLen(t, f.db) != n {
		t.Error("a refused change wrote to the audit log")
	}
}

func TestAdmin_LastAdministratorStays(t *testing.T) {
	f := newReviewFixture(t)
	f.addUser(t, "admin", review.RoleAdmin)
	n := auditLen(t, f.db)
	if err := f.db.SetRoles(ctx, "admin", []review.Role{review.RoleClerk}, "admin"); review.ErrorCode(err) != review.ECONFLICT ||
		!strings.Contains(review.ErrorMessage(err), "最后一位在用的管理员") {
		t.Fatalf("demoting the last administrator: %v", err)
	}
	if err := f.db.SetDisabled(ctx, "admin", true, "admin"); review.ErrorCode(err) != review.ECONFLICT {
		t.Fatalf("disabling the last administrator: %v", err)
	}
	if u, _ := f.db.User(ctx, "admin"); !u.Has(review.RoleAdmin) || auditLen(t, f.db) != n {
		t.Fatalf("refused changes were stored: %+v", u)
	}

	// With a second administrator the first may step down.
	if err := f.db.SetRoles(ctx, "boss", []review.Role{review.RoleSignoff, review.RoleAdmin}, "admin"); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetRoles(ctx, "admin", []review.Role{review.RoleClerk}, "boss"); err != nil {
		t.Fatalf("demoting one of two administrators: %v", err)
	}
	if err := f.db.SetDisabled(ctx, "boss", true, "boss"); review.ErrorCode(err) != review.ECONFLICT {
		t.Fatalf("boss is now the last administrator: %v", err)
	}
}

func TestSetDisabled_StopsLoginKeepsKeysAndAudits(t *testing.T) {
	f := newReviewFixture(t)
	f.addUser(t, "admin", review.RoleAdmin)
	if err := f.db.SetDisabled(ctx, "conf", true, "admin"); err != nil {
		t.Fatal(err)
	}
	if e := lastAudit(t, f.db); e.Actor != "admin" || e.Action != review.ActionUser || !strings.Contains(e.Detail, "停用用户 conf") {
		t.Errorf("audit entry %+v", e)
	}
	if u, _ := f.db.User(ctx, "conf"); !u.Disabled || u.Has(review.RoleConfidentiality) {
		t.Errorf("user after disabling: %+v", u)
	}
	if _, err := f.svc.Login(ctx, "conf", testPass); review.ErrorCode(err) != review.EFORBIDDEN {
		t.Errorf("a disabled user logged in: %v", err)
	}
	if ks, err := f.db.Keys(ctx, "conf"); err != nil || len(ks) != 1 {
		t.Errorf("keys of a disabled user: %d, %v", len(ks), err)
	}
	if err := f.db.SetDisabled(ctx, "conf", false, "admin"); err != nil {
		t.Fatal(err)
	}
	if e := lastAudit(t, f.db); e.Detail != "启用用户 conf" {
		t.Errorf("audit entry %+v", e)
	}
	if _, err := f.svc.Login(ctx, "conf", testPass); err != nil {
		t.Errorf("login after enabling: %v", err)
	}
}

func TestService_OnlyAdministratorsManageUsers(t *testing.T) {
	f := newReviewFixture(t)
	f.addUser(t, "admin", review.RoleAdmin)
	if err := f.svc.SetRoles(ctx, "clerk", "conf", []review.Role{review.RoleSignoff}); review.ErrorCode(err) != review.EFORBIDDEN {
		t.Errorf("a clerk changed roles: %v", err)
	}
	if err := f.svc.SetDisabled(ctx, "clerk", "conf", true); review.ErrorCode(err) != review.EFORBIDDEN {
		t.Errorf("a clerk disabled a user: %v", err)
	}
	if _, _, err := f.svc.CreateUser(ctx, "clerk", "eve", "", []review.Role{review.RoleAdmin}, testPass); review.ErrorCode(err) != review.EFORBIDDEN {
		t.Errorf("a clerk created a user: %v", err)
	}
	u, k, err := f.svc.CreateUser(ctx, "admin", "eve", "伊娃", []review.Role{review.RoleClerk}, testPass)
	if err != nil {
		t.Fatal(err)
	}
	if ks, _ := f.db.Keys(ctx, "eve"); len(ks) != 1 || ks[0].Fingerprint != k.Fingerprint || u.DisplayName != "伊娃" {
		t.Errorf("created user %+v with keys %+v", u, ks)
	}
	f.tick()
	k2, err := f.svc.RotateKey(ctx, "eve", testPass)
	if err != nil {
		t.Fatal(err)
	}
	ks, _ := f.db.Keys(ctx, "eve")
	if len(ks) != 2 || !ks[0].ValidTo.Equal(k2.ValidFrom) || !ks[1].ValidTo.IsZero() {
		t.Errorf("keys after rotation: %+v", ks)
	}
}
