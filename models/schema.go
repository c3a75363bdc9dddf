package models

import (
	"time"

	"gorm.io/gorm"
)

// OpenEnd is the valid_to of a revision still in force: one range predicate
// (valid_from <= N < valid_to) then serves the current and every past version.
const OpenEnd = 2147483647

// List kinds: a 权力清单 (9-column layout) or a 权责清单 (13-column layout).
const (
	KindPower = "power"
	KindDuty  = "duty"
)

// Agency kinds.
const (
	AgencyDepartment = "department"
	AgencyJustice    = "justice"
	AgencyGovernment = "government"
	AgencyStaffing   = "staffing" // 机构编制部门 / 审改办
)

// Revision operations, as recorded on item revisions and change-request operations.
const (
	OpImport       = "import"
	OpAdd          = "add"
	OpInclude      = "include"
	OpModify       = "modify"
	OpRecategorize = "recategorize"
	OpRemove       = "remove"
	OpDelegate     = "delegate" // 下放: to a lower level; the item stays with its new level
	OpMerge        = "merge"    // 合并: several items become one new item
	OpSplit        = "split"    // 分设: one item becomes several new items
)

// Region is an administrative division (行政区划) with its GB/T 2260 code.
type Region struct {
	Code       string  `gorm:"primaryKey" json:"code"`
	Name       string  `json:"name"`
	ParentCode *string `json:"parent_code,omitempty"`
	Level      string  `json:"level"` // province, prefecture, county
}

// Agency is a department, a justice bureau or a government of a region.
type Agency struct {
	ID         int64  `gorm:"primaryKey" json:"id"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	RegionCode string `json:"region_code"`
	Region     Region `gorm:"foreignKey:RegionCode;references:Code" json:"-"`
	Active     bool   `gorm:"default:true" json:"active"` // an agency with lists is deactivated, never deleted
}

// List is one agency's power list; its items live in revisions per version.
type List struct {
	ID             int64 `gorm:"primaryKey"`
	AgencyID       int64
	Agency         Agency `gorm:"foreignKey:AgencyID"`
	Title          string
	Kind           string
	CurrentVersion int
	SourceSHA256   string   `gorm:"column:source_sha256"`
	CategoryOrder  []string `gorm:"serializer:json"` // see Arrangement
	SeqScope       string
	// Layout is the columns of the file the list was imported from; nil for
	// a list imported before lists kept their own (see ColumnLayout).
	Layout    *Layout `gorm:"serializer:json"`
	CreatedAt time.Time
}

// ColumnLayout is the layout the list's items are kept and exported in.
func (l *List) ColumnLayout() *Layout {
	if l.Layout != nil && len(l.Layout.Columns) > 0 {
		return l.Layout
	}
	if sl, ok := SeedLayout(l.Kind); ok {
		return sl
	}
	return PowerLayout
}

// BeforeSave stores a list without a category order as an empty one.
func (l *List) BeforeSave(*gorm.DB) error {
	if l.CategoryOrder == nil {
		l.CategoryOrder = []string{}
	}
	return nil
}

// ListVersion is one published, immutable version of a list.
type ListVersion struct {
	ID              int64 `gorm:"primaryKey"`
	ListID          int64
	Number          int
	PublishedAt     time.Time
	ChangeRequestID *int64
	ItemCount       int
	Added           int
	Included        int
	Modified        int
	Recategorized   int
	Removed         int
	Merged          int
	Split           int
	Delegated       int
	ImportReport    string
	DocNumber       string // 文号 of the decision published, "" when none was given
	PublishDate     string // 公布日期, YYYY-MM-DD in Beijing
	BatchName       string // a 集中调整's name; "" for a single publication
}

// Item is the stable identity of a power across versions.
type Item struct {
	ID        int64 `gorm:"primaryKey"`
	ListID    int64
	CreatedAt time.Time
}

// ItemRevision is an immutable state of an item, in force for versions
// [ValidFrom, ValidTo).
type ItemRevision struct {
	ID              int64 `gorm:"primaryKey"`
	ItemID          int64
	ListID          int64
	ValidFrom       int
	ValidTo         int
	Position        int
	Op              string
	ChangeRequestID *int64
	OperationID     *int64
	PrevCode        string

	Seq                 int
	Code                string
	Name                string
	Subitem             string
	Category            string
	Department          string
	Basis               string
	Citations           []Citation `gorm:"serializer:json"`
	Level               string
	Content             string
	Duty                string
	Responsibility      string
	ResponsibilityBasis string
	Accountable         string
	Accountability      string
	Note                string
	Extra               map[string]string `gorm:"serializer:json"`
}

// Fields returns the revision's item fields.
func (r *ItemRevision) Fields() ItemFields {
	return ItemFields{
		Seq: r.Seq, Code: r.Code, Name: r.Name, Subitem: r.Subitem, Category: r.Category,
		Department: r.Department, Basis: r.Basis, Citations: r.Citations, Level: r.Level,
		Content: r.Content, Duty: r.Duty, Responsibility: r.Responsibility,
		ResponsibilityBasis: r.ResponsibilityBasis, Accountable: r.Accountable,
		Accountability: r.Accountability, Note: r.Note, Extra: r.Extra,
	}
}

// SetFields copies item fields into the revision.
func (r *ItemRevision) SetFields(f ItemFields) {
	r.Seq, r.Code, r.Name, r.Subitem, r.Category = f.Seq, f.Code, f.Name, f.Subitem, f.Category
	r.Department, r.Basis, r.Citations, r.Level = f.Department, f.Basis, f.Citations, f.Level
	r.Content, r.Duty, r.Responsibility = f.Content, f.Duty, f.Responsibility
	r.ResponsibilityBasis, r.Accountable, r.Accountability, r.Note = f.ResponsibilityBasis, f.Accountable, f.Accountability, f.Note
	r.Extra = f.Extra
	if r.Extra == nil {
		r.Extra = map[string]string{}
	}
	if r.Citations == nil {
		r.Citations = []Citation{}
	}
}

// User roles.
const (
	RoleSubmitter     = "submitter"
	RoleLegalReviewer = "legal_reviewer"
	RoleApprover      = "approver"
	RoleAdmin         = "admin"
	RoleRegionAdmin   = "region_admin" // administers the agencies and users of a region and the regions under it
	// RoleStaffingReviewer (编办审核人员) works for a region's 机构编制部门 and
	// reviews its requests where the region's process has that review.
	RoleStaffingReviewer = "staffing_reviewer"
)

// User is a person who logs in. A submitter is scoped to an agency, a
// reviewer or approver to a region.
type User struct {
	ID           int64 `gorm:"primaryKey"`
	Username     string
	DisplayName  string
	PasswordHash string
	Role         string
	AgencyID     *int64
	Agency       *Agency `gorm:"foreignKey:AgencyID"`
	RegionCode   *string
	Region       *Region `gorm:"foreignKey:RegionCode;references:Code"`
	Disabled     bool
	// MustChangePassword marks a password an administrator set: until the
	// user sets their own, only /me, /me/password and logout answer.
	MustChangePassword bool
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Session is a login, kept in the database so every instance shares it.
type Session struct {
	ID        int64 `gorm:"primaryKey"`
	TokenHash string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
	// LastSeenAt is the last use (to a minute): idle sessions end.
	LastSeenAt time.Time
	// WroteAt is the last request that may have written: reads read the
	// primary for a while after it (see auth.StickyPrimary).
	WroteAt *time.Time
}

// Change-request states.
const (
	StateDraft       = "draft"
	StateLegalReview = "legal_review"
	StateApproval    = "approval"
	StateApproved    = "approved"
	StatePublished   = "published"
	StateReturned    = "returned"
	StateRejected    = "rejected"
	StateCancelled   = "cancelled" // 作废: ended for good by its agency, kept in the record
	// States of a configured process (流程设置).
	StateCountersign    = "countersign"     // 会签: other agencies whose power it touches give their opinion
	StateStaffingReview = "staffing_review" // 编办审核
	StateJointReview    = "joint_review"    // 编办审核 and 合法性审查 together, each signing off
)

// ChangeRequest (修订申请) is a set of operations against one list, drafted
// against its base version. Version is bumped by every change (compare-and-swap).
type ChangeRequest struct {
	ID               int64 `gorm:"primaryKey"`
	ListID           int64
	AgencyID         int64
	BaseVersion      int
	Title            string
	Reason           string
	State            string
	Version          int
	SubmitterID      int64
	PublishedVersion *int
	TriggerDate      *string // YYYY-MM-DD the reason for the change arose; the 申请 limit counts from it
	OpSeq            int     // the last operation number given; numbers are never reused
	// InstrumentChangeID: the law change this request was drafted for, if any.
	InstrumentChangeID *int64
	// Process is the process (JSON) the request was last submitted under;
	// nil for today's single path.
	Process   *string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Operation is one change of a change request.
type Operation struct {
	ID              int64 `gorm:"primaryKey"`
	ChangeRequestID int64
	Number          int // stable within the request: deleting one does not renumber the rest
	Op              string
	ItemID          *int64
	Source          string
	Item            ItemFields `gorm:"serializer:json"`
	Reason          string
	Basis           string
	// AfterItemID places an added, included or recategorised item in its
	// category: nil at the end, 0 first, otherwise after that item.
	AfterItemID *int64
	// Sources are the items a merge joins (its Item is the new one).
	Sources []int64 `gorm:"serializer:json"`
	// Parts are the items a split makes of ItemID.
	Parts []ItemFields `gorm:"serializer:json"`
	// DelegateTo is where a 下放 sends the power (乡镇人民政府、街道办事处 …).
	DelegateTo string
	// Supervision is the 事中事后监管措施 a 取消 or 下放 needs; TakeoverPlan
	// the 承接方案 of a 列入.
	Supervision  string
	TakeoverPlan string
	CreatedAt    time.Time
}

// BeforeSave stores absent sources and parts as empty lists.
func (o *Operation) BeforeSave(*gorm.DB) error {
	if o.Sources == nil {
		o.Sources = []int64{}
	}
	if o.Parts == nil {
		o.Parts = []ItemFields{}
	}
	return nil
}

func (Operation) TableName() string { return "change_request_operations" }

// Event is one transition of a change request, with the opinion given.
type Event struct {
	ID              int64 `gorm:"primaryKey"`
	ChangeRequestID int64
	Version         int
	Event           string
	FromState       string
	ToState         string
	ActorID         int64
	Comment         string
	// Operations is a return's snapshot of the request's operations (JSON),
	// against which the next round shows what changed; empty otherwise.
	Operations string
	// Review is the review (staffing, legal) a reviewer's event was for.
	Review    string
	CreatedAt time.Time
}

func (Event) TableName() string { return "change_request_events" }

// AuditEvent is one entry of the append-only, hash-chained audit log.
type AuditEvent struct {
	ID         int64 `gorm:"primaryKey"`
	CreatedAt  time.Time
	ActorID    *int64
	Actor      string
	Action     string
	TargetType string
	TargetID   string
	RegionCode string
	Before     string
	After      string
	PrevHash   string
	Hash       string
}
