package api

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"qingdan/apperr"
	"qingdan/basis"
	"qingdan/export"
	"qingdan/models"
	"qingdan/workflow"
)

// The instrument registry (法规库), the basis check (依据体检) and law
// changes. Reading the registry and a list's check is open to anyone; the
// rest is the workflow's rule (administrators and legal reviewers).

type instrumentJSON struct {
	models.Instrument
	Texts       []basis.Edition `json:"texts"`        // the original and every amendment, oldest first
	CitingItems *int            `json:"citing_items"` // current items citing it (one instrument only)
}

func (s *Server) listInstruments(c *gin.Context) {
	limit, err := optionalInt(c, "limit")
	if err != nil {
		fail(c, err)
		return
	}
	offset, err := optionalOffset(c)
	if err != nil {
		fail(c, err)
		return
	}
	f := models.InstrumentFilter{Q: strings.TrimSpace(c.Query("q")), Level: c.Query("level"), Status: c.Query("status"), Limit: 50, Offset: offset}
	if limit != nil {
		f.Limit = min(*limit, 500)
	}
	if len([]rune(f.Q)) > 100 {
		invalid(c, "参数 q 不能超过 100 字")
		return
	}
	if f.Level != "" && !contains(models.InstrumentLevels, f.Level) {
		invalid(c, "参数 level 应为：%s", strings.Join(models.InstrumentLevels, "、"))
		return
	}
	if f.Status != "" && !contains(models.InstrumentStatuses, f.Status) {
		invalid(c, "参数 status 应为：%s", strings.Join(models.InstrumentStatuses, "、"))
		return
	}
	ins, total, err := s.store.Instruments(c.Request.Context(), f)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]instrumentJSON, 0, len(ins))
	for _, in := range ins {
		out = append(out, instrumentJSON{Instrument: in})
	}
	c.JSON(http.StatusOK, instrumentPageJSON{Instruments: out, Total: total, Levels: models.InstrumentLevels,
		Statuses: models.InstrumentStatuses, EditionKinds: basis.EditionKinds})
}

// instrumentPageJSON is a page of the registry with the filters' choices.
type instrumentPageJSON struct {
	Instruments  []instrumentJSON `json:"instruments"`
	Total        int64            `json:"total"`
	Levels       []string         `json:"levels"`
	Statuses     []string         `json:"statuses"`
	EditionKinds []string         `json:"edition_kinds"`
}

// optionalOffset reads ?offset= (0 by default).
func optionalOffset(c *gin.Context) (int, error) {
	s, ok := c.GetQuery("offset")
	if !ok || s == "0" {
		return 0, nil
	}
	n, err := optionalInt(c, "offset")
	if err != nil {
		return 0, err
	}
	return *n, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

type changeJSONOut struct {
	models.InstrumentChange
	KindName string `json:"kind_name"`
}

// instrumentDetailJSON is an instrument with the changes recorded for it.
type instrumentDetailJSON struct {
	Instrument instrumentJSON  `json:"instrument"`
	Changes    []changeJSONOut `json:"changes"`
}

func (s *Server) getInstrument(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	in, err := s.store.Instrument(ctx, id)
	if err != nil {
		fail(c, err)
		return
	}
	// The count includes what was published since the last linking; a
	// reader is not failed for it (a read-only database still answers).
	if err := s.flow.LinkPending(ctx); err != nil {
		slog.WarnContext(ctx, "linking citations failed", "err", err)
	}
	counts, err := s.store.CountCurrentCiters(ctx, []int64{id})
	if err != nil {
		fail(c, err)
		return
	}
	changes, err := s.store.InstrumentChanges(ctx, id)
	if err != nil {
		fail(c, err)
		return
	}
	n := counts[id]
	outChanges := make([]changeJSONOut, 0, len(changes))
	for _, ch := range changes {
		outChanges = append(outChanges, changeJSONOut{InstrumentChange: ch, KindName: models.ChangeKindLabels[ch.Kind]})
	}
	c.JSON(http.StatusOK, instrumentDetailJSON{Instrument: instrumentJSON{Instrument: in, Texts: basis.Editions(in.Editions), CitingItems: &n},
		Changes: outChanges})
}

type instrumentBody struct {
	Title        string                     `json:"title"`
	Aliases      []string                   `json:"aliases"`
	Level        string                     `json:"level"`
	Issuer       string                     `json:"issuer"`
	DocNumber    string                     `json:"doc_number"`
	Published    string                     `json:"published"`
	Effective    string                     `json:"effective"`
	Status       string                     `json:"status"`
	ReplacedByID *int64                     `json:"replaced_by_id"`
	ReplacedBy   string                     `json:"replaced_by"`
	SourceURL    string                     `json:"source_url"`
	Confidence   string                     `json:"confidence"`
	Note         string                     `json:"note"`
	Editions     []models.InstrumentEdition `json:"editions"`
}

const instrumentShape = `{"title","aliases":[…],"level","issuer","doc_number","published","effective","status","replaced_by_id","source_url","confidence","note","editions":[{"date","kind"}]}`

func (b instrumentBody) instrument(id int64) models.Instrument {
	return models.Instrument{ID: id, Title: b.Title, Aliases: b.Aliases, Level: b.Level, Issuer: b.Issuer, DocNumber: b.DocNumber,
		Published: b.Published, Effective: b.Effective, Status: b.Status, ReplacedByID: b.ReplacedByID, ReplacedBy: b.ReplacedBy,
		SourceURL: b.SourceURL, Confidence: b.Confidence, Note: b.Note, Editions: b.Editions}
}

type instrumentSavedJSON struct {
	Instrument instrumentJSON `json:"instrument"`
}

func (s *Server) saveInstrument(c *gin.Context, id int64, status int) {
	var b instrumentBody
	if !bindBody(c, &b, instrumentShape) {
		return
	}
	in, err := s.flow.SaveInstrument(c.Request.Context(), currentUser(c), b.instrument(id))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(status, instrumentSavedJSON{Instrument: instrumentJSON{Instrument: in, Texts: basis.Editions(in.Editions)}})
}

func (s *Server) createInstrument(c *gin.Context) { s.saveInstrument(c, 0, http.StatusCreated) }

func (s *Server) updateInstrument(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	s.saveInstrument(c, id, http.StatusOK)
}

func (s *Server) addInstrumentEdition(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var e models.InstrumentEdition
	if !bindBody(c, &e, `{"date":"YYYY-MM-DD","kind":"修正"}`) {
		return
	}
	in, err := s.flow.AddEdition(c.Request.Context(), currentUser(c), id, e)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, instrumentSavedJSON{Instrument: instrumentJSON{Instrument: in, Texts: basis.Editions(in.Editions)}})
}

// importInstruments reads a TSV or XLSX file (multipart field "file") in the
// registry layout and adds or updates its rows.
func (s *Server) importInstruments(c *gin.Context) {
	fh, err := c.FormFile("file")
	if err != nil {
		invalid(c, "请以 multipart 表单字段 file 上传 TSV 或 XLSX 文件")
		return
	}
	f, err := fh.Open()
	if err != nil {
		fail(c, fmt.Errorf("open upload: %w", err))
		return
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		fail(c, err)
		return
	}
	var rows []basis.InstrumentRow
	switch strings.ToLower(filepath.Ext(fh.Filename)) {
	case ".xlsx":
		rows, err = basis.ReadInstrumentsXLSX(bytes.NewReader(data))
	case ".tsv", ".txt":
		rows, err = basis.ReadInstrumentsTSV(bytes.NewReader(data))
	default:
		err = apperr.New(apperr.Invalid, "文件“%s”应为 .tsv 或 .xlsx", fh.Filename)
	}
	if err != nil {
		fail(c, err)
		return
	}
	res, err := s.flow.ImportInstruments(c.Request.Context(), currentUser(c), rows)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, res)
}

type findingKindJSON struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
}

// findingKindsJSON are the finding kinds with their labels, in report order.
func findingKindsJSON() []findingKindJSON {
	out := make([]findingKindJSON, 0, len(basis.FindingKinds))
	for _, k := range basis.FindingKinds {
		out = append(out, findingKindJSON{Kind: k, Label: basis.FindingLabels[k]})
	}
	return out
}

// basisCheckJSON is a list version's basis check (依据体检).
type basisCheckJSON struct {
	ListID   int64             `json:"list_id"`
	Version  int               `json:"version"`
	Findings []basis.Finding   `json:"findings"`
	Summary  map[string]int    `json:"summary"` // findings per kind
	Kinds    []findingKindJSON `json:"kinds"`
}

func (s *Server) basisCheck(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	version, err := s.requestedVersion(c, id)
	if err != nil {
		fail(c, err)
		return
	}
	chk, err := s.flow.CheckList(c.Request.Context(), id, version)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, basisCheckJSON{ListID: chk.ListID, Version: chk.Version, Findings: chk.Findings,
		Summary: basis.Summary(chk.Findings), Kinds: findingKindsJSON()})
}

// basisReportJSON is the region-wide check: every list's findings.
type basisReportJSON struct {
	RegionCode string                `json:"region_code"`
	Lists      []basisReportListJSON `json:"lists"`
	Kinds      []findingKindJSON     `json:"kinds"`
}

type basisReportListJSON struct {
	List     listJSON        `json:"list"`
	Findings []basis.Finding `json:"findings"`
	Summary  map[string]int  `json:"summary"`
}

// basisReport is the region-wide check: JSON, or ?format=xlsx to download.
func (s *Server) basisReport(c *gin.Context) {
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "xlsx" {
		invalid(c, "参数 format 应为 json 或 xlsx")
		return
	}
	rep, err := s.flow.ReportRegion(c.Request.Context(), currentUser(c), c.Query("region"))
	if err != nil {
		fail(c, err)
		return
	}
	if format == "xlsx" {
		lists := make([]export.BasisList, 0, len(rep.Lists))
		name := "全部地区"
		for _, l := range rep.Lists {
			lists = append(lists, export.BasisList{List: l.List, Findings: l.Findings})
			if rep.RegionCode != "" {
				name = l.List.RegionName
			}
		}
		var buf bytes.Buffer
		if err := export.WriteBasisReport(&buf, name, lists, time.Now()); err != nil {
			fail(c, err)
			return
		}
		sendFile(c, export.XLSX, "依据体检报告-"+name+".xlsx", "qingdan-basis-report.xlsx", buf.Bytes())
		return
	}
	out := make([]basisReportListJSON, 0, len(rep.Lists))
	for _, l := range rep.Lists {
		out = append(out, basisReportListJSON{List: toListJSON(l.List), Findings: l.Findings, Summary: basis.Summary(l.Findings)})
	}
	c.JSON(http.StatusOK, basisReportJSON{RegionCode: rep.RegionCode, Lists: out, Kinds: findingKindsJSON()})
}

func (s *Server) recordInstrumentChange(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var b workflow.ChangeInput
	if !bindBody(c, &b, `{"kind":"amended|repealed|replaced|renumbered","date":"YYYY-MM-DD","replaced_by":id,"note","edition_kind":"修正|修订"}`) {
		return
	}
	ch, err := s.flow.RecordChange(c.Request.Context(), currentUser(c), id, b)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, changeJSONOut{InstrumentChange: ch, KindName: models.ChangeKindLabels[ch.Kind]})
}

type impactCitationJSON struct {
	Field       string `json:"field"`
	Level       string `json:"level"`
	Title       string `json:"title"`
	Edition     string `json:"edition"`
	EditionDate string `json:"edition_date"`
}

type impactItemJSON struct {
	ItemID    int64                `json:"item_id"`
	Code      string               `json:"code"`
	Name      string               `json:"name"`
	Citations []impactCitationJSON `json:"citations"`
}

type impactListJSON struct {
	ListID     int64            `json:"list_id"`
	Title      string           `json:"title"`
	Agency     agencyJSON       `json:"agency"`
	RegionCode string           `json:"region_code"`
	DraftID    *int64           `json:"draft_id"`
	ItemCount  int              `json:"item_count"`
	Items      []impactItemJSON `json:"items"`
}

// changeViewJSON is a recorded law change with its instrument.
type changeViewJSON struct {
	changeJSONOut
	Instrument basis.InstrumentRef `json:"instrument"`
}

func toChangeViewJSON(v workflow.ChangeView) changeViewJSON {
	return changeViewJSON{changeJSONOut: changeJSONOut{InstrumentChange: v.InstrumentChange, KindName: models.ChangeKindLabels[v.Kind]},
		Instrument: basis.InstrumentRef{ID: v.Instrument.ID, Title: v.Instrument.Title, Level: v.Instrument.Level, Status: v.Instrument.Status}}
}

// impactJSON is what a law change affects: item_count counts every
// affected list's items; lists is a page of list_count lists (?limit=,
// ?offset=), pending_lists those without the change's draft.
type impactJSON struct {
	Change       changeViewJSON   `json:"change"`
	Lists        []impactListJSON `json:"lists"`
	ItemCount    int              `json:"item_count"`
	ListCount    int              `json:"list_count"`
	PendingLists int              `json:"pending_lists"`
	Limit        int              `json:"limit"`
	Offset       int              `json:"offset"`
}

func (s *Server) instrumentChangeImpact(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	page, err := pageParams(c)
	if err != nil {
		fail(c, err)
		return
	}
	imp, err := s.flow.Impact(c.Request.Context(), currentUser(c), id, page)
	if err != nil {
		fail(c, err)
		return
	}
	lists := make([]impactListJSON, 0, len(imp.Lists))
	for _, l := range imp.Lists {
		lj := impactListJSON{ListID: l.ListID, Title: l.ListTitle, Agency: agencyJSON{ID: l.AgencyID, Name: l.AgencyName},
			RegionCode: l.RegionCode, DraftID: l.DraftID, ItemCount: l.ItemCount, Items: make([]impactItemJSON, 0, len(l.Items))}
		for _, it := range l.Items {
			ij := impactItemJSON{ItemID: it.ItemID, Code: it.Code, Name: it.Name}
			for _, ci := range it.Citations {
				ij.Citations = append(ij.Citations, impactCitationJSON{Field: ci.Field, Level: ci.Level, Title: ci.Title,
					Edition: ci.Edition, EditionDate: ci.EditionDate})
			}
			lj.Items = append(lj.Items, ij)
		}
		lists = append(lists, lj)
	}
	c.JSON(http.StatusOK, impactJSON{Change: toChangeViewJSON(imp.Change), Lists: lists, ItemCount: imp.Items,
		ListCount: imp.Total, PendingLists: imp.Pending, Limit: page.Limit, Offset: page.Offset})
}

// draftJSON is one list's draft request for a law change: created now or found from before.
type draftJSON struct {
	ChangeRequestID int64  `json:"change_request_id"`
	ListID          int64  `json:"list_id"`
	Agency          string `json:"agency"`
	Operations      int    `json:"operations"`
	Created         bool   `json:"created"`
}

type draftsJSON struct {
	Drafts  []draftJSON `json:"drafts"`
	Created int         `json:"created"` // how many are new
}

func (s *Server) createChangeDrafts(c *gin.Context) {
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	res, err := s.flow.CreateDrafts(c.Request.Context(), currentUser(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]draftJSON, 0, len(res))
	created := 0
	for _, r := range res {
		out = append(out, draftJSON{ChangeRequestID: r.ChangeRequestID, ListID: r.ListID, Agency: r.AgencyName,
			Operations: r.Operations, Created: r.Created})
		if r.Created {
			created++
		}
	}
	status := http.StatusOK
	if created > 0 {
		status = http.StatusCreated
	}
	c.JSON(status, draftsJSON{Drafts: out, Created: created})
}

// trigger is the law change a change request was drafted for, nil for none.
func (s *Server) trigger(c *gin.Context, crID int64) (*models.Trigger, error) {
	ts, err := s.store.Triggers(c.Request.Context(), []int64{crID})
	if t, ok := ts[crID]; ok {
		return &t, err
	}
	return nil, err
}
