package review_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyDirection keeps the domain free of screens and SQL: review
// and its sub-packages import neither ui, storage, Fyne nor database/sql.
func TestDependencyDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "qianfa/review/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch {
		case dep == "qianfa/ui" || strings.HasPrefix(dep, "qianfa/ui/"),
			dep == "qianfa/storage" || strings.HasPrefix(dep, "qianfa/storage/"),
			strings.HasPrefix(dep, "fyne.io/"),
			strings.HasPrefix(dep, "modernc.org/sqlite"),
			dep == "database/sql":
			t.Errorf("review depends on %s", dep)
		}
	}
}

// TestUIDoesNotImportStorage keeps the screens on review's interfaces.
func TestUIDoesNotImportStorage(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "qianfa/ui/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "qianfa/storage" || strings.HasPrefix(dep, "modernc.org/sqlite") || dep == "database/sql" {
			t.Errorf("ui depends on %s", dep)
		}
	}
}
