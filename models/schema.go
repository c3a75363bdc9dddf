package models

import "time"

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
)

// Revision operations, as recorded on item revisions and change-request operations.
const (
	OpImport       = "import"
	OpAdd          = "add"
	OpInclude      = "include"
	OpModify       = "modify"
	OpRecategorize = "recategorize"
	OpRemove       = "remove"
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
}

// List is one agency's power list; its items live in revisions per version.
type List struct {
	ID             int64 `gorm:"primaryKey"`
	AgencyID       int64
	Agency         Agency `gorm:"foreignKey:AgencyID"`
	Title          string
	Kind           string
	CurrentVersion int
	SourceSHA256   string `gorm:"column:source_sha256"`
	CreatedAt      time.Time
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
	ImportReport    string
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
}

// Fields returns the revision's item fields.
func (r *ItemRevision) Fields() ItemFields {
	return ItemFields{
		Seq: r.Seq, Code: r.Code, Name: r.Name, Subitem: r.Subitem, Category: r.Category,
		Department: r.Department, Basis: r.Basis, Citations: r.Citations, Level: r.Level,
		Content: r.Content, Duty: r.Duty, Responsibility: r.Responsibility,
		ResponsibilityBasis: r.ResponsibilityBasis, Accountable: r.Accountable,
		Accountability: r.Accountability, Note: r.Note,
	}
}

// SetFields copies item fields into the revision.
func (r *ItemRevision) SetFields(f ItemFields) {
	r.Seq, r.Code, r.Name, r.Subitem, r.Category = f.Seq, f.Code, f.Name, f.Subitem, f.Category
	r.Department, r.Basis, r.Citations, r.Level = f.Department, f.Basis, f.Citations, f.Level
	r.Content, r.Duty, r.Responsibility = f.Content, f.Duty, f.Responsibility
	r.ResponsibilityBasis, r.Accountable, r.Accountability, r.Note = f.ResponsibilityBasis, f.Accountable, f.Accountability, f.Note
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
	CreatedAt    time.Time
	UpdatedAt    time.Time
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
	StateWithdrawn   = "withdrawn"
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
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Operation is one change of a change request.
type Operation struct {
	ID              int64 `gorm:"primaryKey"`
	ChangeRequestID int64
	Op              string
	ItemID          *int64
	Source          string
	Item            ItemFields `gorm:"serializer:json"`
	Reason          string
	Basis           string
	CreatedAt       time.Time
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
	CreatedAt       time.Time
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
