package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"

	"github.com/dangol/dangol/storage"
)

// runDoctor is `dangol doctor --db PATH [--repair]`: it checks the
// database file, that every reference between rows holds, and that every
// customer's visit summary agrees with their visits, and with --repair
// rebuilds the summaries from the visits.
func runDoctor(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	t := newToolFlags("doctor", getenv, stderr)
	repair := t.fs.Bool("repair", false, "")
	if err := t.parse(args); err != nil {
		return err
	}
	if _, err := os.Stat(*t.db); err != nil {
		return fmt.Errorf("no database at %s: %w", *t.db, err)
	}
	db, err := storage.Open(ctx, *t.db)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.QuickCheck(ctx); err != nil {
		fmt.Fprintln(stdout, "database file: damaged")
		return err
	}
	fmt.Fprintln(stdout, "database file: ok")
	bad, err := db.CheckReferences(ctx)
	if err != nil {
		return err
	}
	if len(bad) > 0 {
		tables := slices.Sorted(maps.Keys(bad))
		n := 0
		for _, t := range tables {
			fmt.Fprintf(stdout, "references: %d rows of %s refer to rows that are not there\n", bad[t], t)
			n += bad[t]
		}
		return fmt.Errorf("%d rows refer to rows that are not there", n)
	}
	fmt.Fprintln(stdout, "references: ok")
	if *repair {
		n, err := db.RepairSummaries(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "visit summaries: rebuilt for %d customers\n", n)
	}
	problems, err := db.CheckSummaries(ctx)
	if err != nil {
		return err
	}
	if len(problems) == 0 {
		fmt.Fprintln(stdout, "visit summaries: ok, every one agrees with the visits")
		return nil
	}
	fmt.Fprintf(stdout, "visit summaries: %d disagree with the visits\n", len(problems))
	for _, p := range problems {
		fmt.Fprintln(stdout, "  "+p.String())
	}
	fmt.Fprintf(stdout, "`dangol doctor --db %s --repair` rebuilds them from the visits\n", *t.db)
	return fmt.Errorf("%d visit summaries disagree with the visits", len(problems))
}
