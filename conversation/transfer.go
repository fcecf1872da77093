package conversation

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/dangol/dangol/conversation/ledger"
	"github.com/dangol/dangol/crm"
)

// internalSettings record what Dangol did rather than what the owner
// chose; they stay out of an export.
var internalSettings = map[string]bool{
	crm.SettingJobsDay:        true,
	crm.SettingErasuresSeen:   true,
	crm.SettingWeatherFailing: true,
	settingRetentionAsked:     true,
}

// ExportJSON writes the whole shop as a JSON document (see
// conversation/ledger and crm.ShopData): its settings, language and
// currency, item catalog, lexicon, saved rules and announcements, and
// every customer with or without visits, with their facts, birthday, usual
// day and time, visits, bookings, the occasions rules already fired for
// and the digest's marks. Members, chat links, the consent ledger, the
// outbox and drafts stay out: they are tied to messenger accounts. So do
// the notes history, exposures (the loop's report), rule runs and the
// erasure log: they are history. A backup keeps them all.
func (e *Engine) ExportJSON(ctx context.Context, shop crm.Shop, w io.Writer) error {
	var dw *ledger.DocWriter
	err := e.store.ExportShop(ctx, shop.ID, func(d crm.ShopData) error {
		for k := range d.Settings {
			if internalSettings[k] {
				delete(d.Settings, k)
			}
		}
		var err error
		dw, err = ledger.NewDocWriter(w, d)
		return err
	}, func(c crm.CustomerData) error { return dw.Customer(c) })
	if err != nil {
		return fmt.Errorf("conversation: export: %w", err)
	}
	return dw.Close()
}

// ErrShopNotEmpty means a JSON document was to be imported into a shop
// that already has customers, items, rules, announcements or taught words.
var ErrShopNotEmpty = errors.New("the shop already has customers, items or rules; import a JSON export into a new database")

// ImportJSON restores a JSON document into shop, which must have no
// customers, items, rules, announcements or taught words yet, in one
// transaction, and returns how many customers it added.
func (e *Engine) ImportJSON(ctx context.Context, shop crm.Shop, r io.Reader) (int, error) {
	dr, data, err := ledger.ReadDocument(r)
	if err != nil {
		return 0, fmt.Errorf("conversation: import: %w", err)
	}
	for k := range data.Settings {
		if internalSettings[k] {
			delete(data.Settings, k)
		}
	}
	n, err := e.store.RestoreShop(ctx, shop.ID, data, dr.Next)
	if err != nil {
		if errors.Is(err, crm.ErrInvalidInput) && !errors.Is(err, ledger.ErrDocument) {
			if empty, cerr := e.shopEmpty(ctx, shop); cerr == nil && !empty {
				return 0, fmt.Errorf("conversation: import: %w", ErrShopNotEmpty)
			}
		}
		return 0, fmt.Errorf("conversation: import: %w", err)
	}
	return n, nil
}

func (e *Engine) shopEmpty(ctx context.Context, shop crm.Shop) (bool, error) {
	customers, items, err := e.store.Names(ctx, shop.ID)
	if err != nil || len(customers) > 0 || len(items) > 0 {
		return false, err
	}
	rules, err := e.store.Rules(ctx, shop.ID)
	if err != nil || len(rules) > 0 {
		return false, err
	}
	news, err := e.store.Announcements(ctx, shop.ID, crm.Date{Year: 1, Month: 1, Day: 1})
	if err != nil || len(news) > 0 {
		return false, err
	}
	lex, err := e.store.Lexicon(ctx, shop.ID)
	return len(lex) == 0, err
}
