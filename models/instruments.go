package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"qingdan/apperr"
)

// Instrument levels (效力层级) as the registry records them.
var InstrumentLevels = []string{"法律", "行政法规", "地方性法规", "部门规章", "地方政府规章", "规范性文件", "党内法规", "其他"}

// Instrument statuses.
const (
	StatusInForce     = "现行有效"
	StatusAmended     = "已修改"
	StatusRepealed    = "已废止"
	StatusSuperseded  = "已被替代"
	StatusAmendingAct = "修改决定"
	StatusDraft       = "草案"
	StatusUnconfirmed = "未确认"
)

// InstrumentStatuses are every status, in the order the UI offers them.
var InstrumentStatuses = []string{StatusInForce, StatusAmended, StatusRepealed, StatusSuperseded, StatusAmendingAct, StatusDraft, StatusUnconfirmed}

// Instrument is a law, regulation, rule or document of the registry (法规库).
// Dates are YYYY-MM-DD, "" when unknown.
type Instrument struct {
	ID           int64    `gorm:"primaryKey" json:"id"`
	Title        string   `json:"title"`
	Aliases      []string `gorm:"serializer:json" json:"aliases"`
	Level        string   `json:"level"`
	Issuer       string   `json:"issuer"`
	DocNumber    string   `json:"doc_number"`
	Published    string   `json:"published"`
	Effective    string   `json:"effective"`
	Status       string   `json:"status"`
	ReplacedByID *int64   `json:"replaced_by_id"`
	// ReplacedBy names the replacement as text when it is not in the registry.
	ReplacedBy string              `json:"replaced_by"`
	SourceURL  string              `json:"source_url"`
	Confidence string              `json:"confidence"`
	Note       string              `json:"note"`
	CreatedAt  time.Time           `json:"created_at"`
	UpdatedAt  time.Time           `json:"updated_at"`
	Editions   []InstrumentEdition `gorm:"foreignKey:InstrumentID" json:"editions"`
}

// InstrumentEdition is one dated event of an instrument: 通过, 公布, 施行, 修正, 修订.
type InstrumentEdition struct {
	ID           int64  `gorm:"primaryKey" json:"id"`
	InstrumentID int64  `json:"-"`
	Date         string `json:"date"`
	Kind         string `json:"kind"`
}

// InstrumentFilter narrows the registry listing.
type InstrumentFilter struct {
	Q      string // title, alias or document number contains
	Level  string
	Status string
	Limit  int
	Offset int
}

// Instruments returns one page of the registry, ordered by level then title, and the total.
func (s *Store) Instruments(ctx context.Context, f InstrumentFilter) ([]Instrument, int64, error) {
	q := s.DB(ctx).Model(&Instrument{})
	if f.Q != "" {
		like := "%" + escapeLike(f.Q) + "%"
		q = q.Where(`title LIKE ? ESCAPE '\' OR aliases LIKE ? ESCAPE '\' OR doc_number LIKE ? ESCAPE '\'`, like, like, like)
	}
	if f.Level != "" {
		q = q.Where("level = ?", f.Level)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count instruments: %w", err)
	}
	var out []Instrument
	err := q.Order(levelOrder + ", title, id").Limit(f.Limit).Offset(f.Offset).Find(&out).Error
	if err != nil {
		return nil, 0, fmt.Errorf("list instruments: %w", err)
	}
	return out, total, nil
}

// levelOrder sorts instruments by level, highest first.
var levelOrder = func() string {
	var b strings.Builder
	b.WriteString("CASE level")
	for i, lv := range InstrumentLevels {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", lv, i)
	}
	b.WriteString(" ELSE 99 END")
	return b.String()
}()

// AllInstruments returns the whole registry with editions, for resolution.
func (s *Store) AllInstruments(ctx context.Context) ([]Instrument, error) {
	var out []Instrument
	if err := s.DB(ctx).Preload("Editions", orderEditions).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("read registry: %w", err)
	}
	return out, nil
}

func orderEditions(db *gorm.DB) *gorm.DB { return db.Order("date, id") }

// Instrument returns one instrument with its editions.
func (s *Store) Instrument(ctx context.Context, id int64) (Instrument, error) {
	var in Instrument
	err := s.DB(ctx).Preload("Editions", orderEditions).First(&in, id).Error
	if err != nil {
		return in, notFound(err, "法规 %d 不存在", id)
	}
	return in, nil
}

// InstrumentByTitle returns the instrument with exactly this official title.
func (s *Store) InstrumentByTitle(ctx context.Context, title string) (Instrument, bool, error) {
	var in Instrument
	err := s.DB(ctx).Where("title = ?", title).First(&in).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return in, false, nil
	}
	if err != nil {
		return in, false, fmt.Errorf("instrument %q: %w", title, err)
	}
	return in, true, nil
}

// CountInstruments counts the registry.
func (s *Store) CountInstruments(ctx context.Context) (int64, error) {
	var n int64
	if err := s.DB(ctx).Model(&Instrument{}).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count instruments: %w", err)
	}
	return n, nil
}

// SaveInstrument creates or updates an instrument and replaces its editions.
// A second instrument with the same title is a conflict.
func (s *Store) SaveInstrument(ctx context.Context, in *Instrument) error {
	var clash int64
	if err := s.DB(ctx).Model(&Instrument{}).Where("title = ? AND id <> ?", in.Title, in.ID).Count(&clash).Error; err != nil {
		return fmt.Errorf("save instrument: %w", err)
	}
	if clash > 0 {
		return apperr.New(apperr.Conflict, "法规库中已有《%s》", in.Title)
	}
	now := time.Now().UTC()
	in.UpdatedAt = now
	if in.Aliases == nil {
		in.Aliases = []string{}
	}
	editions := in.Editions
	in.Editions = nil
	defer func() { in.Editions = editions }()
	if in.ID == 0 {
		in.CreatedAt = now
		if err := s.DB(ctx).Create(in).Error; err != nil {
			return fmt.Errorf("create instrument: %w", err)
		}
	} else if err := s.DB(ctx).Select("*").Omit("created_at").Save(in).Error; err != nil {
		return fmt.Errorf("update instrument %d: %w", in.ID, err)
	}
	if err := s.DB(ctx).Where("instrument_id = ?", in.ID).Delete(&InstrumentEdition{}).Error; err != nil {
		return fmt.Errorf("editions of instrument %d: %w", in.ID, err)
	}
	for i := range editions {
		editions[i].ID = 0
		editions[i].InstrumentID = in.ID
	}
	if len(editions) > 0 {
		if err := s.DB(ctx).Create(&editions).Error; err != nil {
			return fmt.Errorf("editions of instrument %d: %w", in.ID, err)
		}
	}
	return nil
}

// LockInstrument reads an instrument for update inside a transaction.
func (s *Store) LockInstrument(ctx context.Context, id int64) (Instrument, error) {
	var in Instrument
	if err := ForUpdate(s.DB(ctx)).First(&in, id).Error; err != nil {
		return in, notFound(err, "法规 %d 不存在", id)
	}
	err := s.DB(ctx).Where("instrument_id = ?", id).Order("date, id").Find(&in.Editions).Error
	return in, err
}

// Instrument change kinds (法律法规立改废释).
const (
	ChangeAmended    = "amended"
	ChangeRepealed   = "repealed"
	ChangeReplaced   = "replaced"
	ChangeRenumbered = "renumbered"
)

// ChangeKindLabels name the kinds of a law change.
var ChangeKindLabels = map[string]string{
	ChangeAmended:    "修改",
	ChangeRepealed:   "废止",
	ChangeReplaced:   "被替代",
	ChangeRenumbered: "条文序号调整",
}

// InstrumentChange is a recorded change of an instrument, the trigger of revisions.
type InstrumentChange struct {
	ID           int64     `gorm:"primaryKey" json:"id"`
	InstrumentID int64     `json:"instrument_id"`
	Kind         string    `json:"kind"`
	Date         string    `json:"date"`
	ReplacedByID *int64    `json:"replaced_by"`
	Note         string    `json:"note"`
	RegionCode   string    `json:"region_code"` // the recorder's region; "" for an administrator
	RecorderID   int64     `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
}

// CreateInstrumentChange records a change.
func (s *Store) CreateInstrumentChange(ctx context.Context, c *InstrumentChange) error {
	c.CreatedAt = time.Now().UTC()
	if err := s.DB(ctx).Create(c).Error; err != nil {
		return fmt.Errorf("record instrument change: %w", err)
	}
	return nil
}

// InstrumentChange returns one recorded change.
func (s *Store) InstrumentChange(ctx context.Context, id int64) (InstrumentChange, error) {
	var c InstrumentChange
	if err := s.DB(ctx).First(&c, id).Error; err != nil {
		return c, notFound(err, "法规变更 %d 不存在", id)
	}
	return c, nil
}

// InstrumentChanges returns the changes recorded for an instrument, newest first.
func (s *Store) InstrumentChanges(ctx context.Context, instrumentID int64) ([]InstrumentChange, error) {
	var out []InstrumentChange
	err := s.DB(ctx).Where("instrument_id = ?", instrumentID).Order("id DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("changes of instrument %d: %w", instrumentID, err)
	}
	return out, nil
}

// InstrumentChangesByID reads changes by id, for timelines naming their trigger.
func (s *Store) InstrumentChangesByID(ctx context.Context, ids []int64) (map[int64]InstrumentChange, error) {
	out := map[int64]InstrumentChange{}
	if len(ids) == 0 {
		return out, nil
	}
	var cs []InstrumentChange
	if err := s.DB(ctx).Where("id IN ?", ids).Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("instrument changes: %w", err)
	}
	for _, c := range cs {
		out[c.ID] = c
	}
	return out, nil
}

// Trigger is the law change a change request was drafted for.
type Trigger struct {
	ChangeRequestID int64  `json:"-"`
	ChangeID        int64  `json:"change_id"`
	InstrumentID    int64  `json:"instrument_id"`
	InstrumentTitle string `json:"instrument_title"`
	Kind            string `json:"kind"`
	KindName        string `json:"kind_name"`
	Date            string `json:"date"`
}

// Triggers returns the law changes behind the change requests of ids, by request.
func (s *Store) Triggers(ctx context.Context, crIDs []int64) (map[int64]Trigger, error) {
	out := map[int64]Trigger{}
	if len(crIDs) == 0 {
		return out, nil
	}
	var rows []Trigger
	err := s.DB(ctx).Raw(`SELECT cr.id AS change_request_id, ic.id AS change_id, i.id AS instrument_id,
		i.title AS instrument_title, ic.kind, ic.date
		FROM change_requests cr JOIN instrument_changes ic ON ic.id = cr.instrument_change_id
		JOIN instruments i ON i.id = ic.instrument_id WHERE cr.id IN ?`, crIDs).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("triggers of change requests: %w", err)
	}
	for _, r := range rows {
		r.KindName = ChangeKindLabels[r.Kind]
		out[r.ChangeRequestID] = r
	}
	return out, nil
}

// DraftsOfChange returns the change requests created for a law change, by list.
func (s *Store) DraftsOfChange(ctx context.Context, changeID int64) (map[int64]ChangeRequest, error) {
	var crs []ChangeRequest
	if err := s.DB(ctx).Where("instrument_change_id = ?", changeID).Find(&crs).Error; err != nil {
		return nil, fmt.Errorf("drafts of change %d: %w", changeID, err)
	}
	out := map[int64]ChangeRequest{}
	for _, cr := range crs {
		out[cr.ListID] = cr
	}
	return out, nil
}

// RegistryStamp changes whenever the registry does: its size and last edit.
func (s *Store) RegistryStamp(ctx context.Context) (string, error) {
	var row struct {
		N    int64
		Last *string // a time; as text, which both drivers give
	}
	if err := s.DB(ctx).Raw("SELECT COUNT(*) AS n, MAX(updated_at) AS last FROM instruments").Scan(&row).Error; err != nil {
		return "", fmt.Errorf("registry stamp: %w", err)
	}
	last := ""
	if row.Last != nil {
		last = *row.Last
	}
	return fmt.Sprintf("%d|%s", row.N, last), nil
}
