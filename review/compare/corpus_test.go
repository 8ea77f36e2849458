package compare

import (
	"strings"
	"testing"

	"qianfa/internal/testcorpus"
)

// lawPair names the two versions of a corpus law and the article counts read
// off the files (grep -c '^第…条 ').
type lawPair struct {
	name           string
	old, new       string
	oldArt, newArt int
}

var lawPairs = []lawPair{
	{"保守国家秘密法", "laws/保守国家秘密法-2010-04-29.txt", "laws/保守国家秘密法-2024-02-27.txt", 53, 65},
	{"公司法", "laws/公司法-2018-10-26.txt", "laws/公司法-2023-12-29.txt", 218, 266},
	{"突发事件应对法", "laws/突发事件应对法-2007-08-30.txt", "laws/突发事件应对法-2024-06-28.txt", 70, 106},
	{"立法法", "laws/立法法-2015-03-15.txt", "laws/立法法-2023-03-13.txt", 105, 120},
	{"统计法", "laws/统计法-2009-06-27.txt", "laws/统计法-2024-09-13.txt", 50, 53},
}

func compareLaw(t testing.TB, lp lawPair, opt Options) (*Result, string, string) {
	t.Helper()
	testcorpus.Laws(t) // skips when the corpus is absent
	o, n := string(testcorpus.Read(t, lp.old)), string(testcorpus.Read(t, lp.new))
	r, err := Compare(o, n, opt)
	if err != nil {
		t.Fatalf("%s: %v", lp.name, err)
	}
	return r, o, n
}

func TestCompare_CorpusEveryArticleInExactlyOneRow(t *testing.T) {
	for _, lp := range lawPairs {
		t.Run(lp.name, func(t *testing.T) {
			r, _, _ := compareLaw(t, lp, Options{})
			if len(r.Old.Articles) != lp.oldArt || len(r.New.Articles) != lp.newArt {
				t.Fatalf("parsed %d→%d articles, the files have %d→%d", len(r.Old.Articles), len(r.New.Articles), lp.oldArt, lp.newArt)
			}
			seenOld := map[*Article]int{}
			seenNew := map[*Article]int{}
			total := 0
			for _, row := range r.Rows {
				total++
				for _, a := range row.OldArticles {
					seenOld[a]++
				}
				for _, a := range row.NewArticles {
					seenNew[a]++
				}
				checkRowShape(t, row)
			}
			for i := range r.Old.Articles {
				if c := seenOld[&r.Old.Articles[i]]; c != 1 {
					t.Errorf("old %s appears in %d rows", r.Old.Articles[i].Label, c)
				}
			}
			for i := range r.New.Articles {
				if c := seenNew[&r.New.Articles[i]]; c != 1 {
					t.Errorf("new %s appears in %d rows", r.New.Articles[i].Label, c)
				}
			}
			sum := 0
			for _, l := range Labels {
				sum += r.Summary[l]
			}
			if sum != total {
				t.Errorf("summary counts %d rows, table has %d", sum, total)
			}
			if r.Coarse {
				t.Errorf("coarse result on a law pair")
			}
			t.Logf("%s %d→%d 条: %s", lp.name, lp.oldArt, lp.newArt, r.Summary)
		})
	}
}

// checkRowShape asserts what each label promises about a row.
func checkRowShape(t *testing.T, row Row) {
	t.Helper()
	no, nn := len(row.OldArticles), len(row.NewArticles)
	bodiesEqual := no == 1 && nn == 1 && row.OldArticles[0].Body == row.NewArticles[0].Body
	ok := true
	switch row.Label {
	case Unchanged:
		ok = bodiesEqual && row.OldNo == row.NewNo && !row.Changed
	case Renumbered:
		ok = bodiesEqual && row.OldNo != row.NewNo
	case Modified:
		ok = no == 1 && nn == 1 && !bodiesEqual
	case Moved:
		ok = no == 1 && nn == 1
	case Added:
		ok = no == 0 && nn == 1 && row.OldNo == ""
	case Deleted:
		ok = no == 1 && nn == 0 && row.NewNo == ""
	case Split:
		ok = no == 1 && nn >= 2 && strings.Contains(row.NewNo, ";")
	case Merged:
		ok = no >= 2 && nn == 1 && strings.Contains(row.OldNo, ";")
	default:
		ok = false
	}
	if !ok {
		t.Errorf("row %s→%s labelled %s does not fit the label (%d old, %d new articles)", row.OldNo, row.NewNo, row.Label, no, nn)
	}
}

// findRow returns the row with the given numbers, failing the test if none.
func findRow(t *testing.T, r *Result, oldNo, newNo string) Row {
	t.Helper()
	for _, row := range r.Rows {
		if row.OldNo == oldNo && row.NewNo == newNo {
			return row
		}
	}
	for _, row := range r.Rows {
		if row.OldNo == oldNo || (newNo != "" && row.NewNo == newNo) {
			t.Fatalf("want a row %q→%q, found %q→%q (%s)", oldNo, newNo, row.OldNo, row.NewNo, row.Label)
		}
	}
	t.Fatalf("no row %q→%q", oldNo, newNo)
	return Row{}
}

// Spot checks, each verified by reading both texts.
func TestCompare_CorpusSpotChecks(t *testing.T) {
	byName := map[string]lawPair{}
	for _, lp := range lawPairs {
		byName[lp.name] = lp
	}
	tests := []struct {
		law, why     string
		oldNo, newNo string
		label        Label
	}{
		{"立法法", "2015 第一条 and 2023 第一条 are identical", "1", "1", Unchanged},
		{"立法法", "2015 第十条 (授权决定应当明确…) is 2023 第十三条 word for word, pushed down by new articles", "10", "13", Renumbered},
		{"立法法", "2015 第十三条 (授权…暂时调整) became 2023 第十六条 with 行政管理等领域的 and 一定期限内在部分地方 reworded", "13", "16", Modified},
		{"立法法", "2015 第十七条 gained 并可以适时组织代表研读讨论，征求代表的意见 as 2023 第二十条", "17", "20", Modified},
		{"统计法", "2009 第四条 and 2024 第四条 are identical", "4", "4", Unchanged},
		{"公司法", "2018 第十条 (公司以其主要办事机构所在地为住所) is 2023 第八条", "10", "8", Renumbered},
		{"公司法", "2018 第六条 (设立登记, 登记为有限责任公司…, 查询) was split into 2023 第二十九条 and 第三十一条", "6", "29;31", Split},
		{"公司法", "2018 第一百三十三条 (新股决议事项) and 第一百三十五条 (作价方案) were merged into 2023 第一百五十一条", "133;135", "151", Merged},
		{"保守国家秘密法", "2010 第三条 (国家秘密受法律保护) is 2024 第五条, after the new 第三条 on Party leadership, while 2010 第四条 stays 第四条: it moved past its neighbour", "3", "5", Moved},
	}
	results := map[string]*Result{}
	for _, tt := range tests {
		t.Run(tt.law+"/"+tt.oldNo+"→"+tt.newNo, func(t *testing.T) {
			r := results[tt.law]
			if r == nil {
				r, _, _ = compareLaw(t, byName[tt.law], Options{})
				results[tt.law] = r
			}
			row := findRow(t, r, tt.oldNo, tt.newNo)
			if row.Label != tt.label {
				t.Errorf("%s: label %s, want %s", tt.why, row.Label, tt.label)
			}
		})
	}
}

func TestCompare_CorpusEditsReadAsPhrases(t *testing.T) {
	r, _, _ := compareLaw(t, lawPairs[3], Options{}) // 立法法
	row := findRow(t, r, "17", "20")
	var ins, del []string
	for _, s := range row.Inline {
		switch s.Op {
		case Insert:
			ins = append(ins, s.Text)
		case Delete:
			del = append(del, s.Text)
		}
	}
	// The label 第十七条 → 第二十条 and one inserted phrase; nothing scattered.
	want := "，并可以适时组织代表研读讨论，征求代表的意见"
	if len(ins) != 2 || ins[1] != want {
		t.Errorf("insertions %q, want the number and %q", ins, want)
	}
	if len(del) != 1 {
		t.Errorf("deletions %q, want only the old number", del)
	}
}

func TestCompare_CorpusPreamble(t *testing.T) {
	r, _, _ := compareLaw(t, lawPairs[1], Options{}) // 公司法
	p := r.Preamble
	if p == nil || p.Label != Modified {
		t.Fatalf("公司法 preamble: %+v, want 修改", p)
	}
	// 2023 adds the line on the second revision; the zero-width-space lines
	// of the 2023 file are layout and must not show up.
	if !strings.Contains(Redline(p.Inline), "{+\n2023年12月29日 第十四届全国人民代表大会常务委员会第七次会议第二次修订+}") {
		t.Errorf("preamble redline lacks the 2023 revision line:\n%s", Redline(p.Inline))
	}
	if !strings.Contains(Redline(p.Inline), "第十八次会议{+第一次+}修订") {
		t.Errorf("preamble redline lacks the 2005 line's added 第一次")
	}
	if strings.Contains(p.NewText, "\u200b") {
		t.Errorf("preamble keeps zero-width spaces")
	}
}

func TestCompare_CorpusSelfIsUnchanged(t *testing.T) {
	for _, lp := range lawPairs {
		t.Run(lp.name, func(t *testing.T) {
			testcorpus.Laws(t)
			n := string(testcorpus.Read(t, lp.new))
			r, err := Compare(n, n, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Summary[Unchanged] != lp.newArt || len(r.Summary) != 1 {
				t.Errorf("self comparison summary %s, want only 未修改 %d", r.Summary, lp.newArt)
			}
			if r.Preamble.Label != Unchanged {
				t.Errorf("preamble %s", r.Preamble.Label)
			}
		})
	}
}

func TestDiffText_CorpusApplyRebuildsNew(t *testing.T) {
	for _, lp := range lawPairs {
		t.Run(lp.name, func(t *testing.T) {
			testcorpus.Laws(t)
			o, n := string(testcorpus.Read(t, lp.old)), string(testcorpus.Read(t, lp.new))
			for _, opt := range []Options{{}, {IgnoreSpace: true, IgnoreWidth: true}} {
				d, err := DiffText(o, n, opt)
				if err != nil {
					t.Fatal(err)
				}
				got, err := Apply(o, d.Segments)
				if err != nil || got != n {
					t.Fatalf("options %+v: Apply(old) differs from new (err %v)", opt, err)
				}
				if d.Coarse {
					t.Errorf("coarse text diff")
				}
				checkLinePairs(t, d, o, n)
			}
		})
	}
}

// checkLinePairs asserts that the side-by-side lines give back both texts'
// lines in order.
func checkLinePairs(t *testing.T, d *TextDiff, o, n string) {
	t.Helper()
	var ol, nl []string
	for _, p := range d.Lines {
		if p.OldLine != 0 {
			ol = append(ol, joinSegs(p.Old))
		}
		if p.NewLine != 0 {
			nl = append(nl, joinSegs(p.New))
		}
	}
	if strings.Join(ol, "\n") != strings.TrimSuffix(o, "\n") || strings.Join(nl, "\n") != strings.TrimSuffix(n, "\n") {
		t.Errorf("side-by-side lines do not rebuild the texts")
	}
}

func joinSegs(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.Text)
	}
	return b.String()
}
