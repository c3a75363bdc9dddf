package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"qingdan/apperr"
	"qingdan/basis"
	"qingdan/models"
	"qingdan/vcache"
)

type agencyJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type regionJSON struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type listJSON struct {
	ID        int64      `json:"id"`
	Title     string     `json:"title"`
	Kind      string     `json:"kind" ts:"ListKind"`
	Agency    agencyJSON `json:"agency"`
	Region    regionJSON `json:"region"`
	Version   int        `json:"version"`
	ItemCount int        `json:"item_count"`
}

func toListJSON(l models.ListSummary) listJSON {
	return listJSON{
		ID: l.ID, Title: l.Title, Kind: l.Kind,
		Agency:  agencyJSON{ID: l.AgencyID, Name: l.AgencyName},
		Region:  regionJSON{Code: l.RegionCode, Name: l.RegionName},
		Version: l.Version, ItemCount: l.ItemCount,
	}
}

// itemJSON is an item of a version: its stable identity and its fields.
type itemJSON struct {
	ID int64 `json:"id"`
	models.ItemFields
}

func toItemJSON(r models.ItemRevision) itemJSON {
	return itemJSON{ID: max(r.ItemID, 0), ItemFields: readable(r.Fields())} // a pending item (negative) has no id yet
}

// readable is an item's fields as every answer sends them: paragraphs as
// text with "\n" between them (basis.Readable), no citations as [].
func readable(f models.ItemFields) models.ItemFields {
	f = basis.Readable(f)
	if f.Citations == nil {
		f.Citations = []models.Citation{}
	}
	return f
}

type listPageJSON struct {
	Lists []listJSON `json:"lists"`
	Total int64      `json:"total"`
}

func (s *Server) listLists(c *gin.Context) {
	page, err := pageParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	f := models.ListFilter{Within: c.Query("region"), Kind: c.Query("kind")}
	if f.Q, err = queryText(c, "q", 64); err != nil {
		fail(c, err)
		return
	}
	if f.Kind != "" && f.Kind != models.KindPower && f.Kind != models.KindDuty {
		fail(c, fieldError("kind", "应为 power（权力清单）或 duty（权责清单），收到 %q", f.Kind))
		return
	}
	if f.AgencyID, err = optionalID(c, "agency_id"); err != nil {
		fail(c, err)
		return
	}
	lists, total, err := s.store.ListSummaryPage(c.Request.Context(), f, page)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]listJSON, 0, len(lists))
	for _, l := range lists {
		out = append(out, toListJSON(l))
	}
	c.JSON(http.StatusOK, listPageJSON{Lists: out, Total: total})
}

func (s *Server) getList(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	l, err := s.store.ListSummary(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	full, err := s.store.List(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, listDetailJSON{toListJSON(l), full.ColumnLayout()})
}

// itemsPageJSON is a version's items, in list order.
type itemsPageJSON struct {
	ListID  int64      `json:"list_id"`
	Version int        `json:"version"`
	Items   []itemJSON `json:"items"`
}

// listDetailJSON is a list with its own columns, in which the UI shows its
// items and edits their extra columns.
type listDetailJSON struct {
	listJSON
	Layout *models.Layout `json:"layout"`
}

// requestedVersion resolves ?version=N or ?at=YYYY-MM-DD (default: current).
func (s *Server) requestedVersion(c *gin.Context, listID int64) (int, error) {
	ctx := c.Request.Context()
	l, err := s.store.List(ctx, listID)
	if err != nil {
		return 0, err
	}
	number, err := optionalInt(c, "version")
	if err != nil {
		return 0, err
	}
	at, err := optionalDate(c, "at")
	if err != nil {
		return 0, err
	}
	switch {
	case number != nil && at != nil:
		return 0, apperr.New(apperr.Invalid, "参数 version 与 at 只能给出一个")
	case number != nil:
		v, err := s.store.Version(ctx, listID, *number)
		return v.Number, err
	case at != nil:
		v, err := s.store.VersionAt(ctx, listID, *at)
		return v.Number, err
	}
	return l.CurrentVersion, nil
}

func (s *Server) listItems(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	version, named, _, err := s.cachedVersion(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	f := models.ItemFilter{Category: c.Query("category"), Q: c.Query("q")}
	key := fmt.Sprintf("items %d %d %q", id, version, f.Category)
	if f.Q != "" {
		key = "" // free text is not kept
	}
	s.serveVersioned(c, key, named, func(ctx context.Context) (vcache.Answer, error) {
		if named { // check the named version exists
			if _, err := s.requestedVersion(c, id); err != nil {
				return vcache.Answer{}, err
			}
		}
		revs, err := s.store.ItemsAt(ctx, id, version, f)
		if err != nil {
			return vcache.Answer{}, err
		}
		items := make([]itemJSON, 0, len(revs))
		for _, r := range revs {
			items = append(items, toItemJSON(r))
		}
		return jsonAnswer(itemsPageJSON{ListID: id, Version: version, Items: items})
	})
}

func (s *Server) getItem(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	r, err := s.store.CurrentRevision(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toItemJSON(r))
}
