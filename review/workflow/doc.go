// Package workflow is the review workflow of DESIGN.md ("Review workflow"):
// the stages a draft passes (保密审查, 合法性审核, 签发), the outcomes each
// stage may reach, the rules that decide who may do what, and the signed
// decisions that make each step accountable.
//
// The rules are pure functions of the document, its revision, the decisions
// already made on that revision and the acting user, so they are tested
// without a database; storage calls the same functions again inside its
// transaction, so a check made before asking for a passphrase cannot go
// stale by the time the decision is written.
//
// It lives beside review rather than inside it because it signs with
// review/sshsig and counts deadlines with review/calendar, both of which
// import review.
package workflow
