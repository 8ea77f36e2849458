// Package sample fills an empty workspace with an office a newcomer can try:
// one user per role and a handful of drafts at different points of their
// life. The drafts shipped in assets/samples are fictional; where the shared
// corpus of real documents sits beside the checkout, its annual report and
// one law in two versions are copied in as well, at run time.
package sample

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"qianfa/assets"
	"qianfa/cmd/internal/services"
	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/intake"
	"qianfa/review/workflow"
	"qianfa/storage"
)

// Passphrase is every sample user's passphrase. The login screen of a sample
// workspace says so; a real office creates its own users.
const Passphrase = "qianfa2026"

// LoginHint tells a newcomer, in the login dialog, who the sample office's
// people are and how to log in as each.
func LoginHint() string {
	var b strings.Builder
	b.WriteString("示例工作区：")
	for i, u := range Users {
		if i > 0 {
			b.WriteString("、")
		}
		b.WriteString(u.Display)
	}
	b.WriteString("，口令均为 " + Passphrase + "。")
	return b.String()
}

// User is a sample user.
type User struct {
	Name, Display string
	Roles         []review.Role
}

// Users are the sample office: one person per role, so that a newcomer can
// walk a draft through every stage without breaking separation of duties.
var Users = []User{
	{"zhangwei", "张伟（经办人）", []review.Role{review.RoleClerk}},
	{"lina", "李娜（保密审查员）", []review.Role{review.RoleConfidentiality}},
	{"wangfang", "王芳（法制审核员）", []review.Role{review.RoleLegal}},
	{"liuyang", "刘洋（签发人）", []review.Role{review.RoleSignoff}},
	{"zhaomin", "赵敏（管理员）", []review.Role{review.RoleAdmin}},
}

// sampleAdmin is the sample office's administrator, whom the audit log
// names as setting it up.
const sampleAdmin = "zhaomin"

// Seed fills the workspace if it holds no document yet; otherwise it does
// nothing, so it is safe on every start. corpusDir may be "".
func Seed(ctx context.Context, db *storage.DB, corpusDir string) error {
	hits, err := db.FindDocuments(ctx, review.DocumentFilter{Limit: 1})
	if err != nil {
		return err
	}
	if len(hits) > 0 {
		return nil
	}
	// The administrator first: the store lets anyone create only the first
	// administrator of a workspace, and only an administrator everyone else,
	// so zhaomin must exist before the users she is recorded as creating.
	users := slices.Clone(Users)
	slices.SortStableFunc(users, func(a, b User) int {
		return cmp.Compare(adminRank(a), adminRank(b))
	})
	for _, u := range users {
		if err := addUser(ctx, db, u); err != nil && review.ErrorCode(err) != review.ECONFLICT {
			return fmt.Errorf("sample user %s: %w", u.Name, err)
		}
	}
	if err := db.SaveSettings(ctx, review.Settings{OrgCode: "000014349", OrgName: "国家应急保障部", IndexPattern: "{org}/{year}-{seq:5}"}, sampleAdmin); err != nil {
		return err
	}
	clerk := Users[0].Name
	// 成文日期 relative to today, so that 我的待办 always shows a deadline
	// passed (red), one close (amber) and ordinary ones: active disclosure
	// is due 20 working days after it (条例第二十六条).
	cal := calendar.Default()
	today := calendar.FromTime(db.Now())
	written := func(workdaysAgo int) string { return cal.AddWorkdays(today, -workdaysAgo).String() }
	year := today.Year()
	add := func(file string, kind review.Kind, number int, workdaysAgo int) (*review.Document, error) {
		data, err := fs.ReadFile(assets.Samples, "samples/"+file)
		if err != nil {
			return nil, err
		}
		return intake.Bytes(ctx, db, file, data, intake.Options{Kind: kind, Issuer: "国家应急保障部", Author: clerk,
			DocNumber: fmt.Sprintf("应急保〔%d〕%d号", year, number), WrittenOn: written(workdaysAgo)})
	}
	notice, err := add("01-汛期安全防范通知.txt", review.KindNotice, 31, 24)
	if err != nil {
		return err
	}
	rule, err := add("02-举报奖励办法-第一稿.txt", review.KindNormative, 12, 8)
	if err != nil {
		return err
	}
	if err := revise(ctx, db, rule, sampleText("03-举报奖励办法-修改稿.txt"), clerk, "根据司务会意见修改：提高奖励标准，缩短受理时限"); err != nil {
		return err
	}
	honours, err := add("04-先进个人表彰决定.txt", review.KindOther, 40, 18)
	if err != nil {
		return err
	}
	interp, err := add("05-举报奖励办法解读.md", review.KindInterpretation, 13, 6)
	if err != nil {
		return err
	}
	if corpusDir != "" {
		if err := seedCorpus(ctx, db, corpusDir, clerk); err != nil {
			return err
		}
	}
	return underway(ctx, db, notice, rule, honours, interp)
}

func sampleText(file string) string {
	b, _ := fs.ReadFile(assets.Samples, "samples/"+file)
	return string(b)
}

func revise(ctx context.Context, docs review.DocumentStore, d *review.Document, text, author, note string) error {
	_, err := docs.ReviseDocument(ctx, d.ID, d.Meta, strings.TrimSpace(text)+"\n", author, note)
	return err
}

// seedCorpus copies the annual report and 统计法 in its 2009 and 2024
// versions (two revisions of one document) from the shared corpus.
func seedCorpus(ctx context.Context, docs review.DocumentStore, dir, clerk string) error {
	report := filepath.Join(dir, "应急管理部-2019年政府信息公开工作年度报告.txt")
	if _, err := os.Stat(report); err == nil {
		if _, err := intake.File(ctx, docs, report, intake.Options{Kind: review.KindReport, Author: clerk}); err != nil {
			return err
		}
	}
	oldLaw := filepath.Join(dir, "laws", "统计法-2009-06-27.txt")
	newLaw, err := os.ReadFile(filepath.Join(dir, "laws", "统计法-2024-09-13.txt"))
	if err != nil {
		return nil // a partial corpus: the shipped samples suffice
	}
	d, err := intake.File(ctx, docs, oldLaw, intake.Options{Kind: review.KindOther, Author: clerk})
	if err != nil {
		return err
	}
	return revise(ctx, docs, d, string(newLaw), clerk, "2024年9月13日修正")
}

// FindCorpus returns the shared corpus folder if it can be found: from
// $QIANFA_CORPUS, or ../shared/corpus beside the working directory or the
// executable's checkout. It returns "" otherwise.
func FindCorpus() string {
	cands := []string{os.Getenv("QIANFA_CORPUS")}
	if wd, err := os.Getwd(); err == nil {
		cands = append(cands, filepath.Join(wd, "..", "shared", "corpus"))
	}
	if exe, err := os.Executable(); err == nil {
		cands = append(cands, filepath.Join(filepath.Dir(exe), "..", "..", "shared", "corpus"))
	}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if st, err := os.Stat(c); err == nil && st.IsDir() {
			return c
		}
	}
	return ""
}

// adminRank sorts administrators before everyone else.
func adminRank(u User) int {
	if slices.Contains(u.Roles, review.RoleAdmin) {
		return 0
	}
	return 1
}

// addUser creates a sample user with the sample passphrase and a signing
// key.
func addUser(ctx context.Context, db *storage.DB, u User) error {
	user, key, err := workflow.NewUser(u.Name, u.Display, u.Roles, Passphrase, db.Now())
	if err != nil {
		return err
	}
	return db.CreateUserWithKey(ctx, user, key, sampleAdmin)
}

// underway puts sample drafts at different stages, so that each sample
// user's 我的待办 has something in it: the notice and the commendation wait
// for confidentiality review, the rule for legality review, the
// interpretation for sign-off.
func underway(ctx context.Context, db *storage.DB, notice, rule, honours, interp *review.Document) error {
	svc := services.New(db).Review
	clerk, conf := Users[0].Name, Users[1].Name
	for _, d := range []*review.Document{notice, honours, interp} {
		if _, err := svc.Submit(ctx, clerk, d.ID, true); err != nil {
			return fmt.Errorf("submit sample %d: %w", d.ID, err)
		}
	}
	if _, err := svc.Submit(ctx, clerk, rule.ID, false); err != nil {
		return fmt.Errorf("submit sample rule: %w", err)
	}
	approve := workflow.Proposal{Stage: workflow.StageConfidentiality, Outcome: workflow.OutcomeDisclose}
	for _, d := range []*review.Document{rule, interp} {
		if _, _, err := svc.Decide(ctx, conf, d.ID, "", approve, Passphrase); err != nil {
			return fmt.Errorf("approve sample %d: %w", d.ID, err)
		}
	}
	return nil
}
