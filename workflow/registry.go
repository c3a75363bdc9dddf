package workflow

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"

	"qingdan/apperr"
	"qingdan/basis"
	"qingdan/models"
)

// The instrument registry (法规库): maintained by administrators and legal
// reviewers, every change audited, every citation linked to it.

// registryCache keeps the registry between requests; it is read again when
// its stamp (count and last change) moved, so every instance sees every edit.
type registryCache struct {
	mu    sync.Mutex
	stamp string
	reg   *basis.Registry
}

// Registry returns the whole registry for resolving citations.
func (s *Service) Registry(ctx context.Context) (*basis.Registry, error) {
	stamp, err := s.store.RegistryStamp(ctx)
	if err != nil {
		return nil, err
	}
	c := &s.registry
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reg != nil && c.stamp == stamp {
		return c.reg, nil
	}
	ins, err := s.store.AllInstruments(ctx)
	if err != nil {
		return nil, err
	}
	c.reg, c.stamp = basis.NewRegistry(ins), stamp
	return c.reg, nil
}

func mayMaintainRegistry(u *models.User) error {
	if u == nil || (u.Role != models.RoleAdmin && u.Role != models.RoleLegalReviewer) {
		return apperr.New(apperr.Forbidden, "只有管理员和司法局合法性审查人员可以维护法规库")
	}
	return nil
}

// SeedRegistry loads the embedded registry file into an empty registry; it
// returns how many instruments it added. LinkPending then links the citations.
func (s *Service) SeedRegistry(ctx context.Context) (int, error) {
	n, err := s.store.CountInstruments(ctx)
	if err != nil || n > 0 {
		return 0, err
	}
	rows, err := basis.SeedInstruments()
	if err != nil {
		return 0, fmt.Errorf("seed registry: %w", err)
	}
	err = s.store.Transaction(ctx, func(tx *models.Store) error {
		_, err := saveRows(ctx, tx, rows)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("seed registry: %w", err)
	}
	return len(rows), nil
}

// ImportResult says what an import of registry rows did.
type ImportResult struct {
	Created []string `json:"created"`
	Updated []string `json:"updated"`
}

// saveRows creates or updates (by official title) the instruments of rows,
// then links each replacement named in a row to the registry instrument of
// that title where there is one.
func saveRows(ctx context.Context, tx *models.Store, rows []basis.InstrumentRow) (ImportResult, error) {
	res := ImportResult{Created: []string{}, Updated: []string{}}
	for _, row := range rows {
		in := row.Instrument
		old, exists, err := tx.InstrumentByTitle(ctx, in.Title)
		if err != nil {
			return res, err
		}
		if exists {
			in.ID, in.CreatedAt = old.ID, old.CreatedAt
			res.Updated = append(res.Updated, in.Title)
		} else {
			res.Created = append(res.Created, in.Title)
		}
		if err := linkReplacement(ctx, tx, &in); err != nil {
			return res, err
		}
		if err := tx.SaveInstrument(ctx, &in); err != nil {
			return res, fmt.Errorf("第 %d 行：%w", row.Line, err)
		}
	}
	return res, nil
}

// linkReplacement points ReplacedByID at the instrument ReplacedBy names, if any.
func linkReplacement(ctx context.Context, tx *models.Store, in *models.Instrument) error {
	in.ReplacedByID = nil
	if in.ReplacedBy == "" {
		return nil
	}
	title, _ := basis.SplitTitleNumber(in.ReplacedBy)
	rep, ok, err := tx.InstrumentByTitle(ctx, title)
	if err != nil || !ok {
		return err
	}
	if rep.ID == in.ID && in.ID != 0 {
		return apperr.New(apperr.Invalid, "replaced_by：法规不能被自己替代")
	}
	in.ReplacedByID = &rep.ID
	return nil
}

// ImportInstruments adds or updates registry rows read from a TSV or XLSX file.
func (s *Service) ImportInstruments(ctx context.Context, u *models.User, rows []basis.InstrumentRow) (ImportResult, error) {
	if err := mayMaintainRegistry(u); err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	err := s.store.Transaction(ctx, func(tx *models.Store) error {
		var err error
		if res, err = saveRows(ctx, tx, rows); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, models.AuditEntry{ActorID: &u.ID, Actor: u.Username, Action: "instrument_import",
			TargetType: "instrument", RegionCode: regionOf(u), After: res})
	})
	if err != nil {
		return res, err
	}
	return res, s.relink(ctx)
}

func regionOf(u *models.User) string {
	if u.RegionCode != nil {
		return *u.RegionCode
	}
	return ""
}

// SaveInstrument creates (ID 0) or updates an instrument from the registry form.
func (s *Service) SaveInstrument(ctx context.Context, u *models.User, in models.Instrument) (models.Instrument, error) {
	if err := mayMaintainRegistry(u); err != nil {
		return in, err
	}
	if err := basis.CheckInstrument(&in); err != nil {
		return in, apperr.New(apperr.Invalid, "%v", err)
	}
	action := "instrument_add"
	err := s.store.Transaction(ctx, func(tx *models.Store) error {
		var before any
		if in.ID != 0 {
			old, err := tx.LockInstrument(ctx, in.ID)
			if err != nil {
				return err
			}
			in.CreatedAt, before, action = old.CreatedAt, old, "instrument_edit"
		}
		if in.ReplacedByID != nil {
			rep, err := tx.Instrument(ctx, *in.ReplacedByID)
			if err != nil {
				return apperr.New(apperr.Invalid, "replaced_by_id：法规 %d 不存在", *in.ReplacedByID)
			}
			if rep.ID == in.ID {
				return apperr.New(apperr.Invalid, "replaced_by_id：法规不能被自己替代")
			}
			in.ReplacedBy = rep.Title
		} else if err := linkReplacement(ctx, tx, &in); err != nil {
			return err
		}
		if err := tx.SaveInstrument(ctx, &in); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, models.AuditEntry{ActorID: &u.ID, Actor: u.Username, Action: action,
			TargetType: "instrument", TargetID: strconv.FormatInt(in.ID, 10), RegionCode: regionOf(u), Before: before, After: in})
	})
	if err != nil {
		return in, err
	}
	if err := s.relink(ctx); err != nil {
		return in, err
	}
	return s.store.Instrument(ctx, in.ID)
}

// AddEdition adds a dated event (a new 修正, its 施行 …) to an instrument.
func (s *Service) AddEdition(ctx context.Context, u *models.User, id int64, e models.InstrumentEdition) (models.Instrument, error) {
	if err := mayMaintainRegistry(u); err != nil {
		return models.Instrument{}, err
	}
	in, err := s.store.Instrument(ctx, id)
	if err != nil {
		return in, err
	}
	if slices.ContainsFunc(in.Editions, func(x models.InstrumentEdition) bool { return x.Date == e.Date && x.Kind == e.Kind }) {
		return in, apperr.New(apperr.Conflict, "《%s》已有 %s %s", in.Title, e.Date, e.Kind)
	}
	in.Editions = append(in.Editions, e)
	return s.SaveInstrument(ctx, u, in)
}

// linkBatch is how many revisions or operations one linking step reads;
// after analyzeAfter revisions the planner is told how the links look now.
const (
	linkBatch    = 2000
	analyzeAfter = 10000
)

// LinkPending links the citations of every revision and operation not linked
// yet: those published or drafted since, and all of them the first time.
// Linking is idempotent and runs in batches, so an interrupted run resumes.
func (s *Service) LinkPending(ctx context.Context) error {
	var reg *basis.Registry
	registry := func() (*basis.Registry, error) {
		if reg == nil {
			var err error
			reg, err = s.Registry(ctx)
			return reg, err
		}
		return reg, nil
	}
	linked := 0
	for {
		revs, err := s.store.UnlinkedRevisions(ctx, linkBatch)
		if err != nil {
			return err
		}
		if len(revs) == 0 {
			break
		}
		linked += len(revs)
		r, err := registry()
		if err != nil {
			return err
		}
		ids := make([]int64, 0, len(revs))
		var links []models.CitationLink
		for _, rev := range revs {
			cs, err := models.DecodeCitations(rev.Citations)
			if err != nil {
				return fmt.Errorf("citations of revision %d: %w", rev.ID, err)
			}
			ids = append(ids, rev.ID)
			id, itemID := rev.ID, rev.ItemID
			f := models.ItemFields{Citations: cs, ResponsibilityBasis: rev.ResponsibilityBasis}
			for _, c := range linksOf(r, basis.CitationsOf(f, itemID)) {
				c.RevisionID, c.ListID, c.ItemID = &id, rev.ListID, &itemID
				links = append(links, c)
			}
		}
		claimed, err := s.store.SaveLinks(ctx, ids, nil, links)
		if err != nil {
			return err
		}
		if claimed == 0 { // every row is held by a running transaction: the next pass links them
			break
		}
	}
	if linked >= analyzeAfter {
		if err := s.store.AnalyzeLinks(ctx); err != nil {
			return err
		}
	}
	for {
		ops, err := s.store.UnlinkedOperations(ctx, linkBatch)
		if err != nil || len(ops) == 0 {
			return err
		}
		r, err := registry()
		if err != nil {
			return err
		}
		ids := make([]int64, 0, len(ops))
		var links []models.CitationLink
		for _, op := range ops {
			f, err := op.Fields()
			if err != nil {
				return fmt.Errorf("item of operation %d: %w", op.ID, err)
			}
			ids = append(ids, op.ID)
			id := op.ID
			cited := basis.CitationsOf(f, 0)
			for _, c := range basis.Parse(op.Basis) {
				cited = append(cited, basis.Cited{Citation: c, Field: models.LinkFieldOperationBasis})
			}
			for _, c := range linksOf(r, cited) {
				c.OperationID, c.ListID, c.ItemID = &id, op.ListID, op.ItemID
				links = append(links, c)
			}
		}
		claimed, err := s.store.SaveLinks(ctx, nil, ids, links)
		if err != nil {
			return err
		}
		if claimed == 0 { // every row is held by a running transaction: the next pass links them
			return nil
		}
	}
}

// linksOf resolves citations into links (without their owner).
func linksOf(r *basis.Registry, cs []basis.Cited) []models.CitationLink {
	var out []models.CitationLink
	pos := map[string]int{}
	for _, c := range cs {
		if c.Citation.Title == "" {
			continue
		}
		l := models.CitationLink{Field: c.Field, Position: pos[c.Field], Level: c.Citation.Level,
			Title: c.Citation.Title, Edition: c.Citation.Edition}
		pos[c.Field]++
		resolveLink(r, &l)
		out = append(out, l)
	}
	return out
}

func resolveLink(r *basis.Registry, l *models.CitationLink) {
	res := r.Resolve(models.Citation{Title: l.Title, Edition: l.Edition})
	l.TitleKey, l.InstrumentID, l.EditionDate = basis.NormTitle(l.Title), nil, ""
	if res.Instrument != nil {
		id := res.Instrument.ID
		l.InstrumentID = &id
		if res.Edition != nil {
			l.EditionDate = res.Edition.Date
		}
	}
}

// relink resolves every stored link again after the registry changed. Links
// are grouped by the citation as written, so the work is per distinct
// citation, and only groups whose resolution changed are written.
func (s *Service) relink(ctx context.Context) error {
	if err := s.LinkPending(ctx); err != nil {
		return err
	}
	r, err := s.Registry(ctx)
	if err != nil {
		return err
	}
	groups, err := s.store.LinkGroups(ctx)
	if err != nil {
		return err
	}
	changed := 0
	for _, g := range groups {
		l := models.CitationLink{Title: g.Title, Edition: g.Edition}
		resolveLink(r, &l)
		if equalID(l.InstrumentID, g.InstrumentID) && l.EditionDate == g.EditionDate {
			continue
		}
		g.InstrumentID, g.EditionDate = l.InstrumentID, l.EditionDate
		if err := s.store.ResolveGroup(ctx, g); err != nil {
			return err
		}
		changed++
	}
	if changed > 0 {
		slog.InfoContext(ctx, "citations re-resolved", "groups", changed)
	}
	s.kickFindings() // every list's findings are the old registry's
	return nil
}

func equalID(a, b *int64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}
