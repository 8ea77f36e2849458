package review

import (
	"regexp"
	"strconv"
	"strings"
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

// ValidateIndexPattern checks an index-number pattern.
func ValidateIndexPattern(p string) error {
	if !strings.Contains(p, "{seq") || !indexFieldRe.MatchString(p) {
		return Errorf(EINVALID, "索引号规则“%s”无效：必须包含 {seq}（序号），可用 {org}、{year}、{seq:5}。", p)
	}
	rest := indexFieldRe.ReplaceAllString(p, "")
	if strings.ContainsAny(rest, "{}") {
		return Errorf(EINVALID, "索引号规则“%s”含有无法识别的字段，可用 {org}、{year}、{seq}、{seq:5}。", p)
	}
	return nil
}
