package crm

import (
	"errors"
	"testing"
)

// Occasions travel without ids: a booking or an announcement by its place,
// one that is gone marked so, and back to the new ids.
func TestOccasionsTravelWithoutIDs(t *testing.T) {
	bookingPlace := func(id int64) (int, bool) { n, ok := map[int64]int{41: 1, 57: 2}[id]; return n, ok }
	newsPlace := func(id int64) (int, bool) { n, ok := map[int64]int{9: 1}[id]; return n, ok }
	bookingID := func(n int) (int64, bool) { id, ok := map[int]int64{1: 3, 2: 4}[n]; return id, ok }
	newsID := func(n int) (int64, bool) { id, ok := map[int]int64{1: 1}[n]; return id, ok }
	for _, c := range []struct{ stored, doc, restored string }{
		{"booking:57", "booking:#2", "booking:4"},
		{"booking:41", "booking:#1", "booking:3"},
		{"news:9", "news:#1", "news:1"},
		{"booking:12", "booking:gone:12", "booking:gone:12"},
		{"news:3", "news:gone:3", "news:gone:3"},
		{"lapse:2026-10-01", "lapse:2026-10-01", "lapse:2026-10-01"},
		{"birthday:2026", "birthday:2026", "birthday:2026"},
		{"cycle:perm:2026-09-01", "cycle:perm:2026-09-01", "cycle:perm:2026-09-01"},
		{"day:2026-11-12", "day:2026-11-12", "day:2026-11-12"},
	} {
		doc := ExportOccasion(c.stored, bookingPlace, newsPlace)
		if doc != c.doc {
			t.Errorf("ExportOccasion(%q) = %q, want %q", c.stored, doc, c.doc)
		}
		got, err := ImportOccasion(doc, bookingID, newsID)
		if err != nil || got != c.restored {
			t.Errorf("ImportOccasion(%q) = %q, %v; want %q", doc, got, err, c.restored)
		}
		// Exported again from the restored ids: the same document.
		if again := ExportOccasion(got, func(id int64) (int, bool) { n, ok := map[int64]int{3: 1, 4: 2}[id]; return n, ok },
			func(id int64) (int, bool) { return 1, id == 1 }); again != c.doc {
			t.Errorf("exported again %q, want %q", again, c.doc)
		}
	}
	for _, bad := range []string{"", "booking:17", "booking:#3", "booking:#0", "news:#x", "news:gone:x", "booking:#"} {
		if got, err := ImportOccasion(bad, bookingID, newsID); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("ImportOccasion(%q) = %q, %v", bad, got, err)
		}
	}
}
