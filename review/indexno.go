package review

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

var indexFieldRe = regexp.MustCompile(`\{(org|year|seq)(?::(\d+))?\}`)

// FormatIndexNo renders a 索引号 from the administrator's pattern, such as
// "{org}/{year}-{seq:05}" → "000014349/2018-00216". {seq:N} pads to N digits.
// The pattern must contain {seq}: numbers are never reused, so each must be
// distinct.
func FormatIndexNo(pattern, org string, year, seq int) (string, error) {
	if err := ValidateIndexPattern(pattern); err != nil {
		return "", err
	}
	return indexFieldRe.ReplaceAllStringFunc(pattern, func(m string) string {
		sub := indexFieldRe.FindStringSubmatch(m)
		var v string
		switch sub[1] {
		case "org":
			return org
		case "year":
			v = strconv.Itoa(year)
		case "seq":
			v = strconv.Itoa(seq)
		}
		if w, _ := strconv.Atoi(sub[2]); w > len(v) {
			v = strings.Repeat("0", w-len(v)) + v
		}
		return v
	}), nil
}

// ValidateIndexPattern checks an index-number pattern. Sequences are
// counted per organisation code and year, so a pattern must name all three
// fields, or two documents could get the same number.
func ValidateIndexPattern(p string) error {
	if !strings.Contains(p, "{seq") || !indexFieldRe.MatchString(p) {
		return Errorf(EINVALID, "索引号规则“%s”无效：必须包含 {seq}（序号），可用 {org}、{year}、{seq:5}。", p)
	}
	rest := indexFieldRe.ReplaceAllString(p, "")
	if strings.ContainsAny(rest, "{}") {
		return Errorf(EINVALID, "索引号规则“%s”含有无法识别的字段，可用 {org}、{year}、{seq}、{seq:5}。", p)
	}
	if !strings.Contains(p, "{year") {
		return Errorf(EINVALID, "索引号规则须包含 {year}：序号每年从 1 起，缺少年份会使不同年份的文件得到相同的索引号。")
	}
	if !strings.Contains(p, "{org") {
		return Errorf(EINVALID, "索引号规则须包含 {org}：序号按机构代码分别计数，缺少机构代码，改换代码后会出现相同的索引号。")
	}
	return nil
}

// Validate checks the office's settings and says in Chinese what is wrong.
func (s Settings) Validate() error {
	if s.OrgCode == "" {
		return Errorf(EINVALID, "请填写机构代码。")
	}
	if utf8.RuneCountInString(s.OrgCode) > 32 || strings.IndexFunc(s.OrgCode, func(r rune) bool {
		return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-'))
	}) >= 0 {
		return Errorf(EINVALID, "机构代码“%s”无效：只能由字母、数字和连字符组成，最多 32 位。", s.OrgCode)
	}
	if utf8.RuneCountInString(s.OrgName) > 100 || strings.ContainsAny(s.OrgName, "\r\n") {
		return Errorf(EINVALID, "机构名称只能写一行，最多 100 字。")
	}
	return ValidateIndexPattern(s.IndexPattern)
}
