package models

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
