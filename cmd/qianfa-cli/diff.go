package main

import (
	"bufio"
	"flag"
	"fmt"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"qianfa/review"
	"qianfa/review/compare"
	"qianfa/review/docimport"
)

func init() {
	register(&command{
		name:    "diff",
		usage:   "OLD NEW [--table] [--format text|html|csv|json] [--ignore-space] [--ignore-width] [--hide-unchanged]",
		summary: "比较两个版本（文件，或工作区中的“编号@版本”）；--table 输出修改对照表",
		run:     runDiff,
	})
}

// revRef matches a workspace reference: "12" (the current revision) or
// "12@3". Files are never taken for references: docimport only reads names
// with an extension (.txt, .md, .docx), which the pattern cannot match.
var revRef = regexp.MustCompile(`^([0-9]+)(?:@([0-9]+))?$`)

// runDiff compares two texts. Without --table it is the whole-text diff
// (text: the redline [-删-]{+增+}; html: side by side; json: segments and
// line pairs). With --table it is the 修改对照表 (text, html, csv or json).
//
// A 拆分 or 合并 stays one CSV record whose group side lists its article
// numbers joined by ";" ("29;30"), as the engine writes it. Splitting a
// group into one record per pair would repeat the single article of the
// other side in several records and break the contract that every article
// appears in exactly one row; the numbers in each cell are still Arabic
// integers ("10-1" for 第十条之一).
func runDiff(c *cli, args []string) error {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	table := fs.Bool("table", false, "输出修改对照表（按条对照），而非全文比较")
	format := fs.String("format", compare.FormatText, "输出格式：text、html、csv（仅对照表）、json")
	ignoreSpace := fs.Bool("ignore-space", false, "忽略空白差异")
	ignoreWidth := fs.Bool("ignore-width", false, "全角、半角标点和数字视为相同")
	hideUnchanged := fs.Bool("hide-unchanged", false, "不列出未修改的条文（全文比较时只列出有改动的行）")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("请给出两个比较对象（文件路径，或“编号@版本”）")
	}
	switch *format {
	case compare.FormatText, compare.FormatHTML, compare.FormatJSON:
	case compare.FormatCSV:
		if !*table {
			return usagef("csv 格式只用于修改对照表，请加 --table")
		}
	default:
		return usagef("不支持的输出格式“%s”，可选 text、html、csv、json", *format)
	}
	// A diff allocates many short-lived strings and go-diff's work arrays,
	// and the process ends right after: collecting garbage at the default
	// pace cost a third of the run on 公司法. A quarter of the collections
	// keeps the peak heap at a few times the input (under 100 MB for the
	// 1.5 MB corpus pair). The old setting is restored for in-process
	// callers (the tests).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	old, new, err := c.diffSources(pos[0], pos[1])
	if err != nil {
		return err
	}
	opt := compare.Options{IgnoreSpace: *ignoreSpace, IgnoreWidth: *ignoreWidth, HideUnchanged: *hideUnchanged}

	// The outputs run to megabytes for large pairs; unbuffered, each small
	// write would be a system call.
	w := bufio.NewWriterSize(c.stdout, 64<<10)
	if *table {
		r, err := compare.Compare(old, new, opt)
		if err != nil {
			return err
		}
		if err := r.Write(w, *format); err != nil {
			return err
		}
		c.warn(r.Warnings, *format == compare.FormatText)
	} else {
		diff := compare.DiffText
		if *format == compare.FormatText && !*hideUnchanged {
			diff = compare.DiffInline // the redline needs no line pairs
		}
		d, err := diff(old, new, opt)
		if err != nil {
			return err
		}
		if err := writeTextDiff(w, d, *format, *hideUnchanged); err != nil {
			return err
		}
		c.warn(d.Warnings, false)
	}
	if err := w.Flush(); err != nil {
		return review.WrapError(review.EINTERNAL, fmt.Errorf("write output: %w", err), "写出比较结果失败。")
	}
	return nil
}

// warn repeats the engine's warnings on stderr, so that a degraded or
// sanitised comparison is never silent even when stdout goes to a file or
// a program. The text 对照表 already prints them in its header.
func (c *cli) warn(warnings []string, printed bool) {
	if printed {
		return
	}
	for _, w := range warnings {
		fmt.Fprintf(c.stderr, "注意：%s\n", w)
	}
}

// writeTextDiff writes the whole-text diff. With hideUnchanged, only changed
// line pairs are kept: the text form lists them with their line numbers, the
// HTML and JSON forms drop the unchanged pairs from their lines.
func writeTextDiff(w *bufio.Writer, d *compare.TextDiff, format string, hideUnchanged bool) error {
	if !hideUnchanged {
		return d.Write(w, format)
	}
	var kept []compare.LinePair
	for _, p := range d.Lines {
		if p.Changed {
			kept = append(kept, p)
		}
	}
	if format != compare.FormatText {
		c := *d
		c.Lines = kept
		return c.Write(w, format)
	}
	for _, p := range kept {
		fmt.Fprintf(w, "@@ 旧 %s / 新 %s\n", lineNo(p.OldLine), lineNo(p.NewLine))
		if p.OldLine > 0 && p.NewLine > 0 {
			// Old and new of one pair share their Equal runs; the redline
			// of the merged line reads as the edit.
			w.WriteString(compare.Redline(mergeLine(p)) + "\n")
			continue
		}
		w.WriteString(compare.Redline(append(p.Old, p.New...)) + "\n")
	}
	return nil
}

func lineNo(n int) string {
	if n == 0 {
		return "—"
	}
	return "第 " + strconv.Itoa(n) + " 行"
}

// mergeLine interleaves a line pair's two sides back into inline order:
// both sides hold the same Equal runs in the same order, so the edits
// between consecutive Equal runs go deletions first, then insertions.
func mergeLine(p compare.LinePair) []compare.Segment {
	var out []compare.Segment
	i, j := 0, 0
	for i < len(p.Old) || j < len(p.New) {
		for i < len(p.Old) && p.Old[i].Op != compare.Equal {
			out = append(out, p.Old[i])
			i++
		}
		for j < len(p.New) && p.New[j].Op != compare.Equal {
			out = append(out, p.New[j])
			j++
		}
		if i < len(p.Old) && j < len(p.New) {
			out = append(out, p.New[j])
			i++
			j++
		} else {
			// Unequal Equal runs would be an engine bug; show what is left
			// rather than lose it.
			out = append(out, p.Old[i:]...)
			out = append(out, p.New[j:]...)
			break
		}
	}
	return out
}

// diffSources reads both sides. Two files are read and normalised at once
// (decoding and normalising a law takes about as long as its diff's
// slowest part); a workspace reference goes through the one database
// connection, so then the two are read in turn.
func (c *cli) diffSources(a, b string) (string, string, error) {
	if revRef.MatchString(a) || revRef.MatchString(b) {
		old, err := c.diffSource(a)
		if err != nil {
			return "", "", err
		}
		new, err := c.diffSource(b)
		return old, new, err
	}
	var new string
	var errNew error
	var wg sync.WaitGroup
	wg.Go(func() { new, errNew = c.diffSource(b) })
	old, err := c.diffSource(a)
	wg.Wait()
	if err != nil {
		return "", "", err
	}
	return old, new, errNew
}

// diffSource returns the text named by a diff argument: a workspace
// reference ("ID" or "ID@REV") or a file read as import reads it, so .docx,
// Markdown and GB18030 text compare as their plain text.
func (c *cli) diffSource(arg string) (string, error) {
	if m := revRef.FindStringSubmatch(arg); m != nil {
		id, err := parseID(m[1])
		if err != nil {
			return "", err
		}
		n := 0
		if m[2] != "" {
			if n, err = strconv.Atoi(m[2]); err != nil || n <= 0 {
				return "", usagef("版本号“%s”无效，应为正整数", m[2])
			}
		}
		db, err := c.open()
		if err != nil {
			return "", err
		}
		rev, err := db.Revision(c.ctx, id, n)
		if err != nil {
			return "", err
		}
		return rev.Text, nil
	}
	if strings.TrimSpace(arg) == "" {
		return "", usagef("比较对象不能为空")
	}
	doc, err := docimport.ReadFile(arg)
	if err != nil {
		return "", err
	}
	return doc.Text, nil
}
