package models

import "context"

// Page is a window of a collection: at most Limit rows from Offset.
type Page struct {
	Limit  int
	Offset int
}

// Paging bounds, one for every collection.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 500
)

// rawPage runs a raw select with its WHERE clause once to count the rows and
// once for a page of them in order; a negative page.Limit reads them all.
func rawPage[T any](ctx context.Context, s *Store, selectSQL, where, order string, args []any, page Page) ([]T, int64, error) {
	var total int64
	if err := s.DB(ctx).Raw("SELECT COUNT(*) FROM ("+selectSQL+where+") x", args...).Scan(&total).Error; err != nil {
		return nil, 0, err
	}
	query := selectSQL + where + " ORDER BY " + order
	if page.Limit >= 0 {
		query += " LIMIT ? OFFSET ?"
		args = append(args[:len(args):len(args)], page.Limit, page.Offset)
	}
	var out []T
	if err := s.DB(ctx).Raw(query, args...).Scan(&out).Error; err != nil {
		return nil, 0, err
	}
	return out, total, nil
}
