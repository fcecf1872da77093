// Command faults runs Dangol under faults against the Telegram Bot API
// emulator and checks that nothing is lost: notes from many chats (one of
// them writing a note a second), the dangol process killed with SIGKILL
// several times and left down for a while, and large ledgers imported in
// the middle: one sent in the chat (Telegram lets a bot fetch files of up
// to 20 MB) and one imported with `dangol import` beside the running bot.
// At the end every note sent must be stored exactly once and confirmed
// exactly once — or twice when the process was killed just after Telegram
// took the confirmation, before it could record that (Telegram cannot
// make a send idempotent; a second confirmation beats none) — the ledgers
// imported completely, and no reply left unsent.
//
//	go run ./scripts/faults -notes 2000 -kills 5 -down 20s -chat-mb 19 -cli-mb 50
//
// It needs Node.js and npm (the emulator), and builds dangol from the
// module it is run in unless -dangol names a binary. It prints what it
// measured and exits 1 when a check fails.
package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

// Config is one run.
type Config struct {
	Notes  int           // notes in all
	Chats  int           // chats writing them (the owner and staff)
	Kills  int           // SIGKILLs of the dangol process
	Down   time.Duration // how long it stays down after each
	ChatMB int           // size of the ledger sent in the chat (0: none; at most 19)
	CLIMB  int           // size of the ledger imported with dangol import meanwhile (0: none)
	Dangol string        // the binary; "" builds one
	Dir    string        // working folder; "" makes a temporary one
	Log    io.Writer     // progress
	Seed   uint64
}

// Report is what a run measured.
type Report struct {
	Sent, Stored, Lost, Duplicated         int
	Confirmed, Unconfirmed, ConfirmedTwice int
	// ResentAtKill counts confirmations sent again after a restart because
	// the process was killed just after Telegram accepted them, before it
	// could record that: Telegram has no way to make a send idempotent, and
	// a second confirmation beats none. They are allowed; other repeats
	// are not.
	ResentAtKill             int
	Unsent                   int
	ImportRows, ImportVisits int
	ImportNotices            int
	CLIRows                  int
	CLIStats                 string
	Kills                    int
	Took                     time.Duration
	PeakRSSKB                int
	LongestLock              string
	ImportTook               string
	Failures                 []string
}

// OK reports whether every check passed.
func (r *Report) OK() bool { return len(r.Failures) == 0 }

func (r *Report) fail(format string, args ...any) {
	r.Failures = append(r.Failures, fmt.Sprintf(format, args...))
}

func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "notes: %d sent, %d stored, %d lost, %d duplicated\n", r.Sent, r.Stored, r.Lost, r.Duplicated)
	fmt.Fprintf(&b, "confirmations: %d confirmed once, %d sent again because a kill came just after Telegram took them, "+
		"%d repeated otherwise, %d not confirmed; %d replies left unsent\n",
		r.Confirmed, r.ResentAtKill, r.ConfirmedTwice, r.Unconfirmed, r.Unsent)
	if r.ImportRows > 0 {
		fmt.Fprintf(&b, "chat import: %d rows, final count told %d time(s); took %s, longest write lock %s\n",
			r.ImportRows, r.ImportNotices, r.ImportTook, r.LongestLock)
	}
	if r.CLIRows > 0 {
		fmt.Fprintf(&b, "dangol import beside the bot: %d rows; %s\n", r.CLIRows, r.CLIStats)
	}
	if r.ImportRows+r.CLIRows > 0 {
		fmt.Fprintf(&b, "imported visits stored: %d of %d\n", r.ImportVisits, r.ImportRows+r.CLIRows)
	}
	fmt.Fprintf(&b, "kills: %d; peak RSS of dangol %d MB; took %v\n", r.Kills, r.PeakRSSKB/1024, r.Took.Round(time.Second))
	if r.OK() {
		b.WriteString("OK\n")
	}
	for _, f := range r.Failures {
		fmt.Fprintf(&b, "FAIL: %s\n", f)
	}
	return b.String()
}

func main() {
	var cfg Config
	flag.IntVar(&cfg.Notes, "notes", 2000, "notes in all")
	flag.IntVar(&cfg.Chats, "chats", 20, "chats writing notes (owner and staff)")
	flag.IntVar(&cfg.Kills, "kills", 5, "SIGKILLs of dangol")
	flag.DurationVar(&cfg.Down, "down", 20*time.Second, "downtime after each kill")
	flag.IntVar(&cfg.ChatMB, "chat-mb", 19, "size of the ledger sent in the chat, MB (0: none; at most 19)")
	flag.IntVar(&cfg.CLIMB, "cli-mb", 50, "size of the ledger imported with dangol import beside the bot, MB (0: none)")
	flag.StringVar(&cfg.Dangol, "dangol", "", "dangol binary (default: build it)")
	flag.StringVar(&cfg.Dir, "dir", "", "working folder (default: a temporary one, removed)")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	cfg.Seed = *seed
	cfg.Log = os.Stderr
	r, err := Run(context.Background(), cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "faults:", err)
		os.Exit(2)
	}
	fmt.Print(r.String())
	if !r.OK() {
		os.Exit(1)
	}
}

// token is the bot token the emulator is given.
const token = "123456789:FAULTS-emulator-token_AAAAAAAAAAAAAAAAA"

// Run runs one fault scenario.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Chats < 2 || cfg.Notes < cfg.Chats {
		return nil, errors.New("need at least two chats and a note per chat")
	}
	if cfg.ChatMB > 19 {
		return nil, errors.New("a bot can fetch files of at most 20 MB: use -cli-mb for larger ledgers")
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	logf := func(format string, args ...any) {
		fmt.Fprintf(cfg.Log, "%s faults: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
	}
	dir := cfg.Dir
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	} else {
		d, err := os.MkdirTemp("", "dangol-faults-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	bin := cfg.Dangol
	if bin == "" {
		bin = filepath.Join(dir, "dangol")
		logf("building dangol")
		cmd := exec.Command("go", "build", "-o", bin, ".")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("build: %w\n%s", err, out)
		}
	}
	emu, err := startEmulator(filepath.Join(root, "bot", "telegram", "internal", "tgemu", "node"))
	if err != nil {
		return nil, err
	}
	defer emu.stop()

	rep := &Report{}
	start := time.Now()
	d := &dangol{bin: bin, dir: dir, emu: emu, owner: 1001}
	if err := d.start(); err != nil {
		return nil, err
	}
	defer d.kill()

	// The owner (from the environment) invites the staff.
	users := make([]int64, cfg.Chats)
	for i := range users {
		users[i] = 1001 + int64(i)
	}
	logf("inviting %d staff", cfg.Chats-1)
	joinRe := regexp.MustCompile(`/join (\S+)`)
	for _, u := range users[1:] {
		n := len(emu.messages(users[0]))
		if err := emu.send(users[0], "/invite", true, time.Time{}); err != nil {
			return nil, err
		}
		// Other messages (the morning digest) may come first.
		var m []string
		_, err := emu.wait(users[0], 30*time.Second, func(ms []botMessage) bool {
			for _, msg := range ms[n:] {
				if m = joinRe.FindStringSubmatch(msg.Text); m != nil {
					return true
				}
			}
			return false
		})
		if err != nil {
			return nil, fmt.Errorf("invite: no code: %w", err)
		}
		if err := emu.send(u, "/join "+m[1], true, time.Time{}); err != nil {
			return nil, err
		}
		if _, err := emu.wait(u, 30*time.Second, func(ms []botMessage) bool { return len(ms) > 0 }); err != nil {
			return nil, fmt.Errorf("join: %w", err)
		}
	}

	// The notes: chat 1 (staff) writes one a second, the others in
	// bursts; every note names a new customer of its own.
	rnd := rand.New(rand.NewPCG(cfg.Seed, 7))
	per := cfg.Notes / cfg.Chats
	length := time.Duration(per) * time.Second // the slow chat's pace sets the length
	type note struct {
		chat int64
		text string
		name string
	}
	var mu sync.Mutex
	var sent []note
	var sendErr error
	var wg sync.WaitGroup
	loadStart := time.Now()
	for ci, u := range users {
		count := per
		if ci == 0 {
			count = cfg.Notes - per*(cfg.Chats-1)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			prnd := rand.New(rand.NewPCG(cfg.Seed, uint64(u)))
			for k := range count {
				name := noteName(ci, k)
				text := name + ", croissant"
				if err := emu.send(u, text, false, time.Time{}); err != nil {
					mu.Lock()
					sendErr = err
					mu.Unlock()
					return
				}
				mu.Lock()
				sent = append(sent, note{chat: u, text: text, name: name})
				mu.Unlock()
				var gap time.Duration
				switch {
				case ci == 1:
					gap = time.Second
				case prnd.IntN(4) == 0:
					gap = time.Duration(prnd.IntN(4000)) * time.Millisecond
				default:
					gap = time.Duration(prnd.IntN(200)) * time.Millisecond
				}
				// Keep pace with the slow chat's length overall.
				if want := loadStart.Add(length * time.Duration(k+1) / time.Duration(count)); time.Until(want) > gap {
					gap = time.Until(want)
				}
				time.Sleep(gap)
			}
		}()
	}

	// The ledgers, a third of the way in: one sent by the owner in the
	// chat, one imported with dangol import beside the bot.
	var importRows int
	importDone := make(chan error, 2)
	if cfg.ChatMB > 0 {
		data, rows := makeLedger(cfg.ChatMB<<20, "Regular", rnd)
		importRows = rows
		go func() {
			time.Sleep(length / 3)
			logf("sending a %d MB ledger of %d rows in the chat", cfg.ChatMB, rows)
			importDone <- emu.sendDocument(users[0], "ledger.csv", data)
		}()
	} else {
		importDone <- nil
	}
	if cfg.CLIMB > 0 {
		data, rows := makeLedger(cfg.CLIMB<<20, "Patron", rnd)
		rep.CLIRows = rows
		file := filepath.Join(dir, "cli-ledger.csv")
		if err := os.WriteFile(file, data, 0o600); err != nil {
			return nil, err
		}
		go func() {
			time.Sleep(length / 3)
			logf("importing a %d MB ledger of %d rows with dangol import", cfg.CLIMB, rows)
			out, err := exec.Command(bin, "import", "--db", d.db(), file).CombinedOutput()
			if err != nil {
				importDone <- fmt.Errorf("dangol import: %w\n%s", err, out)
				return
			}
			if m := regexp.MustCompile(`dangol import: (.*)`).FindSubmatch(out); m != nil {
				rep.CLIStats = string(m[1])
			}
			logf("dangol import done: %s", rep.CLIStats)
			importDone <- nil
		}()
	} else {
		importDone <- nil
	}

	// The kills, spread over the run.
	var kills []time.Time
	for k := range cfg.Kills {
		// Spread over the run, each after the downtime of those before.
		at := loadStart.Add(length*time.Duration(k+1)/time.Duration(cfg.Kills+1) + time.Duration(k)*cfg.Down)
		time.Sleep(time.Until(at))
		rss := d.peakRSS()
		rep.PeakRSSKB = max(rep.PeakRSSKB, rss)
		logf("kill -9 (%d of %d; RSS peak %d MB so far); down for %v", k+1, cfg.Kills, rss/1024, cfg.Down)
		kills = append(kills, time.Now())
		d.kill()
		rep.Kills++
		time.Sleep(cfg.Down)
		if err := d.start(); err != nil {
			return nil, err
		}
	}
	wg.Wait()
	for range 2 {
		if err := <-importDone; err != nil {
			return nil, fmt.Errorf("import: %w", err)
		}
	}
	if sendErr != nil {
		return nil, sendErr
	}
	logf("all %d notes sent; waiting for the confirmations", len(sent))

	// Wait for every confirmation (and the import's final count).
	final := regexp.MustCompile(`^Imported: \d+ new customers, \d+ visits\.`)
	deadline := time.Now().Add(5*time.Minute + time.Duration(cfg.ChatMB)*10*time.Second)
	for {
		confirmed := 0
		all := map[int64][]botMessage{}
		for _, u := range users {
			all[u] = emu.messages(u)
		}
		lines := confirmationLines(all)
		for _, n := range sent {
			if len(lines[n.name]) > 0 {
				confirmed++
			}
		}
		imported := importRows == 0 || countMatching(all[users[0]], final) > 0
		if confirmed == len(sent) && imported {
			break
		}
		if time.Now().After(deadline) {
			logf("gave up waiting: %d of %d confirmed, import done %v", confirmed, len(sent), imported)
			break
		}
		time.Sleep(time.Second)
	}
	rep.PeakRSSKB = max(rep.PeakRSSKB, d.peakRSS())
	if !d.stop() {
		rep.fail("dangol did not stop within 30 s of SIGTERM")
	}
	rep.Took = time.Since(start)

	// The checks.
	db, err := sql.Open("sqlite3", "file:"+d.db()+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	stored := map[string]int{}
	rows, err := db.Query(`SELECT text FROM notes WHERE undone_at IS NULL`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var t string
		rows.Scan(&t)
		stored[t]++
	}
	rows.Close()
	all := map[int64][]botMessage{}
	for _, u := range users {
		all[u] = emu.messages(u)
	}
	lines := confirmationLines(all)
	rep.Sent = len(sent)
	for _, n := range sent {
		switch c := stored[n.text]; {
		case c == 0:
			rep.Lost++
		case c > 1:
			rep.Duplicated++
		}
		if stored[n.text] > 0 {
			rep.Stored++
		}
		switch dates := lines[n.name]; {
		case len(dates) == 1:
			rep.Confirmed++
		case len(dates) == 2 && nearKill(dates[0], kills):
			rep.ResentAtKill++
		case len(dates) > 1:
			rep.ConfirmedTwice++
		case stored[n.text] > 0:
			rep.Unconfirmed++
		}
	}
	db.QueryRow(`SELECT count(*) FROM unsent_replies`).Scan(&rep.Unsent)
	rep.ImportRows = importRows
	db.QueryRow(`SELECT count(*) FROM visits WHERE note_id IS NULL`).Scan(&rep.ImportVisits)
	rep.ImportNotices = countMatching(all[users[0]], final)
	rep.LongestLock, rep.ImportTook = d.importFigures()
	if rep.Lost > 0 {
		rep.fail("%d notes lost", rep.Lost)
	}
	if rep.Duplicated > 0 {
		rep.fail("%d notes stored twice", rep.Duplicated)
	}
	if rep.Unconfirmed > 0 || rep.ConfirmedTwice > 0 {
		rep.fail("%d stored notes not confirmed, %d confirmed more than once", rep.Unconfirmed, rep.ConfirmedTwice)
	}
	if rep.Unsent > 0 {
		rep.fail("%d replies left unsent", rep.Unsent)
	}
	if rep.ImportVisits != importRows+rep.CLIRows {
		rep.fail("imports: %d of %d rows stored", rep.ImportVisits, importRows+rep.CLIRows)
	}
	if importRows > 0 && rep.ImportNotices != 1 {
		rep.fail("chat import: final count told %d times", rep.ImportNotices)
	}
	return rep, nil
}

// noteName is the customer of chat ci's k-th note: "Kim " and six
// syllables, distinct for every note. Each digit is a syllable that
// differs from every other digit's in all three letters, so two names are
// never within the owner's typo distance of each other (which would make
// Dangol ask "did you mean …?" instead of recording).
func noteName(ci, k int) string {
	const a, b = "bcdfghjklm", "aeiouyrstw"
	n := ci*1000 + k
	out := make([]byte, 0, 18)
	for div := 100000; div > 0; div /= 10 {
		d := n / div % 10
		out = append(out, a[d], b[d], a[(d+3)%10])
	}
	out[0] -= 'a' - 'A'
	return "Kim " + string(out)
}

// confirmationLines lists, per customer name, when the messages carrying
// its confirmation line ("✓ NAME — …") were sent, oldest first.
func confirmationLines(all map[int64][]botMessage) map[string][]int64 {
	out := map[string][]int64{}
	for _, ms := range all {
		for _, m := range ms {
			for _, line := range strings.Split(m.Text, "\n") {
				if rest, ok := strings.CutPrefix(line, "✓ "); ok {
					if name, _, ok := strings.Cut(rest, " — "); ok {
						out[name] = append(out[name], m.Date)
					}
				}
			}
		}
	}
	for _, d := range out {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	}
	return out
}

// nearKill reports whether a message sent at date (seconds) went out in
// the moments before one of the kills.
func nearKill(date int64, kills []time.Time) bool {
	for _, k := range kills {
		if d := k.Unix() - date; d >= -1 && d <= 3 {
			return true
		}
	}
	return false
}

func countMatching(ms []botMessage, re *regexp.Regexp) int {
	n := 0
	for _, m := range ms {
		if re.MatchString(m.Text) {
			n++
		}
	}
	return n
}

// makeLedger makes a ledger CSV of about size bytes, with dates in the
// past year and customers called prefix and a number.
func makeLedger(size int, prefix string, rnd *rand.Rand) ([]byte, int) {
	items := []string{"croissant", "latte", "baguette", "scone", "bagel", "americano", "cake"}
	var b bytes.Buffer
	b.Grow(size + 200)
	b.WriteString("date,customer,items,amount,note\n")
	rows := 0
	today := time.Now()
	for b.Len() < size {
		d := today.AddDate(0, 0, -1-rnd.IntN(360))
		// Whole won: the shop (English, in Seoul) keeps its amounts in KRW.
		fmt.Fprintf(&b, "%s,%s %05d,%s x%d; %s,%d,\n", d.Format(time.DateOnly), prefix, rnd.IntN(20000),
			items[rnd.IntN(len(items))], 1+rnd.IntN(3), items[rnd.IntN(len(items))], 100*(10+rnd.IntN(400)))
		rows++
	}
	return b.Bytes(), rows
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run faults inside the dangol module")
	}
	return filepath.Dir(mod), nil
}

// dangol is the process under test.
type dangol struct {
	bin, dir string
	emu      *emulator
	owner    int64
	cmd      *exec.Cmd
	logs     int
}

func (d *dangol) db() string { return filepath.Join(d.dir, "faults.db") }

func (d *dangol) start() error {
	d.logs++
	logf, err := os.Create(filepath.Join(d.dir, fmt.Sprintf("dangol-%d.log", d.logs)))
	if err != nil {
		return err
	}
	cmd := exec.Command(d.bin, "--db", d.db(), "--lang", "en", "--log-level", "info", "--spool", filepath.Join(d.dir, "spool"))
	cmd.Env = append(os.Environ(), "TELEGRAM_BOT_TOKEN="+token, "TELEGRAM_API_URL="+d.emu.url,
		"DANGOL_OWNER_TELEGRAM_ID="+strconv.FormatInt(d.owner, 10))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start dangol: %w", err)
	}
	d.cmd = cmd
	go func() {
		cmd.Wait()
		logf.Close()
	}()
	return nil
}

// kill kills dangol with SIGKILL, as a crash or a power cut of the
// process would.
func (d *dangol) kill() {
	if d.cmd != nil && d.cmd.Process != nil {
		d.cmd.Process.Signal(syscall.SIGKILL)
		for d.cmd.ProcessState == nil {
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// stop stops dangol the ordinary way; false when it had to be killed.
func (d *dangol) stop() bool {
	if d.cmd == nil || d.cmd.Process == nil {
		return true
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	deadline := time.Now().Add(30 * time.Second)
	for d.cmd.ProcessState == nil && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	stopped := d.cmd.ProcessState != nil
	d.kill()
	return stopped
}

// peakRSS is the process's peak resident set size so far, in KB.
func (d *dangol) peakRSS() int {
	if d.cmd == nil || d.cmd.Process == nil {
		return 0
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", d.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	return 0
}

// importFigures reads the finished import's figures from the logs.
func (d *dangol) importFigures() (lock, took string) {
	lockRe := regexp.MustCompile(`msg="import done".*longest_write_lock=(\S+ slow_batches=\S+) took=(\S+)`)
	for i := d.logs; i >= 1; i-- {
		data, _ := os.ReadFile(filepath.Join(d.dir, fmt.Sprintf("dangol-%d.log", i)))
		if m := lockRe.FindSubmatch(data); m != nil {
			return string(m[1]), string(m[2]) + " (its last run)"
		}
	}
	return "?", "?"
}

// emulator is the Telegram Bot API emulator's front (see
// bot/telegram/internal/tgemu).
type emulator struct {
	url    string
	cmd    *exec.Cmd
	stdin  io.Closer
	client *http.Client
}

func startEmulator(dir string) (*emulator, error) {
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "telegram-test-api")); err != nil {
		cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("npm ci: %w\n%s", err, out)
		}
	}
	cmd := exec.Command("node", "front.js", "--port", "0", "--host", "127.0.0.1", "--exit-on-stdin-close")
	cmd.Dir = dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the emulator: %w", err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	port, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
	if err != nil || !ok {
		cmd.Process.Kill()
		return nil, fmt.Errorf("the emulator did not start: %q %v", line, err)
	}
	go io.Copy(io.Discard, out)
	return &emulator{url: "http://127.0.0.1:" + port, cmd: cmd, stdin: stdin, client: &http.Client{Timeout: 2 * time.Minute}}, nil
}

func (e *emulator) stop() {
	e.stdin.Close()
	done := make(chan struct{})
	go func() { e.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		e.cmd.Process.Kill()
	}
}

func (e *emulator) call(method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var r struct {
		OK          bool            `json:"ok"`
		Result      json.RawMessage `json:"result"`
		Description string          `json:"description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if !r.OK {
		return fmt.Errorf("%s %s: %s", method, path, r.Description)
	}
	if out != nil {
		return json.Unmarshal(r.Result, out)
	}
	return nil
}

type userJSON struct {
	ID           int64  `json:"id"`
	FirstName    string `json:"first_name"`
	LanguageCode string `json:"language_code"`
}

func user(id int64) userJSON {
	return userJSON{ID: id, FirstName: "User" + strconv.FormatInt(id, 10), LanguageCode: "en"}
}

// send makes user id send text in their private chat.
func (e *emulator) send(id int64, text string, command bool, at time.Time) error {
	route := "/test/sendMessage"
	if command {
		route = "/test/sendCommand"
	}
	body := map[string]any{"token": token, "from": user(id), "chat_id": id, "text": text}
	if !at.IsZero() {
		body["date"] = at.Unix()
	}
	return e.call(http.MethodPost, route, body, nil)
}

func (e *emulator) sendDocument(id int64, name string, data []byte) error {
	return e.call(http.MethodPost, "/test/sendDocument", map[string]any{"token": token, "from": user(id), "chat_id": id,
		"file_name": name, "mime_type": "text/csv", "data_base64": base64.StdEncoding.EncodeToString(data)}, nil)
}

type botMessage struct {
	ID   int    `json:"message_id"`
	Text string `json:"text"`
	Date int64  `json:"date"`
}

func (e *emulator) messages(chat int64) []botMessage {
	var out []botMessage
	q := url.Values{"chat_id": {strconv.FormatInt(chat, 10)}, "token": {token}}
	if err := e.call(http.MethodGet, "/test/botMessages?"+q.Encode(), nil, &out); err != nil {
		return nil
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (e *emulator) wait(chat int64, timeout time.Duration, ok func([]botMessage) bool) ([]botMessage, error) {
	deadline := time.Now().Add(timeout)
	for {
		ms := e.messages(chat)
		if ok(ms) {
			return ms, nil
		}
		if time.Now().After(deadline) {
			return ms, fmt.Errorf("timed out in chat %d; messages: %+v", chat, ms)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
