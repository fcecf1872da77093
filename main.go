// Command dangol is a chat-bot-first customer assistant for small shops:
// owners text notes from the counter, Dangol remembers their regulars.
//
// Run `dangol --help` for commands, flags and environment variables.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "dangol:", err)
		os.Exit(1)
	}
}

// errUsage means the command line was wrong; the message was printed.
var errUsage = errors.New("usage")

// run dispatches a command line. It is main without the process: tests call
// it with their own arguments, environment and streams.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := ""
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "":
		return runChat(ctx, args, getenv, stdin, stdout, stderr, false)
	case "demo":
		return runChat(ctx, args, getenv, stdin, stdout, stderr, true)
	case "parse":
		return runParse(args, stdin, stdout, stderr)
	case "digest":
		return runDigest(ctx, args, getenv, stdout, stderr)
	case "import":
		return runImport(ctx, args, getenv, stdout, stderr)
	case "export":
		return runExport(ctx, args, getenv, stdout, stderr)
	case "report":
		return runReport(ctx, args, getenv, stdout, stderr)
	case "rules":
		return runRules(ctx, args, getenv, stdout, stderr)
	case "backup":
		return runBackup(ctx, args, getenv, stdout, stderr)
	case "restore":
		return runRestore(ctx, args, getenv, stdout, stderr)
	case "doctor":
		return runDoctor(ctx, args, getenv, stdout, stderr)
	case "help":
		usage(stdout)
		return nil
	}
	fmt.Fprintf(stderr, "dangol: unknown command %q\n\n", cmd)
	usage(stderr)
	return errUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Dangol — a counter assistant for small shops.

Usage:
  dangol [flags]          open the chat: Telegram or Slack when their tokens are set,
                          otherwise the console chat as the shop owner
  dangol demo [flags]     the console chat on a fresh demo bakery (a temporary database;
                          --db PATH keeps it in a new file)
  dangol parse [--now RFC3339] [--tz ZONE] [--currency CODE] [--explain] [TEXT]
                          print what a note means as JSON (one line per input line
                          when TEXT is omitted); uses no database; --explain adds
                          the role of every stretch of the text
  dangol digest --db PATH [--date YYYY-MM-DD] [--json] [--limit N]
                          print the digest of a day (default today) without recording
                          anything; --limit 0 means no limit
  dangol import --db PATH FILE.csv
                          import a ledger (date, customer, items, amount, note, birthday;
                          English or Korean headers; UTF-8, UTF-16 or CP949); importing
                          twice adds nothing; bad rows are listed by line
  dangol import --db PATH FILE.json
                          restore a JSON export into a new (empty) shop
  dangol export --db PATH [--format csv|json]
                          write the visits ledger as CSV (Excel-friendly, with BOM), or
                          the whole shop as JSON, to stdout
  dangol backup --db PATH --to FILE
                          a consistent copy of the database, also while Dangol runs
  dangol restore --from FILE --db PATH
                          check a backup and make it the database at PATH (a new file)
  dangol report --db PATH [--week YYYY-Www] [--json] [--png FILE] [--all-shops]
                          the weekly report of a past week (default last week): visits,
                          groups, follow-up visits against the holdout, top items; --png
                          writes the chart. With a 10% holdout a single shop needs on the
                          order of 1,000 exposures to see a 10-point uplift: --all-shops
                          pools every shop of the database
  dangol rules --db PATH [--json]
                          list the shop's automatic rules (journeys)
  dangol rules dry-run --db PATH [--date YYYY-MM-DD] [--json]
                          who each active rule would message on a day (default today) and
                          who it would skip and why; sends and records nothing
  dangol doctor --db PATH [--repair]
                          check the database file, every reference between rows, and
                          that every customer's visit summary (what the digest reads)
                          agrees with their visits; --repair rebuilds the summaries
  dangol help             this text

  digest, import, export, report and rules take --shop-code CODE to pick a shop in a database of several.

Flags (dangol and dangol demo):
  --db PATH               SQLite database (env DANGOL_DB; default ./dangol.db)
  --now RFC3339           start the clock at this instant; it then runs forward
  --lang ko|en            language of a new shop (env DANGOL_LANG; default ko)
  --shop NAME             name of a new shop (env DANGOL_SHOP)
  --tz ZONE               time zone of a new shop (env DANGOL_TZ; default Asia/Seoul)
  --log-level LEVEL       debug, info, warn or error (env DANGOL_LOG_LEVEL; default warn)
  --telegram-api URL      another Bot API server (env TELEGRAM_API_URL)
  --telegram-webhook URL  receive updates by webhook at this public URL instead of
                          long polling (env TELEGRAM_WEBHOOK_URL; needs TELEGRAM_WEBHOOK_SECRET)
  --telegram-listen ADDR  webhook listen address (env TELEGRAM_LISTEN; default :8443)
  --slack-api URL         another Slack Web API base, such as a test server (env SLACK_API_URL)
  --backup-dir DIR        with a messenger, back the database up to DIR every night
                          (env DANGOL_BACKUP_DIR)
  --backup-keep N         nightly backups kept (env DANGOL_BACKUP_KEEP; default 7)
  --spool DIR             where ledger files sent in the chat wait for their import
                          (env DANGOL_SPOOL; default: next to the database)

Environment:
  DANGOL_DB, DANGOL_LANG, DANGOL_SHOP, DANGOL_TZ, DANGOL_LOG_LEVEL as above.
  TELEGRAM_BOT_TOKEN        run the Telegram bot (long polling unless a webhook is set)
  TELEGRAM_WEBHOOK_SECRET   secret token Telegram must send with every webhook request
  DANGOL_OWNER_TELEGRAM_ID  make this Telegram user the shop's owner (instead of /claim)
  DANGOL_BOT_NAME           the bot's username, for /qr in the console (Telegram knows its own;
                            without it the console's poster shows a placeholder)
  SLACK_APP_TOKEN           (xapp-…) and SLACK_BOT_TOKEN (xoxb-…): run the Slack app in Socket Mode
  DANGOL_WEATHER            kma or open-meteo: the forecast rainy-day rules read (off when unset);
                            the shop's location is set in the chat: /settings location 37.56,126.97
  DANGOL_WEATHER_KEY        the data.go.kr service key (kma), or Open-Meteo's paid API key
                            (commercial use needs one)
`)
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if level == "" {
		level = "warn"
	}
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: %w", level, err)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}
