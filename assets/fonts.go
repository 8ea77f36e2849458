// Package assets holds files the program carries inside its binary: the
// bundled CJK font, and later icons and the sample workspace. It imports
// neither Fyne nor storage, so the pure-Go CLI can use it as well as the app.
package assets

import _ "embed"

// FontRegular is Noto Sans CJK SC Regular as a single-face OpenType (CFF)
// font, subset to GB 2312 and the punctuation and symbols of official text
// (see fonts/README.md and fonts/make-fonts.sh). Fyne's own font has no
// Chinese glyphs and Fyne v2.7 rejects a .ttc collection, hence this file.
// It is shared: callers must not modify it.
//
//go:embed fonts/NotoSansSC-Regular.otf
var FontRegular []byte

// FontBold is the Bold face of the same family, subset the same way, for
// headings and emphasis. Callers must not modify it.
//
//go:embed fonts/NotoSansSC-Bold.otf
var FontBold []byte

// FontLicence is the SIL Open Font License 1.1 text that must travel with the
// fonts (OFL condition 2), for an "about" dialog or a package's notices.
//
//go:embed fonts/OFL.txt
var FontLicence []byte
