package ui

import (
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// officeWording replaces a few of Fyne's own Simplified Chinese button
// labels with the words Chinese office software uses (确定 for OK, 否 for No).
const officeWording = `{"OK": "确定", "No": "否", "Yes": "是"}`

// UseChinese makes Fyne's own dialogs (file chooser, confirmations) speak
// Chinese like the rest of the app, whatever the machine's locale: an
// office PC may well run with LANG=C. Call it before the app is created.
func UseChinese() {
	// The message language comes from the first of LC_ALL, LC_MESSAGES and
	// LANG that is set (gettext's order, which Fyne follows).
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(k)
		if v == "" {
			continue
		}
		if !strings.HasPrefix(v, "zh") {
			os.Setenv(k, "zh_CN.UTF-8")
		}
		break
	}
	if os.Getenv("LC_ALL")+os.Getenv("LC_MESSAGES")+os.Getenv("LANG") == "" {
		os.Setenv("LC_MESSAGES", "zh_CN.UTF-8")
	}
	// Adding translations makes Fyne read the locale again.
	if err := lang.AddTranslationsForLocale([]byte(officeWording), fyne.Locale("zh-Hans")); err != nil {
		fyne.LogError("qianfa: office wording", err)
	}
}
