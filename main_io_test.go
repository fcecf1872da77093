package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/korean"

	"github.com/dangol/dangol/storage"
)

// Korean Excel's "CSV (쉼표로 분리)" is CP949: it imports; a file that
// cannot be read at all exits non-zero with a clear message.
func TestImportEncodingsAndUnreadable(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	csv := filepath.Join(dir, "장부.csv")
	data, _ := korean.EUCKR.NewEncoder().Bytes([]byte("날짜,고객,품목,금액\r\n2026-11-20,김민지,크루아상 2개,\"4,500\"\r\n"))
	if err := os.WriteFile(csv, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCLI(t, "", "import", "--db", db, csv)
	if err != nil || !strings.Contains(out, "새 고객 1명, 방문 1건") || !strings.Contains(errOut, "CP949") {
		t.Fatalf("import: %v\n%s\n%s", err, out, errOut)
	}
	for name, content := range map[string][]byte{
		"book.csv":  []byte("PK\x03\x04\x14\x00 an Excel workbook"),
		"plain.csv": []byte("just some text\nwithout columns\n"),
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, content, 0o600)
		_, errOut, err := runCLI(t, "", "import", "--db", db, p)
		if err == nil || !strings.Contains(errOut, "파일을 읽지 못했어요") {
			t.Errorf("%s: err %v, stderr %q", name, err, errOut)
		}
	}
	if _, _, err := runCLI(t, "", "import", "--db", db, filepath.Join(dir, "missing.csv")); err == nil {
		t.Error("a missing file imported")
	}
}

// export --format json, import FILE.json into an empty database, export
// again: the same document. The visits CSV stays for Excel.
func TestJSONExportImportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	in := "Kim Minji, croissant\nKim Minji allergic to walnuts\nMina birthday Oct 9\nRay comes every Saturday\n"
	if _, errOut, err := runCLI(t, in, "--db", db, "--lang", "en", "--now", "2026-11-26T10:00:00+09:00"); err != nil {
		t.Fatalf("notes: %v %s", err, errOut)
	}
	doc, _, err := runCLI(t, "", "export", "--db", db, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"name":"Mina","birthday":"10-09"`, `"name":"Ray","usual_weekday":"saturday"`, `"value":"walnut"`, `"lang":"en"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("export lacks %s:\n%s", want, doc)
		}
	}
	file := filepath.Join(dir, "shop.json")
	os.WriteFile(file, []byte(doc), 0o600)
	copyDB := filepath.Join(dir, "copy.db")
	if out, errOut, err := runCLI(t, "", "import", "--db", copyDB, file); err != nil || !strings.Contains(out, "restored 3 customers") {
		t.Fatalf("import json: %v\n%s%s", err, out, errOut)
	}
	if again, _, _ := runCLI(t, "", "export", "--db", copyDB, "--format", "json"); again != doc {
		t.Fatalf("round trip differs:\n%s\n---\n%s", doc, again)
	}
	if _, errOut, err := runCLI(t, "", "import", "--db", copyDB, file); err == nil || !strings.Contains(errOut+err.Error(), "already has") {
		t.Fatalf("a second restore: %v", err)
	}
	csv, _, _ := runCLI(t, "", "export", "--db", db)
	if !strings.HasPrefix(csv, "\ufeffdate,customer,items,amount,note,birthday\r\n") {
		t.Fatalf("csv %q", csv)
	}
	if _, _, err := runCLI(t, "", "export", "--db", db, "--format", "xml"); err == nil {
		t.Fatal("--format xml accepted")
	}
}

// backup while the database is in use, then restore into a new file.
func TestBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	if _, _, err := runCLI(t, "김민지님 크루아상 하나\n", "--db", db); err != nil {
		t.Fatal(err)
	}
	open, err := storage.Open(context.Background(), db) // Dangol still running
	if err != nil {
		t.Fatal(err)
	}
	defer open.Close()
	backup := filepath.Join(dir, "backup.db")
	if out, errOut, err := runCLI(t, "", "backup", "--db", db, "--to", backup); err != nil {
		t.Fatalf("backup: %v %s %s", err, out, errOut)
	}
	restored := filepath.Join(dir, "restored.db")
	if _, errOut, err := runCLI(t, "", "restore", "--from", backup, "--db", restored); err != nil {
		t.Fatalf("restore: %v %s", err, errOut)
	}
	a, _, _ := runCLI(t, "", "export", "--db", db, "--format", "json")
	b, _, _ := runCLI(t, "", "export", "--db", restored, "--format", "json")
	if a != b || !strings.Contains(b, "김민지") {
		t.Fatalf("restored differs:\n%s\n%s", a, b)
	}
	if _, _, err := runCLI(t, "", "restore", "--from", backup, "--db", restored); err == nil {
		t.Fatal("restore over an existing database")
	}
	if _, _, err := runCLI(t, "", "backup", "--db", db); err == nil {
		t.Fatal("backup without --to")
	}
}

// Nightly backups: one a night, the newest kept.
func TestNightlyBackupRotation(t *testing.T) {
	dir := t.TempDir()
	db, err := storage.Open(context.Background(), filepath.Join(dir, "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	backups := filepath.Join(dir, "backups")
	os.MkdirAll(backups, 0o700)
	night := time.Date(2026, 11, 20, 4, 0, 0, 0, time.UTC)
	for i := range 10 {
		now := night.AddDate(0, 0, i)
		if err := nightlyBackup(context.Background(), db, backups, 3, now); err != nil {
			t.Fatal(err)
		}
		if err := nightlyBackup(context.Background(), db, backups, 3, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(backups)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "dangol-2026-11-27.db dangol-2026-11-28.db dangol-2026-11-29.db" {
		t.Fatalf("backups %v", names)
	}
	// Before 03:00 the night's backup is last night's.
	if err := nightlyBackup(context.Background(), db, backups, 3, time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(backups); len(entries) != 3 {
		t.Fatalf("a backup before 03:00 made a new one: %v", entries)
	}
}
