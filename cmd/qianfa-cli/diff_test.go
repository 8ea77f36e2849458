package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"qianfa/internal/testcorpus"
	"qianfa/review/compare"
	"qianfa/storage"
)

// diffLaws are the corpus's five laws, old and new version.
var diffLaws = []struct{ name, old, new string }{
	{"保守国家秘密法", "保守国家秘密法-2010-04-29.txt", "保守国家秘密法-2024-02-27.txt"},
	{"公司法", "公司法-2018-10-26.txt", "公司法-2023-12-29.txt"},
	{"突发事件应对法", "突发事件应对法-2007-08-30.txt", "突发事件应对法-2024-06-28.txt"},
	{"立法法", "立法法-2015-03-15.txt", "立法法-2023-03-13.txt"},
	{"统计法", "统计法-2009-06-27.txt", "统计法-2024-09-13.txt"},
}

// jsonRow and jsonSeg read the JSON output as a script would: by field name,
// ops as the strings "equal", "delete", "insert".
type jsonRow struct {
	Label   compare.Label `json:"label"`
	OldNo   string        `json:"old_no"`
	NewNo   string        `json:"new_no"`
	OldText string        `json:"old_text"`
	NewText string        `json:"new_text"`
	Old     []jsonSeg     `json:"old_segments"`
	New     []jsonSeg     `json:"new_segments"`
	Changed bool          `json:"changed"`
}

type jsonSeg struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

func lawPath(tb testing.TB, name string) string {
	return filepath.Join(testcorpus.Need(tb), "laws", name)
}

// readCSV parses a CSV output and checks its header is exactly the contract.
func readCSV(t *testing.T, out string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v", err)
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != "old_no,new_no,label,old_text,new_text" {
		t.Fatalf("header %q", recs[0])
	}
	return recs[1:]
}

func TestDiff_TableCSVEveryArticleInExactlyOneRow(t *testing.T) {
	labels := map[string]bool{}
	for _, l := range compare.Labels {
		labels[string(l)] = true
	}
	for _, law := range diffLaws {
		t.Run(law.name, func(t *testing.T) {
			oldPath, newPath := lawPath(t, law.old), lawPath(t, law.new)
			r := runCLI(t, filepath.Join(t.TempDir(), "ws.db"), "", "diff", "--table", "--format", "csv", oldPath, newPath)
			if r.code != 0 {
				t.Fatalf("diff: %+v", r.stderr)
			}
			rows := readCSV(t, r.stdout)
			seenOld, seenNew := map[string]int{}, map[string]int{}
			for i, rec := range rows {
				if len(rec) != 5 {
					t.Fatalf("row %d has %d fields", i, len(rec))
				}
				if !labels[rec[2]] {
					t.Errorf("row %d: label %q is not one of the eight", i, rec[2])
				}
				if rec[0] == "" && rec[1] == "" {
					if i != 0 {
						t.Errorf("row %d has no article numbers; only the preamble (first row) may", i)
					}
					continue
				}
				for _, no := range splitNos(rec[0]) {
					seenOld[no]++
				}
				for _, no := range splitNos(rec[1]) {
					seenNew[no]++
				}
			}
			check := func(side, file string, seen map[string]int) {
				doc := compare.Parse(string(testcorpus.Read(t, filepath.Join("laws", file))))
				want := map[string]bool{}
				for i := range doc.Articles {
					no := doc.Articles[i].No()
					want[no] = true
					if seen[no] != 1 {
						t.Errorf("%s article %s appears in %d rows", side, no, seen[no])
					}
				}
				for no := range seen {
					if !want[no] {
						t.Errorf("%s number %q is not an article of the file", side, no)
					}
				}
			}
			check("old", law.old, seenOld)
			check("new", law.new, seenNew)
		})
	}
}

// splitNos reads a number cell: empty, "12", "10-1" or a group "29;30".
func splitNos(cell string) []string {
	if cell == "" {
		return nil
	}
	return strings.Split(cell, ";")
}

// TestDiff_统计法Table checks rows verified by reading both texts: 统计法
// 2024 puts a new first paragraph (统计工作坚持中国共产党的领导) at the head of
// 第三条, rewords 第一条 (加强统计监督), keeps 第二条 and 第四条 word for word,
// and adds a new 第六条 on the 统计监督体系.
func TestDiff_统计法Table(t *testing.T) {
	oldPath, newPath := lawPath(t, "统计法-2009-06-27.txt"), lawPath(t, "统计法-2024-09-13.txt")
	r := runCLI(t, filepath.Join(t.TempDir(), "ws.db"), "", "diff", "--table", "--format", "json", oldPath, newPath)
	if r.code != 0 {
		t.Fatalf("diff: %s", r.stderr)
	}
	var out struct {
		Rows    []jsonRow      `json:"rows"`
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Summary) != len(compare.Labels) {
		t.Errorf("summary has %d labels, want all %d: %v", len(out.Summary), len(compare.Labels), out.Summary)
	}
	total := 0
	for _, n := range out.Summary {
		total += n
	}
	if total != len(out.Rows) {
		t.Errorf("summary counts %d rows, the table has %d", total, len(out.Rows))
	}
	byNew := map[string]jsonRow{}
	for _, row := range out.Rows {
		byNew[row.NewNo] = row
	}
	inserted := func(row jsonRow) string {
		var b strings.Builder
		for _, s := range row.New {
			if s.Op == "insert" {
				b.WriteString(s.Text)
			}
		}
		return b.String()
	}
	tests := []struct {
		newNo, oldNo string
		label        compare.Label
		insert       string // all inserted text of the row, when checked
	}{
		{"1", "1", compare.Modified, "加强统计监督，高质量推动全面建设国家"},
		{"2", "2", compare.Unchanged, ""},
		{"3", "3", compare.Modified, "统计工作坚持中国共产党的领导。\n"},
		{"4", "4", compare.Unchanged, ""},
		{"6", "", compare.Added, ""},
	}
	for _, tc := range tests {
		row := byNew[tc.newNo]
		if row.OldNo != tc.oldNo || row.Label != tc.label {
			t.Errorf("new 第%s条: old %q, %s; want old %q, %s", tc.newNo, row.OldNo, row.Label, tc.oldNo, tc.label)
		}
		if tc.insert != "" && inserted(row) != tc.insert {
			t.Errorf("new 第%s条 inserts %q, want %q", tc.newNo, inserted(row), tc.insert)
		}
	}
	if row := byNew["6"]; !strings.Contains(row.NewText, "统计监督体系") {
		t.Errorf("new 第六条: %q", row.NewText)
	}

	// --hide-unchanged leaves the 未修改 rows out but keeps counting them.
	r = runCLI(t, filepath.Join(t.TempDir(), "ws.db"), "", "diff", "--table", "--hide-unchanged", "--format", "json", oldPath, newPath)
	var hidden struct {
		Rows    []jsonRow      `json:"rows"`
		Summary map[string]int `json:"summary"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &hidden); err != nil || r.code != 0 {
		t.Fatalf("%v %s", err, r.stderr)
	}
	for _, row := range hidden.Rows {
		if row.Label == compare.Unchanged {
			t.Fatalf("--hide-unchanged kept %+v", row)
		}
	}
	if hidden.Summary["未修改"] != out.Summary["未修改"] || len(hidden.Rows) != len(out.Rows)-out.Summary["未修改"] {
		t.Errorf("hidden: %d rows, summary %v; full: %d rows, summary %v", len(hidden.Rows), hidden.Summary, len(out.Rows), out.Summary)
	}
}

// TestDiff_WholeTextRedlineRebuildsBoth checks the default output: the
// redline's kept and deleted parts are the old text, its kept and inserted
// parts the new one.
func TestDiff_WholeTextRedlineRebuildsBoth(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "旧.txt", "第一条 为了规范举报奖励，制定本办法。\n第二条 奖励标准为三千元。\n")
	b := writeFile(t, dir, "新.md", "第一条 为了规范举报奖励工作，制定本办法。\n第二条 奖励标准为五千元。\n")
	r := runCLI(t, filepath.Join(dir, "ws.db"), "", "diff", a, b)
	if r.code != 0 {
		t.Fatalf("%+v", r)
	}
	want := "第一条 为了规范举报奖励{+工作+}，制定本办法。\n第二条 奖励标准为[-三-]{+五+}千元。\n"
	if r.stdout != want {
		t.Errorf("redline\n got %q\nwant %q", r.stdout, want)
	}

	r = runCLI(t, filepath.Join(dir, "ws.db"), "", "diff", "--hide-unchanged", a, b)
	if r.code != 0 || !strings.Contains(r.stdout, "@@ 旧 第 2 行 / 新 第 2 行\n第二条 奖励标准为[-三-]{+五+}千元。") {
		t.Errorf("--hide-unchanged: %+v", r)
	}

	r = runCLI(t, filepath.Join(dir, "ws.db"), "", "diff", "--format", "json", a, b)
	var d struct {
		Segments []jsonSeg `json:"segments"`
		Lines    []struct {
			Old     []jsonSeg `json:"old"`
			New     []jsonSeg `json:"new"`
			Changed bool      `json:"changed"`
		} `json:"lines"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil || r.code != 0 {
		t.Fatalf("json: %v %+v", err, r)
	}
	if len(d.Lines) != 2 || !d.Lines[0].Changed || len(d.Segments) == 0 || d.Lines[1].Old[1] != (jsonSeg{"delete", "三"}) {
		t.Errorf("json lines: %+v", d.Lines)
	}

	r = runCLI(t, filepath.Join(dir, "ws.db"), "", "diff", "--format", "html", "--ignore-space", "--ignore-width", a, b)
	if r.code != 0 || !strings.Contains(r.stdout, "<del>三</del>") || !strings.Contains(r.stdout, "<ins>五</ins>") {
		t.Errorf("html: %+v", r)
	}
}

// TestDiff_IgnoreWidth: full-width digits against half-width ones are a
// difference by default and none with --ignore-width.
func TestDiff_IgnoreWidth(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.txt", "第一条 期限为３０日。\n")
	b := writeFile(t, dir, "b.txt", "第一条 期限为30日。\n")
	db := filepath.Join(dir, "ws.db")
	if r := runCLI(t, db, "", "diff", "--table", "--format", "csv", a, b); r.code != 0 || readCSV(t, r.stdout)[0][2] != "修改" {
		t.Errorf("plain: %+v", r)
	}
	if r := runCLI(t, db, "", "diff", "--table", "--format", "csv", "--ignore-width", a, b); r.code != 0 || readCSV(t, r.stdout)[0][2] == "修改" {
		t.Errorf("--ignore-width: %+v", r)
	}
}

// TestDiff_WorkspaceRevisions imports a file, revises it through the store
// and compares 1@1 with 1@2, and with "1" (the current revision).
func TestDiff_WorkspaceRevisions(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	f := writeFile(t, dir, "办法.txt", "举报奖励办法\n第一条 为了鼓励举报，制定本办法。\n第二条 奖励标准为三千元。\n")
	if r := runCLI(t, db, "", "import", f); r.code != 0 || strings.TrimSpace(r.stdout) != "1" {
		t.Fatalf("import: %+v", r)
	}
	ws, err := storage.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rev, err := ws.Revision(ctx, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	revised := strings.Replace(rev.Text, "三千元", "五千元", 1) + "第三条 本办法自发布之日起施行。\n"
	if _, err := ws.ReviseDocument(ctx, 1, rev.Meta, revised, "clerk", "提高奖励标准"); err != nil {
		t.Fatal(err)
	}
	ws.Close()

	for _, newer := range []string{"1@2", "1"} {
		r := runCLI(t, db, "", "diff", "--table", "--format", "csv", "1@1", newer)
		if r.code != 0 {
			t.Fatalf("diff 1@1 %s: %+v", newer, r)
		}
		got := map[string]string{}
		for _, rec := range readCSV(t, r.stdout) {
			got[rec[0]+">"+rec[1]] = rec[2]
		}
		want := map[string]string{">": "未修改", "1>1": "未修改", "2>2": "修改", ">3": "新增"}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("diff 1@1 %s: row %s is %q, want %q (all %v)", newer, k, got[k], v, got)
			}
		}
	}
	// A file against a revision works too.
	if r := runCLI(t, db, "", "diff", f, "1@2"); r.code != 0 || !strings.Contains(r.stdout, "[-三-]{+五+}") {
		t.Errorf("file vs revision: %+v", r)
	}
}

func TestDiff_BadInput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ws.db")
	a := writeFile(t, dir, "a.txt", "第一条 甲。\n")
	if r := runCLI(t, db, "", "init"); r.code != 0 {
		t.Fatal(r)
	}
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"one argument", []string{"diff", a}, 2, "请给出两个比较对象"},
		{"three arguments", []string{"diff", a, a, a}, 2, "请给出两个比较对象"},
		{"unknown format", []string{"diff", "--format", "xml", a, a}, 2, "不支持的输出格式“xml”"},
		{"csv without table", []string{"diff", "--format", "csv", a, a}, 2, "csv 格式只用于修改对照表"},
		{"unknown flag", []string{"diff", "--colour", a, a}, 2, "用法错误"},
		{"missing file", []string{"diff", a, filepath.Join(dir, "无.txt")}, 1, "无.txt"},
		{"unsupported file", []string{"diff", a, writeFile(t, dir, "b.doc", "x")}, 1, "另存为 .docx"},
		{"missing document", []string{"diff", "9@1", a}, 1, "错误："},
		{"missing revision", []string{"diff", a, "1@7"}, 1, "错误："},
		{"revision zero", []string{"diff", "1@0", a}, 2, "版本号“0”无效"},
		{"document zero", []string{"diff", "0", a}, 2, "文件编号“0”无效"},
	}
	if r := runCLI(t, db, "", "import", a); r.code != 0 {
		t.Fatal(r)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, db, "", tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d with %q", r.code, r.stderr, tc.code, tc.msg)
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty on failure: %q", r.stdout)
			}
		})
	}
	if r := runCLI(t, db, "", "diff", a, "1@7"); !strings.Contains(r.stderr, "没有第 7 版") {
		t.Errorf("missing revision message: %q", r.stderr)
	}
}
