// Package screen is Qianfa's confidentiality screening engine: it finds what
// in a draft may not be published (classification and work-secret markings,
// personal identifiers, the office's keyword lists), redacts what the
// reviewer confirmed and checks that an export no longer contains it.
//
// The engine is pure Go and knows nothing of storage or screens. A Screener is
// built once from the office's configuration and is then read-only, so one
// value serves every document and goroutine. Offsets in findings count
// Unicode code points, because that is what the UI highlights and what the CLI
// prints; internally everything works on bytes and converts once at the end.
package screen

import "fmt"

// Kind names a detector. The values are stable English identifiers: they are
// stored with dismissals and printed by the CLI, so they must never change.
type Kind string

// The detectors.
const (
	KindClassification Kind = "classification" // 密级标志 at the head of a document
	KindWorkSecret     Kind = "work_secret"    // 工作秘密 / 内部资料 / 注意保存
	KindIDCard         Kind = "id_card"        // 居民身份证号
	KindMobile         Kind = "mobile"         // 手机号码
	KindLandline       Kind = "landline"       // 固定电话
	KindBankCard       Kind = "bank_card"      // 银行卡号
	KindEmail          Kind = "email"          // 电子邮箱
	KindCreditCode     Kind = "credit_code"    // 统一社会信用代码
	KindKeyword        Kind = "keyword"        // the office's keyword lists
)

// Kinds lists every detector in a fixed order, so that the UI can give each a
// stable colour and the CLI a stable legend.
func Kinds() []Kind {
	return []Kind{KindClassification, KindWorkSecret, KindIDCard, KindMobile,
		KindLandline, KindBankCard, KindEmail, KindCreditCode, KindKeyword}
}

// NumberKinds lists the detectors that run on the digit scanner.
func NumberKinds() []Kind {
	return []Kind{KindIDCard, KindMobile, KindLandline, KindBankCard, KindCreditCode}
}

// Label returns the Chinese name the reviewer reads.
func (k Kind) Label() string {
	switch k {
	case KindClassification:
		return "密级标志"
	case KindWorkSecret:
		return "工作秘密标志"
	case KindIDCard:
		return "居民身份证号"
	case KindMobile:
		return "手机号码"
	case KindLandline:
		return "固定电话"
	case KindBankCard:
		return "银行卡号"
	case KindEmail:
		return "电子邮箱"
	case KindCreditCode:
		return "统一社会信用代码"
	case KindKeyword:
		return "关键词"
	}
	return string(k)
}

// Ground returns the legal ground a finding of this kind usually relates
// to. Keyword findings take the ground of their list instead.
func (k Kind) Ground() Ground {
	switch k {
	case KindClassification:
		return Art14
	case KindWorkSecret:
		return Art16
	case KindKeyword:
		return 0
	}
	return Art15
}

// Ground is the article of the 《政府信息公开条例》 (2019) under which
// information may not be, or need not be, disclosed. Its value is the
// article's number, which keeps stored values readable.
type Ground int

// The grounds a finding can relate to.
const (
	Art14 Ground = 14 // 国家秘密、法律法规禁止公开、危及“三安全一稳定”
	Art15 Ground = 15 // 商业秘密、个人隐私
	Art16 Ground = 16 // 内部事务信息、过程性信息、行政执法案卷
)

// String returns the article as the office cites it, e.g. “条例第十五条”.
func (g Ground) String() string {
	switch g {
	case Art14:
		return "条例第十四条"
	case Art15:
		return "条例第十五条"
	case Art16:
		return "条例第十六条"
	}
	return fmt.Sprintf("Ground(%d)", int(g))
}

// Label returns the article with the kind of information it protects, for
// the finding list: “条例第十五条（商业秘密、个人隐私）”.
func (g Ground) Label() string {
	switch g {
	case Art14:
		return "条例第十四条（国家秘密等）"
	case Art15:
		return "条例第十五条（商业秘密、个人隐私）"
	case Art16:
		return "条例第十六条（内部事务、过程性信息）"
	}
	return g.String()
}

// Valid reports whether g is one of the three grounds.
func (g Ground) Valid() bool { return g == Art14 || g == Art15 || g == Art16 }

// ParseGround reads a ground as an administrator writes it in a list file
// or a form: “14”, “第十四条”, “条例第十四条” or “art14”.
func ParseGround(s string) (Ground, bool) {
	switch s {
	case "14", "art14", "第十四条", "条例第十四条":
		return Art14, true
	case "15", "art15", "第十五条", "条例第十五条":
		return Art15, true
	case "16", "art16", "第十六条", "条例第十六条":
		return Art16, true
	}
	return 0, false
}
