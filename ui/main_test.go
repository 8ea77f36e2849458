package ui

import (
	"os"
	"testing"
)

// TestMain runs every UI callback of background work on the test goroutine
// (see queueUICalls), as the real driver runs them on its one UI goroutine.
func TestMain(m *testing.M) {
	queueUICalls = true
	os.Exit(m.Run())
}
