// Package vcache keeps answers about published versions as the bytes that are
// sent: a published version never changes, so its items, exports, diffs and
// comparison tables are computed and gzipped once per process and served from
// memory after that, within a byte budget.
//
// A key must name everything the answer depends on (list, version or
// versions, route, format, filters) and nothing that can change under the
// same key: callers resolve "the current version" to its number first.
package vcache

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/maypok86/otter/v2"
)

// generation is part of every ETag. Bump it when the encoding of any cached
// answer changes, so that clients holding the old bytes fetch the new ones.
const generation = "1"

// Answer is an answer as built by its handler.
type Answer struct {
	Body        []byte
	ContentType string
	Header      map[string]string // further headers: Content-Disposition, a page's policy
}

// Entry is an answer ready to send.
type Entry struct {
	Answer
	Gzip []byte // the body gzipped; nil when that would not be smaller
	ETag string // quoted; the gzipped body's is ETag with "-gz" before the closing quote
}

// GzipETag is the ETag of the gzipped body.
func (e *Entry) GzipETag() string { return e.ETag[:len(e.ETag)-1] + `-gz"` }

// Cache holds entries up to a budget of bytes (bodies, gzipped bodies and
// headers), evicting the least valuable first.
type Cache struct {
	c *otter.Cache[string, *Entry]
}

// New makes a cache holding at most budget bytes.
func New(budget uint64) *Cache {
	return &Cache{c: otter.Must(&otter.Options[string, *Entry]{
		MaximumWeight: budget,
		Weigher:       func(k string, e *Entry) uint32 { return uint32(min(e.size()+len(k), 1<<32-1)) },
	})}
}

func (e *Entry) size() int {
	n := len(e.Body) + len(e.Gzip) + len(e.ContentType) + len(e.ETag)
	for k, v := range e.Header {
		n += len(k) + len(v)
	}
	return n
}

// Get returns the entry of key, building it once (concurrent requests for
// the same key wait for the one build). An error is returned, not kept.
func (c *Cache) Get(ctx context.Context, key string, build func(context.Context) (Answer, error)) (*Entry, error) {
	return c.c.Get(ctx, key, otter.LoaderFunc[string, *Entry](func(ctx context.Context, key string) (*Entry, error) {
		a, err := build(ctx)
		if err != nil {
			return nil, err
		}
		return newEntry(key, a)
	}))
}

// Size is the bytes held now (tests check the budget with it).
func (c *Cache) Size() uint64 {
	c.c.CleanUp()
	return c.c.WeightedSize()
}

func newEntry(key string, a Answer) (*Entry, error) {
	sum := sha256.Sum256([]byte(generation + "\x00" + key))
	e := &Entry{Answer: a, ETag: `"qd` + generation + "-" + hex.EncodeToString(sum[:12]) + `"`}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(a.Body); err != nil {
		return nil, fmt.Errorf("gzip %s: %w", key, err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("gzip %s: %w", key, err)
	}
	if buf.Len() < len(a.Body) {
		e.Gzip = bytes.Clone(buf.Bytes())
	}
	return e, nil
}
