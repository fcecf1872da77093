package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is an output the test reads while the chat writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor returns the first submatch of re in out once it appears.
func waitFor(t *testing.T, out *syncBuffer, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no %v in:\n%s", re, out.String())
	return ""
}

// TestDemoShowsTheCustomerSide: on the demo's console /qr makes a poster
// with a placeholder bot name, shows the shop code and how to try the
// customer side, and that way works; the poster and "my data" stay where
// they can be opened after the demo ends.
func TestDemoShowsTheCustomerSide(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	in, typist := io.Pipe()
	out := &syncBuffer{}
	var errOut bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"demo", "--now", "2026-11-26T10:00:00+09:00", "--lang", "en"},
			func(string) string { return "" }, in, out, &errOut)
	}()
	io.WriteString(typist, "/qr\n")
	code := waitFor(t, out, regexp.MustCompile(`/as customer 1001, then /start ([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})`))
	io.WriteString(typist, "/as customer 1001 en\n/start "+code+"\n1\nMina\nmy data\n")
	typist.Close()
	if err := <-done; err != nil {
		t.Fatalf("demo: %v\n%s", err, errOut.String())
	}
	text := out.String()
	for _, want := range []string{"What the shop keeps", "Nice to meet you, Mina!", "What Sunny Bakery keeps about you, Mina"} {
		if !strings.Contains(text, want) {
			t.Errorf("demo lacks %q:\n%s", want, text)
		}
	}
	dir := filepath.Join(tmp, "dangol-demo")
	for _, pattern := range []string{"dangol-qr-*.png", "my-data-*.json"} {
		files, _ := filepath.Glob(filepath.Join(dir, pattern))
		if len(files) != 1 || !strings.Contains(text, files[0]) {
			t.Errorf("%s kept after the demo: %v\n%s", pattern, files, text)
		}
	}
}

// TestDemoDB: demo --db keeps the demo in a new file that the chat then
// opens; an existing file is refused, untouched.
func TestDemoDB(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if _, errOut, err := runCLI(t, "", "demo", "--db", db); err != nil {
		t.Fatalf("demo --db: %v\n%s", err, errOut)
	}
	out, _, err := runCLI(t, "김민지?\n", "--db", db)
	if err != nil || !strings.Contains(out, "김민지 · 방문") {
		t.Fatalf("the kept demo: %v\n%s", err, out)
	}
	before, _ := os.Stat(db)
	_, _, err = runCLI(t, "", "demo", "--db", db)
	if err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("demo over an existing file: %v", err)
	}
	if after, _ := os.Stat(db); !after.ModTime().Equal(before.ModTime()) || after.Size() != before.Size() {
		t.Fatal("the refused demo touched the file")
	}
	// DANGOL_DB is the shop's own database: the demo does not use it.
	env := func(k string) string {
		if k == "DANGOL_DB" {
			return db
		}
		return ""
	}
	var o, e bytes.Buffer
	if err := run(context.Background(), []string{"demo"}, env, strings.NewReader(""), &o, &e); err != nil {
		t.Fatalf("demo with DANGOL_DB set: %v\n%s", err, e.String())
	}
}

// TestGoLineTakesAnyGo126 keeps go.mod's go line at a .0 release, so any
// Go 1.26 toolchain builds without fetching a newer one, and the README
// says which.
func TestGoLineTakesAnyGo126(t *testing.T) {
	mod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)(\.(\d+))?$`).FindSubmatch(mod)
	if m == nil || (len(m[3]) > 0 && string(m[3]) != "0") {
		t.Fatalf("go line %q: a toolchain older than it is replaced by a download", m)
	}
	if regexp.MustCompile(`(?m)^toolchain `).Match(mod) {
		t.Fatal("a toolchain line makes older toolchains download it")
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(readme, []byte("Go "+string(m[1]))) {
		t.Fatalf("README does not name Go %s", m[1])
	}
}
