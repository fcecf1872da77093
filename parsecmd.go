package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dangol/dangol/conversation/parse"
)

// runParse is `dangol parse`: what a note means, as JSON, without a
// database (names are taken as written). --explain adds a "spans" array:
// every stretch of the text with the role the parser gave it.
func runParse(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dangol parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(stderr) }
	nowFlag := fs.String("now", "", "")
	tz := fs.String("tz", "Asia/Seoul", "")
	explain := fs.Bool("explain", false, "")
	currency := fs.String("currency", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		return fmt.Errorf("--tz %q: %w", *tz, err)
	}
	now := time.Now()
	if *nowFlag != "" {
		if now, err = time.Parse(time.RFC3339, *nowFlag); err != nil {
			return fmt.Errorf("--now must be RFC3339 like 2026-11-26T10:00:00+09:00: %w", err)
		}
	}
	if c := *currency; c != "" && (len(c) != 3 || strings.ToUpper(c) != strings.Map(upperASCII, c)) {
		return fmt.Errorf("--currency must be an ISO 4217 code like KRW, USD or GBP, not %q", c)
	}
	opt := parse.Options{Now: now, Loc: loc, Explain: *explain, Currency: strings.ToUpper(*currency)}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	if fs.NArg() > 0 {
		return enc.Encode(parse.Parse(strings.Join(fs.Args(), " "), opt).Contract())
	}
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if err := enc.Encode(parse.Parse(sc.Text(), opt).Contract()); err != nil {
			return fmt.Errorf("parse: write: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("parse: read: %w", err)
	}
	return nil
}

// upperASCII upper-cases ASCII letters and drops anything else.
func upperASCII(r rune) rune {
	switch {
	case r >= 'A' && r <= 'Z':
		return r
	case r >= 'a' && r <= 'z':
		return r - 'a' + 'A'
	}
	return -1
}
