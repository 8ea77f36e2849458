package comment

import (
	"strings"

	"qianfa/review"
)

// Channel is a way comments reach the office, and a way a draft is put out
// for comment.
type Channel string

// The channels the office uses.
const (
	ChannelWebsite Channel = "网站"
	ChannelEmail   Channel = "电子邮件"
	ChannelLetter  Channel = "信函"
)

// Channels lists every channel in the order menus show them.
var Channels = []Channel{ChannelWebsite, ChannelEmail, ChannelLetter}

// channelAliases are the words clerks and the website's export use for the
// same channels.
var channelAliases = map[string]Channel{
	"网站": ChannelWebsite, "网上": ChannelWebsite, "网络": ChannelWebsite, "在线": ChannelWebsite, "web": ChannelWebsite, "website": ChannelWebsite,
	"电子邮件": ChannelEmail, "邮件": ChannelEmail, "邮箱": ChannelEmail, "email": ChannelEmail, "e-mail": ChannelEmail,
	"信函": ChannelLetter, "来信": ChannelLetter, "信件": ChannelLetter, "邮寄": ChannelLetter, "letter": ChannelLetter,
}

// ParseChannel reads a channel name or one of its common aliases.
func ParseChannel(s string) (Channel, error) {
	if c, ok := channelAliases[strings.ToLower(strings.TrimSpace(s))]; ok {
		return c, nil
	}
	return "", review.Errorf(review.EINVALID, "渠道“%s”无效，可选：网站、电子邮件、信函。", s)
}

// ParseChannels reads a list of channels separated by commas or 、.
func ParseChannels(s string) ([]Channel, error) {
	var out []Channel
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' }) {
		c, err := ParseChannel(f)
		if err != nil {
			return nil, err
		}
		if !containsChannel(out, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

func containsChannel(cs []Channel, c Channel) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// JoinChannels writes channels as the office does: 网站、电子邮件.
func JoinChannels(cs []Channel) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, "、")
}

// SubmitterType is who sent a comment, as the feedback report counts them.
type SubmitterType string

// The submitter types.
const (
	SubmitterPerson       SubmitterType = "个人"
	SubmitterCompany      SubmitterType = "企业"
	SubmitterOrganisation SubmitterType = "社会组织"
	SubmitterOther        SubmitterType = "其他"
)

// SubmitterTypes lists every submitter type in report order.
var SubmitterTypes = []SubmitterType{SubmitterPerson, SubmitterCompany, SubmitterOrganisation, SubmitterOther}

var submitterAliases = map[string]SubmitterType{
	"个人": SubmitterPerson, "公民": SubmitterPerson, "自然人": SubmitterPerson, "群众": SubmitterPerson,
	"企业": SubmitterCompany, "公司": SubmitterCompany, "法人": SubmitterCompany, "企业法人": SubmitterCompany,
	"社会组织": SubmitterOrganisation, "组织": SubmitterOrganisation, "社团": SubmitterOrganisation,
	"行业协会": SubmitterOrganisation, "协会": SubmitterOrganisation, "商会": SubmitterOrganisation,
	"其他": SubmitterOther, "其它": SubmitterOther,
}

// ParseSubmitterType reads a submitter type or a common alias (公民 is 个人,
// 行业协会 is 社会组织). Empty means 其他: the website lets people leave it out.
func ParseSubmitterType(s string) (SubmitterType, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return SubmitterOther, nil
	}
	if t, ok := submitterAliases[s]; ok {
		return t, nil
	}
	return "", review.Errorf(review.EINVALID, "提交者类型“%s”无效，可选：个人、企业、社会组织、其他。", s)
}

// Disposition is the answer to a comment (or a group of like comments).
type Disposition string

// The dispositions.
const (
	Adopted    Disposition = "采纳"
	Partly     Disposition = "部分采纳"
	NotAdopted Disposition = "不采纳"
	NotRelated Disposition = "不涉及本文件"
)

// Dispositions lists every disposition in report order.
var Dispositions = []Disposition{Adopted, Partly, NotAdopted, NotRelated}

// ParseDisposition reads a disposition; 不涉及 is accepted for 不涉及本文件.
func ParseDisposition(s string) (Disposition, error) {
	switch strings.TrimSpace(s) {
	case "采纳", "adopt", "adopted":
		return Adopted, nil
	case "部分采纳", "partly", "partial":
		return Partly, nil
	case "不采纳", "未采纳", "reject", "rejected":
		return NotAdopted, nil
	case "不涉及本文件", "不涉及", "unrelated":
		return NotRelated, nil
	}
	return "", review.Errorf(review.EINVALID, "处理意见“%s”无效，可选：采纳、部分采纳、不采纳、不涉及本文件。", s)
}

// NeedsReason reports whether the disposition must carry a reason: every
// answer but 采纳 has to say why (DESIGN.md, "Public comment").
func (d Disposition) NeedsReason() bool { return d != Adopted }

// CheckDisposition checks a disposition and its reason.
func CheckDisposition(d Disposition, reason string) error {
	switch d {
	case Adopted, Partly, NotAdopted, NotRelated:
	default:
		return review.Errorf(review.EINVALID, "处理意见“%s”无效，可选：采纳、部分采纳、不采纳、不涉及本文件。", d)
	}
	if d.NeedsReason() && strings.TrimSpace(reason) == "" {
		return review.Errorf(review.EINVALID, "“%s”须写明理由，意见采纳情况说明要向提出意见的人说明为什么。", d)
	}
	return nil
}
