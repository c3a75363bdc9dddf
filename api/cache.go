package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"qingdan/models"
	"qingdan/vcache"
)

// Published versions are served from the version cache (vcache): their
// items, exports, diffs and comparison tables are built once per process and
// sent as stored bytes, compressed once, with an ETag. None of these answers
// depends on who asks, so one entry serves anonymous and logged-in readers
// alike; the routes' rate limit for anonymous clients stays in front.

// DefaultVersionCacheBytes is the version cache's budget when Options gives none.
const DefaultVersionCacheBytes = 256 << 20

const (
	cacheForever    = "public, max-age=31536000, immutable" // the URL names its version(s)
	cacheRevalidate = "no-cache"                            // the current version can move on
)

// cachedVersion is the version a cached read of list id answers for, and
// the name of the list's agency now (exports print it, so their keys name
// it: a renamed agency's exports are built anew). Both come from the list's
// head (models.ListHead): from memory while this instance listens to the
// database's notifications of publications and renamings, otherwise one
// indexed lookup, so that a publication on any instance shows on the very
// next request here. A version named by ?version= is taken as it is (its
// answer, once built, never changes; the build checks that it exists);
// ?at= is resolved to the version then in force.
func (s *Server) cachedVersion(c *gin.Context, listID int64) (version int, named bool, agency string, err error) {
	head, err := s.store.ListHead(c.Request.Context(), listID)
	if err != nil {
		return 0, false, "", err
	}
	if _, at := c.GetQuery("at"); at {
		v, err := s.requestedVersion(c, listID)
		return v, false, head.Agency, err
	}
	if n, err := optionalInt(c, "version"); err != nil || n != nil {
		if err != nil {
			return 0, false, "", err
		}
		return *n, true, head.Agency, nil
	}
	return head.Version, false, head.Agency, nil
}

// serveVersioned answers with the entry of key, built by build on the first
// request. key names everything the answer depends on — route, list,
// version number(s), format, filters — with versions already resolved to
// numbers. named says the URL names its versions, so that browsers and
// proxies may keep the answer for good; otherwise they revalidate it with its
// ETag on every use. An empty key builds and sends without keeping anything
// (free-text filters, which would crowd the cache with answers asked once).
func (s *Server) serveVersioned(c *gin.Context, key string, named bool, build func(context.Context) (vcache.Answer, error)) {
	if key == "" {
		a, err := build(c.Request.Context())
		if err != nil {
			fail(c, err)
			return
		}
		sendAnswer(c, a)
		return
	}
	// Built on the primary: what is kept for good must not come from a
	// replica that has not replayed the version, or an agency's new name, yet.
	e, err := s.versions.Get(models.Primary(c.Request.Context()), key, build)
	if err != nil {
		fail(c, err)
		return
	}
	h := c.Writer.Header()
	h.Set("Cache-Control", cacheRevalidate)
	if named {
		h.Set("Cache-Control", cacheForever)
	}
	h.Set("Vary", "Accept-Encoding")
	// brotli where the client takes it (every current browser over HTTPS), else gzip.
	body, etag, coding := e.Body, e.ETag, ""
	switch accept := c.GetHeader("Accept-Encoding"); {
	case e.Brotli != nil && accepts(accept, "br"):
		body, etag, coding = e.Brotli, e.BrotliETag(), "br"
	case e.Gzip != nil && accepts(accept, "gzip"):
		body, etag, coding = e.Gzip, e.GzipETag(), "gzip"
	}
	h.Set("ETag", etag)
	if noneMatch(c.GetHeader("If-None-Match"), e) {
		c.Status(http.StatusNotModified)
		return
	}
	if coding != "" {
		h.Set("Content-Encoding", coding)
	}
	sendAnswer(c, vcache.Answer{Body: body, ContentType: e.ContentType, Header: e.Header})
}

func sendAnswer(c *gin.Context, a vcache.Answer) {
	for k, v := range a.Header {
		c.Header(k, v)
	}
	c.Data(http.StatusOK, a.ContentType, a.Body)
}

// jsonAnswer encodes v as c.JSON would.
func jsonAnswer(v any) (vcache.Answer, error) {
	b, err := json.Marshal(v)
	return vcache.Answer{Body: b, ContentType: "application/json; charset=utf-8"}, err
}

// accepts reports whether an Accept-Encoding header admits the coding (by
// name, or by * when the header does not name it) with a quality above zero.
func accepts(header, coding string) bool {
	star := false
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != coding && name != "*" {
			continue
		}
		q := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				q = f
			}
		}
		if name == coding {
			return q > 0
		}
		star = q > 0
	}
	return star
}

// noneMatch reports whether If-None-Match names either representation of
// the entry (weakly compared, as RFC 9110 asks for If-None-Match).
func noneMatch(header string, e *vcache.Entry) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == e.ETag || tag == e.GzipETag() || tag == e.BrotliETag() {
			return true
		}
	}
	return false
}
