package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// dangol doctor finds a visit summary that disagrees with the visits,
// says how to mend it, and --repair mends it.
func TestDoctor(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	if _, _, err := runCLI(t, "", "doctor", "--db", db); err == nil {
		t.Fatal("doctor of a missing file passed")
	}
	csv := filepath.Join(dir, "ledger.csv")
	ledger := "date,customer,items\n2026-10-01,김민지,크루아상\n2026-10-08,김민지,라떼\n2026-10-08,박서준,바게트\n"
	if err := os.WriteFile(csv, []byte(ledger), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, err := runCLI(t, "", "import", "--db", db, csv); err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	out, _, err := runCLI(t, "", "doctor", "--db", db)
	if err != nil || !strings.Contains(out, "database file: ok") || !strings.Contains(out, "references: ok") ||
		!strings.Contains(out, "visit summaries: ok") {
		t.Fatalf("doctor: %v\n%s", err, out)
	}

	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE visit_summaries SET visits = 7 WHERE visits = 2`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out, _, err = runCLI(t, "", "doctor", "--db", db)
	if err == nil || !strings.Contains(out, "visit summaries: 1 disagree") ||
		!strings.Contains(out, "2 visits, the summary says 7") || !strings.Contains(out, "--repair") {
		t.Fatalf("doctor of a bad summary: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, "", "doctor", "--db", db, "--repair")
	if err != nil || !strings.Contains(out, "rebuilt for 2 customers") || !strings.Contains(out, "visit summaries: ok") {
		t.Fatalf("doctor --repair: %v\n%s", err, out)
	}

	// A visit of a customer who is not there (written without the
	// checks).
	raw, err = sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO visits (shop_id, customer_id, date, created_at) VALUES (1, 999, '2026-10-01', '')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	out, _, err = runCLI(t, "", "doctor", "--db", db)
	if err == nil || !strings.Contains(out, "references: 1 rows of visits refer to rows that are not there") {
		t.Fatalf("doctor of a dangling visit: %v\n%s", err, out)
	}
}
