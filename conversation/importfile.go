package conversation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dangol/dangol/conversation/ledger"
	"github.com/dangol/dangol/crm"
)

// File is a document sent in the chat.
type File struct {
	Name string
	Data []byte
}

// MaxFile is the largest ledger file read from a chat, in bytes.
const MaxFile = 20 << 20

// ImportLedger reads a CSV ledger and imports its good rows into shop in
// one transaction. The text says what was added and lists the rows left
// out, by line, in the shop's language.
func (e *Engine) ImportLedger(ctx context.Context, shop crm.Shop, data []byte) (string, error) {
	rows, problems, err := ledger.Read(bytes.NewReader(data))
	if errors.Is(err, ledger.ErrHeader) {
		return e.cat.T(shop.Lang, "import.no_header", nil), nil
	}
	if err != nil {
		return e.cat.T(shop.Lang, "import.unreadable", nil), err
	}
	res, err := e.store.Import(ctx, shop.ID, rows, e.now())
	if err != nil {
		return e.cat.T(shop.Lang, "error.not_saved", nil), fmt.Errorf("conversation: import: %w", err)
	}
	return e.importSummary(shop.Lang, res, problems), nil
}

func (e *Engine) importSummary(lang string, res crm.ImportResult, problems []ledger.Problem) string {
	var b strings.Builder
	b.WriteString(e.cat.T(lang, "import.done", map[string]any{"Customers": res.Customers, "Visits": res.Visits}))
	if res.Skipped > 0 {
		b.WriteString("\n" + e.cat.N(lang, "import.skipped", res.Skipped, nil))
	}
	if len(problems) > 0 {
		b.WriteString("\n" + e.cat.N(lang, "import.problems", len(problems), nil))
		for i, p := range problems {
			if i == 20 {
				b.WriteString("\n" + e.cat.N(lang, "import.problems_more", len(problems)-20, nil))
				break
			}
			b.WriteString("\n" + e.cat.T(lang, "import.problem."+p.Code, map[string]any{"Line": p.Line, "Value": p.Value}))
		}
	}
	return b.String()
}

// file answers a document sent in the chat: a CSV ledger is imported
// (owner only).
func (e *Engine) file(ctx context.Context, s *session, f *File) ([]Reply, error) {
	if !s.isOwner() {
		return e.ownerOnly(s), nil
	}
	if !strings.HasSuffix(strings.ToLower(f.Name), ".csv") || len(f.Data) > MaxFile {
		return one(e.cat.T(s.lang, "import.not_csv", nil)), nil
	}
	text, err := e.ImportLedger(ctx, s.shop, f.Data)
	return one(text), err
}
