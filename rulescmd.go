package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/dangol/dangol/conversation"
	"github.com/dangol/dangol/crm"
)

// RulesJSON is the shape `dangol rules --json` prints.
type RulesJSON struct {
	Rules []RuleJSON `json:"rules"`
}

// RuleJSON is one rule of RulesJSON.
type RuleJSON struct {
	ID      int64       `json:"id"`
	Name    string      `json:"name"`
	State   string      `json:"state"`
	Kind    string      `json:"kind"` // its exposure kind in the weekly report
	SendAt  string      `json:"send_at"`
	Trigger crm.Trigger `json:"trigger"`
	Action  crm.Action  `json:"action"`
}

// runRules is `dangol rules --db PATH [--shop-code CODE] [--json]` (the
// shop's rules) and `dangol rules dry-run [--date YYYY-MM-DD] [--json]`
// (what they would do on a day, sending and recording nothing).
func runRules(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	dry := len(args) > 0 && args[0] == "dry-run"
	if dry {
		args = args[1:]
	}
	t := newToolFlags("rules", getenv, stderr)
	asJSON := t.fs.Bool("json", false, "")
	date := t.fs.String("date", "", "")
	if err := t.parse(args); err != nil {
		return err
	}
	if !dry && t.fs.NArg() > 0 && t.fs.Arg(0) == "dry-run" {
		dry = true
		if err := t.parse(t.fs.Args()[1:]); err != nil {
			return err
		}
	}
	if t.fs.NArg() > 0 {
		fmt.Fprintf(stderr, "dangol rules: unexpected argument %q\n", t.fs.Arg(0))
		return errUsage
	}
	if *date != "" && !dry {
		return fmt.Errorf("--date goes with dangol rules dry-run")
	}
	db, engine, shop, err := openTool(ctx, t, false)
	if err != nil {
		return err
	}
	defer db.Close()
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if !dry {
		rules, err := db.Rules(ctx, shop.ID)
		if err != nil {
			return err
		}
		if *asJSON {
			out := RulesJSON{Rules: []RuleJSON{}}
			for _, r := range rules {
				out.Rules = append(out.Rules, RuleJSON{ID: r.ID, Name: r.Name, State: string(r.State), Kind: r.Kind,
					SendAt: r.SendAt, Trigger: r.Trigger, Action: r.Action})
			}
			return enc.Encode(out)
		}
		_, err = fmt.Fprintln(stdout, engine.RulesText(ctx, shop, rules))
		return err
	}
	forecast, err := weatherFromEnv(getenv).provider()
	if err != nil {
		return fmt.Errorf("DANGOL_WEATHER: %w", err)
	}
	engine, err = conversation.New(conversation.Config{Store: db, Catalog: engine.Catalog(), Weather: forecast})
	if err != nil {
		return err
	}
	day := shop.Today(time.Now())
	if *date != "" {
		if day, err = crm.ParseDate(*date); err != nil {
			return fmt.Errorf("--date must be YYYY-MM-DD: %w", err)
		}
	}
	outs, err := engine.DryRun(ctx, shop, day, nil)
	if err != nil {
		return err
	}
	if *asJSON {
		return enc.Encode(conversation.DryRunOut(day, outs))
	}
	_, err = fmt.Fprintln(stdout, engine.DryRunText(shop, day, outs))
	return err
}
