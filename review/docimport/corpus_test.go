package docimport

import (
	"path/filepath"
	"testing"

	"qianfa/internal/testcorpus"
)

// TestCorpus_FormatsAgree reads every law of the corpus as UTF-8 text, as
// GB18030 text and as a .docx, and expects the same text and title from all
// three: the format a clerk happens to receive must not change what is
// reviewed.
func TestCorpus_FormatsAgree(t *testing.T) {
	for _, name := range testcorpus.Laws(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			data := testcorpus.Read(t, name)
			utf, err := ReadBytes(name, data)
			if err != nil {
				t.Fatal(err)
			}
			if utf.Encoding != EncodingUTF8 || len(utf.Text) < len(data)*9/10 {
				t.Errorf("UTF-8 read: encoding %s, %d of %d bytes", utf.Encoding, len(utf.Text), len(data))
			}
			gb, err := ReadBytes(name, gb18030(t, string(data)))
			if err != nil {
				t.Fatal(err)
			}
			if gb.Encoding != EncodingGB18030 || gb.Text != utf.Text || gb.Title != utf.Title {
				t.Errorf("GB18030 read differs (encoding %s)", gb.Encoding)
			}
			dx, err := ReadBytes(name+".docx", docxFromText(t, string(data)))
			if err != nil {
				t.Fatal(err)
			}
			if dx.Text != utf.Text || dx.Title != utf.Title {
				t.Errorf(".docx read differs: title %q vs %q", dx.Title, utf.Title)
			}
		})
	}
}
