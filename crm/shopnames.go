package crm

import "context"

// ShopNames is what a shop's notes are read against, as of one version of
// its names: the customer names and aliases and the item names and
// aliases (as CustomerStore.Names gives them) and the shop's lexicon (as
// LexiconStore.Lexicon). It is shared: callers must not modify it.
type ShopNames struct {
	// Version changes whenever any of the shop's names or words does.
	Version   int64
	Customers []string
	Items     []string
	Lexicon   map[string]string
}

// ShopNamesStore keeps each shop's names in memory and reads them again
// only when they changed, whoever changed them.
type ShopNamesStore interface {
	// ShopNames returns the shop's names as of now. The same *ShopNames
	// comes back as long as they have not changed.
	ShopNames(ctx context.Context, shopID int64) (*ShopNames, error)
}
