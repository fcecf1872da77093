package storage

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/dangol/dangol/crm"
)

// Each shop's names — customers and their aliases, items and theirs, the
// lexicon — are kept in memory as of a version of them (shops.names_version,
// raised by triggers on every change, from any process). Reading them costs
// reading that one number; they are read again only when it moved.

var _ crm.ShopNamesStore = (*DB)(nil)

// nameCache holds the shops' names in memory.
type nameCache struct {
	mu    sync.Mutex
	shops map[int64]*shopNames
}

// shopNames is a shop's names as of one version, with its customers by
// the names a note may call them.
type shopNames struct {
	crm.ShopNames
	// byKey maps a folded name (foldKey) to the customers it may mean:
	// by full name (rank 0), alias (1) or given name (2), best first,
	// then in the order the customers were added.
	byKey map[string][]nameRef
}

type nameRef struct {
	id   int64
	rank int
}

// ShopNames returns the shop's names as of now; see crm.ShopNamesStore.
func (db *DB) ShopNames(ctx context.Context, shopID int64) (*crm.ShopNames, error) {
	n, err := db.names(ctx, shopID)
	if err != nil {
		return nil, fmt.Errorf("storage: shop names: %w", err)
	}
	return &n.ShopNames, nil
}

// names returns the shop's names, from memory while they are current.
func (db *DB) names(ctx context.Context, shopID int64) (*shopNames, error) {
	var v int64
	err := db.db.QueryRowContext(ctx, `SELECT names_version FROM shops WHERE id = ?`, shopID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("shop %d: %w", shopID, crm.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	db.nc.mu.Lock()
	cur := db.nc.shops[shopID]
	db.nc.mu.Unlock()
	if cur != nil && cur.Version == v {
		return cur, nil
	}
	n, err := db.loadNames(ctx, shopID)
	if err != nil {
		return nil, err
	}
	db.nc.mu.Lock()
	defer db.nc.mu.Unlock()
	if db.nc.shops == nil {
		db.nc.shops = map[int64]*shopNames{}
	}
	// Another reader may have loaded a newer version meanwhile.
	if cur := db.nc.shops[shopID]; cur == nil || cur.Version < n.Version {
		db.nc.shops[shopID] = n
	}
	return n, nil
}

// loadNames reads a shop's names, all from one snapshot of the database.
func (db *DB) loadNames(ctx context.Context, shopID int64) (*shopNames, error) {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	// A read transaction (BEGIN is deferred: it takes no write lock).
	if _, err := conn.ExecContext(ctx, `BEGIN`); err != nil {
		return nil, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
	n := &shopNames{byKey: map[string][]nameRef{}}
	n.Lexicon = map[string]string{}
	if err := conn.QueryRowContext(ctx, `SELECT names_version FROM shops WHERE id = ?`, shopID).Scan(&n.Version); err != nil {
		return nil, err
	}
	// The lists as Names has always given them: case-insensitively
	// distinct, in NOCASE order.
	if n.Customers, err = stringsOf(ctx, conn, `SELECT name FROM customers WHERE shop_id = ?1
		UNION SELECT alias FROM customer_aliases WHERE shop_id = ?1 ORDER BY 1`, shopID); err != nil {
		return nil, fmt.Errorf("customer names: %w", err)
	}
	if n.Items, err = stringsOf(ctx, conn, `SELECT name FROM items WHERE shop_id = ?1
		UNION SELECT alias FROM item_aliases WHERE shop_id = ?1 ORDER BY 1`, shopID); err != nil {
		return nil, fmt.Errorf("item names: %w", err)
	}
	rows, err := conn.QueryContext(ctx, `SELECT word, role FROM lexicon WHERE shop_id = ?`, shopID)
	if err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	for rows.Next() {
		var w, r string
		if err := rows.Scan(&w, &r); err != nil {
			rows.Close()
			return nil, fmt.Errorf("lexicon: %w", err)
		}
		n.Lexicon[w] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	// Customers by every name a note may call them.
	add := func(key string, id int64, rank int) {
		refs := n.byKey[key]
		for i := range refs {
			if refs[i].id == id {
				refs[i].rank = min(refs[i].rank, rank)
				return
			}
		}
		n.byKey[key] = append(refs, nameRef{id, rank})
	}
	rows, err = conn.QueryContext(ctx, `SELECT id, name, 0 FROM customers WHERE shop_id = ?1
		UNION ALL SELECT customer_id, alias, 1 FROM customer_aliases WHERE shop_id = ?1`, shopID)
	if err != nil {
		return nil, fmt.Errorf("customer names: %w", err)
	}
	for rows.Next() {
		var id int64
		var name string
		var alias bool
		if err := rows.Scan(&id, &name, &alias); err != nil {
			rows.Close()
			return nil, fmt.Errorf("customer names: %w", err)
		}
		if alias {
			add(foldKey(name), id, 1)
			continue
		}
		add(foldKey(name), id, 0)
		for _, g := range givenNames(name) {
			add(foldKey(g), id, 2)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("customer names: %w", err)
	}
	for _, refs := range n.byKey {
		slices.SortFunc(refs, func(a, b nameRef) int {
			return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.id, b.id))
		})
	}
	return n, nil
}
