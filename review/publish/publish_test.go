package publish

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"qianfa/review"
	"qianfa/review/sshsig"
	"qianfa/review/workflow"
)

func TestAllowedSigners_WidensValidityToWholeSeconds(t *testing.T) {
	_, pub, err := sshsig.NewKey("x", []byte("口令口令口令口令"), nil)
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2025, 1, 2, 3, 4, 5, 600, time.UTC)
	to := time.Date(2025, 6, 1, 0, 0, 0, 1, time.UTC)
	data, err := AllowedSigners([]review.Key{{User: "li", PublicKey: strings.TrimSpace(string(pub)), Fingerprint: "a", ValidFrom: from, ValidTo: to}})
	if err != nil {
		t.Fatal(err)
	}
	as, err := sshsig.ParseAllowedSigners(data)
	if err != nil || len(as) != 1 {
		t.Fatalf("parse back: %v", err)
	}
	if !as[0].ValidAfter.Equal(from.Truncate(time.Second)) || !as[0].ValidBefore.Equal(to.Truncate(time.Second).Add(time.Second)) {
		t.Errorf("validity = %v .. %v", as[0].ValidAfter, as[0].ValidBefore)
	}
	// Signed at the key's first and last instants, a decision still verifies.
	for _, at := range []time.Time{from, to.Add(-time.Nanosecond)} {
		if !(!at.Before(as[0].ValidAfter) && at.Before(as[0].ValidBefore)) {
			t.Errorf("%v falls outside the written validity", at)
		}
	}
}

func TestParseStatement_ReadsWhatWorkflowWrites(t *testing.T) {
	d := &workflow.Decision{DocumentID: 7, IndexNo: "000014349/2026-00007", Revision: 3, RevisionHash: strings.Repeat("ab", 32),
		Stage: workflow.StageConfidentiality, Outcome: workflow.OutcomePartial, Reason: "第三条含\n个人信息", Ground: workflow.GroundArt15,
		Actor: "lina", At: time.Date(2026, 3, 1, 2, 3, 4, 5, time.UTC)}
	s, err := ParseStatement(d.ComputeStatement())
	if err != nil {
		t.Fatal(err)
	}
	if s.IndexNo != d.IndexNo || s.Revision != 3 || s.RevisionHash != d.RevisionHash || s.Stage != d.Stage ||
		s.Outcome != d.Outcome || s.Actor != "lina" || !s.At.Equal(d.At) {
		t.Errorf("parsed %+v", s)
	}
	for _, bad := range []string{"", "qianfa-decision-v2\n", "qianfa-decision-v1\nactor: \"x\"\n", "qianfa-decision-v1\nno colon\n"} {
		if _, err := ParseStatement([]byte(bad)); err == nil {
			t.Errorf("ParseStatement(%q) accepted", bad)
		}
	}
}

func TestPackageName_IndexNumberAndShortHash(t *testing.T) {
	if got := PackageName("000014349/2026-00002", strings.Repeat("59a8c003", 8)); got != "000014349-2026-00002-59a8c00359a8" {
		t.Errorf("PackageName = %q", got)
	}
}

func TestCompressed_StoresWhatIsAlreadyCompressed(t *testing.T) {
	for name, want := range map[string]bool{"a.PDF": true, "b.docx": true, "c.jpg": true, "d.txt": false, "e": false, "f.csv": false} {
		if Compressed(name) != want {
			t.Errorf("Compressed(%q) = %v", name, !want)
		}
	}
}

func FuzzParseStatement(f *testing.F) {
	f.Add([]byte("qianfa-decision-v1\nrevision: 1\nsha256: " + strings.Repeat("0", 64) + "\nactor: \"a\"\ntime: 2026-01-01T00:00:00Z\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseStatement(b)
		if err == nil && (s.Actor == "" || len(s.RevisionHash) != 64) {
			t.Fatalf("accepted an incomplete statement: %+v", s)
		}
	})
}

// The early syncs of a package being written leave its bytes as written,
// across several sync thresholds, and report no error on a healthy disk.
func TestSyncingFile_WritesEverything(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "p.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	block := bytes.Repeat([]byte("签发"), 1<<18)
	var want bytes.Buffer
	sf := newSyncingFile(f)
	for want.Len() < 3*syncEvery+12345 {
		p := block[:min(len(block), 3*syncEvery+12345-want.Len())]
		if n, err := sf.Write(p); n != len(p) || err != nil {
			t.Fatalf("Write = %d, %v", n, err)
		}
		want.Write(p)
	}
	if err := sf.stop(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(f.Name())
	if err != nil || !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("file holds %d bytes (%v), want the %d written", len(got), err, want.Len())
	}
}
