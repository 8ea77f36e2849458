package main

import (
	"database/sql"
	"testing"

	_ "modernc.org/sqlite"
)

// tamper edits the workspace behind the application's back, as someone with
// the file and a SQLite shell could.
func tamper(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}
