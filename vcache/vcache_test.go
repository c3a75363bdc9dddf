package vcache

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// A failed build is returned, not kept: the next request builds again. An
// answer is built once, and gzip is kept only where it is smaller.
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
		if err != nil || !bytes.Equal(e.Body, long) || e.Gzip == nil || len(e.Gzip) >= len(long) {
			t.Fatalf("entry %v, err %v", e, err)
		}
	}
	if builds != 2 {
		t.Errorf("%d builds; want the failed one and one more", builds)
	}
	short, err := c.Get(ctx, "short", build([]byte("{}"), nil))
	if err != nil || short.Gzip != nil || short.ETag == "" || short.GzipETag() == short.ETag {
		t.Errorf("a two-byte answer: gzip %v, ETags %q %q", short.Gzip, short.ETag, short.GzipETag())
	}
	if other, _ := c.Get(ctx, "k2", build(long, nil)); other.ETag == short.ETag {
		t.Error("two keys share an ETag")
	}
}
