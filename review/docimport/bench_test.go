package docimport

import (
	"testing"

	"qianfa/internal/testcorpus"
)

const lawFile = "laws/公司法-2023-12-29.txt"

// BenchmarkImportLaw reads the 2023 Company Law as a clerk's .txt.
func BenchmarkImportLaw(b *testing.B) {
	data := testcorpus.Read(b, lawFile)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ReadBytes("公司法.txt", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportLawGB18030 reads the same law saved in GB18030, the path a
// Chinese Windows "ANSI" file takes: detection, then conversion.
func BenchmarkImportLawGB18030(b *testing.B) {
	text := testcorpus.Read(b, lawFile)
	data := gb18030(b, string(text))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := ReadBytes("公司法.txt", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportLawDocx reads the same law as a .docx, one paragraph per
// line, through the zip and XML path.
func BenchmarkImportLawDocx(b *testing.B) {
	text := testcorpus.Read(b, lawFile)
	data := docxFromText(b, string(text))
	b.SetBytes(int64(len(text))) // MB/s of text, comparable with the .txt

	for b.Loop() {
		if _, err := ReadBytes("公司法.docx", data); err != nil {
			b.Fatal(err)
		}
	}
}
