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
// database (names are taken as written).
func runParse(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dangol parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(stderr) }
	nowFlag := fs.String("now", "", "")
	tz := fs.String("tz", "Asia/Seoul", "")
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
	opt := parse.Options{Now: now, Loc: loc}
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
