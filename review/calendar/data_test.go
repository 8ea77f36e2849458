package calendar_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"qianfa/review"
	"qianfa/review/calendar"
)

func TestParseData_ReadsNoticesDaysAndComments(t *testing.T) {
	const text = "\ufeff# 注释\n\n年度 2024 国务院办公厅关于2024年部分节假日安排的通知 （国办发明电〔2023〕7号）\n" +
		"2024-10-12 班 国庆节调休\r\n  2024-10-01\t休  国庆节  \n2024-10-02 休\n"
	got, err := calendar.ParseData(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	want := calendar.Data{
		Notices: []calendar.Notice{{Year: 2024, Source: "国务院办公厅关于2024年部分节假日安排的通知 （国办发明电〔2023〕7号）"}},
		Days: []calendar.Override{ // sorted by date
			{Date: d("2024-10-01"), Off: true, Note: "国庆节"},
			{Date: d("2024-10-02"), Off: true},
			{Date: d("2024-10-12"), Off: false, Note: "国庆节调休"},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseData =\n%+v\nwant\n%+v", got, want)
	}
}

func TestParseData_BadLinesGiveChineseErrorWithLineNumber(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // all must appear in the message
	}{
		{"bad date", "# x\n2024-10-01 休 国庆节\n2024-13-01 休 国庆节\n", []string{"第 3 行", "不存在"}},
		{"not a date", "国庆节 2024-10-01 休\n", []string{"第 1 行", "日期", "年度"}},
		{"unknown kind", "2024-10-01 放 国庆节\n", []string{"第 1 行", "“放”", "休", "班"}},
		{"missing kind", "\n2024-10-01\n", []string{"第 2 行", "“”"}},
		{"duplicate date", "2024-10-01 休\n2024-10-02 休\n2024-10-1 班\n", []string{"第 3 行", "2024-10-01", "第 1 行写过"}},
		{"bad year", "年度 24 通知\n", []string{"第 1 行", "四位年份"}},
		{"duplicate year", "年度 2024 a\n年度 2024 b\n", []string{"第 2 行", "2024年度", "第 1 行"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := calendar.ParseData(strings.NewReader(tt.text))
			if review.ErrorCode(err) != review.EINVALID {
				t.Fatalf("error = %v, want code %s", err, review.EINVALID)
			}
			msg := review.ErrorMessage(err)
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q does not contain %q", msg, w)
				}
			}
		})
	}
}

func TestData_FormatRoundTrips(t *testing.T) {
	shipped := calendar.Shipped()
	again, err := calendar.ParseData(bytes.NewReader(shipped.Format()))
	if err != nil {
		t.Fatalf("Format output does not parse: %v", err)
	}
	if !reflect.DeepEqual(again, shipped) {
		t.Error("Format then ParseData changed the shipped data")
	}
	fromText, err := calendar.ParseData(bytes.NewReader(calendar.ShippedText()))
	if err != nil || !reflect.DeepEqual(fromText, shipped) {
		t.Errorf("ShippedText does not parse to Shipped: %v", err)
	}
}

func TestData_FormatKeepsOutputParseable(t *testing.T) {
	data := calendar.Data{
		Notices: []calendar.Notice{{Year: 2027, Source: "old"}, {Year: 2027, Source: "new\nline"}},
		Days: []calendar.Override{
			{Date: d("2027-10-01"), Off: true, Note: "first"},
			{},
			{Date: d("2027-10-01"), Off: true, Note: "two\nlines"},
		},
	}
	got, err := calendar.ParseData(bytes.NewReader(data.Format()))
	if err != nil {
		t.Fatalf("Format output does not parse: %v\n%s", err, data.Format())
	}
	want := calendar.Data{
		Notices: []calendar.Notice{{Year: 2027, Source: "new line"}},
		Days:    []calendar.Override{{Date: d("2027-10-01"), Off: true, Note: "two lines"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestShipped_ReturnsACopy(t *testing.T) {
	s := calendar.Shipped()
	s.Days[0].Off = !s.Days[0].Off
	s.Notices[0].Year = 1999
	if calendar.Shipped().Days[0].Off == s.Days[0].Off || !calendar.Default().Covered(2019) {
		t.Error("changing the copy changed the shipped data")
	}
}

func TestOverride_Validate(t *testing.T) {
	if err := (calendar.Override{}).Validate(); review.ErrorCode(err) != review.EINVALID {
		t.Errorf("override without a date: %v", err)
	}
	if err := (calendar.Override{Date: d("2024-10-01"), Note: "a\nb"}).Validate(); review.ErrorCode(err) != review.EINVALID {
		t.Errorf("override with a two-line note: %v", err)
	}
	if err := (calendar.Override{Date: d("2024-10-01"), Off: true, Note: "停电"}).Validate(); err != nil {
		t.Errorf("good override: %v", err)
	}
}

func FuzzParseData(f *testing.F) {
	f.Add(string(calendar.ShippedText()))
	f.Add("年度 2024 x\n2024-10-01 休 国庆节\n")
	f.Add("2024-10-01 班\n")
	f.Fuzz(func(t *testing.T, text string) {
		data, err := calendar.ParseData(strings.NewReader(text))
		if err != nil {
			if review.ErrorCode(err) != review.EINVALID {
				t.Fatalf("error without a domain code: %v", err)
			}
			return
		}
		again, err := calendar.ParseData(bytes.NewReader(data.Format()))
		if err != nil {
			t.Fatalf("formatted data does not parse: %v", err)
		}
		if !bytes.Equal(again.Format(), data.Format()) {
			t.Fatal("Format is not stable")
		}
	})
}
