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
	scope := lists
	if scope == nil {
		scope = make([]int64, 0, len(places))
		for id := range places {
			scope = append(scope, id)
		}
	}
	var stale []int64
	for _, id := range scope {
		if c, ok := entry.lists[id]; !ok || c.version != places[id].Version {
			stale = append(stale, id)
		}
	}
	if len(stale) > 0 {
		// Most of the lists: one count over all of them reads the index once.
		ask := stale
		if 2*len(stale) > len(places) {
			ask = nil
		}
		fresh, err := s.store.SearchCounts(ctx, q, ask, 0)
		if err != nil {
			return nil, err
		}
		byList := map[int64][]models.SearchCount{}
		for _, c := range fresh {
			byList[c.ListID] = append(byList[c.ListID], c)
		}
		counted := stale
		if ask == nil {
			counted = counted[:0:0]
			for id := range places {
				counted = append(counted, id)
			}
		}
		for _, id := range counted {
			entry.lists[id] = listCounts{version: places[id].Version, n: byList[id]}
		}
	}
	var out []models.SearchCount
	for _, id := range scope {
		out = append(out, entry.lists[id].n...)
	}
	return out, nil
}
