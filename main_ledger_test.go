package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The command-line contracts: import a ledger, print the digest as JSON
// without recording anything, export the same ledger back.
func TestImportDigestExportContracts(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	csv := filepath.Join(dir, "ledger.csv")
	ledger := "\ufeff날짜;고객;품목;금액\n"
	for _, d := range []string{"2026-10-01", "2026-10-08", "2026-10-15", "2026-10-22", "2026-10-29", "2026-11-05", "2026-11-12", "2026-11-19"} {
		ledger += d + ";김민지;크루아상 2개, 라떼;7500\n"
	}
	ledger += "2026-09-01;박서준;바게트;\n;이도윤;바게트;\n"
	if err := os.WriteFile(csv, []byte(ledger), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCLI(t, "", "import", "--db", db, csv)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "새 고객 2명, 방문 9건") || !strings.Contains(out, "11번째 줄: 날짜를 읽을 수 없어요") {
		t.Fatalf("import summary:\n%s", out)
	}
	if out, _, _ := runCLI(t, "", "import", "--db", db, csv); !strings.Contains(out, "새 고객 0명, 방문 0건") {
		t.Fatalf("second import added something:\n%s", out)
	}

	digest := func() string {
		t.Helper()
		out, errOut, err := runCLI(t, "", "digest", "--db", db, "--date", "2026-11-26", "--json", "--limit", "0")
		if err != nil {
			t.Fatalf("digest: %v\n%s", err, errOut)
		}
		return out
	}
	first := digest()
	var d struct {
		Date    string `json:"date"`
		Entries []struct {
			Customer string `json:"customer"`
			Reasons  []struct {
				Code string `json:"code"`
				Text string `json:"text"`
			} `json:"reasons"`
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(first), &d); err != nil {
		t.Fatalf("digest JSON: %v\n%s", err, first)
	}
	if d.Date != "2026-11-26" || len(d.Entries) != 2 || d.Entries[0].Customer != "김민지" ||
		d.Entries[0].Reasons[0].Code != "usual_weekday" || d.Entries[1].Customer != "박서준" ||
		d.Entries[1].Reasons[0].Code != "lapsed" || d.Entries[1].Reasons[0].Text == "" {
		t.Fatalf("digest: %+v", d)
	}
	// Nothing was recorded: the lapsed customer is still there next time.
	if again := digest(); again != first {
		t.Fatalf("digest changed after printing:\n%s\n---\n%s", first, again)
	}
	if out, _, err := runCLI(t, "", "digest", "--db", db, "--date", "2026-11-26", "--limit", "1"); err != nil ||
		!strings.Contains(out, "1. 김민지") || !strings.Contains(out, "외 1명") {
		t.Fatalf("digest text: %v\n%s", err, out)
	}

	if _, _, err := runCLI(t, "", "digest", "--db", db, "--shop-code", "nosuchshop"); err == nil {
		t.Fatal("digest for an unknown shop code succeeded")
	}
	out, _, err = runCLI(t, "", "export", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "\ufeffdate,customer,items,amount,note,birthday\r\n2026-09-01,박서준,바게트,,,\r\n") ||
		!strings.Contains(out, "2026-11-19,김민지,크루아상 x2; 라떼,7500,,\r\n") {
		t.Fatalf("export:\n%q", out)
	}
	// The export imports back into a fresh shop without loss.
	back := filepath.Join(dir, "export.csv")
	if err := os.WriteFile(back, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	db2 := filepath.Join(dir, "copy.db")
	if out, _, err := runCLI(t, "", "import", "--db", db2, back); err != nil || !strings.Contains(out, "방문 9건") {
		t.Fatalf("re-import: %v\n%s", err, out)
	}
	if again, _, _ := runCLI(t, "", "export", "--db", db2); again != out {
		t.Fatalf("round trip differs:\n%q\n%q", out, again)
	}
}

func TestToolsNeedADatabase(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.db")
	for _, cmd := range []string{"digest", "export"} {
		if _, _, err := runCLI(t, "", cmd, "--db", missing); err == nil || !strings.Contains(err.Error(), "no database") {
			t.Errorf("%s on a missing database: %v", cmd, err)
		}
	}
	if _, _, err := runCLI(t, "", "digest", "--db", missing, "--date", "26/11"); err == nil {
		t.Errorf("bad --date accepted")
	}
}
