package comment

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"qianfa/review"
	"qianfa/review/compare"
)

// MaxTextRunes bounds one comment. Letters with long attachments are
// summarised by the clerk; a CSV cell beyond this is most likely a broken
// file.
const MaxTextRunes = 20000

// Comment is one comment received on a draft. Comments are never changed or
// deleted once recorded; the answer lives on the comment's group.
type Comment struct {
	ID         int64 `json:"id"`
	DocumentID int64 `json:"document_id"`
	// No numbers the comments of one document from 1, as the clerk refers
	// to them (第 12 条意见).
	No int `json:"no"`
	// Group is the group of near-duplicates the comment belongs to; a
	// comment without look-alikes is a group of its own. GroupSize counts
	// the group's members and GroupLead is the No of its first member.
	Group         int64         `json:"group"`
	GroupSize     int           `json:"group_size"`
	GroupLead     int           `json:"group_lead"`
	SubmitterType SubmitterType `json:"submitter_type"`
	Submitter     string        `json:"submitter,omitempty"`
	ReceivedAt    time.Time     `json:"received_at"`
	Channel       Channel       `json:"channel"`
	Text          string        `json:"text"`
	// Article is the number of the draft's article the comment addresses
	// ("12", "10-1" for 第十条之一), "" for the draft as a whole.
	Article string `json:"article,omitempty"`
	// Late marks a comment received after the window closed (逾期); it is
	// kept and answered like any other.
	Late      bool      `json:"late"`
	Source    string    `json:"source,omitempty"` // 手工录入, or the CSV file and line
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	// The group's answer; empty until disposed.
	Disposition Disposition `json:"disposition,omitempty"`
	Reason      string      `json:"reason,omitempty"`
	DisposedBy  string      `json:"disposed_by,omitempty"`
	DisposedAt  time.Time   `json:"disposed_at,omitzero"`
}

// NewComment is a comment as typed in or read from a CSV row.
type NewComment struct {
	SubmitterType SubmitterType
	Submitter     string
	ReceivedAt    time.Time
	Channel       Channel
	Text          string
	// Article is a reference as the clerk or the website wrote it ("12",
	// "第十二条", "第十条之一"); Validate turns it into the article number.
	Article string
	Source  string
	// Line is the CSV line the comment came from, 0 when typed in.
	Line int
}

// Validate checks the comment and resolves its article against the draft's
// articles, in place.
func (n *NewComment) Validate(arts *Articles) error {
	n.Text = strings.TrimSpace(n.Text)
	n.Submitter = strings.TrimSpace(n.Submitter)
	switch {
	case n.Text == "":
		return review.Errorf(review.EINVALID, "意见内容为空。")
	case !utf8.ValidString(n.Text):
		return review.Errorf(review.EINVALID, "意见内容不是有效的文字。")
	case utf8.RuneCountInString(n.Text) > MaxTextRunes:
		return review.Errorf(review.EINVALID, "意见内容过长（最多 %d 字）。", MaxTextRunes)
	case utf8.RuneCountInString(n.Submitter) > 200:
		return review.Errorf(review.EINVALID, "提交者名称过长（最多 200 字）。")
	case n.ReceivedAt.IsZero():
		return review.Errorf(review.EINVALID, "未填写收到意见的时间。")
	}
	t, err := ParseSubmitterType(string(n.SubmitterType))
	if err != nil {
		return err
	}
	n.SubmitterType = t
	if n.Channel == "" {
		n.Channel = ChannelWebsite
	}
	c, err := ParseChannel(string(n.Channel))
	if err != nil {
		return err
	}
	n.Channel = c
	no, err := arts.Resolve(n.Article)
	if err != nil {
		return err
	}
	n.Article = no
	return nil
}

// Articles are the articles of the draft put out for comment, by number.
type Articles struct {
	labels map[string]string // number -> 第十二条
	order  []string
}

// ArticlesOf parses the draft's text with compare.Parse, the parser the
// comparison uses, so that comment articles and 对照表 rows agree on
// numbers.
func ArticlesOf(text string) *Articles {
	doc := compare.Parse(text)
	a := &Articles{labels: map[string]string{}}
	for i := range doc.Articles {
		art := &doc.Articles[i]
		no := art.No()
		if _, dup := a.labels[no]; dup {
			continue
		}
		a.labels[no] = art.Label
		a.order = append(a.order, no)
	}
	return a
}

// Numbers lists the article numbers in reading order.
func (a *Articles) Numbers() []string { return append([]string(nil), a.order...) }

// Label returns the article's label as written (第十二条), or "" when the
// draft has no such article.
func (a *Articles) Label(no string) string { return a.labels[no] }

// Resolve turns a reference into an article number: "12", "１２", "第12条",
// "第十二条", "十二", "10-1", "第十条之一". Empty means the draft as a whole.
// A number the draft does not have is refused with the range it does have.
func (a *Articles) Resolve(ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" || ref == "总体" || ref == "整体" || ref == "全文" {
		return "", nil
	}
	s := strings.TrimPrefix(ref, "第")
	main, sub, hasSub := strings.Cut(s, "之")
	if !hasSub {
		main, sub, hasSub = strings.Cut(s, "-")
	}
	main = strings.TrimSuffix(main, "条")
	n, ok := compare.ParseNumeral(main)
	no := ""
	if ok && n > 0 {
		no = strconv.Itoa(n)
		if hasSub {
			m, ok2 := compare.ParseNumeral(strings.TrimSuffix(sub, "条"))
			if !ok2 || m <= 0 {
				ok = false
			}
			no += "-" + strconv.Itoa(m)
		}
	}
	if !ok || no == "" {
		return "", review.Errorf(review.EINVALID, "条款“%s”无法识别，请写作“12”或“第十二条”。", ref)
	}
	if _, found := a.labels[no]; !found {
		if len(a.order) == 0 {
			return "", review.Errorf(review.EINVALID, "征求意见稿没有分条，不能指明条款“%s”；请留空。", ref)
		}
		return "", review.Errorf(review.EINVALID, "征求意见稿没有“%s”（共有第%s条至第%s条）。", ref, a.order[0], a.order[len(a.order)-1])
	}
	return no, nil
}
