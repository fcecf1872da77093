package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/conversation/ledger"
	"github.com/dangol/dangol/crm"
	"github.com/dangol/dangol/locales"
	"github.com/dangol/dangol/storage"
)

// toolFlags are the flags shared by digest, import and export.
type toolFlags struct {
	fs   *flag.FlagSet
	db   *string
	shop *string
}

func newToolFlags(name string, getenv func(string) string, stderr io.Writer) toolFlags {
	fs := flag.NewFlagSet("dangol "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(stderr) }
	return toolFlags{fs: fs, db: fs.String("db", getenv("DANGOL_DB"), ""), shop: fs.String("shop-code", "", "")}
}

func (t toolFlags) parse(args []string) error {
	if err := t.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if *t.db == "" {
		*t.db = "dangol.db"
	}
	return nil
}

// openTool opens the database and the engine for a command-line tool, and
// picks the shop: the one whose code is --shop-code, else the first.
func openTool(ctx context.Context, t toolFlags, create bool) (*storage.DB, *conversation.Engine, crm.Shop, error) {
	if !create {
		if _, err := os.Stat(*t.db); err != nil {
			return nil, nil, crm.Shop{}, fmt.Errorf("no database at %s: %w", *t.db, err)
		}
	}
	db, err := storage.Open(ctx, *t.db)
	if err != nil {
		return nil, nil, crm.Shop{}, err
	}
	cat, err := locales.New()
	if err != nil {
		db.Close()
		return nil, nil, crm.Shop{}, err
	}
	engine, err := conversation.New(conversation.Config{Store: db, Catalog: cat})
	if err != nil {
		db.Close()
		return nil, nil, crm.Shop{}, err
	}
	shop, err := pickShop(ctx, db, *t.shop, create)
	if err != nil {
		db.Close()
		return nil, nil, crm.Shop{}, err
	}
	return db, engine, shop, nil
}

func pickShop(ctx context.Context, db *storage.DB, code string, create bool) (crm.Shop, error) {
	if code != "" {
		return db.ShopByCode(ctx, code)
	}
	shops, err := db.Shops(ctx)
	if err != nil {
		return crm.Shop{}, err
	}
	if len(shops) > 0 {
		return shops[0], nil
	}
	if !create {
		return crm.Shop{}, errors.New("the database has no shop yet")
	}
	cfg := Config{}
	if err := cfg.Validate(); err != nil {
		return crm.Shop{}, err
	}
	return consoleShop(ctx, db, cfg, time.Now())
}

// runDigest is `dangol digest --db PATH [--date YYYY-MM-DD] [--json]
// [--limit N]`: the digest of a day, recording nothing.
func runDigest(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	t := newToolFlags("digest", getenv, stderr)
	date := t.fs.String("date", "", "")
	asJSON := t.fs.Bool("json", false, "")
	limit := t.fs.String("limit", "", "")
	if err := t.parse(args); err != nil {
		return err
	}
	db, engine, shop, err := openTool(ctx, t, false)
	if err != nil {
		return err
	}
	defer db.Close()
	day := shop.Today(time.Now())
	if *date != "" {
		if day, err = crm.ParseDate(*date); err != nil {
			return fmt.Errorf("--date must be YYYY-MM-DD: %w", err)
		}
	}
	n := shop.DigestLimit
	if *limit != "" {
		if n, err = strconv.Atoi(*limit); err != nil || n < 0 {
			return fmt.Errorf("--limit must be a whole number, 0 for no limit")
		}
	}
	entries, err := engine.Digest(ctx, shop, day)
	if err != nil {
		return err
	}
	if err := engine.AddFavorites(ctx, shop, day, entries, n); err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(engine.DigestOut(shop, day, entries, n))
	}
	_, err = fmt.Fprintln(stdout, engine.WithBookings(ctx, shop, day, engine.DigestReply(shop, day, entries, n)).Text)
	return err
}

// runImport is `dangol import --db PATH FILE.csv|FILE.json`: a CSV ledger
// streamed into the shop in short batches, or a JSON export restored into
// an empty shop. A file that cannot be read at all is an error (exit 1).
func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	t := newToolFlags("import", getenv, stderr)
	if err := t.parse(args); err != nil {
		return err
	}
	if t.fs.NArg() != 1 {
		fmt.Fprintln(stderr, "dangol import: give one CSV or JSON file")
		return errUsage
	}
	name := t.fs.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	db, engine, shop, err := openTool(ctx, t, true)
	if err != nil {
		return err
	}
	defer db.Close()
	if strings.HasSuffix(strings.ToLower(name), ".json") {
		n, err := engine.ImportJSON(ctx, shop, f)
		if err != nil {
			return fmt.Errorf("import %s: %w", name, err)
		}
		if restored, err := db.Shop(ctx, shop.ID); err == nil {
			shop = restored // its name is the export's now
		}
		fmt.Fprintf(stdout, "restored %d customers into %q\n", n, shop.Name)
		return nil
	}
	start := time.Now()
	text, st, err := engine.ImportLedger(ctx, shop, f)
	if errors.Is(err, ledger.ErrHeader) || errors.Is(err, ledger.ErrUnreadable) {
		fmt.Fprintln(stderr, text)
		return fmt.Errorf("import %s: %w", name, err)
	}
	fmt.Fprintln(stdout, text)
	if err == nil {
		fmt.Fprintf(stderr, "dangol import: %s, %d rows in %d batches, longest write lock %v (%d over %v), %v\n",
			st.Encoding, st.Rows, st.Batches, st.MaxHold.Round(time.Microsecond), st.SlowBatches, conversation.SlowBatch,
			time.Since(start).Round(time.Millisecond))
	}
	return err
}

// runExport is `dangol export --db PATH [--format csv|json]`: the visits
// ledger as CSV (for Excel), or the whole shop as a JSON document, on
// stdout.
func runExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	t := newToolFlags("export", getenv, stderr)
	format := t.fs.String("format", "csv", "")
	if err := t.parse(args); err != nil {
		return err
	}
	if *format != "csv" && *format != "json" {
		fmt.Fprintf(stderr, "dangol export: --format must be csv or json, not %q\n", *format)
		return errUsage
	}
	db, engine, shop, err := openTool(ctx, t, false)
	if err != nil {
		return err
	}
	defer db.Close()
	w := bufio.NewWriter(stdout)
	if *format == "json" {
		if err := engine.ExportJSON(ctx, shop, w); err != nil {
			return err
		}
		return w.Flush()
	}
	rows, err := db.Ledger(ctx, shop.ID)
	if err != nil {
		return err
	}
	if err := ledger.WriteCurrency(w, rows, conversation.Currency(shop)); err != nil {
		return err
	}
	return w.Flush()
}

// runReport is `dangol report --db PATH [--shop-code CODE] [--week
// YYYY-Www] [--json] [--png FILE] [--all-shops]`: the weekly report of a
// past week (default last week), as text or JSON, with the chart written
// to FILE. --all-shops pools every shop of the database.
func runReport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	t := newToolFlags("report", getenv, stderr)
	weekFlag := t.fs.String("week", "", "")
	asJSON := t.fs.Bool("json", false, "")
	pngPath := t.fs.String("png", "", "")
	all := t.fs.Bool("all-shops", false, "")
	if err := t.parse(args); err != nil {
		return err
	}
	if *all && *t.shop != "" {
		return errors.New("--all-shops and --shop-code do not go together")
	}
	db, engine, shop, err := openTool(ctx, t, false)
	if err != nil {
		return err
	}
	defer db.Close()
	week := crm.WeekOf(shop.Today(time.Now())).Prev()
	if *weekFlag != "" {
		if week, err = crm.ParseWeek(*weekFlag); err != nil {
			return fmt.Errorf("--week must be YYYY-Www, such as 2026-W47: %w", err)
		}
	}
	var rep crm.WeekReport
	if *all {
		shops, err := db.Shops(ctx)
		if err != nil {
			return err
		}
		var reps []crm.WeekReport
		for _, s := range shops {
			r, err := engine.WeekReport(ctx, s, week)
			if err != nil {
				return err
			}
			reps = append(reps, r)
		}
		rep = crm.PoolReports(week, reps)
	} else if rep, err = engine.WeekReport(ctx, shop, week); err != nil {
		return err
	}
	if *pngPath != "" {
		png, err := engine.ReportChart(shop.Lang, rep)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*pngPath, png, 0o644); err != nil {
			return err
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(conversation.ReportOut(rep))
	}
	_, err = fmt.Fprintln(stdout, engine.ReportText(shop.Lang, rep))
	return err
}

// runBackup is `dangol backup --db PATH --to FILE`: a consistent copy of
// the database, taken while Dangol runs.
func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	t := newToolFlags("backup", getenv, stderr)
	to := t.fs.String("to", "", "")
	if err := t.parse(args); err != nil {
		return err
	}
	if *to == "" {
		fmt.Fprintln(stderr, "dangol backup: give --to FILE")
		return errUsage
	}
	if _, err := os.Stat(*t.db); err != nil {
		return fmt.Errorf("no database at %s: %w", *t.db, err)
	}
	db, err := storage.Open(ctx, *t.db)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *to); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", *t.db, *to)
	return nil
}

// runRestore is `dangol restore --from FILE --db PATH`: a backup checked
// and made the database at PATH, which must not exist yet.
func runRestore(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	t := newToolFlags("restore", getenv, stderr)
	from := t.fs.String("from", "", "")
	if err := t.parse(args); err != nil {
		return err
	}
	if *from == "" {
		fmt.Fprintln(stderr, "dangol restore: give --from FILE")
		return errUsage
	}
	if err := storage.Restore(ctx, *from, *t.db); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s from %s\n", *t.db, *from)
	return nil
}
