package screen

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

type detectCase struct {
	name string
	text string
	want []string // "kind:text", in order
}

func runDetect(t *testing.T, s *Screener, cases []detectCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := kindsOf(s.Scan(c.text))
			if !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Errorf("Scan(%q)\n got  %q\n want %q", c.text, got, c.want)
			}
		})
	}
}

func TestScan_IDCard(t *testing.T) {
	valid := []string{
		makeID("110101", "19900307", "123"),
		makeID("440305", "20000229", "456"), // leap day
		makeID("820000", "19491001", "001"), // Macau prefix
		makeID("650102", "19851231", "777"),
	}
	// Make sure the table holds an X check character too.
	for seq := 100; ; seq++ {
		if id := makeID("310104", "19761205", fmt.Sprint(seq)); id[17] == 'X' {
			valid = append(valid, id, id[:17]+"x")
			break
		}
	}
	var cases []detectCase
	for _, id := range valid {
		cases = append(cases,
			detectCase{"valid " + id, "身份证号：" + id + "。", []string{"id_card:" + id}},
			detectCase{"wrong check " + id, "身份证号：" + wrongCheck(strings.ToUpper(id)) + "。", nil},
			detectCase{"full width " + id, "证件号码" + fullWidth(id) + "，", []string{"id_card:" + fullWidth(id)}},
		)
	}
	cases = append(cases,
		detectCase{"19990230 rejected", "号码" + makeID("110101", "19990230", "123"), nil},
		detectCase{"19000229 rejected (not leap)", makeID("110101", "19000229", "123"), nil},
		detectCase{"month 13 rejected", makeID("110101", "19991301", "123"), nil},
		detectCase{"region 99 rejected", makeID("990101", "19900307", "123"), nil},
		detectCase{"region 00 rejected", makeID("000101", "19900307", "123"), nil},
		detectCase{"year 1899 rejected", makeID("110101", "18991231", "123"), nil},
		detectCase{"inside a longer digit run", "9" + valid[0] + "1", nil},
		detectCase{"glued to letters", "NO" + valid[0], nil},
		detectCase{"at text start and end", valid[0], []string{"id_card:" + valid[0]}},
		detectCase{"15-digit old number", "旧号码110101900307123。", []string{"id_card:110101900307123"}},
		detectCase{"15-digit with invalid date", "旧号码110101990230123。", nil},
		detectCase{"15-digit with bad region", "旧号码990101900307123。", nil},
	)
	runDetect(t, New(Config{}), cases)
}

func TestScan_MobileInsideIDIsNotASecondFinding(t *testing.T) {
	// An ID number whose digits 7-17 look like a mobile number.
	id := makeID("110101", "19900307", "123")
	inner := "13800138000"
	idWithMobile := makeID("113800", "13800101", "123")
	for _, text := range []string{id, idWithMobile, "联系人证件" + idWithMobile + "，手机" + inner} {
		fs := New(Config{}).Scan(text)
		n := 0
		for _, f := range fs {
			if f.Kind == KindMobile {
				n++
			}
		}
		if strings.Contains(text, "手机") && n != 1 || !strings.Contains(text, "手机") && n != 0 {
			t.Errorf("Scan(%q) = %q: want exactly the separate mobile number", text, kindsOf(fs))
		}
	}
}

func TestScan_Mobile(t *testing.T) {
	runDetect(t, New(Config{}), []detectCase{
		{"plain", "手机13800138000。", []string{"mobile:13800138000"}},
		{"every second digit 3-9", "电话19912345678", []string{"mobile:19912345678"}},
		{"second digit 2 rejected", "12912345678", nil},
		{"second digit 0 rejected", "10912345678", nil},
		{"ten digits", "1380013800", nil},
		{"twelve digits", "138001380001", nil},
		{"inside a longer run", "0213800138000", nil},
		{"full width", "手机：１３８００１３８０００", []string{"mobile:１３８００１３８０００"}},
		{"grouped with hyphens", "手机138-0013-8000。", []string{"mobile:138-0013-8000"}},
		{"grouped with spaces", "手机 138 0013 8000 联系", []string{"mobile:138 0013 8000"}},
		{"country code", "电话+8613800138000", []string{"mobile:+8613800138000"}},
		{"country code spaced", "电话+86 13800138000", []string{"mobile:13800138000"}},
		{"after a year", "2019 13800138000", []string{"mobile:13800138000"}},
		{"two in a row", "13800138000、13900139000", []string{"mobile:13800138000", "mobile:13900139000"}},
	})
}

func TestScan_Landline(t *testing.T) {
	runDetect(t, New(Config{}), []detectCase{
		{"Beijing", "电话：010-12345678。", []string{"landline:010-12345678"}},
		{"Shenzhen 7 digits", "0755-1234567", []string{"landline:0755-1234567"}},
		{"Guangzhou", "020-87654321", []string{"landline:020-87654321"}},
		{"parentheses", "(010)12345678", []string{"landline:(010)12345678"}},
		{"full-width parentheses", "电话（010）12345678，", []string{"landline:（010）12345678"}},
		{"parenthesis and space", "(0755) 1234567", []string{"landline:(0755) 1234567"}},
		{"full-width digits and hyphen", "０１０－１２３４５６７８", []string{"landline:０１０－１２３４５６７８"}},
		{"local starting with 0 rejected", "010-02345678", nil},
		{"local of 5 digits rejected", "010-12345", nil},
		{"local of 6 digits rejected", "010-234567", nil},
		{"local of 9 digits rejected", "010-234567890", nil},
		{"area 011 rejected", "011-23456789", nil},
		{"area 0355 with 8 digits", "0355-23456789", []string{"landline:0355-23456789"}},
		{"a date is not a phone", "2019-12-31", nil},
		{"a range of years", "2019-2020", nil},
	})
}

func TestScan_BankCard(t *testing.T) {
	card16 := makeLuhn("622202123456789")
	card19 := makeLuhn("621700001234567890")
	grouped := card16[0:4] + " " + card16[4:8] + " " + card16[8:12] + " " + card16[12:16]
	grouped19 := card19[0:4] + "-" + card19[4:8] + "-" + card19[8:12] + "-" + card19[12:16] + "-" + card19[16:]
	far := strings.Repeat("这是无关的文字", 5) // 35 runes: beyond the window
	runDetect(t, New(Config{}), []detectCase{
		{"16 digits with 卡号", "卡号：" + card16, []string{"bank_card:" + card16}},
		{"19 digits with 账号", "账号" + card19 + "。", []string{"bank_card:" + card19}},
		{"context after", card16 + "（中国银行）", []string{"bank_card:" + card16}},
		{"开户 well before", "开户行：中国工商银行北京分行营业部 " + card19, []string{"bank_card:" + card19}},
		{"Luhn fails", "卡号：" + breakLuhn(card16), nil},
		{"Luhn fails 19", "账号：" + breakLuhn(card19), nil},
		{"no context word", "编号：" + card16, nil},
		{"context word too far", "银行" + far + card16, nil},
		{"full width", "卡号" + fullWidth(card16), []string{"bank_card:" + fullWidth(card16)}},
		{"grouped by four", "银行卡号 " + grouped + " 。", []string{"bank_card:" + grouped}},
		{"grouped 19 with hyphens", "账号：" + grouped19, []string{"bank_card:" + grouped19}},
		{"15 digits too short", "卡号：" + makeLuhn("62220212345678"), nil},
		{"20 digits too long", "卡号：" + makeLuhn("6222021234567890123"), nil},
	})
}

func TestScan_CreditCode(t *testing.T) {
	codes := []string{
		makeCredit("91110000600037341"),
		makeCredit("12100000400010398"),
		makeCredit("91440300MA5DC6QX3"),
		makeCredit("Y1320500MJ5FTW8U4"),
	}
	var cases []detectCase
	for _, c := range codes {
		bad := c[:17] + "0"
		if bad == c {
			bad = c[:17] + "1"
		}
		cases = append(cases,
			detectCase{"valid " + c, "统一社会信用代码：" + c + "。", []string{"credit_code:" + c}},
			detectCase{"wrong check " + c, "统一社会信用代码：" + bad + "。", nil},
			detectCase{"lower-case full width " + c, "代码" + fullWidth(strings.ToLower(c)), []string{"credit_code:" + fullWidth(strings.ToLower(c))}},
		)
	}
	cases = append(cases,
		detectCase{"letter I not in the alphabet", makeCredit("9111000060003734I"), nil},
		detectCase{"region 99 rejected", makeCredit("91990000600037341"), nil},
		detectCase{"authority code B rejected", makeCredit("B1110000600037341"), nil},
	)
	runDetect(t, New(Config{}), cases)
}

func TestScan_Email(t *testing.T) {
	runDetect(t, New(Config{}), []detectCase{
		{"plain", "邮箱：zhang.san@example.com。", []string{"email:zhang.san@example.com"}},
		{"subdomain and plus", "请发送至 a+b_c@mail.gov.cn，谢谢", []string{"email:a+b_c@mail.gov.cn"}},
		{"trailing dot", "xx@example.org.", []string{"email:xx@example.org"}},
		{"numeric local part is one finding", "13800138000@qq.com", []string{"email:13800138000@qq.com"}},
		{"no dot", "user@localhost", nil},
		{"numeric tld", "v1@2.3", nil},
		{"bare at", "@ 和 @@", nil},
		{"leading dots dropped", "...a@b.cn", []string{"email:a@b.cn"}},
	})
}

func TestScan_OffsetsAreCodePoints(t *testing.T) {
	id := makeID("110101", "19900307", "123")
	text := "𠀀中文（全角）" + id + "，邮箱a@b.cn"
	fs := New(Config{}).Scan(text)
	runes := []rune(text)
	if len(fs) != 2 {
		t.Fatalf("got %q, want an ID number and an e-mail", kindsOf(fs))
	}
	for _, f := range fs {
		if got := string(runes[f.Start:f.End]); got != f.Text {
			t.Errorf("%s: runes[%d:%d] = %q, Text %q", f.Kind, f.Start, f.End, got, f.Text)
		}
	}
	if fs[0].Start != 7 || fs[0].End != 25 {
		t.Errorf("ID at [%d,%d), want [7,25)", fs[0].Start, fs[0].End)
	}
	if !strings.Contains(fs[0].Context, "中文") || fs[0].Ground != Art15 {
		t.Errorf("context %q ground %v", fs[0].Context, fs[0].Ground)
	}
}

func TestScan_DetectorsCanBeDisabled(t *testing.T) {
	text := "手机13800138000，邮箱a@b.cn"
	got := kindsOf(New(Config{Kinds: []Kind{KindEmail}}).Scan(text))
	if !slices.Equal(got, []string{"email:a@b.cn"}) {
		t.Errorf("email only: %q", got)
	}
	if got := New(Config{Kinds: []Kind{}}).Scan(text); len(got) != 0 {
		t.Errorf("no detectors: %q", kindsOf(got))
	}
}

func TestNextDigit_AllAlignments(t *testing.T) {
	for _, d := range []string{"7", "７"} {
		for pre := range 20 {
			s := strings.Repeat("中", pre/3) + strings.Repeat("a", pre%3) + d + "文字文字"
			want := len(strings.Repeat("中", pre/3)) + pre%3
			if got := nextDigit(s, 0); got != want {
				t.Errorf("nextDigit(%q) = %d, want %d", s, got, want)
			}
		}
	}
	if got := nextDigit("，，，，（）：；。中文", 0); got != -1 {
		t.Errorf("full-width punctuation taken for a digit at %d", got)
	}
	if !utf8.ValidString(fullWidth("0123")) {
		t.Fatal("fullWidth broke UTF-8")
	}
}
