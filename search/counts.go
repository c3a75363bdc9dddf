package search

import (
	"context"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"

	"qingdan/models"
)

// Counting the matches of a word that half the province's items contain
// (处罚, 许可, 行政) reads tens of thousands of index entries, far more than
// a search may cost. Yet a list's current items change only when it
// publishes a version, and every search reads each list's current version
// anyway (ListPlaces). So the counts of a query are kept per list together
// with the version they were counted at: a search recounts only the lists
// whose version moved since (or that were never counted), and the counts
// it answers with are always those of the versions it read.

// countCacheSize bounds the queries whose counts are kept (a few hundred KB
// each for the commonest words of a province).
const countCacheSize = 64

// Searcher answers queries over a store, keeping counts between them.
type Searcher struct {
	store  *models.Store
	counts *lru.Cache[string, *queryCounts]
}

// New returns a searcher of the store.
func New(st *models.Store) *Searcher {
	c, err := lru.New[string, *queryCounts](countCacheSize)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return &Searcher{store: st, counts: c}
}

// queryCounts are one query's matches per category, by list, as counted at
// the list's version then. Its lock makes concurrent searches for the same
// words count once.
type queryCounts struct {
	mu    sync.Mutex
	lists map[int64]listCounts
}

type listCounts struct {
	version int
	n       []models.SearchCount
}

// countsIn returns the matches of q per list and category in the lists
// (nil: every list), counting only what is not known at the lists' current
// versions. A cites filter follows the citation links, which change
// without a new version (linking, registry edits), so it is always counted.
func (s *Searcher) countsIn(ctx context.Context, q string, cites int64, places map[int64]models.ListPlace, lists []int64) ([]models.SearchCount, error) {
	if cites != 0 {
		return s.store.SearchCounts(ctx, q, lists, cites)
	}
	entry, ok := s.counts.Get(q)
	if !ok {
		entry = &queryCounts{lists: map[int64]listCounts{}}
		if prev, found, _ := s.counts.PeekOrAdd(q, entry); found {
			entry = prev
		}
	}
	entry.mu.Lock()
	defer entry.mu.Unlock()
	all := make([]models.ListPlace, 0, len(places))
	for _, p := range places {
		all = append(all, p)
	}
	scope := all
	if lists != nil {
		scope = make([]models.ListPlace, len(lists))
		for i, id := range lists {
			scope[i] = places[id]
		}
	}
	perList, err := models.KeptPerVersion(scope, all,
		func(list int64, version int) ([]models.SearchCount, bool) {
			c, ok := entry.lists[list]
			return c.n, ok && c.version == version
		},
		func(list int64, version int, n []models.SearchCount) {
			entry.lists[list] = listCounts{version: version, n: n}
		},
		func(ids []int64) ([]models.SearchCount, error) { return s.store.SearchCounts(ctx, q, ids, 0) },
		func(c models.SearchCount) int64 { return c.ListID })
	if err != nil {
		return nil, err
	}
	var out []models.SearchCount
	for _, n := range perList {
		out = append(out, n...)
	}
	return out, nil
}
