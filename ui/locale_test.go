package ui

import (
	"testing"

	"fyne.io/fyne/v2/lang"
)

func TestUseChinese_FyneDialogsSpeakTheOfficeWords(t *testing.T) {
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "C")
	UseChinese()
	for key, want := range map[string]string{"Cancel": "取消", "OK": "确定", "Open": "打开"} {
		if got := lang.L(key); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
}
