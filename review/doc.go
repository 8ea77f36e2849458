// Package review is Qianfa's domain: documents and their immutable
// revisions, users and roles, the review workflow and its rules, and the
// interfaces that storage implements and the UI consumes.
//
// It imports neither ui nor storage, nor Fyne nor database/sql: the rules of
// pre-publication review must be testable without a screen or a database.
// Large parts live in sub-packages (compare, screen, pack, ...).
package review
