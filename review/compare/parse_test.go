package compare

import (
	"reflect"
	"testing"
)

const sampleLaw = "中华人民共和国示例法\n\n2020年1月1日 第十三届全国人民代表大会常务委员会第一次会议通过\n\n" +
	"第一章 总 则\n\n" +
	"第一条 为了示例，制定本法。\n\n" +
	"第二条　本法所称示例，是指：\n（一）甲；\n（二）乙。\n第二款的文字。\n\n" +
	"第十条规定的事项，不是新的一条。\n\n" +
	"第二章 细则\n第一节 一般规定\n" +
	"第十条 原第十条。\n" +
	"第十条之一 新插入的一条。\n" +
	"第一百零三条\t最后一条。\n"

func TestParse_Structure(t *testing.T) {
	doc := Parse(sampleLaw)
	wantPre := "中华人民共和国示例法\n2020年1月1日 第十三届全国人民代表大会常务委员会第一次会议通过"
	if doc.Preamble != wantPre {
		t.Errorf("preamble = %q, want %q", doc.Preamble, wantPre)
	}
	var nos []string
	for _, a := range doc.Articles {
		nos = append(nos, a.No())
	}
	if want := []string{"1", "2", "10", "10-1", "103"}; !reflect.DeepEqual(nos, want) {
		t.Fatalf("article numbers = %v, want %v", nos, want)
	}
	a2 := doc.Articles[1]
	if len(a2.Clauses) != 3 || len(a2.Clauses[0].Items) != 2 || a2.Clauses[0].Items[1] != "（二）乙。" {
		t.Errorf("第二条 clauses = %#v, want 3 款 with 2 项 in the first", a2.Clauses)
	}
	// A paragraph that starts by citing 第十条 stays inside 第二条.
	if a2.Clauses[2].Text != "第十条规定的事项，不是新的一条。" {
		t.Errorf("citing paragraph parsed as %q", a2.Clauses[2].Text)
	}
	if a2.Text != "第二条 本法所称示例，是指：\n（一）甲；\n（二）乙。\n第二款的文字。\n第十条规定的事项，不是新的一条。" {
		t.Errorf("第二条 text = %q", a2.Text)
	}
	if got := doc.Articles[3]; got.Label != "第十条之一" || got.Body != "新插入的一条。" {
		t.Errorf("之一 article = %q / %q", got.Label, got.Body)
	}
	if got := doc.Articles[2].Path; !reflect.DeepEqual(got, []string{"第二章 细则", "第一节 一般规定"}) {
		t.Errorf("path of 第十条 = %v", got)
	}
	if got := doc.Articles[0].Path; !reflect.DeepEqual(got, []string{"第一章 总 则"}) {
		t.Errorf("path of 第一条 = %v", got)
	}
	if len(doc.Headings) != 3 || doc.Headings[0].Title != "总 则" || doc.Headings[2].Level != LevelSection {
		t.Errorf("headings = %+v", doc.Headings)
	}
}

func TestParse_NoArticlesIsAllPreamble(t *testing.T) {
	doc := Parse("关于做好信息公开工作的通知\n\n各司局：\n请按第十条办理。")
	if len(doc.Articles) != 0 || doc.Preamble != "关于做好信息公开工作的通知\n各司局：\n请按第十条办理。" {
		t.Errorf("got %d articles, preamble %q", len(doc.Articles), doc.Preamble)
	}
}

func TestParse_ArticleStartNeedsSeparator(t *testing.T) {
	for _, line := range []string{"第十条规定", "第十条、第十一条", "第X条 不是", "第十一章 太长" + string(make([]rune, 0))} {
		if _, _, _, _, ok := parseArticleStart(line); ok {
			t.Errorf("%q taken as an article start", line)
		}
	}
	for _, line := range []string{"第十条 文字", "第十条　文字", "第十条\t文字", "第十条", "第10条 文字", "第十条之二 文字"} {
		if _, _, _, _, ok := parseArticleStart(line); !ok {
			t.Errorf("%q not taken as an article start", line)
		}
	}
}
