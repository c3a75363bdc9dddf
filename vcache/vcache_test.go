package vcache

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"testing"
)

// A failed build is returned, not kept: the next request builds again. An
// answer is built once, and gzip and brotli are kept only where they are smaller.
func TestGetBuildsOnceAndKeepsNoErrors(t *testing.T) {
	c, ctx := New(1<<20), context.Background()
	builds := 0
	build := func(body []byte, err error) func(context.Context) (Answer, error) {
		return func(context.Context) (Answer, error) {
			builds++
			return Answer{Body: body, ContentType: "text/plain"}, err
		}
	}
	if _, err := c.Get(ctx, "k", build(nil, errors.New("db down"))); err == nil {
		t.Fatal("the build's error was not returned")
	}
	long := bytes.Repeat([]byte("清单"), 1000)
	for range 3 {
		e, err := c.Get(ctx, "k", build(long, nil))
		if err != nil || !bytes.Equal(e.Body, long) || e.Gzip == nil || len(e.Gzip) >= len(long) || e.Brotli == nil || len(e.Brotli) >= len(e.Gzip) {
			t.Fatalf("entry %v, err %v", e, err)
		}
	}
	if builds != 2 {
		t.Errorf("%d builds; want the failed one and one more", builds)
	}
	short, err := c.Get(ctx, "short", build([]byte("{}"), nil))
	if err != nil || short.Gzip != nil || short.Brotli != nil || short.ETag == "" || short.GzipETag() == short.ETag || short.BrotliETag() == short.GzipETag() {
		t.Errorf("a two-byte answer: gzip %v, ETags %q %q", short.Gzip, short.ETag, short.GzipETag())
	}
	if other, _ := c.Get(ctx, "k2", build(long, nil)); other.ETag == short.ETag {
		t.Error("two keys share an ETag")
	}
}

// What each kept encoding costs to make once and saves on every answer, on
// the two seed lists as stored (125 KB of text; not repeated, which brotli's
// long window would find); gzip alone, what the cache made before brotli, is
// the reference: go test ./vcache -run '^$' -bench Encode
func BenchmarkEncode(b *testing.B) {
	var body []byte
	for _, f := range []string{"hongsibu-medical-security-power-list.txt", "yutian-medical-security-duty-list.txt"} {
		data, err := os.ReadFile("../seeds/" + f)
		if err != nil {
			b.Fatal(err)
		}
		body = append(body, data...)
	}
	var err error
	b.Run("gzip", func(b *testing.B) {
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
			if err := compress(zw, body); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(buf.Len()), "bytes")
	})
	b.Run("gzip+brotli", func(b *testing.B) {
		var e *Entry
		for b.Loop() {
			if e, err = newEntry("k", Answer{Body: body}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(e.Brotli)), "bytes")
	})
}
