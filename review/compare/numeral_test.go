package compare

import "testing"

func TestParseNumeral(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"一", 1, true},
		{"十", 10, true},
		{"十一", 11, true},
		{"二十", 20, true},
		{"九十九", 99, true},
		{"一百", 100, true},
		{"一百零三", 103, true},
		{"一百一十", 110, true},
		{"一百十", 110, true},
		{"二百一十八", 218, true},
		{"二百六十六", 266, true},
		{"一千零二十", 1020, true},
		{"两千零五", 2005, true},
		{"一万零一", 10001, true},
		{"三万五千", 35000, true},
		{"103", 103, true},
		{"１０３", 103, true},
		{"", 0, false},
		{"零", 0, false},
		{"零一", 0, false},
		{"一零三", 0, false},
		{"三零", 0, false},
		{"十百", 0, false},
		{"百", 0, false},
		{"一百二百", 0, false},
		{"一二", 0, false},
		{"12a", 0, false},
		{"条", 0, false},
		{"万", 0, false},
		{"一万一万", 0, false},
		{"99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseNumeral(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseNumeral(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}
