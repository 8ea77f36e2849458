package screen

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"qianfa/internal/testcorpus"
	"qianfa/review"
)

func TestCheckImportable_RefusesHeadMarkings(t *testing.T) {
	for _, head := range []string{
		"000123\n秘密★1年\n特急\n\n某某部文件\n",
		"机密★长期\n关于某事项的通知",
		"绝密★启用前\n",
		"  机密 ★ 10年\n",
		"\uFEFF绝密\n某某部文件",
		"密级：秘密\n标题",
		"密 级 ： 机密★5年",
		"密级:绝密\r\n",
		"份号 000001\n　　秘密★6个月\n",
	} {
		err := CheckImportable(head + "正文第一段。")
		if err == nil {
			t.Errorf("CheckImportable(%q) = nil, want refusal", head)
			continue
		}
		var e *review.Error
		if !errors.As(err, &e) || e.Code != review.EINVALID {
			t.Errorf("CheckImportable(%q): %v, want a review.Error EINVALID", head, err)
		}
		if msg := review.ErrorMessage(err); !strings.Contains(msg, "保守国家秘密法") || !strings.Contains(msg, "第三十一条") {
			t.Errorf("message does not cite the law: %s", msg)
		}
		fs := New(Config{}).Scan(head)
		if len(fs) == 0 || fs[0].Kind != KindClassification || fs[0].Ground != Art14 {
			t.Errorf("Scan(%q) = %q, want a classification marking first", head, kindsOf(fs))
		}
	}
}

func TestCheckImportable_AcceptsRunningText(t *testing.T) {
	for _, text := range []string{
		"关于国家秘密的通知\n国家秘密的密级分为绝密、机密、秘密三级。",
		"密级：非密\n正文",
		"密级：公开\n",
		"商业秘密保护规定\n本规定所称商业秘密……",
		"标题\n\n一\n二\n三\n四\n\n五\n秘密★1年\n", // the seventh non-blank line is below the head
		"绝密级国家秘密是最重要的国家秘密",
	} {
		if err := CheckImportable(text); err != nil {
			t.Errorf("CheckImportable(%q) = %v, want nil", text, err)
		}
	}
}

func TestScan_CorpusRaisesNoMarking(t *testing.T) {
	s := New(Config{})
	for _, name := range testcorpus.Laws(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			text := string(testcorpus.Read(t, name))
			if err := CheckImportable(text); err != nil {
				t.Errorf("CheckImportable: %v", err)
			}
			for _, f := range s.Scan(text) {
				if f.Kind == KindClassification || f.Kind == KindWorkSecret {
					t.Errorf("marking finding in a public law: %s %q at %d (%s)", f.Kind, f.Text, f.Start, f.Context)
				}
			}
		})
	}
}

func TestScan_WorkSecretMarkings(t *testing.T) {
	runDetect(t, New(Config{}), []detectCase{
		{"both on one line", "内部资料　注意保存\n正文", []string{"work_secret:内部资料", "work_secret:注意保存"}},
		{"with a period", "标题\n工作秘密★5年\n", []string{"work_secret:工作秘密"}},
		{"bracketed", "【内部资料】", []string{"work_secret:内部资料"}},
		{"spaced out", "内 部 资 料", []string{"work_secret:内 部 资 料"}},
		{"running text", "第六十四条 机关、单位对履行职能过程中产生的不属于国家秘密但泄露后会造成一定不利影响的事项，适用工作秘密管理办法采取必要的保护措施。", nil},
		{"running text in a long line", "请各单位" + strings.Repeat("认真", 100) + "注意保存", nil},
	})
}

func keywordScreener() *Screener {
	return New(Config{
		Kinds: []Kind{KindKeyword},
		Keywords: []KeywordList{
			{Name: "举报人", Ground: Art15, Terms: []string{"张三丰", "李四", "  王五  ", ""}},
			{Name: "内部项目", Ground: Art16, Terms: []string{"天河工程", "Project X", "ab"}},
			{Name: "无依据", Ground: 0, Terms: []string{"正文"}},
		},
		Allow: []string{"李四川路", "天河工程公开招标"},
	})
}

func TestScan_Keywords(t *testing.T) {
	runDetect(t, keywordScreener(), []detectCase{
		{"plain", "举报人张三丰称", []string{"keyword:张三丰"}},
		{"ASCII spaces", "举报人张 三 丰称", []string{"keyword:张 三 丰"}},
		{"full-width spaces", "由李　四提供", []string{"keyword:李　四"}},
		{"mixed spaces", "王 　五", []string{"keyword:王 　五"}},
		{"newline is not a space", "李\n四", nil},
		{"case and width folded", "ＰＲＯＪＥＣＴ　ｘ进展", []string{"keyword:ＰＲＯＪＥＣＴ　ｘ"}},
		{"ASCII word boundary", "cabin abc ab", []string{"keyword:ab"}},
		{"trimmed term", "王五", []string{"keyword:王五"}},
		{"list with an invalid ground is ignored", "正文", nil},
		{"allow-listed place", "住在李四川路", nil},
		{"allow-listed phrase hides the term inside it", "天河工程公开招标公告", nil},
		{"term outside the allowed phrase", "天河工程进度", []string{"keyword:天河工程"}},
		{"overlapping terms both found", "李四张三丰", []string{"keyword:李四", "keyword:张三丰"}},
	})
	fs := keywordScreener().Scan("张三丰与天河工程")
	if len(fs) != 2 || fs[0].Ground != Art15 || fs[0].List != "举报人" || fs[1].Ground != Art16 || fs[1].List != "内部项目" {
		t.Errorf("grounds and lists: %+v", fs)
	}
}

func TestScan_KeywordInsideLongerKeywordIsOneFinding(t *testing.T) {
	s := New(Config{Kinds: []Kind{KindKeyword}, Keywords: []KeywordList{
		{Name: "a", Ground: Art15, Terms: []string{"张三", "张三丰", "三丰"}},
		{Name: "b", Ground: Art16, Terms: []string{"张三丰"}},
	}})
	got := kindsOf(s.Scan("张三丰"))
	if !slices.Equal(got, []string{"keyword:张三丰"}) {
		t.Errorf("got %q", got)
	}
}

func TestScan_AllowListExactNumber(t *testing.T) {
	s := New(Config{Allow: []string{"010-12345678", "ｘｘｇｋ＠ｅｘａｍｐｌｅ．ｇｏｖ．ｃｎ"}})
	got := kindsOf(s.Scan("咨询电话：010-12345678，邮箱：xxgk@example.gov.cn，手机13800138000"))
	if !slices.Equal(got, []string{"mobile:13800138000"}) {
		t.Errorf("got %q, want only the mobile number", got)
	}
}

func TestMatcher_ManyTermsAgreeWithStringsIndex(t *testing.T) {
	terms := genTerms(2000, 7)
	text := strings.Join(terms[:50], "的") + "中华人民共和国"
	s := New(Config{Kinds: []Kind{KindKeyword}, Keywords: []KeywordList{{Name: "gen", Ground: Art14, Terms: terms}}})
	found := map[string]bool{}
	for _, f := range s.Scan(text) {
		found[f.Text] = true
	}
	for _, term := range terms {
		if strings.Contains(text, term) && !found[term] {
			// It may be inside a longer found term.
			inside := false
			for f := range found {
				inside = inside || strings.Contains(f, term)
			}
			if !inside {
				t.Errorf("term %q in text but not found", term)
			}
		}
	}
	for f := range found {
		if !slices.Contains(terms, f) {
			t.Errorf("found %q, not a term", f)
		}
	}
}

func TestFingerprint_SurvivesInsertionAbove(t *testing.T) {
	id := makeID("110101", "19900307", "123")
	rev1 := "一、情况\n申请人张某，身份证号" + id + "，联系电话13800138000。\n二、处理\n"
	rev2 := "前言：本文件已修改。\n\n" + strings.Replace(rev1, "一、情况", "一、基本情况（修订）", 1)
	s := New(Config{})
	a, b := s.Scan(rev1), s.Scan(rev2)
	if len(a) != 2 || len(b) != 2 {
		t.Fatalf("rev1 %q rev2 %q", kindsOf(a), kindsOf(b))
	}
	for i := range a {
		if a[i].Start == b[i].Start {
			t.Errorf("test is vacuous: %s did not move", a[i].Kind)
		}
		if a[i].Fingerprint != b[i].Fingerprint {
			t.Errorf("%s fingerprint changed across revisions: %s vs %s", a[i].Kind, a[i].Fingerprint, b[i].Fingerprint)
		}
	}
	if a[0].Fingerprint == a[1].Fingerprint {
		t.Error("different findings share a fingerprint")
	}
	// Same number, different role: different fingerprint.
	c := s.Scan("被申请人电话13800138000。")
	d := s.Scan("申请人手机13800138000，")
	if c[0].Fingerprint == d[0].Fingerprint {
		t.Error("the same number in a different context shares a fingerprint")
	}
	// Redacting the neighbour does not change the fingerprint.
	redacted := Redact(rev1, a[:1])
	e := s.Scan(redacted)
	if len(e) != 1 || e[0].Fingerprint != a[1].Fingerprint {
		t.Errorf("after redacting the ID number: %q", kindsOf(e))
	}
}

func TestRedact_ConfirmedTextsAreGoneAndCheckCleanAgrees(t *testing.T) {
	report := string(testcorpus.Read(t, "应急管理部-2019年政府信息公开工作年度报告.txt"))
	id := makeID("110101", "19900307", "123")
	card := makeLuhn("622202123456789")
	lines := strings.SplitAfter(report, "\n")
	// Plant personal data in the real report, one item twice and spaced.
	lines[3] += "申请人张三丰，身份证号" + id + "，手机13800138000，邮箱zsf@example.com。\n"
	lines[10] += "退款账号：" + card + "（中国银行），复核人李 四，复核人身份证" + id + "。\n"
	lines[15] += "再次致电１３８００１３８０００。\n"
	text := strings.Join(lines, "")
	s := New(Config{Keywords: []KeywordList{{Name: "人名", Ground: Art15, Terms: []string{"张三丰", "李四"}}}})
	fs := s.Scan(text)
	var confirmed []Finding
	dismissed := map[string]bool{}
	for _, f := range fs {
		if f.Kind == KindEmail {
			dismissed[f.Text] = true // the reviewer dismisses this one
			continue
		}
		confirmed = append(confirmed, f)
	}
	if len(confirmed) < 7 {
		t.Fatalf("too few findings to test redaction: %q", kindsOf(fs))
	}
	if err := CheckClean(text, confirmed); err == nil {
		t.Fatal("CheckClean passed before redaction")
	} else if msg := review.ErrorMessage(err); !strings.Contains(msg, "居民身份证号") || review.ErrorCode(err) != review.EINVALID {
		t.Errorf("CheckClean message: %s", msg)
	}
	out := Redact(text, confirmed)
	if got, want := len([]rune(out)), len([]rune(text)); got != want {
		t.Errorf("redaction changed the length: %d code points, want %d", got, want)
	}
	for _, f := range confirmed {
		if strings.Contains(out, f.Text) {
			t.Errorf("redacted text still contains %q", f.Text)
		}
		if got := string([]rune(out)[f.Start:f.End]); got != strings.Repeat("■", f.End-f.Start) {
			t.Errorf("%s at [%d,%d) became %q", f.Kind, f.Start, f.End, got)
		}
	}
	for d := range dismissed {
		if !strings.Contains(out, d) {
			t.Errorf("dismissed %q was redacted", d)
		}
	}
	if err := CheckClean(out, confirmed); err != nil {
		t.Errorf("CheckClean after Redact: %v", err)
	}
	if !strings.Contains(out, "应急管理部") {
		t.Error("redaction destroyed the rest of the text")
	}
}

func TestCheckClean_SeesThroughSpacesAndWidth(t *testing.T) {
	confirmed := []Finding{{Kind: KindMobile, Text: "13800138000"}, {Kind: KindKeyword, Text: "张三丰"}}
	for _, text := range []string{
		"电话 1 3 8 0 0 1 3 8 0 0 0",
		"电话１３８００１３８０００",
		"张　三　丰",
	} {
		if err := CheckClean(text, confirmed); err == nil {
			t.Errorf("CheckClean(%q) = nil", text)
		}
		if err := CheckClean(Redact(text, confirmed), confirmed); err != nil {
			t.Errorf("after Redact(%q): %v", text, err)
		}
	}
	if err := CheckClean("没有敏感内容", confirmed); err != nil {
		t.Errorf("clean text: %v", err)
	}
	if err := CheckClean("anything", nil); err != nil {
		t.Errorf("no confirmed findings: %v", err)
	}
}

func TestRedact_StaleOffsetsStillRedactByText(t *testing.T) {
	f := Finding{Kind: KindMobile, Start: 0, End: 11, Text: "13800138000"}
	got := Redact("新增一段。手机13800138000", []Finding{f})
	if got != "新增一段。手机■■■■■■■■■■■" {
		t.Errorf("got %q", got)
	}
}

func TestParseKeywordList(t *testing.T) {
	l, err := ParseKeywordList("人名", Art15, strings.NewReader("\uFEFF张三\n\n# 注释\n  李四 \r\n　王五　\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(l.Terms, []string{"张三", "李四", "王五"}) || l.Ground != Art15 {
		t.Errorf("got %+v", l)
	}
	if _, err := ParseKeywordList("x", 13, strings.NewReader("a")); review.ErrorCode(err) != review.EINVALID {
		t.Errorf("invalid ground: %v", err)
	}
	if _, err := ParseKeywordList("x", Art14, strings.NewReader("\xff\xfe")); review.ErrorCode(err) != review.EINVALID {
		t.Errorf("not UTF-8: %v", err)
	}
}

func TestGroundsAndKinds(t *testing.T) {
	for _, k := range Kinds() {
		if k.Label() == string(k) {
			t.Errorf("%s has no Chinese label", k)
		}
	}
	for _, s := range []string{"14", "第十五条", "条例第十六条", "art14"} {
		if g, ok := ParseGround(s); !ok || !g.Valid() || !strings.Contains(g.Label(), g.String()[len("条例"):]) {
			t.Errorf("ParseGround(%q) = %v, %v", s, g, ok)
		}
	}
	if _, ok := ParseGround("第十七条"); ok {
		t.Error("第十七条 accepted")
	}
}

func TestScreener_ConcurrentUse(t *testing.T) {
	s := keywordScreener()
	text := "张三丰与天河工程，手机13800138000"
	want := kindsOf(s.Scan(text))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				if got := kindsOf(s.Scan(text)); !slices.Equal(got, want) {
					t.Errorf("concurrent scan: %q", got)
					return
				}
			}
		})
	}
	wg.Wait()
}

// readCorpus returns every text of the corpus joined, for benchmarks.
func readCorpus(tb testing.TB) string {
	var b strings.Builder
	for _, n := range testcorpus.Laws(tb) {
		b.Write(testcorpus.Read(tb, n))
	}
	b.Write(testcorpus.Read(tb, "应急管理部-2019年政府信息公开工作年度报告.txt"))
	return b.String()
}
