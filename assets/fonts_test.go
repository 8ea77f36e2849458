package assets

import (
	"bytes"
	"testing"
	"unicode/utf8"

	gotext "github.com/go-text/typesetting/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestFonts_ParseAsSingleFace checks what made Fyne v2.7 crash before: a
// collection instead of one face. Each file must be an OpenType font with
// CFF outlines ("OTTO"), not a "ttcf" collection, and must parse.
func TestFonts_ParseAsSingleFace(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"Regular", FontRegular},
		{"Bold", FontBold},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !bytes.HasPrefix(tc.data, []byte("OTTO")) {
				t.Fatalf("font starts with %q, want a single OpenType face (OTTO)", tc.data[:4])
			}
			f, err := sfnt.Parse(tc.data)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			var buf sfnt.Buffer
			name, err := f.Name(&buf, sfnt.NameIDFull)
			if err != nil {
				t.Fatalf("full name: %v", err)
			}
			if want := "Noto Sans CJK SC"; !bytes.HasPrefix([]byte(name), []byte(want)) {
				t.Errorf("full name %q, want it to start with %q", name, want)
			}
		})
	}
}

// TestFonts_CoverGB2312 checks that every character of GB 2312, the set the
// subset promises, has a glyph, plus the punctuation and symbols of official
// text. The character list is rebuilt here from the encoding, independently
// of the Python script that made the font.
func TestFonts_CoverGB2312(t *testing.T) {
	// HZ is GB 2312 with the high bits cleared between ~{ and ~}. x/text
	// decodes it through its GBK table, which also fills some codes GB 2312
	// leaves empty (ⅰ..ⅹ, vertical forms, €, a few pinyin letters); the font
	// covers those too, so they stay in the list.
	hz := simplifiedchinese.HZGB2312.NewDecoder()
	var want []rune
	for hi := 0x21; hi <= 0x77; hi++ {
		for lo := 0x21; lo <= 0x7E; lo++ {
			s, err := hz.Bytes([]byte{'~', '{', byte(hi), byte(lo), '~', '}'})
			if err != nil {
				continue // an unassigned code
			}
			if r := []rune(string(s)); len(r) == 1 && r[0] != utf8.RuneError {
				want = append(want, r[0])
			}
		}
	}
	if len(want) < 7445 {
		t.Fatalf("GB 2312 has 7445 characters, decoded only %d", len(want))
	}
	want = append(want, []rune("签发审查保密，。、；：？！“”‘’（）《》〔〕【】—…·■□★☆●○※→←↑↓①⑳⑴⒇ⅠⅫ℃№%０９ＡＺ")...)
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"Regular", FontRegular},
		{"Bold", FontBold},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := sfnt.Parse(tc.data)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			var buf sfnt.Buffer
			var missing []rune
			for _, r := range want {
				g, err := f.GlyphIndex(&buf, r)
				if err != nil {
					t.Fatalf("glyph index of %q: %v", r, err)
				}
				if g == 0 {
					missing = append(missing, r)
				}
			}
			if len(missing) > 0 {
				t.Errorf("%d of %d characters have no glyph: %q", len(missing), len(want), string(missing[:min(len(missing), 50)]))
			}
		})
	}
}

// TestFonts_LoadLikeFyne parses the fonts with the library and call Fyne v2.7
// uses for a theme font (go-text's ParseTTF, which refuses collections), and
// checks that the glyphs of a few words have outlines, not just cmap entries.
// It imports go-text, not Fyne, so this package stays usable by the CLI.
func TestFonts_LoadLikeFyne(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"Regular", FontRegular},
		{"Bold", FontBold},
	} {
		t.Run(tc.name, func(t *testing.T) {
			face, err := gotext.ParseTTF(bytes.NewReader(tc.data))
			if err != nil {
				t.Fatalf("ParseTTF: %v", err)
			}
			for _, r := range "签发审查保密〔2024〕12号" {
				gid, ok := face.NominalGlyph(r)
				if !ok {
					t.Errorf("no glyph for %q", r)
					continue
				}
				out, ok := face.GlyphData(gid).(gotext.GlyphOutline)
				if !ok || len(out.Segments) == 0 {
					t.Errorf("glyph for %q has no outline", r)
				}
			}
		})
	}
}
