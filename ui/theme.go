package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"qianfa/assets"
)

// Fonts are wrapped once: Fyne caches parsed faces by resource, so handing it
// the same resource every time avoids parsing a 1.6 MB font again.
var (
	fontRegular = fyne.NewStaticResource("NotoSansSC-Regular.otf", assets.FontRegular)
	fontBold    = fyne.NewStaticResource("NotoSansSC-Bold.otf", assets.FontBold)
)

// qianfaTheme is Fyne's default theme with the bundled CJK font. Fyne's own
// font has no Chinese glyphs, and the system fallback depends on what fonts a
// machine happens to have, so every text style uses the bundled face.
type qianfaTheme struct {
	base fyne.Theme
}

// NewTheme returns the application theme: Fyne's default colours, icons and
// sizes with the bundled Noto Sans CJK SC font for all text. NewMainWindow
// installs it; callers need it only for windows made before that.
func NewTheme() fyne.Theme {
	return &qianfaTheme{base: theme.DefaultTheme()}
}

// Color delegates to the default theme.
func (t *qianfaTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return t.base.Color(n, v)
}

// Font returns the bundled bold face for bold text and the regular face
// otherwise. Monospace text uses the regular face too: the bundled font has
// no monospace companion, and Chinese in a Latin monospace font would show
// as boxes. Only Fyne's internal symbol glyphs keep the default font.
func (t *qianfaTheme) Font(s fyne.TextStyle) fyne.Resource {
	switch {
	case s.Symbol:
		return t.base.Font(s)
	case s.Bold:
		return fontBold
	}
	return fontRegular
}

// Icon delegates to the default theme.
func (t *qianfaTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base.Icon(n) }

// Size delegates to the default theme.
func (t *qianfaTheme) Size(n fyne.ThemeSizeName) float32 { return t.base.Size(n) }
