// Package vcache keeps answers about published versions as the bytes that are
// sent: a published version never changes, so its items, exports, diffs and
// comparison tables are computed and compressed (gzip and brotli) once per
// process and served from memory after that, within a byte budget.
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
	"io"

	"github.com/andybalholm/brotli"
	"github.com/maypok86/otter/v2"
)

// generation is part of every ETag. Bump it when the encoding of any cached
// answer changes, so that clients holding the old bytes fetch the new ones.
const generation = "1"

// brotliQuality is brotli's level for kept answers. An answer is compressed
// once per process, so a slower level than a per-request one is affordable,
// but 11 takes seconds on a large export; at 6 the seed lists come out 17 %
// smaller than gzip makes them, for about 10 ms more per version (BENCHMARKS.md).
const brotliQuality = 6

// Answer is an answer as built by its handler.
type Answer struct {
	Body        []byte
	ContentType string
	Header      map[string]string // further headers: Content-Disposition, a page's policy
}

// Entry is an answer ready to send.
type Entry struct {
	Answer
	Gzip   []byte // the body gzipped; nil when that would not be smaller
	Brotli []byte // the body in brotli; nil when that would not be smaller than gzip
	ETag   string // quoted; each encoding's is ETag with "-gz" or "-br" before the closing quote
}

// GzipETag is the ETag of the gzipped body.
func (e *Entry) GzipETag() string { return e.ETag[:len(e.ETag)-1] + `-gz"` }

// BrotliETag is the ETag of the brotli body.
func (e *Entry) BrotliETag() string { return e.ETag[:len(e.ETag)-1] + `-br"` }

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
	n := len(e.Body) + len(e.Gzip) + len(e.Brotli) + len(e.ContentType) + len(e.ETag)
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
	if err := compress(zw, a.Body); err != nil {
		return nil, fmt.Errorf("gzip %s: %w", key, err)
	}
	if buf.Len() >= len(a.Body) {
		return e, nil // too small to gain anything from either
	}
	e.Gzip = bytes.Clone(buf.Bytes())
	buf.Reset()
	if err := compress(brotli.NewWriterLevel(&buf, brotliQuality), a.Body); err != nil {
		return nil, fmt.Errorf("brotli %s: %w", key, err)
	}
	if buf.Len() < len(e.Gzip) {
		e.Brotli = bytes.Clone(buf.Bytes())
	}
	return e, nil
}

func compress(w io.WriteCloser, body []byte) error {
	if _, err := w.Write(body); err != nil {
		return err
	}
	return w.Close()
}
