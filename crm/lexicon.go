package crm

import "context"

// Roles a shop can give a word the note parser could not place.
const (
	LexItem   = "item"   // an item of the catalog
	LexMemo   = "memo"   // context or a remark, kept in the note
	LexIgnore = "ignore" // a word to drop
)

// ValidLexRole reports whether role is one of the lexicon roles.
func ValidLexRole(role string) bool { return role == LexItem || role == LexMemo || role == LexIgnore }

// LexiconInput teaches the shop's note reading one word. The word is kept
// lower-cased.
type LexiconInput struct {
	Word string
	Role string // LexItem, LexMemo or LexIgnore
}

// LexiconStore reads what a shop taught Dangol about words. Words are set
// by notes (Change.Lexicon), so that teaching one can be undone.
type LexiconStore interface {
	// Lexicon returns the shop's words (lower-cased) and their roles.
	Lexicon(ctx context.Context, shopID int64) (map[string]string, error)
}
