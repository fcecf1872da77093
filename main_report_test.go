package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/storage"
)

// The report command's contract: flags, the JSON shape, the PNG, pooling.
func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	csv := filepath.Join(dir, "ledger.csv")
	ledger := "date,customer,items,amount\n"
	for _, d := range []string{"2026-10-15", "2026-10-22", "2026-10-29", "2026-11-05", "2026-11-12", "2026-11-17", "2026-11-19"} {
		ledger += d + ",Kim,croissant x2; latte,7500\n"
	}
	ledger += "2026-11-18,Lee,bagel,3000\n2026-11-10,Park,bagel,3000\n"
	if err := os.WriteFile(csv, []byte(ledger), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errOut, err := runCLI(t, "", "import", "--db", db, csv); err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	// Exposures: Kim shown as due on 10 November and back on the 12th;
	// Park held out on the 9th and back on the 10th; Lee held out, not back.
	ctx := context.Background()
	st, err := storage.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	shops, _ := st.Shops(ctx)
	ids := map[string]int64{}
	for _, n := range []string{"Kim", "Lee", "Park"} {
		cs, _ := st.FindCustomers(ctx, shops[0].ID, n)
		ids[n] = cs[0].ID
	}
	exp := func(name string, day int, held bool) crm.Exposure {
		return crm.Exposure{ShopID: shops[0].ID, CustomerID: ids[name], Day: crm.NewDate(2026, time.November, day),
			Track: crm.TrackDigest, Kind: "due", Codes: "due", HeldOut: held, Draw: 0.5}
	}
	if err := st.RecordExposures(ctx, []crm.Exposure{exp("Kim", 10, false), exp("Park", 9, true), exp("Lee", 3, true)}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	pngPath := filepath.Join(dir, "report.png")
	out, errOut, err := runCLI(t, "", "report", "--db", db, "--week", "2026-W47", "--json", "--png", pngPath)
	if err != nil {
		t.Fatalf("report: %v\n%s", err, errOut)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	var keys []string
	for k := range raw {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"customers", "followup", "groups", "moved", "new", "top_items", "visits", "week"}) {
		t.Fatalf("keys %v", keys)
	}
	var r struct {
		Week      string         `json:"week"`
		Visits    int            `json:"visits"`
		Customers int            `json:"customers"`
		New       int            `json:"new"`
		Groups    map[string]int `json:"groups"`
		Moved     []struct {
			From, To string
			N        int
		} `json:"moved"`
		Followup []map[string]any `json:"followup"`
		TopItems []struct {
			Name string `json:"name"`
			Qty  int    `json:"qty"`
		} `json:"top_items"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	// Week 47 is 16–22 November: Kim twice, Lee once.
	if r.Week != "2026-W47" || r.Visits != 3 || r.Customers != 2 || r.New != 1 || len(r.Groups) != 4 {
		t.Fatalf("report %+v", r)
	}
	if len(r.Followup) != 1 {
		t.Fatalf("followup %+v", r.Followup)
	}
	f := r.Followup[0]
	var fkeys []string
	for k := range f {
		fkeys = append(fkeys, k)
	}
	slices.Sort(fkeys)
	if !slices.Equal(fkeys, []string{"exposed", "exposed_followed", "held_out", "held_out_followed", "high", "kind", "low", "uplift", "verdict"}) {
		t.Fatalf("followup keys %v", fkeys)
	}
	if f["kind"] != "due" || f["exposed"] != 1.0 || f["exposed_followed"] != 1.0 || f["held_out"] != 2.0 ||
		f["held_out_followed"] != 1.0 || f["uplift"] != 0.5 || f["verdict"] != "too_early" {
		t.Fatalf("followup %v", f)
	}
	if len(r.TopItems) == 0 || r.TopItems[0].Name != "croissant" || r.TopItems[0].Qty != 4 {
		t.Fatalf("top items %+v", r.TopItems)
	}
	data, err := os.ReadFile(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	if img, err := png.Decode(bytes.NewReader(data)); err != nil || img.Bounds().Dx() != 900 {
		t.Fatalf("png: %v", err)
	}

	// Text, in the shop's language, with the help line while too early.
	out, _, err = runCLI(t, "", "report", "--db", db, "--week", "2026-W47")
	if err != nil || !strings.Contains(out, "2026-W47") || !strings.Contains(out, "1,000") {
		t.Fatalf("text: %v\n%s", err, out)
	}
	// Pooled over every shop.
	out, _, err = runCLI(t, "", "report", "--db", db, "--week", "2026-W47", "--json", "--all-shops")
	if err != nil || !strings.Contains(out, `"visits":3`) {
		t.Fatalf("all shops: %v\n%s", err, out)
	}
	for _, bad := range [][]string{{"--week", "2026-47"}, {"--week", "2026-W54"}, {"--all-shops", "--shop-code", "x"}} {
		if _, _, err := runCLI(t, "", append([]string{"report", "--db", db}, bad...)...); err == nil {
			t.Errorf("report %v succeeded", bad)
		}
	}
	if _, _, err := runCLI(t, "", "report", "--db", filepath.Join(dir, "missing.db")); err == nil {
		t.Error("report of a missing database succeeded")
	}
}
