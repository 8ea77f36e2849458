package compare

import (
	"fmt"
	"os"
	"testing"

	"qianfa/internal/testcorpus"
)

func TestExplore2(t *testing.T) {
	law := os.Getenv("EXPLORE2")
	if law == "" {
		t.Skip()
	}
	laws := testcorpus.Laws(t)
	for i := 0; i+1 < len(laws); i += 2 {
		if laws[i] != law {
			continue
		}
		r, _ := Compare(string(testcorpus.Read(t, laws[i])), string(testcorpus.Read(t, laws[i+1])), Options{})
		for _, row := range r.Rows {
			if string(row.Label) == os.Getenv("LABEL") {
				fmt.Printf("%s %s→%s\n  %.80s\n  %.80s\n", row.Label, row.OldNo, row.NewNo, row.OldText, row.NewText)
			}
		}
	}
}
