package publish

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"qianfa/review"
	"qianfa/review/pack"
)

// CheckAttachmentName refuses a name that would not survive the package
// unchanged: pack.SafeName must leave it as it is, and it must not be one of
// the names the package itself uses.
func CheckAttachmentName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return review.Errorf(review.EINVALID, "附件名称不能为空。")
	case !utf8.ValidString(name) || pack.SafeName(name) != name || name == "." || name == "..":
		return review.Errorf(review.EINVALID, "附件名称“%s”含有不能用作文件名的字符（/ \\ %% < > : \" | ? * 或控制字符），建议改为“%s”。", name, pack.SafeName(name))
	}
	return nil
}

// CheckAttachmentsEditable refuses to change a document's attachments once
// it has left the clerk's hands: reviewers approved the document with the
// attachments it had, and what goes out must be what they saw.
func CheckAttachmentsEditable(doc *review.Document) error {
	if !doc.Status.Editable() {
		return review.Errorf(review.ECONFLICT, "《%s》当前状态为“%s”，只有草稿或退回修改的文件可以增删附件。", doc.Meta.Title, doc.Status)
	}
	return nil
}

// CheckDate checks a YYYY-MM-DD date given by a clerk.
func CheckDate(what, s string) error {
	if _, err := time.Parse("2006-01-02", s); err != nil {
		return review.Errorf(review.EINVALID, "%s“%s”无效，应为 YYYY-MM-DD，例如 2026-03-05。", what, s)
	}
	return nil
}

// CheckPublish decides whether doc may be recorded as published on date at
// link: it must be 已签发, and its current revision must have been exported,
// since the website can only have published a package it received.
func CheckPublish(doc *review.Document, exports []Export, date, link string) error {
	if doc.Status != review.StatusApproved {
		return review.Errorf(review.ECONFLICT, "《%s》当前状态为“%s”，只有已签发的文件可以登记发布。", doc.Meta.Title, doc.Status)
	}
	if err := CheckDate("发布日期", date); err != nil {
		return err
	}
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return review.Errorf(review.EINVALID, "发布网址“%s”无效，应为 http:// 或 https:// 开头的完整网址。", link)
	}
	for _, e := range exports {
		if e.RevisionHash == doc.CurrentHash {
			return nil
		}
	}
	return review.Errorf(review.ECONFLICT, "《%s》第 %d 版尚未导出发布包，请先导出并交网站发布，再登记发布。", doc.Meta.Title, doc.CurrentRevision)
}

// CheckAmend decides whether doc may be marked 已修订 by successor.
func CheckAmend(doc, successor *review.Document) error {
	switch {
	case doc.ID == successor.ID:
		return review.Errorf(review.EINVALID, "文件不能修订自身。")
	case doc.Status != review.StatusPublished:
		return review.Errorf(review.ECONFLICT, "《%s》当前状态为“%s”，只有已发布的文件可以标记为已修订。", doc.Meta.Title, doc.Status)
	case doc.Validity != review.ValidityInForce:
		return review.Errorf(review.ECONFLICT, "《%s》的有效性已是“%s”，不能再标记为已修订。", doc.Meta.Title, doc.Validity)
	case successor.Status == review.StatusWithheld:
		return review.Errorf(review.EINVALID, "《%s》已决定不予公开，不能作为修订后的文件。", successor.Meta.Title)
	case successor.Supersedes != 0 && successor.Supersedes != doc.ID:
		return review.Errorf(review.ECONFLICT, "《%s》已登记为另一件文件（编号 %d）的修订版。", successor.Meta.Title, successor.Supersedes)
	}
	return nil
}

// CheckRepeal decides whether doc may be marked 已废止 on date.
func CheckRepeal(doc *review.Document, date string) error {
	switch {
	case doc.Status != review.StatusPublished:
		return review.Errorf(review.ECONFLICT, "《%s》当前状态为“%s”，只有已发布的文件可以标记为已废止。", doc.Meta.Title, doc.Status)
	case doc.Validity != review.ValidityInForce:
		return review.Errorf(review.ECONFLICT, "《%s》的有效性已是“%s”，不能再标记为已废止。", doc.Meta.Title, doc.Validity)
	}
	if err := CheckDate("废止日期", date); err != nil {
		return err
	}
	if doc.PublishedOn != "" && date < doc.PublishedOn {
		return review.Errorf(review.EINVALID, "废止日期 %s 早于发布日期 %s。", date, doc.PublishedOn)
	}
	return nil
}
