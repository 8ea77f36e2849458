package storage

import (
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/workflow"
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

// The store itself refuses an administrator's task to someone demoted or
// disabled since they were one: the screens and the service check first,
// but only the check inside the write transaction holds once the actor
// has changed. The store is called directly, as a caller that checked
// before the change would.
func TestStore_RefusesAFormerAdministratorInsideTheTransaction(t *testing.T) {
	day := calendar.MustParse("2024-10-08")
	actions := []struct {
		name string
		do   func(f *reviewFixture) error
	}{
		{"set roles", func(f *reviewFixture) error {
			return f.db.SetRoles(ctx, "clerk", []review.Role{review.RoleAdmin}, "admin")
		}},
		{"disable", func(f *reviewFixture) error { return f.db.SetDisabled(ctx, "conf", true, "admin") }},
		{"create user with key", func(f *reviewFixture) error {
			u, k, err := workflow.NewUser("eve", "", []review.Role{review.RoleAdmin}, testPass, f.now)
			if err != nil {
				t.Fatal(err)
			}
			return f.db.CreateUserWithKey(ctx, u, k, "admin")
		}},
		{"create user", func(f *reviewFixture) error {
			return f.db.CreateUser(ctx, &review.User{Name: "eve", Roles: []review.Role{review.RoleAdmin}, PassHash: "x"}, "admin")
		}},
		{"set calendar override", func(f *reviewFixture) error {
			return f.db.SetCalendarOverride(ctx, calendar.Override{Date: day, Off: false, Note: "改回"}, "admin")
		}},
		{"remove calendar override", func(f *reviewFixture) error { return f.db.RemoveCalendarOverride(ctx, day, "admin") }},
	}
	for _, state := range []struct {
		name   string
		change func(f *reviewFixture) error // made by boss, the other administrator
		want   string
	}{
		{"demoted", func(f *reviewFixture) error {
			return f.db.SetRoles(ctx, "admin", []review.Role{review.RoleClerk}, "boss")
		}, "不是管理员"},
		{"disabled", func(f *reviewFixture) error { return f.db.SetDisabled(ctx, "admin", true, "boss") }, "已停用"},
	} {
		for _, a := range actions {
			t.Run(state.name+"/"+a.name, func(t *testing.T) {
				f := newReviewFixture(t)
				if err := f.db.SetRoles(ctx, "boss", []review.Role{review.RoleSignoff, review.RoleAdmin}, "admin"); err != nil {
					t.Fatal(err)
				}
				if err := f.db.SetCalendarOverride(ctx, calendar.Override{Date: day, Off: true, Note: "防汛停工"}, "admin"); err != nil {
					t.Fatal(err)
				}
				if err := state.change(f); err != nil {
					t.Fatal(err)
				}
				n := auditLen(t, f.db)
				err := a.do(f)
				if review.ErrorCode(err) != review.EFORBIDDEN || !strings.Contains(review.ErrorMessage(err), state.want) {
					t.Fatalf("want EFORBIDDEN with %q, got %v", state.want, err)
				}
				if auditLen(t, f.db) != n {
					t.Error("a refused task wrote to the audit log")
				}
				if _, err := f.db.User(ctx, "eve"); review.ErrorCode(err) != review.ENOTFOUND {
					t.Errorf("a refused creation stored the user: %v", err)
				}
				if u, _ := f.db.User(ctx, "clerk"); u.Has(review.RoleAdmin) {
					t.Error("a refused role change was stored")
				}
				if u, _ := f.db.User(ctx, "conf"); u.Disabled {
					t.Error("a refused disabling was stored")
				}
				if ovs, _ := f.db.CalendarOverrides(ctx); len(ovs) != 1 || !ovs[0].Off {
					t.Errorf("calendar overrides after a refusal: %+v", ovs)
				}
			})
		}
	}
}

// On a new workspace the first user must be an administrator, created by
// anyone; from then on only an administrator creates users.
func TestStore_BootstrapFirstAdministrator(t *testing.T) {
	cheapHashes.Do(func() { workflow.DefaultPassParams = workflow.PassParams{Memory: 1024, Time: 1, Threads: 1} })
	db := openTest(t)
	now := time.Date(2024, 9, 30, 2, 0, 0, 0, time.UTC)
	mk := func(name string, role review.Role) (*review.User, *review.Key) {
		u, k, err := workflow.NewUser(name, "", []review.Role{role}, testPass, now)
		if err != nil {
			t.Fatal(err)
		}
		return u, k
	}
	u, k := mk("clerk", review.RoleClerk)
	if err := db.CreateUserWithKey(ctx, u, k, "root"); review.ErrorCode(err) != review.EFORBIDDEN || !strings.Contains(review.ErrorMessage(err), "还没有管理员") {
		t.Fatalf("a clerk as the first user: %v", err)
	}
	u, k = mk("wang", review.RoleAdmin)
	if err := db.CreateUserWithKey(ctx, u, k, "root"); err != nil {
		t.Fatalf("the first administrator: %v", err)
	}
	if e := lastAudit(t, db); e.Actor != "root" || !strings.Contains(e.Detail, "wang") {
		t.Errorf("the bootstrap is audited as %+v", e)
	}
	u, k = mk("li", review.RoleAdmin)
	if err := db.CreateUserWithKey(ctx, u, k, "root"); review.ErrorCode(err) != review.EFORBIDDEN {
		t.Fatalf("a second administrator by a stranger: %v", err)
	}
	if err := db.CreateUserWithKey(ctx, u, k, "wang"); err != nil {
		t.Fatalf("a second administrator by the first: %v", err)
	}
}

// Two first-administrator bootstraps at once, as from two terminals on a
// new workspace (two connections to one file): exactly one succeeds. The
// rule allows the bootstrap only while no administrator exists, and each
// check runs inside its own write transaction, which SQLite serialises, so
// the second sees the first's administrator and its actor, who is not one,
// is refused. Both succeeding would let someone nobody appointed become an
// administrator.
func TestStore_BootstrapRaceHasOneWinner(t *testing.T) {
	cheapHashes.Do(func() { workflow.DefaultPassParams = workflow.PassParams{Memory: 1024, Time: 1, Threads: 1} })
	now := time.Date(2024, 9, 30, 2, 0, 0, 0, time.UTC)
	for round := range 10 {
		path := filepath.Join(t.TempDir(), "ws.db")
		names := []string{"wang", "li"}
		dbs := make([]*DB, len(names))
		for i := range dbs {
			db, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			dbs[i] = db
		}
		errs := make([]error, len(names))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, name := range names {
			u, k, err := workflow.NewUser(name, "", []review.Role{review.RoleAdmin}, testPass, now)
			if err != nil {
				t.Fatal(err)
			}
			wg.Go(func() {
				<-start
				errs[i] = dbs[i].CreateUserWithKey(ctx, u, k, name)
			})
		}
		close(start)
		wg.Wait()
		won := 0
		for i, err := range errs {
			switch {
			case err == nil:
				won++
			case review.ErrorCode(err) != review.EFORBIDDEN:
				t.Fatalf("round %d: %s lost with %v, want EFORBIDDEN", round, names[i], err)
			}
		}
		users, err := dbs[0].Users(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if won != 1 || len(users) != 1 {
			t.Fatalf("round %d: %d bootstraps succeeded, %d users stored (%v)", round, won, len(users), errs)
		}
	}
}

// A disabled user gets no new signing key, neither through the service
// nor from the store called directly with a key made before they were
// disabled.
func TestRotateKey_RefusedToADisabledUser(t *testing.T) {
	f := newReviewFixture(t)
	u, err := f.db.User(ctx, "conf")
	if err != nil {
		t.Fatal(err)
	}
	f.tick()
	k, err := workflow.NewKey(u, testPass, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetDisabled(ctx, "conf", true, "admin"); err != nil {
		t.Fatal(err)
	}
	n := auditLen(t, f.db)
	if _, err := f.svc.RotateKey(ctx, "conf", testPass); review.ErrorCode(err) != review.EFORBIDDEN || !strings.Contains(review.ErrorMessage(err), "已停用") {
		t.Errorf("service: %v", err)
	}
	if err := f.db.AddKey(ctx, k, "conf"); review.ErrorCode(err) != review.EFORBIDDEN {
		t.Errorf("store: %v", err)
	}
	if ks, _ := f.db.Keys(ctx, "conf"); len(ks) != 1 || !ks[0].ValidTo.IsZero() || auditLen(t, f.db) != n {
		t.Errorf("a refused rotation changed the keys: %+v", ks)
	}
	// Restored, they may again.
	if err := f.db.SetDisabled(ctx, "conf", false, "admin"); err != nil {
		t.Fatal(err)
	}
	if err := f.db.AddKey(ctx, k, "conf"); err != nil {
		t.Errorf("after enabling: %v", err)
	}
}
