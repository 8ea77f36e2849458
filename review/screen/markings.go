package screen

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"qianfa/review"
)

// headLines is how many non-blank lines count as a document's head. GB/T
// 9704 puts 份号, 密级和保密期限 and 紧急程度 above the issuing organ's
// mark, so a marking sits within the first few lines; further down, 绝密 and
// 秘密 are running text (保守国家秘密法 says 国家秘密 hundreds of times).
const headLines = 6

// classificationLevels are the three 密级 of 保守国家秘密法 art. 13.
var classificationLevels = []string{"绝密", "机密", "秘密"}

// headMarkings finds classification markings in the head of text: a level
// followed by ★ (秘密★1年, 机密★长期), a level standing alone on its line,
// or a 密级 field (密级：机密) whose value is not 非密/公开/无.
func headMarkings(text string, hits []hit) []hit {
	pos := 0
	if strings.HasPrefix(text, "\uFEFF") {
		pos = len("\uFEFF")
	}
	for seen := 0; seen < headLines && pos < len(text); {
		end := strings.IndexByte(text[pos:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += pos
		}
		ls, le := trimSpan(text, pos, end)
		pos = end + 1
		if ls == le {
			continue
		}
		seen++
		if bs, ok := classificationIn(text[ls:le]); ok {
			hits = append(hits, hit{kind: KindClassification, bs: ls + bs, be: le})
		}
	}
	return hits
}

// classificationIn reports where in one trimmed head line a marking starts.
func classificationIn(line string) (int, bool) {
	if i := strings.Index(line, "★"); i >= 0 {
		before := strings.TrimRight(line[:i], " \t\u3000")
		for _, lv := range classificationLevels {
			// 工作秘密★5年 and 商业秘密★ are not 密级: the level must
			// not be the tail of a longer word.
			if rest, ok := strings.CutSuffix(before, lv); ok {
				if r, _ := utf8.DecodeLastRuneInString(rest); rest == "" || !unicode.IsLetter(r) {
					return len(rest), true
				}
			}
		}
	}
	squeezed := normalize(line)
	for _, lv := range classificationLevels {
		if squeezed == lv || squeezed == lv+"级" {
			return 0, true
		}
	}
	if v, ok := strings.CutPrefix(squeezed, "密级"); ok {
		if v, ok = strings.CutPrefix(v, ":"); ok {
			for _, open := range []string{"非密", "公开", "无", "不涉密", "内部"} {
				if strings.HasPrefix(v, open) {
					return 0, false
				}
			}
			return 0, v != ""
		}
	}
	return 0, false
}

// trimSpan narrows [i, j) of s past leading and trailing white space
// (including U+3000 and the carriage return of CRLF files).
func trimSpan(s string, i, j int) (int, int) {
	for i < j {
		r, w := utf8.DecodeRuneInString(s[i:j])
		if !isBlank(r) {
			break
		}
		i += w
	}
	for j > i {
		r, w := utf8.DecodeLastRuneInString(s[i:j])
		if !isBlank(r) {
			break
		}
		j -= w
	}
	return i, j
}

func isBlank(r rune) bool {
	return r == ' ' || r == '\t' || r == '\r' || r == '\n' || r == 0x3000 || r == 0xA0 || r == 0xFEFF
}

// CheckImportable refuses a document whose head carries a classification
// marking. Such a document is a state-secret carrier and must not be stored
// or processed on a system that is not approved for classified information
// (保守国家秘密法 art. 31 (3)); import calls this before anything is saved.
func CheckImportable(text string) error {
	hits := headMarkings(text, nil)
	if len(hits) == 0 {
		return nil
	}
	h := hits[0]
	return review.Errorf(review.EINVALID,
		"文件首部有密级标志“%s”，属于国家秘密。依照《中华人民共和国保守国家秘密法》第三十一条，不得使用非涉密信息系统存储或者处理国家秘密，本系统不能导入此文件。请按保密规定交本机关保密工作机构处理。",
		text[h.bs:h.be])
}

// workSecretTerms are the markings of information that is not a state
// secret but may not be published as is (条例 art. 16).
var workSecretTerms = []string{"工作秘密", "内部资料", "注意保存"}

// markingLineSlack is how many other characters a line may hold, besides
// marking words and punctuation, and still be a marking (“请注意保存”,
// “工作秘密★5年”); a longer line is running text that merely mentions the
// word, like 保守国家秘密法 art. 64 on 工作秘密管理办法.
const markingLineSlack = 4

// isMarkingLine reports whether the work-secret term at [bs, be) stands on
// a line of its own, as a marking does.
func isMarkingLine(text string, bs, be int) bool {
	const window = 240 // bytes; a longer line is running text
	lo := strings.LastIndexByte(text[max(0, bs-window):bs], '\n')
	if lo < 0 {
		if bs > window {
			return false
		}
		lo = 0
	} else {
		lo += max(0, bs-window) + 1
	}
	hi := strings.IndexByte(text[be:min(len(text), be+window)], '\n')
	if hi < 0 {
		if len(text)-be > window {
			return false
		}
		hi = len(text)
	} else {
		hi += be
	}
	rest := normalize(text[lo:hi])
	for _, t := range workSecretTerms {
		rest = strings.ReplaceAll(rest, t, "")
	}
	for _, lv := range classificationLevels {
		rest = strings.ReplaceAll(rest, lv, "")
	}
	n := 0
	for _, r := range rest {
		if !strings.ContainsRune("★☆*()[]【】「」〔〕《》<>:;,.、。-—_/|\"'“”‘’\r", r) {
			n++
		}
	}
	return n <= markingLineSlack
}
