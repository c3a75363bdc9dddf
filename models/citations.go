package models

import (
	"encoding/json"
	"slices"
	"sync"
)

// decodeCitations decodes a revision's citations column. The same lists are
// read again and again (every workflow step validates against the whole
// list), and decoding the JSON was the largest CPU cost of those reads, so
// decoded citations are kept by their JSON text. Callers get a copy: the
// citations are plain strings, so nothing they do reaches the cache.
func decodeCitations(text string) ([]Citation, error) {
	citationCache.Lock()
	cs, ok := citationCache.m[text]
	citationCache.Unlock()
	if !ok {
		if err := json.Unmarshal([]byte(text), &cs); err != nil {
			return nil, err
		}
		citationCache.Lock()
		if len(citationCache.m) >= citationCacheSize {
			clear(citationCache.m) // a crude bound: a cold cache refills in a few reads
		}
		citationCache.m[text] = cs
		citationCache.Unlock()
	}
	return slices.Clone(cs), nil
}

// citationCacheSize bounds the cache: the citations of some 30 lists of 300
// items, about 10 MB.
const citationCacheSize = 8192

var citationCache = struct {
	sync.Mutex
	m map[string][]Citation
}{m: map[string][]Citation{}}
