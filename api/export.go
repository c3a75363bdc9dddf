package api

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/gin-gonic/gin"

	"qingdan/export"
	"qingdan/vcache"
)

// Exports of published versions and comparison tables, open to anonymous
// readers like the versions themselves.

func (s *Server) exportList(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	format, err := export.ParseFormat(c.Query("format"), export.VersionFormats)
	if err != nil {
		fail(c, err)
		return
	}
	number, named, agency, err := s.cachedVersion(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	s.serveVersioned(c, fmt.Sprintf("export %d %d %s %q", id, number, format, agency), named, func(ctx context.Context) (vcache.Answer, error) {
		v, err := export.LoadVersion(ctx, s.store, id, number) // checks a named version exists
		if err != nil {
			return vcache.Answer{}, err
		}
		var buf bytes.Buffer
		if err := export.Write(&buf, format, v); err != nil {
			return vcache.Answer{}, err
		}
		return fileAnswer(format, v.FileName(format), fmt.Sprintf("qingdan-list-%d-v%d.%s", id, v.Number, format), buf.Bytes()), nil
	})
}

func (s *Server) listComparison(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	format, err := export.ParseFormat(c.Query("format"), export.ComparisonFormats)
	if err != nil {
		fail(c, err)
		return
	}
	from, to, err := versionPair(c)
	if err != nil {
		fail(c, err)
		return
	}
	key := fmt.Sprintf("comparison %d %d %d %s", id, from, to, format)
	s.serveVersioned(c, key, true, func(ctx context.Context) (vcache.Answer, error) {
		cmp, err := export.ListComparison(ctx, s.store, id, from, to)
		if err != nil {
			return vcache.Answer{}, err
		}
		return comparisonAnswer(format, cmp, fmt.Sprintf("qingdan-list-%d-comparison-v%d-v%d", id, from, to))
	})
}

// comparisonAnswer is a comparison table: XLSX as a download, HTML as a
// page to print. The page's policy lets no script run and nothing load, a
// second line of defence behind the template's escaping.
func comparisonAnswer(format export.Format, cmp export.Comparison, asciiBase string) (vcache.Answer, error) {
	var buf bytes.Buffer
	if err := export.WriteComparison(&buf, format, cmp); err != nil {
		return vcache.Answer{}, err
	}
	a := fileAnswer(format, cmp.FileBase+"."+string(format), asciiBase+"."+string(format), buf.Bytes())
	if format == export.HTML {
		a.Header["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
	}
	return a, nil
}

// sendFile answers with a file (fileAnswer).
func sendFile(c *gin.Context, format export.Format, name, asciiName string, data []byte) {
	sendAnswer(c, fileAnswer(format, name, asciiName, data))
}

// fileAnswer is a file to send. Content-Disposition carries an ASCII
// filename for old clients and the Chinese one as RFC 5987 filename*; an HTML
// page is shown inline, everything else downloaded.
func fileAnswer(format export.Format, name, asciiName string, data []byte) vcache.Answer {
	disposition := "attachment"
	if format == export.HTML {
		disposition = "inline"
	}
	return vcache.Answer{Body: data, ContentType: format.ContentType(), Header: map[string]string{
		"Content-Disposition":    fmt.Sprintf(`%s; filename="%s"; filename*=UTF-8''%s`, disposition, asciiName, rfc5987(name)),
		"X-Content-Type-Options": "nosniff",
	}}
}

// rfc5987 percent-encodes a value for filename*: every byte outside
// RFC 5987's attr-char set.
func rfc5987(s string) string {
	const attrChar = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if 'a' <= ch && ch <= 'z' || 'A' <= ch && ch <= 'Z' || '0' <= ch && ch <= '9' || strings.IndexByte(attrChar, ch) >= 0 {
			b.WriteByte(ch)
		} else {
			fmt.Fprintf(&b, "%%%02X", ch)
		}
	}
	return b.String()
}

// requestComparison is the table of a change request. Whether the user may
// see the request is the workflow's rule: one they may not see is not found.
func (s *Server) requestComparison(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	format, err := export.ParseFormat(c.Query("format"), export.ComparisonFormats)
	if err != nil {
		fail(c, err)
		return
	}
	d, err := s.flow.Get(c.Request.Context(), currentUser(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	pending := make([]export.Pending, 0, len(d.Operations))
	for _, op := range d.Operations {
		pending = append(pending, export.Pending{Operation: op.Operation, Change: op.Change})
	}
	cmp, err := export.RequestComparison(c.Request.Context(), s.store, d.Request, pending)
	if err != nil {
		fail(c, err)
		return
	}
	// A change request is not published and what it shows depends on who
	// asks: sent as built, never kept.
	a, err := comparisonAnswer(format, cmp, fmt.Sprintf("qingdan-change-request-%d-comparison", id))
	if err != nil {
		fail(c, err)
		return
	}
	sendAnswer(c, a)
}
