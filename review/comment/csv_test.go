package comment_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/comment"
)

const draftText = `某部举报奖励办法（征求意见稿）

第一条 为了鼓励举报违法行为，制定本办法。
第二条 举报人可以通过网站、电话、信函举报。
第三条 举报受理后应当在十五个工作日内答复。
第四条 奖励标准由财务部门另行制定。
第五条 本办法自发布之日起施行。
`

const exportCSV = "序号,提交者类型,提交者,提交时间,条款,意见内容\r\n" +
	"1,个人,张三,2025-03-02 10:15:00,第三条,建议把答复时限缩短为十个工作日。\r\n" +
	"2,企业,某某科技有限公司,2025/3/5 9:00,4,建议明确奖励标准的上限。\r\n" +
	"3,个人,,2025-03-06,,\r\n" + // no text
	"4,外星人,,2025-03-06 12:00,3,请说明举报渠道。\r\n" + // unknown type
	"5,个人,李四,三月六日,3,时间写错了。\r\n" + // bad time
	"6,行业协会,某协会,2025-03-07 08:00,第九条,建议增加条款。\r\n" + // no such article
	"7,个人,王五,2025-03-08 18:30,\"第二条\",\"多行意见：\n第一，增加微信渠道；\n第二，公布受理电话。\"\r\n" +
	"\r\n" +
	"8,,,2025-04-01 09:00,,逾期收到的意见，同样建议缩短时限。\r\n"

func TestTable_ImportKeepsGoodRowsAndReportsBadOnesByLine(t *testing.T) {
	tests := []struct {
		name     string
		data     []byte
		encoding string
	}{
		{"UTF-8", []byte(exportCSV), "UTF-8"},
		{"UTF-8 with BOM as Excel saves it", append([]byte{0xEF, 0xBB, 0xBF}, exportCSV...), "UTF-8"},
		{"GBK as the old export writes it", gbk(t, exportCSV), "GB18030"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := comment.ReadTable(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if tab.Encoding != tt.encoding {
				t.Errorf("encoding = %s, want %s", tab.Encoding, tt.encoding)
			}
			m, err := comment.ParseMapping("text=意见内容,type=提交者类型,time=提交时间,article=条款,name=提交者")
			if err != nil {
				t.Fatal(err)
			}
			imp, err := tab.Comments(m, comment.ArticlesOf(draftText), "意见.csv", comment.ChannelWebsite)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range imp.Comments {
				got = append(got, string(c.SubmitterType)+"/"+c.Article+"/"+c.Submitter)
			}
			want := []string{"个人/3/张三", "企业/4/某某科技有限公司", "个人/2/王五", "其他//"}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("imported %v, want %v", got, want)
			}
			if c := imp.Comments[2]; !strings.Contains(c.Text, "第二，公布受理电话") || c.Line != 8 || c.Source != "意见.csv 第 8 行" {
				t.Errorf("multi-line comment %+v", c)
			}
			if at := imp.Comments[1].ReceivedAt; !at.Equal(time.Date(2025, 3, 5, 9, 0, 0, 0, calendar.Location())) {
				t.Errorf("slash time read as %v", at)
			}
			wantBad := map[int]string{4: "意见内容为空", 5: "提交者类型“外星人”无效", 6: "提交时间“三月六日”无法识别", 7: "没有“第九条”"}
			if len(imp.Bad) != len(wantBad) {
				t.Fatalf("bad rows %+v", imp.Bad)
			}
			for _, b := range imp.Bad {
				if !strings.Contains(b.Reason, wantBad[b.Line]) {
					t.Errorf("line %d: %q, want %q", b.Line, b.Reason, wantBad[b.Line])
				}
			}
		})
	}
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTable_MappingErrorsImportNothing(t *testing.T) {
	tab, err := comment.ReadTable([]byte(exportCSV))
	if err != nil {
		t.Fatal(err)
	}
	arts := comment.ArticlesOf(draftText)
	tests := []struct {
		name, mapping, want string
	}{
		{"text column missing from the file", "text=内容,time=提交时间", "没有名为“内容”的列"},
		{"time not mapped", "text=意见内容", "请指定“提交时间”所在的列"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := comment.ParseMapping(tt.mapping)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tab.Comments(m, arts, "x.csv", ""); err == nil || !strings.Contains(review.ErrorMessage(err), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := comment.ParseMapping("colour=意见内容"); review.ErrorCode(err) != review.EINVALID {
		t.Fatalf("unknown field accepted: %v", err)
	}
}

func TestGuessMapping_FromTheWebsiteHeaders(t *testing.T) {
	m := comment.GuessMapping([]string{"序号", "提交者类型", "提交者", "提交时间", "条款", "意见内容"})
	want := "text=意见内容,time=提交时间,type=提交者类型,name=提交者,article=条款"
	if m.String() != want {
		t.Fatalf("guess = %s, want %s", m, want)
	}
}

func TestReadTable_RefusesTextItCannotDecode(t *testing.T) {
	if _, err := comment.ReadTable([]byte{0xff, 0xfe, 0x00, 0x80, 0x81}); review.ErrorCode(err) != review.EINVALID {
		t.Fatalf("binary accepted: %v", err)
	}
	if _, err := comment.ReadTable(nil); review.ErrorCode(err) != review.EINVALID {
		t.Fatalf("empty file accepted: %v", err)
	}
}

func TestArticles_ResolveReferences(t *testing.T) {
	arts := comment.ArticlesOf(draftText)
	tests := []struct{ ref, want, err string }{
		{"3", "3", ""}, {"第三条", "3", ""}, {"第3条", "3", ""}, {"三", "3", ""}, {"３", "3", ""},
		{"", "", ""}, {"全文", "", ""},
		{"第九条", "", "共有第1条至第5条"}, {"abc", "", "无法识别"},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			got, err := arts.Resolve(tt.ref)
			if tt.err != "" {
				if err == nil || !strings.Contains(review.ErrorMessage(err), tt.err) {
					t.Fatalf("Resolve(%q) error = %v, want %q", tt.ref, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Resolve(%q) = %q, %v; want %q", tt.ref, got, err, tt.want)
			}
		})
	}
}

// A comment that opens with a quote it never closes must not swallow the
// rows after it: that row is reported, the rows after it are imported, and
// a stray quote inside an unquoted cell is just a character.
func TestTable_UnbalancedQuoteLosesOnlyItsOwnRow(t *testing.T) {
	data := "提交时间,意见内容\n" +
		"2025-03-02 10:00,\"建议删除第三条\n" + // opening quote never closed
		"2025-03-03 10:00,建议缩短答复时限。\n" +
		"2025-03-04 10:00,我认为\"第四条\"应当修改。\n" + // bare quotes inside the cell
		"2025-03-05 10:00,\"引号\"后面还有字\n" + // closed quote followed by text
		"2025-03-06 10:00,\"多行意见：\n第一，增加微信渠道。\"\n"
	tab, err := comment.ReadTable([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	imp, err := tab.Comments(comment.Mapping{comment.FieldText: "意见内容", comment.FieldTime: "提交时间"}, comment.ArticlesOf(draftText), "意见.csv", "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range imp.Comments {
		got = append(got, fmt.Sprintf("%d:%s", c.Line, c.Text))
	}
	want := []string{"3:建议缩短答复时限。", "4:我认为\"第四条\"应当修改。", "6:多行意见：\n第一，增加微信渠道。"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("imported %q\nwant %q", got, want)
	}
	if len(imp.Bad) != 2 || imp.Bad[0].Line != 2 || imp.Bad[1].Line != 5 || !strings.Contains(imp.Bad[0].Reason, "引号不配对") {
		t.Errorf("bad rows %+v, want lines 2 and 5 with 引号不配对", imp.Bad)
	}
}
